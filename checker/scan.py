"""The one scanning loop both grammars use: a C-level search for a character a match can start with, then the
full grammar only there. Much faster than `finditer`, which tries a large alternation at every character."""
from __future__ import annotations

import re
from typing import Iterable, Iterator


def scan(starts: re.Pattern, grammar: re.Pattern, text: str,
         zones: Iterable[tuple[int, int]] | None = None) -> Iterator[re.Match]:
    """Non-empty, non-overlapping matches of `grammar` in `text` (or its zones), left to right."""
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
            pos = m.end()
            yield m
