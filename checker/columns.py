"""Compact columns for what a run holds for every input file (names, paths, sources.csv rows): at 100,000 files,
str objects and dicts of them took tens of MB; these take a few bytes a file."""
from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Sequence


class Strings(Sequence):
    """Strings appended in order and read by number, in one UTF-8 buffer: 100,000 document names as str
    objects took 6 MB, here 1.6 (and a run holds one per input file for as long as it runs)."""

    def __init__(self):
        self._data, self._ends = bytearray(), array("q")

    def append(self, name: str) -> None:
        self._data += name.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, n: int) -> str:
        end = self._ends[n]  # IndexError past either end
        if n < 0:
            n += len(self._ends)
        return self._data[self._ends[n - 1] if n else 0:end].decode("utf-8", "surrogatepass")


class Lookup:
    """The numbers of `strings` sorted by their string, to find one by bisection: a dict of 100,000 names took
    6 MB, this array 0.8. It holds the strings as they were when it was made."""

    def __init__(self, strings: Strings):
        self._strings = strings
        self._order = array("q", sorted(range(len(strings)), key=strings.__getitem__))

    def __len__(self) -> int:
        return len(self._order)

    def find(self, s: str) -> int | None:
        """The number of `s`: the last of equal strings, as a dict keeps the last."""
        i = bisect_right(self._order, s, key=self._strings.__getitem__) - 1
        return self._order[i] if i >= 0 and self._strings[self._order[i]] == s else None
