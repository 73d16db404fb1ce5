"""Read a numeral written in any script (`1380`, `１２０`, `一百三十`, `26億5000万`, `数十`, `100多`) as an interval.

One small parser over tables from `rules/numbers.yml`; the quantity grammar in `extract.py` finds the numerals,
this module only says what they are worth.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .rules import Rules, words_in

FULLWIDTH = str.maketrans("０１２３４５６７８９．，／、", "0123456789.,/,")
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"  # 1,380.5: digits, grouped by commas, maybe a decimal part
_DIGITS_AND_SCALE = re.compile(rf"({_DIGITS})[ \u00a0\u2009]?(\S)?")
_SLASHED = re.compile(r"(?:(\d+)\s+)?(\d+)/(\d+)")
_SPACED = re.compile(r"\d{1,3}(?:\s\d{3})+")


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of the reading cache
class NumeralTables:
    digits: dict[str, int]
    places: dict[str, int]
    scales: dict[str, float]
    vague: dict[str, tuple[int, int]]
    halves: dict[str, float]  # 半 in 半百
    open_place: frozenset[str]
    decimal_points: frozenset[str]  # 点 in 六点五
    words: dict[str, int]  # English number words: one, forty
    word_places: dict[str, int]  # hundred
    word_scales: dict[str, float]  # thousand, million, dozen: scale words a number phrase goes on through
    ordinals: dict[str, float]  # third, quarter, hundredth: denominators of spelled fractions
    phrase_words: dict[str, str]  # and, point, a, of -> their role in a number phrase
    bare_fractions: frozenset[str]  # half, quarter: fractions with no number before them
    place_below_langs: frozenset[str]  # where 两千四百五 is 2450, not 2405

    @classmethod
    def from_rules(cls, rules: Rules) -> "NumeralTables":
        n = rules["numbers"]
        return cls(
            digits={str(k): int(v) for k, v in n["digits"].items()},
            places={str(k): int(v) for k, v in n["places"].items()},
            scales={str(k): float(v) for k, v in n["scales"].items()},
            vague={str(k): (int(v[0]), int(v[1])) for k, v in n.get("vague_digits", {}).items()},
            halves={str(k): float(v) for k, v in (n.get("half_digits") or {}).items()},
            open_place=frozenset(n.get("open_place", [])),
            decimal_points=frozenset(n.get("decimal_points", [])),
            words={str(k).lower(): int(v) for ws in (n.get("words") or {}).values() for k, v in ws.items()},
            word_places={str(k).lower(): int(v) for ws in (n.get("word_places") or {}).values() for k, v in ws.items()},
            word_scales={str(k).lower(): float(v) for k, v in (n.get("latin_scales") or {}).items()
                         if not isinstance(v, dict)},
            ordinals={str(k).lower(): float(v) for ws in (n.get("ordinals") or {}).values() for k, v in ws.items()},
            phrase_words={str(k).lower(): str(v) for ws in (n.get("phrase_words") or {}).values()
                          for k, v in ws.items()},
            bare_fractions=frozenset(str(w).lower() for w in words_in(n.get("bare_fractions"))),
            place_below_langs=frozenset(words_in(n.get("last_digit_in_place_below"))),
        )


class Numeral(NamedTuple):  # a tuple: made for every figure read, and a frozen dataclass is 5x slower to build
    value: float  # the figure as stated (for 数十: the middle of the range)
    low: float
    high: float
    vague: bool  # 数十, 几百: a range with no stated figure
    opened: bool  # 多/余 left a place open


_ARABIC = re.compile(_DIGITS)
_POWER = re.compile(rf"({_DIGITS})(?:[eE]([+\-－]?\d+)|\^([+\-]?\d+))")


def _lowest_place(number_text: str) -> float:
    """The place of the last significant digit: 3000 -> 1000, 130 -> 10, 6.5 -> 0.1."""
    if "." in number_text:
        decimals = number_text.split(".", 1)[1]
        return 10.0 ** -len(decimals)
    digits = number_text.replace(",", "")
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


# Articles on one story repeat their figures (the seeds: 109 numerals, 41 different), and a reading is a pure
# function of the written numeral: each is read once. A Numeral is a tuple, so a shared one cannot be changed.
@lru_cache(maxsize=4096)
def parse_numeral(text: str, tables: NumeralTables, lang: str = "zh") -> Numeral | None:
    """The interval a numeral allows, or None when `text` is not a well-formed numeral. `lang` decides what a
    last bare digit counts in (两千四百五)."""
    # the common case (1380, 6.5, 1380 亿) read directly: most figures in news are written this way. It is
    # tried as written first, as mapping full-width signs took as long as reading the figure: what matches
    # here has none but full-width digits, which float() reads as the ASCII ones
    if (simple := _simple_figure(text, tables)) is not None:
        return simple
    written = text.translate(FULLWIDTH).strip()
    if (simple := _simple_figure(written, tables)) is not None:
        return simple
    if slashed := _SLASHED.fullmatch(written):  # 2 1/4, 16/5
        whole, top, bottom = int(slashed[1] or 0), int(slashed[2]), int(slashed[3])
        return _exact(whole + top / bottom) if bottom else None
    if _SPACED.fullmatch(written):  # 1 414 021 100
        return _exact(float("".join(written.split())))
    s = "".join(ch for ch in written if not ch.isspace())
    if not s:
        return None
    if PHRASE.search(s):
        read = read_words(text, tables)
        return read[0] if read and read[1] == len(text.rstrip()) else None
    if power := _POWER.fullmatch(s):  # 1.3e6, 2^5
        base, exp = float(power[1].replace(",", "")), int((power[2] or power[3]).replace("－", "-"))
        try:
            value = base * 10.0 ** exp if power[2] else base ** exp
        except (OverflowError, ZeroDivisionError):
            return None
        return _exact(value) if math.isfinite(value) else None
    below = lang in tables.place_below_langs
    s = _arabic_decimal(s, tables, below)
    if s is None:
        return None
    # Runs of bare CJK digits with no place word are written positionally (二〇二四).
    if all(ch in tables.digits for ch in s) and len(s) > 1:
        if not any(tables.digits[ch] == 0 for ch in s):
            return None  # 唯一一家, 一一: repeated digits in words, not a number
        return _exact(float("".join(str(tables.digits[ch]) for ch in s)))
    lows = _evaluate(s, tables, 0, below)
    if lows is None:
        return None
    # only a vague digit or an open place (数十, 100多) makes the high end differ from the low one
    highs = _evaluate(s, tables, 1, below) if lows[1] or lows[2] else lows
    if highs is None:
        return None
    (low, opened, vague), (high, _, _) = lows, highs
    if high < low:
        low, high = high, low
    value = (low + high) / 2 if vague else low
    return Numeral(value=value, low=low, high=high, vague=vague, opened=opened)


def _arabic_decimal(s: str, t: NumeralTables, place_below: bool) -> str | None:
    """六点五亿 -> 6.5亿: a decimal written in characters, in Arabic digits, so the rest parses as usual."""
    point = next((i for i, ch in enumerate(s) if ch in t.decimal_points), None)
    if point is None:
        return s
    end = point + 1
    while end < len(s) and s[end] in t.digits:
        end += 1
    whole = _evaluate(s[:point], t, 0, place_below)
    if whole is None or whole[1] or whole[2] or end == point + 1:
        return None
    decimals = "".join(str(t.digits[ch]) for ch in s[point + 1:end])
    return f"{int(whole[0])}.{decimals}{s[end:]}"


_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")
PHRASE = re.compile(r"[A-Za-z]{2}")  # a numeral with a word in it is a number phrase (5 million, forty-five)


def read_words(text: str, t: NumeralTables) -> tuple[Numeral, int] | None:
    """The longest number phrase at the start of `text` and its length in characters: `forty-five`,
    `4 thousand 3 hundred and 21`, `two point zero three`, `five and a quarter`, `two thirds of a million`."""
    return _PhraseReader(text, t).read()


class _PhraseReader:
    """Recursive descent over the tokens of a number phrase; stops at the first token that cannot go on."""

    def __init__(self, text: str, t: NumeralTables):
        self.t = t
        self.tokens = [(m.group().lower(), m.end()) for m in _TOKEN.finditer(text)]

    def kind(self, i: int) -> str | None:
        if i >= len(self.tokens):
            return None
        w, t = self.tokens[i][0], self.t
        if w.isdigit():
            return "digits"
        if w in t.words:
            return "tens" if t.words[w] >= 20 else "unit"
        if w in t.word_places:
            return "place"
        if w in t.word_scales:
            return "scale"
        if w in t.ordinals or (w.endswith("s") and w[:-1] in t.ordinals):
            return "ordinal"
        return t.phrase_words.get(w)

    def word_value(self, i: int) -> float:
        w, t = self.tokens[i][0], self.t
        if w.isdigit():
            return float(w)
        return float(t.words[w] if w in t.words else t.word_places[w] if w in t.word_places else t.word_scales[w])

    def ordinal(self, i: int) -> tuple[float, int] | None:
        """A denominator: `fifths`, `hundredth`, or tens and an ordinal (`twenty-first`)."""
        if self.kind(i) == "tens" and self.kind(i + 1) == "ordinal":
            d = self._ordinal_value(i + 1)
            return (self.word_value(i) + d, i + 2) if d < 10 else None
        if self.kind(i) == "ordinal":
            return self._ordinal_value(i), i + 1
        return None

    def _ordinal_value(self, i: int) -> float:
        w = self.tokens[i][0]
        return self.t.ordinals.get(w) or self.t.ordinals[w[:-1]]

    def small(self, i: int) -> tuple[float, int, str] | None:
        """Below a hundred: `forty-five`, `twelve`, `a`, `322`."""
        k = self.kind(i)
        if k == "tens":
            v = self.word_value(i)
            if self.kind(i + 1) == "unit" and 0 < self.word_value(i + 1) < 10:
                return v + self.word_value(i + 1), i + 2, "unit"
            return v, i + 1, "tens"
        if k in ("unit", "digits"):
            return self.word_value(i), i + 1, k
        if k == "a" and self.kind(i + 1) in ("place", "scale", "ordinal", "tens"):
            return 1.0, i + 1, "a"
        return None

    def group(self, i: int) -> tuple[float, int, str] | None:
        """Below a thousand: `three hundred and two`, `a hundred`, `322 hundred`, `fifty`."""
        first = self.small(i)
        if first is None:
            return None
        v, i, last = first
        if self.kind(i) == "place":
            v, i, last = v * self.word_value(i), i + 1, "place"
            j = i + (self.kind(i) == "and")
            rest = self.small(j)
            if rest and rest[2] != "a":
                v, i, last = v + rest[0], rest[1], rest[2]
        return v, i, last

    def integer(self, i: int) -> tuple[float, int, float, str] | None:
        """Groups with scale words: `twenty-one trillion three hundred`, `three lakh crore`.
        Gives the value, where it ends, the last scale word's value (1 if none) and the last token kind."""
        g = self.group(i)
        if g is None:
            return None
        total, (section, i, last), scale = 0.0, g, 1.0
        while self.kind(i) == "scale":
            s = self.word_value(i)
            if s >= scale and total:  # a scale after a larger part multiplies it all: three lakh crore
                total, section = (total + section) * s, 0.0
            else:
                total, section = total + section * s, 0.0
            scale, i, last = s, i + 1, "scale"
            if self.kind(i) == "scale":
                continue
            j = i + (self.kind(i) == "and")
            nxt = self.group(j)
            # after "and", a fraction is the scale's own: five billion and three quarters
            if nxt is None or nxt[2] == "a" or (j > i and self.ordinal(nxt[1]) is not None):
                break
            section, i, last = nxt[0], nxt[1], nxt[2]
        return total + section, i, scale, last

    def compound_ordinal(self, num: tuple[float, int, float, str]) -> bool:
        """twenty-first, thirty-third: an ordinal, not a number and not a fraction."""
        i = num[1]
        return num[3] == "tens" and self.kind(i) == "ordinal" and self._ordinal_value(i) < 10 and \
            not self.tokens[i][0].endswith("s")

    def fraction(self, i: int) -> tuple[float, int] | None:
        """`two thirds`, `a hundredth`, `half`, with `of a million` or `million` after it."""
        num = self.integer(i)
        if num is not None and self.compound_ordinal(num):
            return None
        if num is None and (i >= len(self.tokens) or self.tokens[i][0] not in self.t.bare_fractions):
            return None  # the third quarter: an ordinal alone is no fraction
        n, j = (num[0], num[1]) if num else (1.0, i)
        den = self.ordinal(j)
        if den is None or den[0] == 1:
            return None
        v, j = n / den[0], den[1]
        at = j + (self.kind(j) == "of")
        at += self.kind(at) == "a"  # half a million, two thirds of a million
        if self.kind(at) == "scale":
            v, j = v * self.word_value(at), at + 1
        elif num is None:
            return None  # half million is a number, a bare "quarter" a period of the year
        return v, j

    def read(self) -> tuple[Numeral, int] | None:
        if not self.tokens:
            return None
        if (frac := self.fraction(0)) is not None:
            return _exact(frac[0]), self.tokens[frac[1] - 1][1]
        whole = self.integer(0)
        if whole is None:
            return None
        v, i, scale, last = whole
        if last == "a" or self.compound_ordinal(whole):
            return None
        if self.kind(i) == "point":
            digits, j = "", i + 1
            while (d := self.small(j)) and d[2] != "a":
                digits, j = digits + str(int(d[0])), d[1]
            if digits:
                v, i = v + float("0." + digits), j
        elif self.kind(i) == "and" and (frac := self.fraction(i + 1)) is not None:
            # five and a half; one million and a half (1.5 million); one billion and a half million
            ends_on_scale = self.kind(frac[1] - 1) == "scale"
            v, i = (v + frac[0] if ends_on_scale or scale == 1 else v + frac[0] * scale), frac[1]
        return _exact(v), self.tokens[i - 1][1]


def _exact(v: float) -> Numeral:
    return Numeral(v, v, v, False, False)  # value, low, high, vague, opened: by position, twice as fast


def _simple_figure(written: str, tables: NumeralTables) -> Numeral | None:
    """Digits, maybe grouped and with a decimal part, and maybe a scale character: 1380, 6.5, 1,380 亿."""
    simple = _DIGITS_AND_SCALE.fullmatch(written)
    if simple is None or (simple[2] and simple[2] not in tables.scales):
        return None
    return _exact(float(simple[1].replace(",", "")) * (tables.scales[simple[2]] if simple[2] else 1.0))


def _evaluate(s: str, t: NumeralTables, pick: int, place_below: bool) -> tuple[float, bool, bool] | None:
    """Evaluate with each vague digit at its low (pick=0) or high (pick=1) end; `多` adds its open place at high.
    With `place_below`, a last bare digit after a place or scale word counts in the place below it."""
    total = 0.0
    section = 0.0
    digit: float | None = None
    last_scale = float("inf")
    last_place = 1.0  # place of the last significant digit written, for 多
    unit_below = 0.0  # what a final bare digit counts in: 两千四百五 = 2450, 一万三 = 13000
    opened = vague = False
    i = 0
    while i < len(s):
        ch = s[i]
        m = _ARABIC.match(s, i)
        if m:
            if digit:  # a digit right before another: only a 零 may stand there (1千零20)
                return None
            raw = m.group()
            digit = float(raw.replace(",", ""))
            last_place = _lowest_place(raw)
            unit_below = 0.0
            i = m.end()
            continue
        if ch in t.digits:
            if digit is not None and digit != 0:  # 一千零五: a 零 marks a skipped place, the digit follows it
                return None
            if t.digits[ch] == 0:
                unit_below = 0.0
            digit, last_place = float(t.digits[ch]), 1.0
        elif ch in t.halves:
            digit, last_place = t.halves[ch], 1.0
        elif ch in t.vague:
            vague = True
            digit, last_place = float(t.vague[ch][pick]), 1.0
        elif ch in t.places:
            place = t.places[ch]
            section += (digit or 1.0) * place  # 零十 in 一万零十二 is ten
            last_place = place * (last_place if digit is not None and last_place < 1 else 1.0)
            unit_below = place / 10 if place > 10 else 0.0  # 十五 is 15: only 百/千 leave a place below
            digit = None
        elif ch in t.scales:
            scale = t.scales[ch]
            section += digit or 0.0
            digit = None
            if section == 0 and total == 0:
                return None
            if scale > last_scale or last_scale == float("inf") or not section:  # 四万万 = 4×10^8
                total = (total + section) * scale
                last_place *= scale
            else:
                total += section * scale
                last_place *= scale
            unit_below = scale / 10  # 一万三 is 13000: the digit after 万 counts thousands
            section, last_scale = 0.0, scale
        elif ch in t.open_place:
            opened = True
            if pick:
                # 100多 leaves the place below 100's last significant digit open: 100..200.
                # After a scale (100亿多) the open place is one unit of that scale.
                section += digit or 0.0
                digit = None
                section += last_place if total == 0 or section else 0.0
                if total and not section:
                    total += last_scale if last_scale != float("inf") else 1.0
        else:
            return None
        i += 1
    if digit and unit_below and place_below and i == len(s) and s[-2:-1] not in t.digits:
        digit *= unit_below  # a last bare digit right after a place or scale word: 四百五 = 450
    section += digit or 0.0
    return total + section, opened, vague
