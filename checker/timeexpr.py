"""The time expression both time grammars return (calendar dates in `timex.py`, clock times and durations in
`clock.py`), and the two helpers that read their word tables from `rules/dates.yml`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .scan import trie

# What an expression is, in TIMEX terms. Only calendar kinds date a figure: dates and periods, and a time on a
# named day (2024年10月17日下午5点 dates a figure to that day).
CALENDAR_KINDS = frozenset({"date", "daterange", "datetime", "datetimerange"})
# the parts of a year a date can name alone and a figure's key keeps: a quarter, a half, the first nine months
PART_OF_YEAR = re.compile(r"Q[1-4]|H[12]|[1-9]M")

ALL_KINDS = frozenset({"date", "daterange", "datetime", "datetimerange", "time", "timerange", "duration", "set"})


@dataclass(slots=True)
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | None  # ISO 8601 at its own precision: 2024, 2024-10, 2024-10-17, 2024-W42
    precision: str  # year, month, week, day, time
    relative: bool  # resolved against the publication date
    refine: str = ""  # part of the period: start, end, H1, Q3, autumn ...
    fiscal: bool = False
    weekday: int | None = None  # a weekday named with the date, to check they agree
    note: str = ""  # e.g. a weekday that does not match its date
    kind: str = "date"  # one of ALL_KINDS
    timex: str = ""  # TIMEX3 value as written: XXXX-10-02 when no year is given, T17:30, P3D, (a,b,P2D)


def shift_month(y: int, m: int, months: int) -> tuple[int, int]:
    """The year and month `months` after (or before) year `y`, month `m`."""
    idx = y * 12 + (m - 1) + months
    return idx // 12, idx % 12 + 1


def clock_duration(seconds: int) -> str:
    """TIMEX duration of a span of clock time: PT2H30M, PT45M, PT461H."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")


def words_of_all_languages(table: dict | None) -> dict[str, object]:
    """All languages' words of one table, merged (zh and ja share most characters and agree on their meaning)."""
    merged: dict[str, object] = {}
    for words in (table or {}).values():
        for w, v in (words or {}).items():
            merged[str(w)] = v
    return merged


def alternation(words: Iterable[str]) -> str:
    """`words` as a trie: the words that match at one place are prefixes of each other, which the trie tries
    longest first, as a longest-first list would; a list is tried word by word (the month names at every
    alternative of an English date)."""
    return trie(set(words))
