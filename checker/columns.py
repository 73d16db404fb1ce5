"""Compact columns for what a run holds for every input file (names, paths, sources.csv rows): at 100,000 files,
str objects and dicts of them took tens of MB; these take a few bytes a file."""
from __future__ import annotations

import zlib
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
    """The numbers of `strings` by a hash of their string (CRC-32), sorted, to find one by bisection over the
    hashes and one comparison: a dict of 100,000 names took 6 MB, these arrays 1.2. Bisecting the strings
    themselves decoded seventeen of them a lookup, which made half the time of listing 100,000 files with a
    sources.csv. It holds the strings as they were when it was made."""

    def __init__(self, strings: Strings):
        self._strings = strings
        hashes = [_hash(s) for s in strings]
        order = sorted(range(len(strings)), key=hashes.__getitem__)  # stable: equal hashes in number order
        self._hashes, self._order = array("I", [hashes[n] for n in order]), array("q", order)

    def __len__(self) -> int:
        return len(self._order)

    def find(self, s: str) -> int | None:
        """The number of `s`: the last of equal strings, as a dict keeps the last."""
        h = _hash(s)
        i = bisect_right(self._hashes, h)
        while i > 0 and self._hashes[i - 1] == h:  # from the last number with this hash back
            i -= 1
            if self._strings[self._order[i]] == s:
                return self._order[i]
        return None


def _hash(s: str) -> int:
    """The same in every process, unlike hash()."""
    return zlib.crc32(s.encode("utf-8", "surrogatepass"))
