"""Stage 1: read one input file into a `Document`.

`read_document(path)` decodes the bytes (BOMs, UTF-8, UTF-16, GB18030, Big5, Shift_JIS, EUC-JP...), takes the
text out of HTML, and zones the text line by line: the headline, the body, page furniture (counters, bylines,
URLs, navigation, reference lists, site feeds after the article) and repeats of the body. Offsets everywhere
are code points into `Document.text`, which is the decoded file (BOM dropped) or, for HTML, the extracted text.

Furniture is decided by structure (position, line shape, script change, link-likeness), not by any site's words.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import re
import stat
import unicodedata
import zlib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

from . import patterns
from .columns import Lookup, Strings
from .rules import Rules, default_rules
from .timex import find_times

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm"}
MAX_BYTES = 50 * 1024 * 1024  # larger files are refused with a reason rather than read into memory


class InputError(Exception):
    """An input that cannot be read; the message is the one-line reason shown to the user."""


@dataclass(slots=True)
class Zone:
    start: int
    end: int
    kind: str  # headline, body, furniture, repeat
    reason: str = ""


class Header(NamedTuple):
    """What is compared of a document besides its claims (its name, language, date and outlet): all a check or
    the claim table reads, small enough to hold for every document of a large party set."""
    doc: str
    lang: str
    published: str | None
    outlet: str | None


@dataclass
class Document:
    doc: str  # path relative to the folder it was found in
    path: str
    text: str | None  # None once released after analysis: `text_of` reads it again
    encoding: str
    lang: str
    title: str | None = None
    published: str | None = None
    published_from: str = "none"  # text, metadata, none
    published_note: str = ""  # why a date the sidecar gave was not used
    note: str = ""  # why its figures are not compared (a data dump), when they are not
    outlet: str | None = None
    outlet_from: str = "none"  # metadata (sources.csv), page (HTML's site name), text (a source line or byline), none
    zones: list[Zone] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    offsets: str = "decoded"  # "decoded": into the file's decoded text; "extracted": into the text taken from HTML
    # for HTML, runs of (offset in the text, offset in the page, length): claims and times are given in the page
    source_map: list[tuple[int, int, int]] = field(default_factory=list)
    page: str | None = None  # the decoded HTML page, while the text is held (released with it)
    source: str = ""  # the file as the system names it (`path` is for display), to read the text again
    checksum: int = 0  # of the released text, so a file changed since is never shown with stale offsets

    @property
    def header(self) -> Header:
        return Header(self.doc, self.lang, self.published, self.outlet)

    def release_text(self) -> None:
        """Drop the text and sentence spans once the document is analysed, so a large run never holds all
        texts; `text_of` reads the text again for the few places that show it."""
        if self.text is not None:
            self.checksum = _checksum(self.text)
            self.text, self.sentences, self.page = None, [], None

    def spans(self, *kinds: str) -> list[tuple[int, int]]:
        return [(z.start, z.end) for z in self.zones if z.kind in kinds]

    def zone_at(self, offset: int) -> Zone | None:
        # the zones are the text's lines in order: a scan of them for each figure made a long article's claims
        # quadratic in its length
        i = bisect_right(self.zones, offset, key=attrgetter("start")) - 1
        return self.zones[i] if i >= 0 and offset < self.zones[i].end else None


# ---------------------------------------------------------------- decoding

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]
# Encodings a CJK news desk meets, tried when the bytes are not UTF-8.
_CJK_ENCODINGS = ["gb18030", "big5", "shift_jis", "cp932", "euc_jp", "euc_kr"]


_FIRST_LEVEL = {"zh": (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)), "ja": (("shift_jis", 0x88, 0x98),)}


def _common(ch: str, lang: str) -> bool:
    """Kana, or a first-level (frequent) character of GB2312 or Big5 (zh), or JIS X 0208 (ja).

    Bytes read in the wrong CJK encoding still decode, but to rare characters: this tells the two apart.
    """
    if "\u3040" <= ch <= "\u30ff":
        return True
    for enc, lo, hi in _FIRST_LEVEL[lang]:
        try:
            b = ch.encode(enc)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and lo <= b[0] <= hi:
            return True
    return False


def _plausibility(text: str) -> float:
    wide = [ch for ch in text[:3000] if ord(ch) >= 0x3040]
    if not wide:
        return 0.0
    # text with kana is Japanese, so its kanji must be frequent in JIS, not merely somewhere
    lang = "ja" if sum(1 for ch in wide if "\u3040" <= ch <= "\u30ff") >= 0.1 * len(wide) else "zh"
    return sum(_common(ch, lang) for ch in wide) / len(wide)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with; raises InputError for binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc.replace("-sig", ""), errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a truncated download, one pasted line in another encoding): keep the text,
    # mark the bad bytes, rather than reading the whole file in a wrong codec
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if bad and bad <= max(4, len(lossy) // 100) and not _looks_binary(lossy):
        return lossy, f"utf-8 ({bad} invalid byte sequence{'s' * (bad > 1)} replaced)"
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 8:
        raise InputError("binary file (NUL bytes, no text encoding fits)")
    candidates = _cjk_candidates(data)
    if not candidates or max(candidates)[0] < 0.5:
        mixed = _decode_by_line(data)
        if mixed is not None:
            return mixed
    if not candidates or max(candidates)[0] < 0.5:
        from charset_normalizer import from_bytes  # imported here: most files are UTF-8 and never need it
        best = from_bytes(data).best()  # not CJK: let charset-normalizer name it (cp1252, latin-1, ...)
        if best is not None:
            candidates.append((0.5, 1, str(best), best.encoding))
    if not candidates:
        raise InputError("binary file (no text encoding fits)")
    _, _, text, encoding = max(candidates)
    if _looks_binary(text):
        raise InputError("binary file (decodes to control characters)")
    return text, encoding


def _cjk_candidates(data: bytes) -> list[tuple[float, int, str, str]]:
    """(plausibility, order, text, encoding) for every CJK codec that decodes the bytes strictly."""
    out = []
    for enc in _CJK_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        out.append((_plausibility(text), -len(out), text, enc))
    return out


def _decode_by_line(data: bytes) -> tuple[str, str] | None:
    """A file pasted together from several encodings: each line in the codec that reads it (UTF-8 first)."""
    lines, used = [], []
    for raw in data.split(b"\n"):
        try:
            lines.append(raw.decode("utf-8"))
            used.append("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        cands = _cjk_candidates(raw)
        if not cands or max(cands)[0] < 0.5:
            return None
        _, _, text, enc = max(cands)
        lines.append(text)
        used.append(enc)
    names = sorted(set(used), key=used.index)
    return ("\n".join(lines), "mixed (" + ", ".join(names) + ")") if len(names) > 1 else None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls > max(8, len(sample) // 50)


# ---------------------------------------------------------------- html

_SKIP_TAGS = {"script", "style", "nav", "footer", "header", "aside", "noscript", "template", "form", "svg", "iframe"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
               "article", "blockquote", "pre", "figcaption", "figure", "dd", "dt", "title", "time"}


class _HTMLText(HTMLParser):
    """Text of the page body, one block per line, with the metadata a news page carries. Each piece of text
    keeps where it stands in the page (`pieces`: text, offset in the page), so offsets into the text can be
    given as offsets into the page, as the result promises."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)  # a reference is its own piece: its length differs in the page
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", source)]
        self.pieces: list[tuple[str, int]] = []
        self.skip_depth = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}
        self.time_attr: str | None = None

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and "content" in a:
                self.meta.setdefault(key.lower(), a["content"])
        if tag == "time" and "datetime" in a and self.time_attr is None:
            self.time_attr = a["datetime"]
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.pieces.append(("\n", self._at()))

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.pieces.append(("\n", self._at()))

    def parse_marked_section(self, i, report=1):
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # "<![" with no name after it (<![0) stops the stdlib parser; a browser shows it
            self.handle_data(self.rawdata[i:i + 3])
            return i + 3

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip_depth:
            self.pieces.append((data, self._at()))

    def handle_entityref(self, name):
        self.handle_data(html.unescape(f"&{name};"))

    def handle_charref(self, name):
        self.handle_data(html.unescape(f"&#{name};"))


def html_to_text(source: str) -> tuple[str, dict[str, str | None], list[tuple[int, int, int]]]:
    """The page's text (blocks as lines, runs of spaces as one, empty lines dropped), what the page says of
    itself, and the text's source map: runs of (offset in the text, offset in the page, length) that stand
    character for character in the page."""
    parser = _HTMLText(source)
    parser.feed(source)
    parser.close()
    # each character with its place in the page; a reference's characters all stand at the reference
    chars: list[tuple[str, int]] = []
    for piece, at in parser.pieces:
        one_to_one = source.startswith(piece, at)
        chars += [(ch, at + i if one_to_one else at) for i, ch in enumerate(piece)]
    text_chars: list[str] = []
    places: list[int] = []
    line: list[tuple[str, int]] = []

    def end_line() -> None:
        while line and line[-1][0] == " ":
            line.pop()
        if line:
            if text_chars:
                text_chars.append("\n")
                places.append(line[0][1])
            text_chars.extend(ch for ch, _ in line)
            places.extend(at for _, at in line)
        line.clear()

    for ch, at in chars:
        if ch in "\r\n":
            end_line()
        elif ch in " \t\u00a0":
            if line and line[-1][0] != " ":
                line.append((" ", at))
        else:
            line.append((ch, at))
    end_line()
    text = "".join(text_chars)
    meta = parser.meta
    title = meta.get("og:title") or parser.title.strip() or None
    published = meta.get("article:published_time") or meta.get("datepublished") or parser.time_attr
    outlet = meta.get("og:site_name")
    return text, {"title": html.unescape(title) if title else None, "published": published, "outlet": outlet}, \
        _runs(places)


def _runs(places: list[int]) -> list[tuple[int, int, int]]:
    """Character places as runs of (offset in the text, offset in the page, length) that go up one by one."""
    runs: list[tuple[int, int, int]] = []
    for i, at in enumerate(places):
        if runs and runs[-1][1] + runs[-1][2] == at and runs[-1][0] + runs[-1][2] == i:
            start, source_start, n = runs[-1]
            runs[-1] = (start, source_start, n + 1)
        else:
            runs.append((i, at, 1))
    return runs


def to_source(source_map: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """A span of a page's text as the span of the page it was read from (`html_to_text`)."""
    def place(i: int) -> int:
        k = bisect_right(source_map, (i, float("inf"))) - 1
        text_start, source_start, n = source_map[max(k, 0)]
        return source_start + min(i - text_start, n - 1)
    return place(start), place(end - 1) + 1 if end > start else place(start)


def to_shown(source_map: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """A span of the page as the span of the text read from it: the inverse of `to_source`."""
    by_source = sorted((s, t, n) for t, s, n in source_map)

    def place(i: int) -> int:
        k = bisect_right(by_source, (i, float("inf"))) - 1
        source_start, text_start, n = by_source[max(k, 0)]
        return text_start + min(max(i - source_start, 0), n - 1)
    return place(start), place(end - 1) + 1 if end > start else place(start)


# ---------------------------------------------------------------- language

_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def line_lang(line: str) -> str | None:
    kana, han = len(_KANA.findall(line)), len(_HAN.findall(line))
    if kana + han == 0:
        return "en" if _LATIN_WORD.search(line) else None
    if kana >= max(2, 0.1 * (kana + han)):
        return "ja"
    if han:
        return "zh"
    return None


_NARROW = re.compile(r"[\x00-\u2e80]+")  # the characters before the CJK blocks


def _weight(line: str) -> int:
    """Reading weight: a CJK character carries about as much as two Latin letters. Counted by C-level string
    operations (a loop over the characters took a sixth of reading a file): the characters that are no
    whitespace, and again those of them from the CJK blocks on."""
    printed = "".join(line.split())
    return len(printed) + (0 if printed.isascii() else len(_NARROW.sub("", printed)))


# ---------------------------------------------------------------- zoning

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|cn|net|org|jp|html?|php|aspx?)(?:/\S*)?", re.I)
_PATHLIKE = re.compile(r"^[\w./~-]*[./][\w./~-]*$")
_SENTENCE_END = re.compile(r"[。！？!?.…][」』”\"'’)）]*$")
_COUNTER = re.compile(r"^[\d\s,.|·•/-]{1,12}$")
_LISTMARK = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、])\s*")
_SENTENCE_SPLIT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[」』”\"’）)]*|$)|[^\n]+")
# an English full stop ends a sentence before a capital, unless it ends an abbreviation or a digit group
_LATIN_STOP = re.compile(r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|Co|St|No|vs))(?<!\b(?:Mrs|Inc|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec))"
                         r"(?<!\bCorp)(?<!\bSept)\.(?=\s+[\"“‘(]?[A-Z])")


@dataclass
class _Line:
    start: int
    end: int
    text: str
    lang: str | None
    weight: int
    kind: str = "body"
    reason: str = ""


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            s = pos + lead
            out.append(_Line(s, s + len(stripped), stripped, line_lang(stripped), _weight(stripped)))
        pos += len(raw)
    return out


def _is_prose(ln: _Line, lang: str) -> bool:
    if ln.lang != lang:
        return False
    return ln.weight >= 80 or (ln.weight >= 24 and bool(_SENTENCE_END.search(ln.text)))


def _is_url_line(ln: _Line) -> bool:
    t = ln.text
    covered = sum(len(m.group()) for m in _URL.finditer(t))
    return covered >= 0.6 * len(t) or bool(_PATHLIKE.match(t) and "/" in t)


def zone_lines(text: str, rules: Rules) -> tuple[list[_Line], str, int | None]:
    """Zone every non-empty line; returns the lines, the body language and the index of the headline line."""
    lines = _lines(text)
    if not lines:
        return lines, "und", None
    votes: dict[str, int] = {}
    for ln in lines:
        if ln.lang:
            votes[ln.lang] = votes.get(ln.lang, 0) + ln.weight
    lang = max(sorted(votes), key=lambda k: votes[k]) if votes else "und"
    prose = [i for i, ln in enumerate(lines) if _is_prose(ln, lang)]
    first, last = (prose[0], prose[-1]) if prose else (0, len(lines) - 1)
    relative = _scrape_relative(rules)

    for i, ln in enumerate(lines):
        if _is_url_line(ln):
            ln.kind, ln.reason = "furniture", "link or path"
        elif _COUNTER.match(ln.text):
            ln.kind, ln.reason = "furniture", "counter"
        elif ln.weight <= 40 and relative.search(ln.text) and (i < first or i > last):
            ln.kind, ln.reason = "furniture", "byline with a time relative to when the page was read"
        elif i < first:
            ln.kind, ln.reason = "furniture", "page header before the article"
        elif i > last:
            ln.kind, ln.reason = "furniture", "after the article ends (site feed, tags, comments)"
        elif ln.lang and ln.lang != lang and ln.weight >= 40 and lang in ("zh", "ja") and ln.lang in ("zh", "ja"):
            ln.kind, ln.reason = "furniture", f"{ln.lang} text inside a {lang} article (a feed or a quote box)"
        elif " > " in ln.text and ln.weight <= 40:
            ln.kind, ln.reason = "furniture", "breadcrumb navigation"
    _mark_reference_lists(lines)
    _mark_related_lists(lines, first, {w.casefold() for ws in (rules["page"].get("related_headings") or {}).values()
                                       for w in ws})
    _mark_short_runs(lines, first, last)
    headline = _find_headline(lines, first, lang, rules)
    if headline is not None:
        lines[headline].kind, lines[headline].reason = "headline", ""
    _mark_repeats(lines)
    return lines, lang, headline


def _mark_reference_lists(lines: list[_Line]) -> None:
    """A short line ending in a colon followed by link lines heads a reference list, which closes the
    article: what follows it is the site's, not the story's."""
    for i, ln in enumerate(lines[:-1]):
        if ln.weight <= 30 and ln.text.rstrip().endswith((":", "：")) and _is_url_line(lines[i + 1]):
            ln.kind, ln.reason = "furniture", "reference list heading"
            for later in lines[i + 1:]:
                if later.kind != "furniture":
                    later.kind, later.reason = "furniture", "after the article's reference list"
            return


def _mark_related_lists(lines: list[_Line], first: int, headings: set[str]) -> None:
    """A heading that opens a list of other stories (相关阅读, 【関連記事】, ## Related) after the article's first
    paragraph closes the article: it and every line after it are the site's (rules/page.yml)."""
    for i in range(first + 1, len(lines)):
        if _RELATED_MARKS.sub("", lines[i].text).casefold() in headings:
            for later in lines[i:]:
                if later.kind != "furniture":
                    later.kind, later.reason = "furniture", "a list of other stories, after the article"
            return


_RELATED_MARKS = re.compile(r"^[#\s*【\[]+|[\s*】\]:：]+$")


def _mark_short_runs(lines: list[_Line], first: int, last: int) -> None:
    """Three or more short non-sentence lines in a row inside the article are a menu, a share bar or tags."""
    run: list[int] = []
    for i in range(first, last + 2):
        ln = lines[i] if i <= last and i < len(lines) else None
        if ln is not None and ln.kind == "body" and ln.weight <= 24 and not _SENTENCE_END.search(ln.text):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                lines[j].kind, lines[j].reason = "furniture", "run of short lines (menu, share bar, tags)"
        run = []


@lru_cache(maxsize=8)
def _scrape_relative(rules: Rules) -> re.Pattern:
    """rules/dates.yml's times relative to when a page was read (3小时前, 2 hours ago) as one pattern."""
    words = [w for ws in rules["dates"].get("scrape_relative", {}).values() for w in ws]
    return patterns.compile("|".join(re.escape(w) for w in words) or r"(?!x)x")


def _find_headline(lines: list[_Line], first: int, lang: str, rules: Rules) -> int | None:
    """The first headline-shaped line near the top: not furniture by shape, no sentence end, not too long, and
    in the body's language where that is Chinese or Japanese (a page may open with its source's English lines)."""
    for i, ln in enumerate(lines[: max(first, 0) + 2][:8]):
        if ln.kind == "furniture" and ln.reason != "page header before the article":
            continue
        if lang in ("zh", "ja") and ln.lang == "en":
            continue
        if 16 <= ln.weight <= 200 and not re.search(r"[。！!；;]$", ln.text) and not _COUNTER.match(ln.text):
            if find_times(ln.text, None, rules) and _weight(ln.text) < 40:
                continue  # a date line
            return i
    return None


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


SHORTEST_REPEAT = 12  # characters (spaces aside): a shorter line is never taken for a repeat, nor held by one


def _mark_repeats(lines: list[_Line]) -> None:
    """A body read once: a line whose text already stood in the article, or a flattened copy of later lines."""
    kept = [ln for ln in lines if ln.kind in ("body", "headline")]
    norms = [_norm(ln.text) for ln in kept]
    given = Counter(n for n in norms if len(n) >= SHORTEST_REPEAT)  # each line's text, how often it is given
    held, seen = lines_held(list(given)), set()
    for ln, n in zip(kept, norms):
        if len(n) < SHORTEST_REPEAT:
            continue
        # a flattened copy: one long line that holds several other lines of the article verbatim
        inside = held(n)
        count, covered = sum(given[m] for m in inside), sum(len(m) * given[m] for m in inside)
        if count >= 2 and covered >= 0.5 * len(n):
            ln.kind, ln.reason = "repeat", f"a copy of {count} lines the article gives again below"
            continue
        if n in seen:
            ln.kind, ln.reason = "repeat", "a line the article already gave"
        else:
            seen.add(n)


def lines_held(texts: list[str], pairwise_up_to: int = 100) -> Callable[[str], list[str]]:
    """The texts (each SHORTEST_REPEAT long at least) a text holds, shorter than it. An article's few dozen
    lines are tested pairwise; hundreds are looked up by their openings at each place of the text, which grows
    with its length rather than with the square of its lines (8,000 lines took 39 s pairwise, where an article
    of 100 costs either way about the same)."""
    if len(texts) <= pairwise_up_to:
        return lambda n: [m for m in texts if len(m) < len(n) and m in n]
    by_opening: dict[str, list[str]] = {}
    for m in texts:
        by_opening.setdefault(m[:SHORTEST_REPEAT], []).append(m)

    @lru_cache(maxsize=None)  # an article that repeats a line asks for it each time
    def held(n: str) -> list[str]:
        found = {m: None for p in range(len(n) - SHORTEST_REPEAT + 1)
                 for m in by_opening.get(n[p:p + SHORTEST_REPEAT], ()) if len(m) < len(n) and n.startswith(m, p)}
        return list(found)
    return held


# The most characters a sentence holds. Prose never comes near it (the seeds' longest sentence has 225); a table
# or a list flattened into one line does, and each figure is framed by reading its sentence: 500 figures on one
# line of 24 KB took 24 s and wrote each of them with all 24 KB. Such a line is cut at its last break before the
# limit: a cell or item separator, else a clause break, else a space.
LONGEST_SENTENCE = 1_000
_BREAKS_BY_STRENGTH = [re.compile(r"[|\t]"), re.compile(r"[，,、：:]"), re.compile(r"\s")]  # ; ends a sentence


def _within_limit(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """a..b in pieces of at most LONGEST_SENTENCE characters."""
    while b - a > LONGEST_SENTENCE:
        cut = _last_break(text, a + LONGEST_SENTENCE // 2, a + LONGEST_SENTENCE)
        yield a, cut
        a = cut
    yield a, b


def _last_break(text: str, lo: int, hi: int) -> int:
    """Where to cut lo..hi: after its last break of the strongest kind it holds, or at hi if it holds none."""
    backwards = text[lo:hi][::-1]  # each break is one character, so the last one is the first found backwards
    for breaks in _BREAKS_BY_STRENGTH:
        if m := breaks.search(backwards):
            return hi - m.start()
    return hi


def sentence_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        cuts = [m.end() for m in _LATIN_STOP.finditer(text, s, e)]
        pieces = list(zip([s, *cuts], [*cuts, e]))
        for a, b in (piece for ps, pe in pieces for m in _SENTENCE_SPLIT.finditer(text, ps, pe)
                     for piece in _within_limit(text, m.start(), m.end())):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b))
    return out


# ---------------------------------------------------------------- metadata

class SourceRow(NamedTuple):
    """What a sources.csv row tells of a document ('' where it tells nothing). A tuple, and its words shared
    between rows, so the sidecar of a large archive stays small."""
    outlet: str = ""
    published: str = ""


class Sidecar:
    """sources.csv rows by file name, as columns: a run reads its tables while it lists its files, at the top of
    its memory, and 100,000 rows took 26 MB as a dict of SourceRow (7 MB here). Of two rows for one file, the
    later counts."""

    def __init__(self, rows: Iterable[tuple[str, SourceRow]]):
        self._names, self._outlets, self._published = Strings(), Strings(), Strings()
        for name, row in rows:
            for column, value in zip((self._names, self._outlets, self._published), (name, *row)):
                column.append(value)
        self._lookup = Lookup(self._names)

    def get(self, name: str) -> SourceRow | None:
        n = self._lookup.find(name)
        return None if n is None else SourceRow(self._outlets[n], self._published[n])


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: str | None) -> str | None:
    """`value` when it is an ISO 8601 date or date-time (2025-03-14, 2025-03-14T08:00:00+08:00), else None: a
    page's or a sidecar's date is copied into the result and compared, never `2025-03-14<script>` or
    `2024-02-30`."""
    value = (value or "").strip()
    if not _ISO_DATE.match(value):
        return None
    try:
        (dt.datetime if len(value) > 10 else dt.date).fromisoformat(value)
    except ValueError:
        return None
    return value


def read_sidecar(path: Path) -> Sidecar:
    """sources.csv: `file,outlet,published` rows the user wrote, keyed by file name."""
    def rows(f) -> Iterator[tuple[str, SourceRow]]:
        for row in csv.DictReader(f):
            name = (row.get("file") or "").strip()
            if name:
                yield name, SourceRow(*((row.get(k) or "").strip() for k in SourceRow._fields))

    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return Sidecar(rows(f))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{path}: cannot read the sources sidecar ({e})") from e


def _top_lines(lines: list[_Line], headline: int | None) -> list[_Line]:
    """The page header, the headline and the lines right after it: where a page says when and by whom."""
    return [ln for i, ln in enumerate(lines[:12]) if ln.kind in ("furniture", "headline") or i <= (headline or 0) + 3]


def _outlet_in_text(lines: list[_Line], headline: int | None, rules: Rules) -> str | None:
    """The outlet a source line (来源：某某日报) or a byline (By Jane Doe | Some Wire, 2026年1月20日　日刊某某)
    names near the top: the first of its parts that is neither a date nor the writer."""
    labelled, writer, writer_marks = _byline_words(rules)
    for ln in _top_lines(lines, headline):
        if ln.kind == "headline" or ln.weight > 60:
            continue
        line = ln.text.strip("*_ ")
        m = labelled.search(line) if labelled else None
        parts = _BYLINE_PARTS.split(m.group("name") if m else line)
        if line.startswith(writer) and len(parts) == 1:  # By Grace Zhou, China Retail Daily
            parts = line.split(",")
        parts = [p.strip() for p in parts if p.strip()]
        if not m and (len(parts) < 2 or not any(_DATE_OR_TIME.search(p) or p.startswith(writer) for p in parts)):
            continue  # a line of parts with no date and no writer is not a byline (阅读 4.1万 | 评论 233)
        for i, part in enumerate(parts):
            name = _DATE_OR_TIME.sub("", part).strip(" \t,，、:：()（）")
            after_writer = i > 0 and parts[i - 1].strip(" :：/／") in writer_marks  # 作者 | 某人
            if (not part.startswith(writer) and not after_writer and re.search(r"[^\W\d_]", name)
                    and len(name) <= 40 and not re.search(r"[。！？.!?]$", name)):
                return name
    return None


@lru_cache(maxsize=8)
def _byline_words(rules: Rules) -> tuple[re.Pattern | None, tuple[str, ...], frozenset[str]]:
    """rules/page.yml's source labels as one pattern (来源：X), the words that open a byline's writer part, and
    those words as a part of their own (作者 | 某人: the next part is the writer)."""
    labels = [w for ws in (rules["page"].get("source_labels") or {}).values() for w in ws]
    writer = tuple(rules["page"].get("byline_writer") or ())
    labelled = patterns.compile(rf"(?:^|[\s|｜])(?:{'|'.join(map(re.escape, labels))})\s*[:：]\s*(?P<name>.+)") if labels else None
    return labelled, writer, frozenset(w.strip(" :：/／") for w in writer)


# what sets a byline's parts apart: a bar, a middle dot, an ideographic space, or a run of spaces
_BYLINE_PARTS = re.compile(r"\s*[|｜·•　]\s*|\s{2,}")
# a date or time inside a byline part (2025-03-04, 2024年9月12日 10:30, March 5, 2026), which names no outlet
_DATE_OR_TIME = re.compile(r"(?:19|20)\d\d[-/.年]\s?\d{1,2}(?:[-/.月]\s?\d{1,2}日?)?|\d{1,2}:\d{2}(?::\d{2})?"
                           r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s\d{1,2}(?:,?\s(?:19|20)\d\d)?"
                           r"|\b(?:19|20)\d\d\b")


def _published_in_text(text: str, lines: list[_Line], headline: int | None, rules: Rules) -> str | None:
    """A full date in the page header, the byline, or the lines right after the headline."""
    for ln in _top_lines(lines, headline):
        if ln.kind == "headline" or ln.weight > 60:
            continue
        for t in find_times(text, None, rules, zones=[(ln.start, ln.end)]):
            if t.precision == "day" and t.value and not t.relative:
                # the time in the date's text (2024-09-12 10:30) or right after it (2025年11月19日 10:05)
                m = re.search(r"\d{1,2}:\d{2}(?::\d{2})?", t.text) or re.match(
                    r"[ \u3000]?\d{1,2}:\d{2}(?::\d{2})?(?!\d)", text[t.end:ln.end])
                if m:
                    hh = m.group().strip().split(":")
                    return f"{t.value}T{int(hh[0]):02d}:{hh[1]}:{hh[2] if len(hh) > 2 else '00'}"
                return t.value
    return None


def sidecar_row(sidecars: Sequence[Sidecar], doc: str) -> SourceRow | None:
    """The sources.csv row for a document: by its path relative to the folder, else by its file name, each
    from the first of `sidecars` that has one (the one given with --sources before the folder's own)."""
    return _first_row(sidecars, doc) or _first_row(sidecars, Path(doc).name)


def _first_row(sidecars: Sequence[Sidecar], name: str) -> SourceRow | None:
    for sidecar in sidecars:
        if (row := sidecar.get(name)) is not None:
            return row
    return None


def text_of(doc: Document) -> str:
    """A document's text, read again from its file if it was released. InputError if the file is gone or
    changed since it was analysed (its offsets would point into another text)."""
    if doc.text is not None:
        return doc.text
    text = read_text(Path(doc.source)).text
    if _checksum(text) != doc.checksum:
        raise InputError("changed since it was read; run check again")
    return text


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def shown_text(doc: Document) -> str:
    """The text a report shows: `text_of`, or one line saying why it cannot be shown."""
    try:
        return text_of(doc)
    except InputError as e:
        return f"[the text of {doc.path} is not shown: {e}]"


class ReadText(NamedTuple):
    text: str  # as every stage sees it: decoded, and taken out of the markup for HTML
    encoding: str
    meta: dict[str, str | None]  # what an HTML page says of itself: title, published, outlet
    offsets: str  # what offsets into `text` point into: decoded, or extracted (HTML)
    source_map: list[tuple[int, int, int]]  # HTML: where the text stands in the page (`html_to_text`)
    page: str | None  # HTML: the decoded page, which the result's offsets index


def read_text(path: Path) -> ReadText:
    """A file's text as every stage sees it, with what it was read from."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"not a supported type ({suffix or 'no extension'}); checked: txt, md, html, htm")
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not a regular file (a pipe, device or socket is never read)")
        size = st.st_size
        if size > MAX_BYTES:
            raise InputError(f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read ({e.strerror or e})") from e
    if not data.strip():
        raise InputError("empty file")
    text, encoding = decode(data)
    meta: dict[str, str | None] = {"title": None, "published": None, "outlet": None}
    offsets, source_map, page = "decoded", [], None
    if suffix in (".html", ".htm"):
        page = text
        text, meta, source_map = html_to_text(page)
        offsets = "extracted"
    if not text.strip():
        raise InputError("no text (empty after decoding)")
    return ReadText(text, encoding, meta, offsets, source_map, page)


def read_document(path: Path, doc: str, row: SourceRow | None = None, rules: Rules | None = None) -> Document:
    """Read one file (`row`: its sources.csv row, if any). Raises InputError with a one-line reason when it
    cannot be read as an article."""
    rules = rules or default_rules()
    text, encoding, meta, offsets, source_map, page = read_text(path)
    lines, lang, headline = zone_lines(text, rules)
    zones = [Zone(ln.start, ln.end, ln.kind, ln.reason) for ln in lines]
    title = meta["title"] or (lines[headline].text.lstrip("#").strip() if headline is not None else None)
    published, published_from, published_note = None, "none", ""
    side = row or SourceRow()
    side_is_date = iso_date(side.published) is not None
    if side_is_date:
        published, published_from = side.published, "metadata"
    elif found := iso_date(meta["published"]) or _published_in_text(text, lines, headline, rules):
        published, published_from = found, "text"
    if side.published and not side_is_date:
        published_note = f"the sources sidecar's date {side.published!r} is not a date (YYYY-MM-DD): not used"
    if side.outlet or meta["outlet"]:
        outlet, outlet_from = (side.outlet, "metadata") if side.outlet else (meta["outlet"], "page")
    else:
        outlet = _outlet_in_text(lines, headline, rules)
        outlet_from = "text" if outlet else "none"
    readable = [(z.start, z.end) for z in zones if z.kind in ("headline", "body")]
    return Document(
        doc=doc, path=str(path), text=text, encoding=encoding, lang=lang, title=title,
        published=published, published_from=published_from, published_note=published_note, outlet=outlet,
        outlet_from=outlet_from, zones=zones,
        sentences=sentence_spans(text, readable), offsets=offsets, source=str(path), source_map=source_map,
        page=page,
    )
