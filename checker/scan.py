"""The one scanning loop both grammars use: a C-level search for a character a match can start with, then the
full grammar only there. Much faster than `finditer`, which tries a large alternation at every character."""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, TypeVar

from . import patterns

T = TypeVar("T")
LATIN = re.compile(r"[A-Za-z]")


# checks for `led_by`, which run after the first character and so look back over it and the one before: a
# Latin letter that starts a word, a digit that starts a number (a failed reading of 134 never goes on to 34)
WORD_START = r"(?<![A-Za-z]{2})"
NUMBER_START = r"(?<![0-9０-９]{2})"

GATED_FROM = 8  # words: a list longer than this is tested by its first characters first


def first_chars(words: Iterable[str]) -> str:
    """The body of a character class of the words' first characters, Latin ones in both cases."""
    return "".join(sorted({re.escape(c) for w in words if w for c in {w[0], w[0].lower(), w[0].upper()}}))


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation that prefers the longest word (`US$` over `$`); Latin words must stand as whole
    words. The words are a trie (fr(?:iday|om)), which the engine walks a character at a time: a list of
    words that each open with a lookbehind is tried word by word (150 currency words in a fifth of the time:
    2.6 -> 0.5 us for 美元 read after a number). A long list stands behind a test of the first character, so
    the usual case, no word here, costs one class test; a short one is tried directly, cheaper than the test."""
    words = {w for w in words if w}
    # a sign with a two-letter prefix may be spaced and in any case (HK $ 10, us $ 5); a one-letter one may
    # not: "a $5" is an article and a dollar, not Australian dollars
    spaced = {w for w in words if re.match(r"[A-Z]{2,}\$", w)}
    latin_led = {w for w in words - spaced if LATIN.match(w)}
    parts = [r"(?<![A-Za-z])(?i:" + re.escape(w).replace(r"\$", r" ?\$") + ")"
             for w in sorted(spaced, key=len, reverse=True)]
    if latin_led:
        parts.append(rf"(?<![A-Za-z]){trie(latin_led, bounded=True)}")
    if words - spaced - latin_led:
        parts.append(trie(words - spaced - latin_led, bounded=True))
    if not parts:
        return r"(?!x)x"
    alternation = "|".join(parts)
    return rf"(?=[{first_chars(words)}])(?:{alternation})" if len(words) > GATED_FROM else alternation


def ends_near(words: Iterable[str], gap: str) -> re.Pattern:
    """Whether one of `words` may end right before a position, `gap` (a regex of spaces) away: their last
    characters alone, searched in the few characters before it. Most figures and dates have no sign,
    qualifier or bound before them, and this test costs a tenth of reading the text before one backwards."""
    last = first_chars(w[::-1] for w in words)
    return patterns.compile(rf"[{last}]{gap}$" if last else r"(?!x)x")


def opening(words: Iterable[str]) -> str:
    """Where one of `words` begins: a cheap test of the first character, then the words themselves (Latin
    words in any case, and only at the start of a word). A start pattern built from whole words tries the
    grammar far less often than one built from first characters (上, 前, t and a begin thousands of words)."""
    cjk = {w for w in words if w and not w[0].isascii()}
    latin = {w.lower() for w in words if w and w[0].isascii()}
    parts = []
    if cjk:
        parts.append(rf"(?=[{first_chars(cjk)}])(?:{trie(cjk)})")
    if latin:
        parts.append(rf"(?=[{first_chars(latin)}])(?<![A-Za-z])(?:{any_case(latin)})(?![a-z])")
    return "|".join(parts) or r"(?!x)x"


def led_opening(words: Iterable[str], then: str = "") -> str:
    """`opening(words)` and what must follow it (`then`), as one start alternative behind the words' first
    characters (`led`)."""
    words = list(words)
    return led(first_chars(words), rf"(?:{opening(words)}){then}")


def any_case(words: Iterable[str]) -> str:
    """A trie of `words` that matches them in any case, its first level written out in both cases (m...|M...),
    each first letter case-exact even inside an enclosing (?i:): the regex engine passes over an alternative
    that opens with a plain character in one comparison, but enters each one that ignores case (English dates
    were read 10% faster, figures 3%)."""
    rests: dict[str, set[str]] = {}
    for w in {w.lower() for w in words if w}:
        rests.setdefault(w[0], set()).add(w[1:])
    branches = []
    for first, after in sorted(rests.items()):
        rest = f"(?i:{trie(after - {''})})" + ("?" if "" in after else "") if after - {""} else ""
        branches += [f"(?-i:{re.escape(c)})" + rest for c in sorted({first, first.upper()})]
    return "|".join(branches) or r"(?!x)x"


def trie(words: Iterable[str], bounded: bool = False, ends: re.Pattern = LATIN) -> str:
    """An alternation of `words` as a trie (fr(?:iday|om)), which the regex engine walks a character at a
    time instead of trying every word in turn. Longer words are preferred, as in a longest-first alternation.
    `bounded`: a word whose last character `ends` matches (a Latin letter) ends only where no letter follows."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, last: str) -> str:
        branches = [re.escape(ch) + build(child, ch) for ch, child in sorted(node.items()) if ch]
        end = r"(?![A-Za-z])" if bounded and ends.match(last) else ""
        if not branches:
            return end
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here, and longer ones go on: try them first, then stop here
            return f"(?:{body}|{end})" if end else f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return build(root, "") or r"(?!x)x"


def unnamed(pattern: str) -> str:
    """`pattern` with its named groups made plain ones, to be used again inside another pattern (a start's
    lookahead that tests what a branch goes on to read), where the names would be defined twice."""
    if "(?P=" in pattern or "(?(" in pattern:
        raise ValueError("a pattern that refers to its own groups cannot lose their names")
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def gated(alternatives: Iterable[str], firsts: Iterable[str]) -> re.Pattern:
    """One start pattern from several, behind a test of the first character: the search rejects most
    positions with a single class test instead of trying every alternative there (5-25x faster). A Latin
    letter counts only at the start of a word and a digit only at the start of a number, as every
    alternative that begins with one requires."""
    cls = first_chars("".join(firsts))
    return led_by(cls, "|".join(alternatives), WORD_START + NUMBER_START)


def led_by(chars: str, pattern: str, check: str = "") -> re.Pattern:
    """Where `pattern` can match, found by a search that stands only on `chars` (the body of a character
    class holding every character a match can start with). The class is the pattern's first element, so the
    regex engine skips every other character in its own loop; a pattern that opens with a lookaround or an
    alternation is otherwise tried at every position (3x slower on news text). The match is that one
    character: `check` runs after it, `pattern` from it, inside a lookbehind."""
    return patterns.compile(led(chars, pattern, check))


def led(chars: str, pattern: str, check: str = "") -> str:
    """`pattern`, tried only where the character is one of `chars` (every character it can start with), as
    one alternative of a start search: the regex engine passes over it with one class test where it opens
    with that class, but enters it, and each lookaround it opens with, where it does not (English dates were
    read 3% faster, figures 4%, than with the alternatives bare). It takes that one character only, so nothing
    may follow it."""
    return rf"[{chars}]{check}(?<=(?=(?:{pattern}))(?s:.))"


class Gated:
    """A compiled pattern searched, like `re.Pattern.finditer` and `.search`, only where the character is one of
    `firsts` (every character a match can start with). For an alternation of words whose Latin branch opens with
    a lookbehind, which the regex engine otherwise tries at every character: the metric words of generated
    articles were found in half the time, the organisation names in 0.4 of it."""

    def __init__(self, pattern: str, firsts: str, flags: int = 0):
        self.pattern = patterns.compile(pattern, flags)
        self._starts = patterns.compile(led(firsts, pattern) if firsts else r"(?!x)x", flags)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        return scan(self._starts, self.pattern, text, [(pos, len(text) if endpos is None else min(endpos, len(text)))])

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return next(self.finditer(text, pos, endpos), None)


def scan(starts: re.Pattern, grammar: re.Pattern, text: str,
         zones: Iterable[tuple[int, int]] | None = None) -> Iterator[re.Match]:
    """Non-empty, non-overlapping matches of `grammar` in `text` (or its zones), left to right."""
    return scan_read(starts, grammar, text, zones, lambda m: m)


def scan_read(starts: re.Pattern, grammar: re.Pattern, text: str, zones: Iterable[tuple[int, int]] | None,
              read: Callable[[re.Match], T | None],
              resume: Callable[[re.Match, T | None], int] | None = None) -> Iterator[T]:
    """What `read` makes of each match. By default the scan goes on after the match, or from the next
    character where it makes nothing, so a match that reads as nothing (00 February in 13:00 February 28)
    does not hide one inside it; `resume(match, item)` says where to go on instead."""
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
            if resume is not None:
                pos = max(resume(m, item), s.start() + 1)
            else:
                pos = m.end() if item is not None else s.start() + 1
            if item is not None:
                yield item


_ENDS_WORD = re.compile(r"[A-Za-z0-9]")  # a word ending in one of these ends only where no letter follows


def longest_of(words: Iterable[str], folded: bool = False) -> str:
    """An alternation that takes the longest of `words` at a place, as a trie walked a character at a time: as
    a list, each word behind its own lookbehind, every word was tried at every character of a text (1.5 us a
    character for the metric words, a third of building an article's claims). A word that begins with a Latin
    letter begins only where no letter stands before it. `folded`, for a case-insensitive pattern: words that
    differ in case alone are one, as the trie's first branch for them would win over a longer word in another."""
    words = {w.lower() if folded and len(w.lower()) == len(w) else w for w in map(str, words) if w}
    latin = {w for w in words if w[0].isascii() and w[0].isalpha()}
    parts = ([rf"(?<![A-Za-z]){trie(latin, bounded=True, ends=_ENDS_WORD)}"] if latin else []) + (
        [trie(words - latin, bounded=True, ends=_ENDS_WORD)] if words - latin else [])
    return "|".join(parts) or r"(?!x)x"


def word_finder(words: Iterable[str], folded: bool = True) -> Gated:
    """`longest_of(words)` as a pattern searched only where one of the words can begin, in any case if `folded`."""
    words = [str(w) for w in words if w]
    return Gated(longest_of(words, folded), first_chars(words), re.I if folded else 0)
