"""The one scanning loop both grammars use: a C-level search for a character a match can start with, then the
full grammar only there. Much faster than `finditer`, which tries a large alternation at every character."""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def scan(starts: re.Pattern, grammar: re.Pattern, text: str,
         zones: Iterable[tuple[int, int]] | None = None) -> Iterator[re.Match]:
    """Non-empty, non-overlapping matches of `grammar` in `text` (or its zones), left to right."""
    return scan_read(starts, grammar, text, zones, lambda m: m)


def scan_read(starts: re.Pattern, grammar: re.Pattern, text: str, zones: Iterable[tuple[int, int]] | None,
              read: Callable[[re.Match], T | None]) -> Iterator[T]:
    """What `read` makes of each match; where it makes nothing, the scan goes on from the next character, so
    a match that reads as nothing (00 February in 13:00 February 28) does not hide one inside it."""
    for zs, ze in zones if zones is not None else [(0, len(text))]:
        pos = zs
        while True:
            s = starts.search(text, pos, ze)
            if s is None:
                break
            m = grammar.match(text, s.start(), ze)
            if m is None or m.end() == m.start():
                pos = s.start() + 1
                continue
            item = read(m)
            if item is None:
                pos = s.start() + 1
                continue
            pos = m.end()
            yield item
