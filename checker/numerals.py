"""Read a numeral written in any script (`1380`, `１２０`, `一百三十`, `26億5000万`, `数十`, `100多`) as an interval.

One small parser over tables from `rules/numbers.yml`; the quantity grammar in `extract.py` finds the numerals,
this module only says what they are worth.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .rules import Rules

FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@dataclass(frozen=True)
class NumeralTables:
    digits: dict[str, int]
    places: dict[str, int]
    scales: dict[str, float]
    vague: dict[str, tuple[int, int]]
    open_place: frozenset[str]
    decimal_points: frozenset[str]  # 点 in 六点五
    words: dict[str, int]  # English number words: one, forty
    word_places: dict[str, int]  # hundred

    @classmethod
    def from_rules(cls, rules: Rules) -> "NumeralTables":
        n = rules["numbers"]
        return cls(
            digits={str(k): int(v) for k, v in n["digits"].items()},
            places={str(k): int(v) for k, v in n["places"].items()},
            scales={str(k): float(v) for k, v in n["scales"].items()},
            vague={str(k): (int(v[0]), int(v[1])) for k, v in n.get("vague_digits", {}).items()},
            open_place=frozenset(n.get("open_place", [])),
            decimal_points=frozenset(n.get("decimal_points", [])),
            words={str(k).lower(): int(v) for ws in (n.get("words") or {}).values() for k, v in ws.items()},
            word_places={str(k).lower(): int(v) for ws in (n.get("word_places") or {}).values() for k, v in ws.items()},
        )


@dataclass(frozen=True)
class Numeral:
    value: float  # the figure as stated (for 数十: the middle of the range)
    low: float
    high: float
    vague: bool  # 数十, 几百: a range with no stated figure
    opened: bool  # 多/余 left a place open


_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_POWER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:[eE]([+\-－]?\d+)|\^([+\-]?\d+))")


def _lowest_place(number_text: str) -> float:
    """The place of the last significant digit: 3000 -> 1000, 130 -> 10, 6.5 -> 0.1."""
    if "." in number_text:
        decimals = number_text.split(".", 1)[1]
        return 10.0 ** -len(decimals)
    digits = number_text.replace(",", "")
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def parse_numeral(text: str, tables: NumeralTables) -> Numeral | None:
    """The interval a numeral allows, or None when `text` is not a well-formed numeral."""
    s = "".join(ch for ch in text.translate(FULLWIDTH) if not ch.isspace())
    if not s:
        return None
    if s[0].isascii() and s[0].isalpha():
        return _parse_words(text, tables)
    if power := _POWER.fullmatch(s):  # 1.3e6, 2^5
        base, exp = float(power[1].replace(",", "")), int((power[2] or power[3]).replace("－", "-"))
        try:
            value = base * 10.0 ** exp if power[2] else base ** exp
        except (OverflowError, ZeroDivisionError):
            return None
        return _exact(value) if math.isfinite(value) else None
    s = _arabic_decimal(s, tables)
    if s is None:
        return None
    # Runs of bare CJK digits with no place word are written positionally (二〇二四).
    if all(ch in tables.digits for ch in s) and len(s) > 1:
        if not any(tables.digits[ch] == 0 for ch in s):
            return None  # 唯一一家, 一一: repeated digits in words, not a number
        return _exact(float("".join(str(tables.digits[ch]) for ch in s)))
    lows, highs = _evaluate(s, tables, pick=0), _evaluate(s, tables, pick=1)
    if lows is None or highs is None:
        return None
    (low, opened, vague), (high, _, _) = lows, highs
    if high < low:
        low, high = high, low
    value = (low + high) / 2 if vague else low
    return Numeral(value=value, low=low, high=high, vague=vague, opened=opened)


def _arabic_decimal(s: str, t: NumeralTables) -> str | None:
    """六点五亿 -> 6.5亿: a decimal written in characters, in Arabic digits, so the rest parses as usual."""
    point = next((i for i, ch in enumerate(s) if ch in t.decimal_points), None)
    if point is None:
        return s
    end = point + 1
    while end < len(s) and s[end] in t.digits:
        end += 1
    whole = _evaluate(s[:point], t, pick=0)
    if whole is None or whole[1] or whole[2] or end == point + 1:
        return None
    decimals = "".join(str(t.digits[ch]) for ch in s[point + 1:end])
    return f"{int(whole[0])}.{decimals}{s[end:]}"


def _parse_words(text: str, t: NumeralTables) -> Numeral | None:
    """`forty-five` = 45, `one hundred and five` = 105: word values add up, `hundred` multiplies what precedes."""
    total = 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in t.words:
            total += t.words[word]
        elif word in t.word_places:
            total = (total or 1) * t.word_places[word]
        elif word != "and":
            return None
    return _exact(float(total))


def _exact(v: float) -> Numeral:
    return Numeral(value=v, low=v, high=v, vague=False, opened=False)


def _evaluate(s: str, t: NumeralTables, pick: int) -> tuple[float, bool, bool] | None:
    """Evaluate with each vague digit at its low (pick=0) or high (pick=1) end; `多` adds its open place at high."""
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
    if digit and unit_below and i == len(s) and s[-2:-1] not in t.digits:
        digit *= unit_below  # a last bare digit right after a place or scale word: 四百五 = 450
    section += digit or 0.0
    return total + section, opened, vague
