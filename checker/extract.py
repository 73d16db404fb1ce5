"""Stage 2: every quantity in a text, with its exact span, value, unit and the interval its wording allows.

`extract_quantities(text, lang)` is the entry point. The grammar is assembled once from `rules/numbers.yml`,
`rules/units.yml` and `rules/qualifiers.yml`: one compiled pattern finds numerals, two small anchored patterns
read what stands right before and right after each one (currency signs, qualifiers, units, classifiers).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple

from . import patterns
from .files import installed, kept
from .numerals import PHRASE, Numeral, NumeralTables, parse_numeral, read_words
from .rules import Rules, RulesError, default_rules, words_in
from .scan import NUMBER_START, WORD_START, any_case, ends_near, first_chars, led, led_by, scan, scan_read, word_alternation
from .spans import Spans



@dataclass
class Quantity:
    kind: str  # money, percent, ratio, count, scaled (3150万, 38.6 million: no unit), number; `currency` (recogniser)
    text: str
    start: int
    end: int
    value: float | None  # None only for a currency named with no figure (recogniser mode)
    unit: str  # ISO 4217 for money, a unit name, or "" for plain numbers
    low: float
    high: float
    qualifier: str  # exact, approx, at_least, at_most, more_than, less_than, range
    qualifier_text: str = ""  # the words that set the qualifier, as written
    qualifier_start: int | None = None  # where those words stand, when before the figure
    counted: str = ""  # what a count counts, where its noun names a class (packages, batches): units.yml `counted`


def _reversed_alternation(words: Iterable[str]) -> str:
    """`word_alternation` for text read backwards: each word reversed, so its boundaries swap sides. A sign
    with a two-letter prefix keeps its optional space and any case (HK $ 10)."""
    words = {w for w in words if w}
    spaced = {w for w in words if re.match(r"[A-Z]{2,}\$", w)}
    parts = ["(?i:" + re.escape(w[::-1]).replace(r"\$", r"\$ ?") + ")(?![A-Za-z])"
             for w in sorted(spaced, key=lambda w: (-len(w), w))]  # ties by text: one pattern text per rule set
    if words - spaced:
        parts.append(word_alternation(w[::-1] for w in words - spaced))
    return "|".join(parts) if parts else r"(?!x)x"


@dataclass
class Grammar:
    """The compiled extraction grammar for one Rules object."""

    tables: NumeralTables
    numeral: re.Pattern
    # per (language or None, recogniser mode): where a numeral can start; the grammar runs only there
    starts: dict[tuple[str | None, bool], re.Pattern]
    before: re.Pattern  # currency signs and qualifier words ending right before a numeral, read backwards
    before_near: re.Pattern  # whether one of those can end there: the cheap test made first
    after: re.Pattern  # latin scale, currency, percent, ratio, classifier or time word right after it
    trailing: re.Pattern  # qualifier words after the whole quantity (以上, 左右, 超)
    currency_of: dict[str, str]
    ambiguous: dict[str, dict[str, str]]
    latin_scales: dict[str, tuple[float, bool]]
    qualifier_of: dict[tuple[str, str], dict]  # (position, word) -> qualifier entry
    min_spelled_count: float
    sign_keys: dict[str, str] = field(default_factory=dict)  # folded spelling -> table key
    sign_ends: frozenset[str] = frozenset()  # last characters of currency signs (both cases)
    subunit: re.Pattern | None = None  # "又三美分" after "两美元": the smaller unit that completes an amount
    subunit_of: dict[str, tuple[str, float]] = field(default_factory=dict)
    unit_factor: dict[str, float] = field(default_factory=dict)  # standalone subunits: "cents" -> 0.01
    measure_of: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # GWh -> (capacity, Wh, 1e9)
    counted_of: dict[str, str] = field(default_factory=dict)  # 盒, packs -> packages
    generic_after: frozenset[str] = frozenset()  # 元: the currency named before the number, or the document's
    range_joiners: frozenset[str] = frozenset()  # 〜, 至: two numbers as one range
    rate_marks: frozenset[str] = frozenset()  # =, 兑: one unit of a currency against another's amount
    spoken_fraction: dict[str, float] = field(default_factory=dict)  # 三块五: 块 -> 0.1
    bare_number: re.Pattern | None = None  # the "五" of 三块五, the "and one" of "one dollar and one"
    currency_name: re.Pattern | None = None  # a currency named with no figure (recogniser mode only)
    negative: re.Pattern | None = None  # a minus sign or word right before the figure, read backwards
    negative_near: re.Pattern | None = None  # whether one can end there
    spaced_numeral: re.Pattern | None = None  # 三千 八百 九十六 万: numeral characters with spaces between
    # per language (None: any other), the digit-group signs only other languages use (、 outside Japanese)
    foreign_groups: dict[str | None, re.Pattern | None] = field(default_factory=dict)
    percent_before: frozenset[str] = frozenset()  # 百分之: a percent sign before the number
    sign_range: re.Pattern | None = None  # $3-4 billion, $3 to $4 million, a $5-billion deal: the scale after a hyphen

    @classmethod
    def from_rules(cls, rules: Rules) -> "Grammar":
        tables = NumeralTables.from_rules(rules)
        units, quals, nums = rules["units"], rules["qualifiers"], rules["numbers"]
        check_currency_codes(rules)
        units = {**units, "currencies": with_cldr_names(units)}
        currency_of: dict[str, str] = {}
        for code, cur in units.get("currencies", {}).items():
            for w in [*cur.get("before", []), *cur.get("after", []), *cur.get("standalone_subunits", [])]:
                currency_of[str(w)] = str(code)
        ambiguous = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in units.get("ambiguous_signs", {}).items()}
        latin_scales: dict[str, tuple[float, bool]] = {}
        for w, v in nums.get("latin_scales", {}).items():
            if isinstance(v, dict):
                latin_scales[str(w).lower()] = (float(v["value"]), bool(v.get("needs_currency")))
            else:
                latin_scales[str(w).lower()] = (float(v), False)

        cjk_chars = "".join(re.escape(c) for c in [*tables.digits, *tables.places])
        vague = "".join(re.escape(c) for c in tables.vague)
        places = "".join(re.escape(c) for c in tables.places)
        scale = word_alternation(tables.scales)
        scale_chars = "".join(re.escape(c) for c in tables.scales if len(c) == 1)
        open_ = "|".join(re.escape(c) for c in sorted(tables.open_place))
        digit = r"[0-9０-９]"
        # only `,` groups digits: in CJK text the full-width `，` separates clauses (价格$20，300美元)
        separators = "".join(re.escape(c) for c in words_in(nums.get("group_separators")))
        # possessive (++): a run of digits is never split to try the rest another way; split, the numeral
        # grammar tried 2^n ways on n digits before failing (八万陆亿1百 and twenty zeros took seconds)
        arabic = rf"{digit}++(?:[{separators}]{digit}{{3}}(?!{digit}))*+(?:[.．]{digit}++)?"
        zeros = "".join(re.escape(c) for c, v in tables.digits.items() if v == 0)
        # 1千零20, 5千3百: Arabic digits with place words, a 零 marking a skipped place
        arabic_places = rf"{arabic}(?:[{places}]+(?:[{zeros}]?{arabic}[{places}]*)*)?"
        # 2e5, 1.3e6, 12.32e+14, 2^5: exponents, as written by data desks and spreadsheets
        exponent = r"(?:[eE][+\-－]?[0-9０-９]{1,3}|\^[+\-]?[0-9]{1,3})(?![0-9A-Za-z])"
        decimal_digits = "".join(re.escape(c) for c in tables.digits if c not in nums.get("not_decimal_digits", []))
        points = "".join(re.escape(c) for c in sorted(tables.decimal_points))
        halves = "".join(re.escape(c) for c in tables.halves)
        cjk_scale_words = word_alternation([w for w in latin_scales if not w.isascii()])
        # a vague digit only counts next to a place word (数十, 十几), never alone (数据, 几乎); 半 only before
        # one (半百); 六点五 is 6.5 only with digits after the point: 五点 alone is five o'clock
        cjk = (rf"(?:[{cjk_chars}]|[{vague}](?=[{places}]|{scale})|(?<=[{places}])[{vague}]"
               + (rf"|[{halves}](?=[{places}]|{scale}|{cjk_scale_words})" if halves else "") + ")+"
               + (rf"(?:[{points}][{decimal_digits}]+)?" if points else ""))
        # forty-five, 4 thousand 3 hundred and 21, five and a half: a run of number-phrase words, of which
        # numerals.read_words keeps the longest prefix that reads as a number
        ordinals = [w for o in tables.ordinals for w in (o, o + "s")]
        token = word_alternation([*tables.words, *tables.word_places, *tables.word_scales, *ordinals,
                                  *tables.phrase_words])
        sep = r"(?:[ \t]*-[ \t]*|[ \t]+)"
        multiplier = word_alternation([*tables.word_places, *tables.word_scales])
        # behind a letter test: a numeral that goes on in characters never tries the English words
        # 4 thousand 3 hundred and 21 (where the phrase goes on after its scale word; 5 million alone is read
        # as digits and a scale, which is faster)
        goes_on = word_alternation([*tables.words, *tables.word_places, *tables.word_scales, *tables.phrase_words])
        place = word_alternation(tables.word_places)  # 322 hundred: the digits-and-scale path has no hundred
        digits_led = rf"[0-9]{{1,3}}(?={sep}(?i:{place}|(?:{multiplier}){sep}(?:[0-9]|(?i:{goes_on}))))"
        word_numeral = (rf"(?:{digits_led}|(?=[A-Za-z])(?i:{token}))"
                        rf"(?i:(?:{sep}(?:{token}|{digits_led}|(?<=and )[0-9]{{1,3}}(?![0-9.,])))*)")
        atom = rf"(?:{word_numeral}|{arabic_places}|{cjk})"
        gap = r"[ \u00a0\u2009]?"
        fraction = word_alternation(nums.get("fraction_marker", []))
        mixed = word_alternation(nums.get("mixed_fraction_joiners", []))
        fraction_ahead = rf"(?=[0-9０-９{cjk_chars}{scale_chars}]{{1,12}}(?:{fraction}))"
        # 2 1/4, 16/5: a fraction written with a slash (a date has two slashes, a path letters)
        slashed = rf"(?<![0-9０-９/／.])(?:{digit}+[ \t]+)?{digit}+[/／]{digit}+(?![/／.0-9０-９A-Za-z])"
        # 1 414 021 100: digits grouped by spaces, three to a group
        spaced = rf"{digit}{{1,3}}(?:[ \u00a0\u2009\u202f]{digit}{{3}}(?![0-9０-９]))+(?![.,][0-9])"
        numeral = (
            rf"(?:(?P<whole>{arabic}|[{cjk_chars}]+){gap}(?:{mixed}){gap}{fraction_ahead})?"
            rf"(?:{fraction_ahead}"
            rf"(?P<den>{arabic}|[{cjk_chars}][{cjk_chars}{scale_chars}]*)(?P<frac>{fraction})"
            # 负3分之负157: the numerator has a sign of its own
            rf"(?P<fneg>{word_alternation(words_in(nums.get('negative')))})?)?"
            rf"(?P<num>(?:{slashed}|{spaced}|{word_numeral}|{arabic}{exponent}|{arabic_places}|(?P<cjklead>{cjk}))(?:{gap}(?:{open_})(?!{gap}{digit}))?"
            rf"(?:{gap}(?:{scale})+(?:{open_})?(?:{atom}(?:{open_})?(?:{scale})+(?:{open_})?|(?:{arabic})?[{cjk_chars}]*[{places}](?![{cjk_chars}])"
            # a numeral goes on after its scale word: 四万五千六百二十二, 一百万零四, 3万4000
            rf"|(?(cjklead)[{cjk_chars}]+|[{zeros}]?{arabic_places}(?![{cjk_chars}])))*)?"
            # a decimal after a whole numeral in characters: 两千万点五五四四
            + (rf"(?(cjklead)(?:[{points}][{decimal_digits}]+)?)" if points else "") + ")"
        )
        # the characters a numeral in characters is written with, for one typed with spaces between them
        spaced_chars = "".join(sorted({re.escape(c) for c in [
            *tables.digits, *tables.places, *tables.scales, *tables.vague, *tables.halves, *tables.decimal_points,
            *"0123456789０１２３４５６７８９",
            *"".join([*nums.get("fraction_marker", []), *nums.get("mixed_fraction_joiners", [])]),
            *"".join(w for w in words_in(nums.get("negative")) if not w.isascii())] if len(c) == 1}))
        qualifier_of: dict[tuple[str, str], dict] = {}
        for name, q in quals.items():
            for pos in ("before", "after"):
                for w in words_in(q.get(pos)):
                    qualifier_of.setdefault((pos, w), {**q, "name": name})
        before_words = [w for (pos, w) in qualifier_of if pos == "before"]
        cur_before = [w for c in units.get("currencies", {}).values() for w in c.get("before", [])] + list(ambiguous)
        # matched once, anchored, against the reversed text before the numeral (an end-anchored search would
        # try the whole alternation at every offset). Signs are case-sensitive: "a $5" is an article and a
        # dollar, "A$5" Australian dollars.
        before = patterns.compile(
            rf"{gap}(?P<cur>{_reversed_alternation(cur_before)})?(?:{gap}(?P<qual>{_reversed_alternation(before_words)}))?"
        )
        sign_keys = {re.sub(r"\s+", "", w).lower(): w for w in [*currency_of, *ambiguous]}
        signs = [w for w in cur_before if not w.isalpha()]  # $, €, US$: the signs glued to a number
        joiners = "|".join(re.escape(w) if not w.isalpha() else rf"\s{re.escape(w)}\s"
                           for w in words_in(nums.get("sign_range_joiners")))
        pairs = [(str(a), str(b)) for a, b in nums.get("sign_range_pairs") or []]
        opener = "|".join(re.escape(a) for a, _ in pairs)
        paired = "|".join(rf"\s{re.escape(b)}\s" for _, b in pairs)
        sign_range = patterns.compile(
            (rf"(?:(?P<opener>(?i:{opener}))\s)?" if pairs else "(?P<opener>(?!x)x)?")
            + rf"(?<![\w$])(?P<sign>{'|'.join(map(re.escape, sorted(signs, key=len, reverse=True)))})(?P<lo>\d+(?:\.\d+)?)"
            rf"(?:(?:(?(opener)(?i:{paired or '(?!x)x'})|(?:{joiners or '(?!x)x'})))(?P=sign)?(?P<hi>\d+(?:\.\d+)?)\s|-)"
            rf"(?P<scale>(?i:{word_alternation(latin_scales)}))(?![\w-])"
        ) if signs else None
        cur_after = [w for c in units.get("currencies", {}).values()
                     for w in [*c.get("after", []), *c.get("standalone_subunits", [])]]
        pp_after = words_in(units.get("percentage_point", {}).get("after"))
        pct_after = words_in(units.get("percent", {}).get("after"))
        ratio_after = words_in(units.get("ratio", {}).get("after"))
        notq_after = words_in(units.get("not_quantity_after"))
        count_after = words_in(units.get("count"))
        measure_of = {str(w): (str(kind), str(m.get("unit", "")), float(f))
                      for kind, m in (units.get("measures") or {}).items() for w, f in (m.get("words") or {}).items()}
        classifiers = "个個枚"  # 20个比特币: a classifier may stand between a number and its currency
        after = patterns.compile(
            # one gap before the unit, or a hyphen before a word (5-dollar); a second only after a scale word
            rf"{gap}(?P<lscale>{word_alternation(latin_scales)})?(?:-(?=[A-Za-z])|(?(lscale){gap}))(?:"
            rf"(?:[{classifiers}])?(?P<cur>{word_alternation(cur_after)})"
            rf"|(?P<pp>{word_alternation(pp_after)})"
            rf"|(?P<pct>{word_alternation(pct_after)})"
            rf"|(?P<ratio>{word_alternation(ratio_after)})"
            rf"|(?P<notq>{word_alternation(notq_after)})"
            rf"|(?P<count>{word_alternation(count_after)})"
            rf"|(?P<measure>{word_alternation(measure_of)})"
            r")?", re.I
        )
        subunit_of = {str(w): (str(code), float(f)) for code, c in units.get("currencies", {}).items()
                      for w, f in (c.get("subunits") or {}).items()}
        joiner = rf"(?:{gap}(?:{word_alternation(units.get('amount_joiners', []))}))?"
        subunit = patterns.compile(rf"{joiner}{gap}(?P<num>{atom}){gap}(?P<sub>{word_alternation(subunit_of)})")
        unit_factor = {str(w): float(c["subunits"][w]) for c in units.get("currencies", {}).values()
                       for w in c.get("standalone_subunits", [])}
        spoken_fraction = {str(w): float(f) for c in units.get("currencies", {}).values()
                           for w, f in (c.get("spoken_fraction") or {}).items()}
        bare_number = patterns.compile(rf"{joiner}{gap}(?P<num>{atom})")
        # named currencies: words and codes, never one-character signs (元, 円 and $ are everywhere)
        names = [w for w in [*cur_after, *cur_before] if len(w) > 1 and not any(ch in w for ch in "$¥€£₩₹")]
        currency_name = patterns.compile(word_alternation(names), re.I)
        after_words = [w for (pos, w) in qualifier_of if pos == "after"]
        trailing = patterns.compile(rf"{gap}(?P<qual>{word_alternation(after_words)})", re.I)
        chars = rf"[0-9０-９]|[{cjk_chars}{vague}{halves}]"
        # A claim needs a unit: a numeral in characters is read only where a unit, a fraction or a time word
        # follows it within the numeral's own characters (一 starts thousands of words: 一些, 统一, 唯一), or
        # right after a currency sign. Recogniser mode reads every numeral.
        body = "".join(re.escape(c) for c in sorted({
            *tables.digits, *tables.places, *tables.scales, *tables.open_place, *tables.halves, *tables.decimal_points,
            *tables.vague, *"0123456789０１２３４５６７８９ ", *"".join(nums.get("mixed_fraction_joiners", []))}))
        follow = {w[0] for w in [*cur_after, *pp_after, *pct_after, *ratio_after, *count_after, *measure_of, *notq_after,
                                  *nums.get("fraction_marker", []), *classifiers] if w}
        follow |= {c.upper() for c in follow} | {c.lower() for c in follow}
        signs = "".join(re.escape(c) for c in sorted({w[-1] for w in cur_before}))
        # a scale ends a bare count (会员数达三千八百六十万): read, and kept where its clause counts things
        cjk_follow = "".join(map(re.escape, sorted(follow | set(tables.scales))))
        cjk_numeral = (rf"[{cjk_chars}{vague}{halves}](?=[{body}]{{0,16}}[{cjk_follow}])"
                       rf"|(?<=[{signs}])[{cjk_chars}{vague}]|(?<=[{signs}] )[{cjk_chars}{vague}]")
        # Arabic digits likewise: where the numeral's own characters (a point, a group sign or a space only
        # between digits) run into a unit, a scale or a fraction, or right after a currency sign; most numbers
        # in English news are years and counts with no unit ("in 2025, people")
        numeral_body = "".join(sorted({c for c in body if not c.isspace()}))
        unit_follow = first_chars([*follow, *latin_scales, *tables.word_places, *tables.word_scales, *tables.scales,
                                   *tables.places, *tables.open_place, "-"])
        own_numeral = (rf"[0-9０-９](?:[{numeral_body}]|[.．,，、/／^ \u00a0\u2009\u202f\t](?=[0-9０-９])"
                       rf"|[eE][+\-－]?(?=[0-9０-９]))*{gap}[{unit_follow}]")
        unit_or_sign = rf"(?:(?={own_numeral})|(?<=[{signs}])|(?<=[{signs}][ \u00a0\u2009]))"
        # and not where a date or duration word follows the number (2024年, 10月, 3天): never a claim
        notq = [w for w in notq_after if w and not w[0].isascii()]
        # ... unless a unit or a fraction marker begins with it (5分之1 is a fifth, not five minutes)
        units_first = [w for w in [*cur_after, *count_after, *nums.get("fraction_marker", [])]
                       if w and not w[0].isascii()]
        not_dated = (rf"(?![0-9０-９]*{gap}(?!{word_alternation(units_first)})(?:{word_alternation(notq)}))"
                     if notq else "")  # 日元 is yen, not a day
        arabic_start = rf"{unit_or_sign}[0-9０-９]{not_dated}"
        claim_chars = rf"{led('0-9０-９', arabic_start)}|{led(cjk_chars + vague + halves, cjk_numeral)}"
        # number words are looked for only in their own language: elsewhere they would slow every scan
        numeral_firsts = rf"0-9０-９{cjk_chars}{vague}{halves}"
        # a numeral starts at its first digit, never inside another number
        starts: dict[tuple[str | None, bool], re.Pattern] = {
            (None, True): led_by(numeral_firsts, chars, NUMBER_START),
            (None, False): led_by(numeral_firsts, claim_chars, NUMBER_START)}
        for lang, ws in (nums.get("words") or {}).items():
            # a number phrase starts at a number word, a bare fraction (half million) or an article that
            # stands for one (a hundred, a third)
            ones = [w for w, role in (nums.get("phrase_words") or {}).get(lang, {}).items() if role == "a"]
            ws = [*ws, *words_in(nums.get("bare_fractions"), lang)]
            # the search stands only on the first characters of numerals and number words
            first = first_chars([*ws, *ones])
            # the words as a trie: as a list, each of thirty was tried at every word that begins with a, t, s ...
            # (a third of an English text's figures' time); the search only asks whether one stands here
            words = "|".join([any_case(ws), *(rf"(?i:{re.escape(w)}(?={sep}(?:{token})))" for w in ones)])
            word = led(first, rf"\b(?:{words})(?![A-Za-z])")
            for plain, numerals in ((True, chars), (False, claim_chars)):
                starts[str(lang), plain] = led_by(numeral_firsts + first, rf"{numerals}|{word}", WORD_START + NUMBER_START)
        return cls(
            tables=tables,
            numeral=patterns.compile(numeral),
            starts=starts,
            before=before,
            before_near=ends_near([*cur_before, *before_words], r"[ \u00a0\u2009]{0,2}"),
            after=after,
            trailing=trailing,
            currency_of=currency_of,
            ambiguous=ambiguous,
            sign_range=sign_range,
            latin_scales=latin_scales,
            qualifier_of=qualifier_of,
            min_spelled_count=float(units.get("count_min_spelled", 10)),
            sign_keys=sign_keys,
            sign_ends=frozenset(c for w in cur_before for c in (w[-1], w[-1].lower(), w[-1].upper())),
            subunit=subunit,
            subunit_of=subunit_of,
            unit_factor=unit_factor,
            measure_of={k.lower(): v for k, v in measure_of.items()},
            counted_of={str(w).lower(): str(cls) for cls, table in (units.get("counted") or {}).items()
                        for w in words_in(table)},
            generic_after=frozenset(words_in(units.get("generic_after"))),
            range_joiners=frozenset(words_in(nums.get("range_joiners"))),
            rate_marks=frozenset(words_in((units.get("exchange_rate") or {}).get("between"))),
            spoken_fraction=spoken_fraction,
            bare_number=bare_number,
            currency_name=currency_name,
            negative=patterns.compile(rf"{gap}(?:{_reversed_alternation(words_in(nums.get('negative')))})"),
            negative_near=ends_near(words_in(nums.get("negative")), r"[ \u00a0\u2009]?"),
            foreign_groups=_foreign_groups(nums.get("group_separators") or {}),
            percent_before=frozenset(words_in(units.get("percent", {}).get("before"))),
            spaced_numeral=patterns.compile(rf"(?<![{spaced_chars}])(?=[{spaced_chars} \t]*[{cjk_chars}{scale_chars}])"
                                      rf"[{spaced_chars}]+(?:[ \t]+[{spaced_chars}]+)+"),
        )


def _foreign_groups(separators: dict) -> dict[str | None, re.Pattern | None]:
    """For each language named in `group_separators` and for any other (None), a pattern of the group signs
    it does not use (`all` lists the signs every language uses)."""
    of = {str(k): {str(s) for s in words_in(v)} for k, v in separators.items()}
    every = set().union(*of.values())

    def foreign(lang: str | None) -> re.Pattern | None:
        signs = every - of.get("all", set()) - of.get(lang or "", set())
        return patterns.compile("|".join(re.escape(s) for s in sorted(signs))) if signs else None

    return {lang: foreign(lang) for lang in [*of, None]}


# three capital letters, as every ISO 4217 code: pint defines any such code as a unit of its own dimension (a test
# tries all 17,576), so only a code spelled otherwise needs pint's word; importing pint took a quarter of
# `check seeds/` and of each Dask worker's start
PLAIN_CURRENCY_CODE = re.compile(r"[A-Z]{3}")


def check_currency_codes(rules: Rules) -> None:
    """Stop at a currency code that cannot be a unit of its own dimension in one pint registry."""
    odd = [str(c) for c in rules["units"].get("currencies", {}) if not PLAIN_CURRENCY_CODE.fullmatch(str(c))]
    if not odd:
        return
    import pint
    registry = pint.UnitRegistry(None)  # our units only: pint's default definitions took 0.4 s to load
    for code in odd:
        try:
            registry.define(f"{code} = [currency_{code}]")
        except Exception as e:  # pint raises several types for a bad definition
            where = ", ".join(str(s / "units.yml") for s in rules.sources)
            raise RulesError(f"units.yml ({where}): currency {code!r} cannot be defined in pint "
                             f"({str(e).splitlines()[0]}); fix: use an ISO 4217 code such as USD") from e


def with_cldr_names(units: dict) -> dict:
    """The currencies of units.yml, and every other ISO 4217 currency CLDR names (through Babel) in the languages
    `cldr_names` lists, each by its display names (Nigerian naira, 尼日利亚奈拉, ナイジェリア ナイラ): the hand-written
    entries keep their own words too, for the colloquial names CLDR does not give (奈拉, 台币, bucks)."""
    locales = [str(code) for code in units.get("cldr_names") or []]
    table = dict(units.get("currencies") or {})
    if not locales:
        return table
    taken = {str(w).casefold() for c in table.values() for w in [*(c.get("before") or []), *(c.get("after") or [])]}
    names: dict[str, list[str]] = {}
    for code, spellings in cldr_currency_names(locales).items():
        for spelling in spellings:
            if spelling.casefold() not in taken:
                taken.add(spelling.casefold())
                names.setdefault(code, []).append(spelling)
    for code, words in names.items():
        entry = dict(table.get(code) or {"name": words[0]})
        entry["after"] = [*(entry.get("after") or []), *words]
        table[code] = entry
    return table


def cldr_currency_names(locales: list[str]) -> dict[str, list[str]]:
    """Each current ISO 4217 currency's display names in `locales`, singular and plural, as CLDR gives them and as
    copy writes them, kept between runs (`files.kept`): Babel's locale data took 0.06 s of every start to load."""
    def read() -> dict[str, list[str]]:
        from babel.core import get_global
        from babel.numbers import get_currency_name
        # the currencies some territory uses as legal tender now (ISO 4217's current list, 153): the other 150
        # CLDR names are withdrawn ones (Belgian franc (convertible)), which doubled the grammar's compile time;
        # the withdrawn ones news still names (marks, francs) have entries in units.yml
        current = sorted({code for entries in get_global("territory_currencies").values()
                          for code, _start, end, tender in entries if tender and end is None})
        names: dict[str, list[str]] = {}
        for code in filter(PLAIN_CURRENCY_CODE.fullmatch, current):
            for loc in locales:
                for count in (1, 2):
                    name = get_currency_name(code, count, loc)
                    if not name or name == code or len(name) < 2:
                        continue
                    # CLDR spaces Japanese names (ベトナム ドン); copy writes them closed up or with a 中黒
                    names.setdefault(code, []).extend(
                        [name, name.replace(" ", ""), name.replace(" ", "・")] if not name.isascii() else [name])
        return names
    return kept("cldr-currencies", [installed("babel"), locales], read)


@lru_cache(maxsize=8)
def grammar_for(rules: Rules) -> Grammar:
    return Grammar.from_rules(rules)


def _glued_to_name(left: str) -> bool:
    """A numeral glued to Latin letters or a code is a name (GPT-4, Web3.0, RX-200, No.5, COVID-19)."""
    last, before = left[-1:], left[-2:-1]
    if not last:
        return False
    return (last.isascii() and last.isalpha()) or last in "-_/#№" or (last == ":" and before.isdigit()) or (
        last == "." and (before.isdigit() or (before.isascii() and before.isalpha())))


_HYPHENATED = re.compile(r"[0-9A-Za-z０-９]")
_SPACES = re.compile(r"\s+")
_LEADING_ZERO = re.compile(r"0\d+")
_DIGIT = re.compile(r"[0-9０-９]")


def _negative_at(g: "Grammar", text: str, at: int) -> int | None:
    """Where a minus sign or word standing right before `at` begins (负10000, -4/5, minus 5), or None."""
    if not g.negative_near.search(text, max(0, at - 2), at):
        return None
    m = g.negative.match(text[max(0, at - 12):at][::-1])
    if not m:
        return None
    start = at - m.end()
    if not text[start].isalpha() and (text[at - 1].isspace() or start and (
            _HYPHENATED.match(text[start - 1]) or text[start - 1] == text[start])):
        return None  # RX-200, 2020-2024, 010-1234: a hyphen; "md . - - $ 75", --9: a dash
    return start


class _Before(NamedTuple):
    """What stands right before a numeral: a currency sign and/or a qualifier, with offsets into `text`."""
    cur: str | None
    cur_start: int
    qual: str | None
    qual_start: int


def _read_before(g: "Grammar", text: str, ns: int) -> _Before:
    if not g.before_near.search(text, max(0, ns - 3), ns):
        return _Before(None, ns, None, ns)
    left = text[max(0, ns - 16):ns]
    m = g.before.match(left[::-1])
    cur = m.group("cur")[::-1] if m.group("cur") else None
    qual = m.group("qual")[::-1] if m.group("qual") else None
    return _Before(cur, ns - m.end("cur") if cur else ns, qual, ns - m.end("qual") if qual else ns)


# one followed by `.digit`, `-digit`, `:digit` or `/digit` is a version, a date, a time or a phone number.
_CONTINUES_AFTER = re.compile(r"[-./:_][0-9０-９]|[.][A-Z]{1,2}\b|[A-Za-z]")


def extract_quantities(
    text: str,
    lang: str = "zh",
    rules: Rules | None = None,
    *,
    zones: Iterable[tuple[int, int]] | None = None,
    skip: Iterable[tuple[int, int]] = (),
    include_plain: bool = False,
) -> list[Quantity]:
    """Every quantity in `text` (or in the `zones` of it), skipping numerals that overlap a `skip` span.

    `lang` decides signs whose currency depends on language (¥) and which number words are read. With
    `include_plain` (recogniser mode), bare numbers with no unit (kind `number`) and currencies named with no
    figure (kind `currency`, value None) are returned too; a checker does not compare those, a recogniser does.
    """
    g = grammar_for(rules or default_rules())
    skipped = Spans(skip)
    starts = g.starts.get((lang, include_plain), g.starts[None, include_plain])
    out: list[Quantity] = []
    for zs, ze in zones if zones is not None else [(0, len(text))]:
        out += [q for q in scan_read(starts, g.numeral, text, [(zs, ze)],
                                     lambda m: _read_quantity(text, m, lang, g, ze, include_plain), _resume(g, lang))
                if not skipped.overlaps(q.start, q.end)]
    _join_ranges(text, out, g)
    _sign_ranges(text, out, g, lang)
    _drop_exchange_rates(text, out, g)
    _document_currency(out, g)
    if include_plain:
        taken = Spans((q.start, q.end) for q in out)
        out += [Quantity("currency", m.group(), m.start(), m.end(), None, g.currency_of[_sign_key(g, m.group())],
                         0.0, 0.0, "exact")
                for m in scan(g.currency_name, g.currency_name, text, zones)
                if not taken.overlaps(m.start(), m.end()) and not skipped.overlaps(m.start(), m.end())]
        out.sort(key=lambda q: q.start)
    return out


_RANGE_LOW = re.compile(r"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s?(?P<scale>[^\s0-9０-９]{0,2}?)\s?(?P<join>\S)\s?$")
_LEADING_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def _drop_exchange_rates(text: str, quantities: list[Quantity], g: Grammar) -> None:
    """1ドル=153円, 1美元兑7.1元: one unit of a currency set against an amount in another is a rate, not two
    figures of the story."""
    rate = set()
    for i in range(1, len(quantities)):
        a, b = quantities[i - 1], quantities[i]
        if a.kind == b.kind == "money" and a.value == 1 and a.unit != b.unit \
                and text[a.end:b.start if b.qualifier_start is None else b.qualifier_start].strip() in g.rate_marks:
            rate |= {i - 1, i}
    if rate:
        quantities[:] = [q for i, q in enumerate(quantities) if i not in rate]


def _last_place(value: float) -> float:
    """The place of a figure's last non-zero digit: 450000 -> 10000, 3.5e9 -> 1e8, 14.5 -> 0.1."""
    place = 10.0 ** math.floor(math.log10(value))
    while place > 1e-6 and abs(value / place - round(value / place)) > 1e-6 * max(1.0, value / place):
        place /= 10
    return place


def _join_ranges(text: str, quantities: list[Quantity], g: Grammar) -> None:
    """30億〜40億元, 30-40亿元: the number before a range joiner and the quantity after it are one figure, the
    range between them (the first number takes the second's scale and unit where it writes none). Read as its
    upper bound, a range was a figure no source gave."""
    joiners = g.range_joiners
    if not joiners:
        return
    for i, q in enumerate(quantities):
        if q.kind == "number" or q.qualifier != "exact" or q.qualifier_start is not None:
            continue
        prev = quantities[i - 1] if i else None
        if prev and prev.end == q.start and q.text[:1] in joiners and q.value < 0 and (prev.kind, prev.unit) == (
                q.kind, q.unit) and 0 < prev.value < -q.value:  # 10%-20%: a range, not minus twenty
            quantities[i - 1] = Quantity(q.kind, text[prev.start:q.end], prev.start, q.end,
                                         _clean((prev.value - q.value) / 2), q.unit, prev.value, -q.value, "range",
                                         "", None, q.counted)
            quantities[i] = None
            continue
        head = _LEADING_NUMBER.match(unicodedata.normalize("NFKC", q.text))
        if not head or head.start() != 0:
            continue
        before = _RANGE_LOW.search(text, max(0, q.start - 12), q.start)
        if not before or before.group("join") not in joiners or (before.group("scale") and
                                                                 before.group("scale") not in g.tables.scales):
            continue
        upper = float(head.group())
        low = float(unicodedata.normalize("NFKC", before.group("num")))
        scale = q.value / upper if upper else 0.0  # the second number's scale and unit, as read
        if before.group("scale"):
            scale = scale / g.tables.scales.get(_scale_in(q.text, g), 1.0) * g.tables.scales[before.group("scale")]
        low_value = _clean(low * scale)
        if not 0 < low_value < q.value:
            continue
        quantities[i] = Quantity(q.kind, text[before.start():q.end], before.start(), q.end,
                                 _clean((low_value + q.value) / 2), q.unit, low_value, q.value, "range", "", None,
                                 q.counted)
        if i and quantities[i - 1] is not None and quantities[i - 1].start >= before.start():
            quantities[i - 1] = None  # the 30億 of 30億〜40億ドル, read alone as a bare count: the range's low end
    quantities[:] = [q for q in quantities if q is not None]


def _sign_ranges(text: str, quantities: list[Quantity], g: Grammar, lang: str) -> None:
    """$3-4 billion, €1-1.5 billion, $3 to $4 million, between $3 and $4 billion: the sign and the scale written
    once for both numbers, and a $5-billion deal, its scale after a hyphen. The number before the scale is no
    figure alone, and $3 read alone would be a thousand-millionth of what the source says."""
    if g.sign_range is None or not any(c in text for c in g.sign_ends):
        return
    for m in g.sign_range.finditer(text):
        code = _currency_before(g, m.group("sign"), lang)
        scale = g.latin_scales.get(m.group("scale").lower(), (0.0, False))[0]
        low, high = _clean(float(m.group("lo")) * scale), _clean(float(m.group("hi") or m.group("lo")) * scale)
        if not code or not 0 < low <= high or (m.group("hi") and low == high):
            continue
        start = m.start("sign")  # "between" opens the range; the figure is what follows it
        quantities[:] = [q for q in quantities if q.end <= start or q.start >= m.end()]
        quantities.append(Quantity("money", text[start:m.end()], start, m.end(), _clean((low + high) / 2), code, low,
                                   high, "range" if high > low else "exact"))
    quantities.sort(key=lambda q: q.start)


def _scale_in(written: str, g: Grammar) -> str:
    """The CJK scale word a quantity writes after its number (40億元 -> 億), or ""."""
    m = re.match(r"[0-9０-９.．]+\s?(\S)", written)
    return m.group(1) if m and m.group(1) in g.tables.scales else ""


def _document_currency(quantities: list[Quantity], g: Grammar) -> None:
    """A document that names its 元 (新台幣416億元) means that currency by its bare 元 too (每股128元): a Taiwanese
    article's 元 is the New Taiwan dollar. Only where the document names one currency so."""
    generic = tuple(sorted(g.generic_after))
    bare = {g.currency_of.get(_sign_key(g, w)) for w in generic} - {None}  # what a bare 元 reads as alone
    if not generic or len(bare) != 1:
        return
    named = {q.unit for q in quantities if q.kind == "money" and q.text.endswith(generic) and not q.text[0].isdigit()
             and q.unit not in bare}
    if len(named) != 1:
        return
    (unit,) = named
    for q in quantities:
        if q.kind == "money" and q.unit in bare and q.text.endswith(generic) and q.text[0].isdigit():
            q.unit = unit


def _resume(g: Grammar, lang: str) -> Callable[[re.Match, Quantity | None], int]:
    """Where the scan goes on: where a quantity ends, so its smaller units (两美元又三美分) are not read again
    on their own and what a number phrase left ("five people" of "three and five people") is read; after a
    numeral that is no quantity (2024年, RX-200), which hides none inside it; and at a group sign its
    language does not use (the 450元 of Chinese 1、450元)."""
    return lambda m, q: q.end if q is not None else m.start("num") + len(_own_groups(m.group("num"), g, lang))


def extract_numbers(text: str, lang: str = "zh", rules: Rules | None = None) -> list[Quantity]:
    """Every numeral in `text` as a plain number (kind `number`), its span the numeral's own: 199 of 199个,
    1991 of １９９１年, 5/17/2018 as three numbers, 五分之一 as 0.2. The view of a number recogniser; the
    quantities a claim is made of come from `extract_quantities`."""
    g = grammar_for(rules or default_rules())
    starts = g.starts.get((lang, True), g.starts[None, True])
    spaced = [q for run in g.spaced_numeral.finditer(text) if (q := _read_spaced(run, lang, g))]
    plain = scan_read(starts, g.numeral, text, None, lambda m: _read_number(text, m, lang, g), _resume(g, lang))
    taken = Spans((q.start, q.end) for q in spaced)
    return sorted([*spaced, *(q for q in plain if not taken.overlaps(q.start, q.end))], key=lambda q: q.start)


def _read_spaced(run: re.Match, lang: str, g: Grammar) -> Quantity | None:
    """三千 八百 九十六 万, 五 分之 一: a numeral typed with spaces between its characters is the numeral
    without them, when that reads as one number."""
    kept = [i for i in range(run.start(), run.end()) if not run.string[i].isspace()]
    squeezed = "".join(run.string[i] for i in kept)
    found = extract_numbers(squeezed, lang) if len(squeezed) < len(run.group()) else []
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(squeezed)):
        return None
    q = found[0]
    q.start, q.end = run.start(), run.end()
    q.text = run.group()
    return q


_DOTTED = re.compile(r"[.．][0-9０-９]")


def _own_groups(written: str, g: Grammar, lang: str) -> str:
    """A numeral up to a digit-group sign its language does not use: 5、450 is one number in Japanese, two
    list items in Chinese."""
    foreign = g.foreign_groups.get(lang, g.foreign_groups[None])
    cut = foreign.search(written) if foreign else None
    return written[:cut.start()] if cut else written


def _read_number(text: str, m: re.Match, lang: str, g: Grammar) -> Quantity | None:
    numeral, written = _read_numeral(_own_groups(m.group("num").rstrip(), g, lang), g, lang)
    ns = m.start("num")
    if "." in written and (_DOTTED.match(text, ns + len(written)) or _DOTTED.match(text[max(0, ns - 2):ns][::-1])):
        # 192.168.1.2, 2222.2222.22222.222: numbers joined by dots, not decimals
        written = written.split(".")[0]
        numeral = parse_numeral(written, g.tables, lang)
    if numeral is None:
        return None
    start, end, value, low, high = ns, ns + len(written), numeral.value, numeral.low, numeral.high
    if text[ns - 1:ns] == "." and not text[ns - 2:ns - 1].isdigit() and written.isdigit():
        value = low = high = float("0." + written)  # .08: a decimal written without its leading zero
        start = ns - 1
    after = g.after.match(text, end)
    if after and after.group("lscale"):  # 10k, 3 dozens, 1.2 billion
        factor = g.latin_scales[after.group("lscale").lower()][0]
        value, low, high, end = value * factor, low * factor, high * factor, after.end("lscale")
    if m.group("fneg"):  # 负3分之负157: the numerator's own sign
        value, low, high = -value, -high, -low
    if m.group("frac") and text[m.start("den"):m.end("frac")] in g.percent_before:
        pass  # 百分之五十五: the percent sign, and the number after it
    elif m.group("frac"):  # 五分之一 = 0.2, 3又一千分之23 = 3.023
        if (parts := _fraction(m, g, lang)) is None:
            return None
        den, whole = parts
        value, low, high = whole + value / den, whole + low / den, whole + high / den
        start = m.start("whole") if m.group("whole") else m.start("den")
    if (negative_at := _negative_at(g, text, start)) is not None:
        value, low, high, start = -value, -high, -low, negative_at
    return Quantity("number", text[start:end], start, end, _clean(value), "", _clean(low), _clean(high),
                    "range" if numeral.vague else "exact")


def _sign_key(g: "Grammar", written: str) -> str:
    """The table key of a currency word as written: `hk $` and `HK$` are both `HK$`; `Dollars` is `dollars`."""
    # most signs are written as their key is (美元, $): the fold is needed only for the others
    return g.sign_keys.get(written) or g.sign_keys.get(_SPACES.sub("", written).lower(), written)


def _currency_before(g: "Grammar", written: str, lang: str) -> str | None:
    """The currency a sign or word before a number names: ¥ is CNY in Chinese and JPY in Japanese (units.yml
    `ambiguous_signs`), any other its own."""
    sign = _sign_key(g, written)
    return g.ambiguous.get(sign, {}).get(lang) or g.ambiguous.get(sign, {}).get("default") or g.currency_of.get(sign)


def _clean(x: float) -> float:
    """Drop binary noise from interval arithmetic (5e10 * 1.1 = 55000000000.00001)."""
    if x.is_integer() and -1e12 < x < 1e12:
        return x  # a whole number of at most 12 digits is exact already, and most figures are one
    return float(f"{x:.12g}")


def _read_smaller_units(text: str, end: int, limit: int, g: Grammar, unit: str, word: str, numeral: Numeral,
                        factor: float, lang: str) -> tuple[Numeral, int]:
    """Complete an amount with the smaller units after it: 两美元又三美分, thirteen dollars and forty-five cents,
    and the spoken form where a bare number is the next lower unit (三块五, one dollar and one)."""
    extra = 0.0
    while (tail := g.subunit.match(text, end, limit)) and g.subunit_of[tail.group("sub")][0] == unit:
        cents = parse_numeral(tail.group("num"), g.tables, lang)
        if cents is None:
            break
        extra += cents.value * g.subunit_of[tail.group("sub")][1]
        end, word = tail.end(), tail.group("sub")
    fraction = g.spoken_fraction.get(word or "") or g.spoken_fraction.get(_sign_key(g, word or ""))
    bare = g.bare_number.match(text, end, limit) if fraction else None
    if bare:
        part, written = _read_numeral(bare.group("num"), g, lang)
        bare_end = bare.start("num") + len(written)
        after = g.after.match(text, bare_end, limit)
        # a fraction is less than one unit, and a number with a unit of its own (3天, 5 people) is not one
        if part is not None and part.value * fraction < 1 and not (after and after.lastgroup) and \
                not _CONTINUES_AFTER.match(text, bare_end):
            extra += part.value * fraction
            end = bare_end
    if not extra:
        return numeral, end
    extra /= factor
    return Numeral(numeral.value + extra, numeral.low + extra, numeral.high + extra, numeral.vague,
                   numeral.opened), end


def _fraction(m: re.Match, g: Grammar, lang: str) -> tuple[float, float] | None:
    """The denominator of X分之Y and the whole number written before it (3又…), 0 if none; None when the
    denominator is no usable number (zero, vague) or the whole number does not read."""
    den = parse_numeral(m.group("den"), g.tables, lang)
    whole = parse_numeral(m.group("whole"), g.tables, lang) if m.group("whole") else None
    if den is None or den.value == 0 or den.vague or (m.group("whole") and whole is None):
        return None
    return den.value, whole.value if whole else 0.0


def _read_numeral(written: str, g: Grammar, lang: str) -> tuple[Numeral | None, str]:
    """A numeral's value and the part of it that was read: of a run of number-phrase words only the longest
    prefix that reads as a number counts ("one" of "one of", "one" of "one and one point")."""
    if PHRASE.search(written):
        read = read_words(written, g.tables)
        return (read[0], written[:read[1]]) if read else (None, written)
    return parse_numeral(written, g.tables, lang), written


_UNIT_GROUPS = frozenset({"cur", "pp", "pct", "ratio", "count", "measure"})  # the groups of Grammar.after that name a unit


def _read_quantity(text: str, m: re.Match, lang: str, g: Grammar, limit: int, include_plain: bool) -> Quantity | None:
    num_text = _own_groups(m.group("num").rstrip(), g, lang)
    numeral = None
    if PHRASE.search(num_text):  # a number phrase ends where its longest reading does
        numeral, num_text = _read_numeral(num_text, g, lang)
        if numeral is None:
            return None
    ns, ne = m.start("num"), m.start("num") + len(num_text)
    if _LEADING_ZERO.fullmatch(num_text):  # 01, 007: section numbers and codes
        return None
    after = g.after.match(text, ne, limit)
    unit_after = bool(after and after.end() > ne and after.lastgroup)
    # 3150万, 三千八百六十万: a count where its clause counts things; never a scale with no digit (千万不要, 万一)
    scaled = num_text[-1:] in g.tables.scales and any(c.isdigit() or c in g.tables.digits for c in num_text)
    if not include_plain and not unit_after and m.group("frac") is None and not scaled:
        # no unit after it: only a currency sign before it can make it a quantity (一起, 两家, 12 我来说两句)
        prev = text[ns - 1:ns] if text[ns - 1:ns] not in (" ", "\u00a0") else text[ns - 2:ns - 1]
        if prev not in g.sign_ends:
            return None
    before = _read_before(g, text, ns)
    if before.cur and not before.cur.isascii() and text[:before.cur_start].rstrip()[-1:].isdigit():
        before = before._replace(cur=None)  # 4人民币 5美元: the word closes the figure before, it opens none
    if not include_plain and m.group("frac") is None and not unit_after and not before.cur and not scaled:
        return None
    if m.group("frac") is None and _glued_to_name(text[max(0, ns - 2):ns]) and _negative_at(g, text, ns) is None \
            and not (unit_after and text[ns - 1:ns] in g.range_joiners and text[ns - 2:ns - 1].isdigit()):
        return None  # ... but 30-40亿元 and 5-10% are ranges: a number, a joiner, a number with its unit
    numeral = numeral or parse_numeral(num_text, g.tables, lang)
    if numeral is None:
        return None

    kind, unit, end, factor, counted = "number", "", ne, 1.0, ""
    named_before = False  # the currency is the word before the number (新台幣416億元)
    if after and after.group("notq") and not after.group("lscale"):
        return None
    if after and after.end() > ne:
        scale_word = after.group("lscale")
        unit_group = after.lastgroup if after.lastgroup in _UNIT_GROUPS else None  # at most one of them matches
        if scale_word:
            factor, needs_currency = g.latin_scales[scale_word.lower()]
            # a recogniser reads 10k as a plain number; a claim needs the currency (5m is five metres)
            if needs_currency and not (before.cur or after.group("cur") or (include_plain and not unit_group)):
                return None
        if unit_group == "cur":
            word = _sign_key(g, after.group("cur"))
            kind, unit = "money", g.currency_of[word]
            factor *= g.unit_factor.get(word, 1.0)
            if after.group("cur") in g.generic_after and before.cur and g.currency_of.get(_sign_key(g, before.cur)):
                unit = g.currency_of[_sign_key(g, before.cur)]  # 新台幣416億元: the word before names the 元
                named_before = True
        elif unit_group in ("pct", "pp"):
            kind, unit = "percent", "percent" if unit_group == "pct" else "percentage_point"
        elif unit_group in ("ratio", "count"):
            kind = unit_group
            if unit_group == "count":
                counted = g.counted_of.get(after.group("count").lower(), "")
        elif unit_group == "measure":
            if text[after.end("measure"):after.end("measure") + 1] in ("/", "／"):
                return None  # 400Wh/kg: a rate of that measure, not an amount of it
            kind, unit, size = g.measure_of[after.group("measure").lower()]
            factor *= size
        if unit_group or scale_word:
            end = after.end(unit_group or "lscale")  # never the space the optional gap took after it
    if end == ne and _CONTINUES_AFTER.match(text, end):
        return None
    if kind == "money":
        numeral, end = _read_smaller_units(text, end, limit, g, unit, after.group("cur"), numeral, factor, lang)

    start = ns
    qual_word, qual_start = None, None
    if m.group("frac"):  # 三分之一 = 1/3, as a percent; 十分之一美元, a tenth of a dollar
        if (parts := _fraction(m, g, lang)) is None:
            return None
        den, whole = parts
        per_one = factor if kind == "money" else 100.0  # what one whole is worth in the unit
        start, factor = m.start("den"), per_one / den
        if kind != "money":
            kind, unit = "percent", "percent"
        if m.group("fneg"):  # 负3分之负157: the numerator's own sign
            factor = -factor
        if m.group("whole"):  # 3又一千分之23: the whole number and the fraction
            shift = whole * per_one / factor  # in numerator units: 3又一千分之23 = (3000 + 23) / 1000
            numeral = Numeral(numeral.value + shift, numeral.low + shift, numeral.high + shift, False,
                              numeral.opened)
            start = m.start("whole")
    elif named_before:
        start = before.cur_start
    elif before.cur:
        code = _currency_before(g, before.cur, lang)
        if code:
            kind, unit = "money", code
            start = before.cur_start
    if before.qual:
        qual_word, qual_start = before.qual, before.qual_start

    if kind == "number" and not include_plain:
        if not (scaled or factor >= 1000):
            return None
        kind = "scaled"  # 38.6 million, 3150万 with no unit
    if kind == "count" and not _DIGIT.search(num_text) and numeral.value < g.min_spelled_count:
        return None  # 两家公司, 四位知情人士: narrative, not data

    low, high, value = numeral.low * factor, numeral.high * factor, numeral.value * factor
    if (negative_at := _negative_at(g, text, start)) is not None:
        low, high, value, start = -high, -low, -value, negative_at
    qualifier = "range" if numeral.vague else ("more_than" if numeral.opened else "exact")
    trailing = g.trailing.match(text, end, limit)
    entry = None
    if trailing:
        entry = g.qualifier_of.get(("after", trailing.group("qual")))
        qual_word = trailing.group("qual")
    elif qual_word:
        entry = g.qualifier_of.get(("before", qual_word))
    if entry and not numeral.vague:
        qualifier = entry["qualifier"]
        low, high = value * float(entry["low"]), max(high, value * float(entry["high"]))
        if entry.get("rounding") and value > 0:  # about 24 billion: the rounding of its last written digit
            half = min(float(entry["rounding"]) * _last_place(value), value - low, high - value)
            low, high = value - half, value + half
        if entry["qualifier"] in ("more_than", "at_least"):
            low = value
    elif not entry:
        qual_word = None
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(value)):
        return None  # a numeral past any float (a 1 and four hundred digits): no figure a source reports
    cleaned = _clean(value)  # most figures are exact: their bounds are the value, cleaned once
    # by position, in Quantity's field order (kind, text, start, end, value, unit, low, high, qualifier,
    # qualifier_text, qualifier_start): eleven keywords took twice as long to pass
    return Quantity(kind, text[start:end], start, end, cleaned, unit,
                    cleaned if low >= value else _clean(low), cleaned if high <= value else _clean(high),
                    qualifier, qual_word or "", qual_start if qual_word and not trailing else None, counted)
