"""Find date and period expressions and resolve them against the publication date (zh, ja, en).

`find_times(text, published)` is the entry point. This module reads calendar expressions (dates, months,
years, weeks, relative words, eras, holidays); `clock.py` reads times of day, durations and recurrences;
`timejoin.py` joins neighbours into datetimes and ranges. The grammars are built from `rules/dates.yml`;
resolution is plain calendar arithmetic from `published`. Without a publication date a relative expression
resolves to `None`: the resolver never guesses from today's date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

from . import patterns
from .clock import find_clock, within_calendar
from .timejoin import compose
from .rules import Rules, default_rules, words_in
from .scan import any_case, gated, led, led_opening, opening, scan_read, word_alternation
from .timeexpr import (ALL_KINDS, CALENDAR_KINDS, PART_OF_YEAR, TimeExpr, alternation as _alt, shift_month,
                       words_of_all_languages as _words)

CJK_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class TimeGrammar:
    pattern: re.Pattern
    starts: re.Pattern  # a character an expression can start with: the grammar runs only from these
    years: dict[str, int]
    months_rel: dict[str, int]
    weeks: dict[str, int]
    days: dict[str, int]
    days_dated: dict[str, int]  # 昨（8）日: the one-character day word before a bracketed date
    weekdays: dict[str, int]
    parts: dict[str, str]
    quarter_parts: frozenset[str]  # the CJK parts that name a quarter or half: a date with no year (第三季度)
    parts_before: dict[str, str]
    month_names: dict[str, int]
    eras: dict[str, int]  # first year of each era
    seasons: dict[str, str]  # season word -> TIMEX code
    quarters_rel: dict[str, int]  # last quarter -> -1
    current: dict[str, str]  # the week -> W
    holidays: dict[str, str]  # holiday -> MM-DD
    day_end: frozenset[str]  # end of day, eod: the day's last moment
    century_pivot: int  # two-digit years below it are 20xx, others 19xx

    @classmethod
    def from_rules(cls, rules: Rules) -> "TimeGrammar":
        d = rules["dates"]
        years, months_rel = _words(d.get("relative_year")), _words(d.get("relative_month"))
        weeks, days, weekdays = _words(d.get("relative_week")), _words(d.get("relative_day")), _words(d.get("weekdays"))
        prefix_words = _words(d.get("weekday_prefix"))
        days_dated = _words(d.get("relative_day_dated"))
        dated_day = r"[（(]\d{1,2}[）)][日号號]"
        week_of_weekday = {**weeks, **prefix_words}
        parts, parts_before = _words(d.get("year_parts")), _words(d.get("year_parts_before"))
        month_names = _words(d.get("months"))
        seasons = {k.lower(): str(v) for k, v in _words(d.get("seasons")).items()}
        quarters_rel = {k.lower(): int(v) for k, v in _words(d.get("relative_quarter")).items()}
        current = {k.lower(): str(v) for k, v in _words(d.get("current_period")).items()}
        holidays = {k.lower(): str(v) for k, v in _words(d.get("holidays")).items()}
        day_end = frozenset(w.lower() for w in words_in(d.get("day_end")))
        cjk_holidays = [w for w in holidays if not w.isascii()]
        fiscal = words_in(d.get("fiscal"))
        cjk_fiscal = [w for w in fiscal if not w[0].isascii()]
        en_fiscal = [w for w in fiscal if w[0].isascii()]
        cjk_weekdays = [w for w in weekdays if not w.isascii()]
        en_weekdays = [w for w in weekdays if w.isascii()]
        cjk_rel = lambda t: [w for w in t if not w.isascii()]  # noqa: E731
        en_rel = lambda t: [w for w in t if w.isascii()]  # noqa: E731
        cnum = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
        sp = r"[ \u00a0]?"
        mon = f"(?<!\\$)(?:{any_case(month_names)})"  # $DEC is a ticker
        # two-digit years only where they cannot be a count of years: 08年, 18年10月 (but 20年 is twenty years)
        cjk_year = (rf"(?:19|20)\d\d|[〇零一二三四五六七八九]{{4}}|0\d(?={sp}年)"
                    rf"|\d\d(?={sp}年{sp}(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){sp}月)")
        eras = _words(d.get("eras"))
        era = _alt(eras)
        cjk_yrel, cjk_mrel = _alt(cjk_rel(years)), _alt(cjk_rel(months_rel))
        cjk_week, cjk_weekday = _alt(cjk_rel(week_of_weekday)), _alt(cjk_weekdays)
        cjk_day_end = "[日号號](?!本|元|圆|圓|経)"  # 18日, not 日本 or 日元
        # the CJK branch starts only where one of its parts does, so it never matches the empty string
        # a quarter or half with no year (第三季度, 上期, the third quarter) is one of the publication's latest: it
        # opens a date too
        quarters = {p: str(v) for p, v in parts.items() if PART_OF_YEAR.fullmatch(str(v))}
        cjk_quarters = [p for p in quarters if not p.isascii()]
        en_quarters = [p.lower() for p in quarters if p.isascii()]
        cjk_opening = (rf"(?<!\d)(?:{cjk_year}){sp}年|{era}|正月|{cjk_yrel}|(?<!\d){cnum}{sp}月|{cjk_mrel}"
                       rf"|(?<![\d.]){cnum}{sp}{cjk_day_end}|(?:{cjk_week})?(?:{cjk_weekday})"
                       rf"|(?:{_alt(cjk_quarters) if cjk_quarters else '(?!x)x'})")
        # one fixed-width lookbehind per word: Python's re takes no variable-width lookbehind
        year_after = "|".join(rf"(?<=\b{re.escape(w)}\s)" for w in words_in(d.get("year_prepositions"))) or r"(?!x)x"
        pattern = rf"""
          (?P<iso>(?<!\d)(?P<iy>(?:19|20)\d\d)(?P<sep>[-/.])(?P<im>\d{{1,2}})(?P=sep)(?P<id>\d{{1,2}})(?!\d)
             (?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)
        | (?P<ym>(?<![\d/.-])(?P<ymy>(?:19|20)\d\d)-(?P<ymm>\d{{1,2}})(?![\d/-]))
        | (?P<my>(?<![\d/.-])(?P<mym>\d{{1,2}})-(?P<myy>(?:19|20)\d\d)(?![\d/-]))
        | (?P<compact>(?<![\d.])(?P<cy>(?:19|20)\d\d)(?P<csep>\s?)(?P<cm>0[1-9]|1[0-2])(?P=csep)(?P<cd>0[1-9]|[12]\d|3[01])(?!\d))
        | (?P<dmy>(?<![\d.])(?P<dd>\d{{1,2}})\.(?P<dm>\d{{1,2}})\.(?P<dy>(?:19|20)\d\d)(?![\d.]))
        | (?P<mdy>(?<![\d/.])(?P<um>\d{{1,2}})(?P<usep>[/-])(?P<ud>\d{{1,2}})(?:(?P=usep)(?P<uy>(?:19|20)\d\d|\d\d))?(?!\d|/\d|\.\d))
        | (?P<fy>(?<!\d)(?P<fyy>(?:19|20)\d\d){sp}(?:{_alt(cjk_fiscal)}))
        | (?P<efy>\b(?:{_alt(en_fiscal)}){sp}(?P<efyy>(?:19|20)?\d\d)\b)
        | (?P<cjk>(?={cjk_opening})
            (?:(?<!\d)(?P<y>{cjk_year}){sp}年|(?P<era>{era})(?P<eray>元|{cnum}){sp}年|(?P<yrel>{cjk_yrel})(?P<yfisc>度)?)?{sp}
            (?:(?<!\d)(?P<m>{cnum}){sp}月份?|(?P<mfirst>正)月|(?P<mrel>{cjk_mrel}))?
            (?:{sp}(?<![\d.])(?P<d>{cnum}){sp}{cjk_day_end}
              |(?<=月)(?P<dbare>初?[一二三四五六七八九十]{{1,3}})(?![\u3040-\u30ff\u4e00-\u9fff\d])
              |(?P<wdc>(?P<wrelc>{cjk_week})?(?P<wdcn>{cjk_weekday})))?
            (?P<part>{_alt(parts)})?
          )
        | (?P<wrelo>{_alt(cjk_rel(weeks))})
        | (?P<chol>{_alt(cjk_holidays)})
        | (?P<drel>{_alt(cjk_rel(days))})
        | (?P<dreld>(?P<dreldw>{_alt(days_dated) if days_dated else '(?!x)x'})[（(](?P<dreldn>\d{{1,2}})[）)][日号號])
        | (?=[A-Za-z0-9])(?P<en>(?i:
            (?:(?P<epart>{any_case(parts_before)})\s)?
            (?:
              (?P<emon8>{mon})\.?\s(?P<eday6>\d{{1,2}})-(?P<eday7>\d{{1,2}})(?!\d)
            | (?P<emon>{mon})(?:\.?\s|/|(?=\d))(?P<eday>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?,?\s(?P<eyear>(?:19|20)\d\d))?
            | (?<![\d:])(?P<eday2>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<emon2>{mon})\.?(?:,?\s(?P<eyear2>(?:19|20)\d\d))?
            | (?:the\s)?(?P<eday3>\d{{1,2}})(?:st|nd|rd|th)?(?:\sday)?\sof\s(?P<emon4>{mon})\.?(?:,?\s(?P<eyear5>(?:19|20)\d\d))?
            | (?P<edr1>\d{{1,2}})(?:st|nd|rd|th)?\s(?:to|and|-)\s(?P<edr2>\d{{1,2}})(?:st|nd|rd|th)?\sof\s(?P<emon9>{mon})
            | (?:(?P<erelm>{any_case(['last', 'this', 'next'])})\s)?(?P<emon3>{mon})\.?(?:(?:[\s,-]{{1,2}}|\sof\s)(?P<eyear3>(?:19|20)\d\d))?
            | (?P<ehol>{any_case(holidays)})
            | (?P<eyear6>(?:19|20)\d\d)\s(?P<emon5>{mon})
            | (?P<eday4>\d{{1,2}})(?P<dsep>[-/])(?P<emon6>{mon})(?P=dsep)(?P<eyear7>(?:19|20)\d\d)
            | (?P<eyear8>(?:19|20)\d\d)(?P<esep>[/-])(?P<emon7>{mon})(?P=esep)(?P<eday5>\d{{1,2}})
            | (?:(?P<esrel>{any_case(['last', 'this', 'next'])})\s)?(?P<eseason>{any_case(seasons)})
            | (?P<eyrel>{any_case(en_rel(years))})
            | (?P<emrel>{any_case(en_rel(months_rel))})
            | (?P<ewrel2>{any_case(['last', 'this', 'next'])})\sweek\s(?:on\s)?(?P<ewd2>{any_case(en_weekdays)})
            | (?P<ewd3>{any_case(en_weekdays)}),?\s(?P<ethe>the\s)?(?P<eday8>\d{{1,2}})(?:st|nd|rd|th)
            | (?:(?P<ewrel>{any_case(['last', 'this', 'next', 'previous', 'coming'])})\s)?(?P<ewd>{any_case(en_weekdays)})
            | (?P<ewo>first|last)\sweek\sof\s(?P<ewoy>(?:19|20)\d\d)
            | (?P<ewrelo>{any_case(en_rel(weeks))})
            | (?P<edrel>{any_case(en_rel(days))})
            | (?:(?P<eqy2>(?:19|20)\d\d)[-\s])?(?P<eq>Q[1-4]|H[12])(?:\s(?P<eqy>(?:19|20)\d\d))?
            | (?P<eqw>{any_case(en_quarters) if en_quarters else '(?!x)x'})(?!\sof\b)
            | (?P<eqrel>{any_case(quarters_rel)})
            | week\s(?P<ewn>\d{{1,2}})(?!\d)
            | (?P<ecur>{any_case(current)})(?!\s(?:of|starting|commencing)\b|(?<=day)\s(?:before|after)\b)
            | (?:{year_after})(?P<eyear4>1[0-9]\d\d|20\d\d)
            )\b))
        """
        words = [*years, *months_rel, *weeks, *days, *weekdays, *parts_before, *month_names, *fiscal,
                 *seasons, *quarters_rel, *current, *holidays, *eras, "正月", "last", "this", "next", "previous",
                 "coming", "week", "first", "q1", "q2", "q3", "q4", "h1", "h2", *cjk_quarters, *en_quarters]
        # a CJK numeral opens a date only before 年/月/日 (二〇二四年, 十月), never in 一些 or 统一
        cjk_digits = "〇零一二三四五六七八九十"
        # a number opens a date only as a year, or as a day or month before a date word or separator (most
        # numbers in news are amounts: 50亿, 380 people), and never before a scale word (1380亿, 8 billion); a
        # point makes a date only as dmy's does (18.10.2024): as any point, it sent each $11.2 billion and 13.5亿
        # to the whole grammar
        numbers = rules["numbers"]
        scale = word_alternation([*numbers.get("scales", {}), *numbers.get("latin_scales", {})])
        arabic = (rf"(?<!\d)(?!\d+{sp}(?i:{scale}))(?:(?:1\d|20)\d\d(?:\d{{4}})?(?!\d)"
                  r"|\d{1,2}(?=[ \u00a0]?[年月日号號/\-]|\.\d{1,2}\.(?:19|20)\d\d|(?:st|nd|rd|th)\b|\s[A-Za-z]))")
        # 上, 下 and 这 open a date only with the weekday they fuse with (上周四): alone they begin countless words
        starts = gated([led("0-9０-９", arabic), rf"[{cjk_digits}](?=[{cjk_digits}]*{sp}[年月日号號])",
                        led_opening(words), led_opening(prefix_words, rf"(?:{opening(weekdays)})"),
                        *([led_opening(days_dated, dated_day)] if days_dated else []),
                        led("tT", r"(?<![A-Za-z])(?i:the)\s(?=\d)")],
                       ["0123456789０１２３４５６７８９", cjk_digits, "t",
                        *(w[0] for w in [*words, *week_of_weekday, *days_dated])])
        return cls(
            pattern=patterns.compile(pattern, re.X),
            starts=starts,
            years={k: int(v) for k, v in years.items()},
            months_rel={k: int(v) for k, v in months_rel.items()},
            weeks={k: int(v) for k, v in week_of_weekday.items()},
            days={k: int(v) for k, v in days.items()},
            days_dated={k: int(v) for k, v in days_dated.items()},
            weekdays={k: int(v) for k, v in weekdays.items()},
            parts={k: str(v) for k, v in parts.items()},
            quarter_parts=frozenset(cjk_quarters),
            parts_before={k.lower(): str(v) for k, v in parts_before.items()},
            month_names={k.lower(): int(v) for k, v in month_names.items()},
            eras={k: int(v) for k, v in eras.items()},
            seasons=seasons,
            quarters_rel=quarters_rel,
            current=current,
            holidays=holidays,
            day_end=day_end,
            century_pivot=int(d.get("two_digit_year_pivot", 50)),
        )


__all__ = ["ALL_KINDS", "CALENDAR_KINDS", "TimeExpr", "find_times"]


@lru_cache(maxsize=8)
def grammar_for(rules: Rules) -> TimeGrammar:
    return TimeGrammar.from_rules(rules)


def _published_at(value: str | None) -> dt.datetime | None:
    """The time of publication, when `published` gives one (2024-10-18T18:55:35)."""
    if not value or len(str(value)) <= 10:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def find_times(
    text: str,
    published: str | None,
    rules: Rules | None = None,
    *,
    zones: Iterable[tuple[int, int]] | None = None,
    kinds: frozenset[str] = CALENDAR_KINDS,
) -> list[TimeExpr]:
    """Every date or period expression in `text` (or in its `zones`), resolved against `published`.

    `kinds` picks what is returned: by default calendar dates and periods, the ones that can date a figure;
    `ALL_KINDS` adds clock times, durations, recurrences and their ranges (a TIMEX recogniser's output).
    """
    rules = rules or default_rules()
    g = grammar_for(rules)
    pub = parse_published(published)
    dates = list(scan_read(g.starts, g.pattern, text, zones, lambda m: within_calendar(_resolve, m, g, pub)))
    _check_weekdays(text, dates)
    # where the two grammars overlap, the longer reading wins (每周一 over 周一), the calendar one on a tie
    clock = [t for t in find_clock(text, pub, rules, zones=zones, published_at=_published_at(published),
                                   dated_only=kinds <= CALENDAR_KINDS)
             if not any(d.start < t.end and t.start < d.end and not _covers(t, d) for d in dates)]
    merged = sorted([d for d in dates if not any(_covers(t, d) for t in clock)] + clock,
                    key=lambda t: t.start) if clock else dates
    return [t for t in compose(text, merged, rules) if t.kind in kinds]


def _covers(a: TimeExpr, b: TimeExpr) -> bool:
    return a.start <= b.start and b.end <= a.end and a.end - a.start > b.end - b.start


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if s.isdigit():
        return int(s)
    if all(c in CJK_NUM for c in s):
        if len(s) == 4:  # 二〇二四
            return int("".join(str(CJK_NUM[c]) for c in s))
        if "十" in s:
            tens, _, ones = s.partition("十")
            return (CJK_NUM.get(tens, 1) if tens else 1) * 10 + (CJK_NUM.get(ones, 0) if ones else 0)
        return CJK_NUM[s] if len(s) == 1 else None
    return None


def _valid(y: int, m: int, d: int | None = None) -> bool:
    if not (1 <= m <= 12):
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]


def _guess_year(pub: dt.date, m: int, d: int | None) -> int:
    """A month (and day) without a year: the publication year, unless that lies more than two months ahead."""
    y = pub.year
    try:
        candidate = dt.date(y, m, d or 1)
    except ValueError:
        return y
    return y - 1 if (candidate - pub).days > 62 else y


def _week_day(pub: dt.date, weekday: int, week_offset: int | None) -> dt.date:
    if week_offset is None:  # bare weekday: the nearest one up to publication (Friday in a Friday paper is today)
        return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)
    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=week_offset)
    return monday + dt.timedelta(days=weekday)


def _iso_week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


class _CjkWritten(NamedTuple):
    """What a CJK date says, as written: its groups read in one call (a lookup by name each took most of
    resolving a Chinese date)."""
    y: str | None
    era: str | None
    eray: str | None
    yrel: str | None
    yfisc: str | None
    m: str | None
    mfirst: str | None
    mrel: str | None
    d: str | None
    dbare: str | None
    wdc: str | None
    wdcn: str | None
    wrelc: str | None
    part: str | None

    def dates(self) -> bool:
        """Whether it names a year, month, day or weekday (its other groups only refine one of those)."""
        return bool(self.y or self.era or self.yrel or self.m or self.mfirst or self.mrel or self.d or self.dbare
                    or self.wdc)


def _resolve(m: re.Match, g: TimeGrammar, pub: dt.date | None) -> TimeExpr | None:
    gd = m  # groups by name, read as needed: groupdict() built a dict of every group for each match
    branch = m.lastgroup  # the pattern's top-level alternative that matched: each is a named group, closed last
    text, start, end = m.group(), m.start(), m.end()
    # trim spaces the optional gaps may have taken at either end
    while text and text[-1] in " \u00a0":
        text, end = text[:-1], end - 1
    while text and text[0] in " \u00a0":
        text, start = text[1:], start + 1

    def make(value, precision, relative, refine="", fiscal=False, weekday=None, note="", kind="", timex=""):
        # by position, in TimeExpr's field order: twelve keywords took twice as long, a fifth of resolving a date
        return TimeExpr(text, start, end, value, precision, relative, refine, fiscal, weekday, note,
                        kind or ("date" if precision == "day" else "daterange"), timex or value or "")

    # the branches most dates take come first
    if branch == "cjk":
        written = _CjkWritten._make(gd.group(*_CjkWritten._fields))
        return _resolve_cjk(written, g, pub, make) if written.dates() or written.part in g.quarter_parts else None
    if branch == "en":
        t = _resolve_en(gd, g, pub, make)
        ends_day = (gd["edrel"] or "").lower() in g.day_end or g.parts_before.get((gd["epart"] or "").lower()) == "end"
        if t and ends_day and t.precision == "day" and t.value and t.kind == "date":  # end of tomorrow: a deadline
            t.kind, t.timex = "datetime", f"{t.value}T23:59:59"
        return t
    if branch == "iso":
        y, mo, d = int(gd["iy"]), int(gd["im"]), int(gd["id"])
        return make(f"{y:04d}-{mo:02d}-{d:02d}", "day", False) if _valid(y, mo, d) else None
    if branch == "compact":  # 20161016: recognised, but it dates nothing (as likely an identifier in a URL or a code)
        y, mo, d = int(gd["cy"]), int(gd["cm"]), int(gd["cd"])
        return make(None, "day", False, timex=f"{y:04d}-{mo:02d}-{d:02d}") if _valid(y, mo, d) else None
    if branch == "dmy":  # 23.04.2022: day first
        y, mo, d = int(gd["dy"]), int(gd["dm"]), int(gd["dd"])
        return make(f"{y:04d}-{mo:02d}-{d:02d}", "day", False) if _valid(y, mo, d) else None
    if branch in ("ym", "my"):  # 2015-3, 12-2015
        y, mo = int(gd["ymy"] or gd["myy"]), int(gd["ymm"] or gd["mym"])
        return make(f"{y:04d}-{mo:02d}", "month", False) if _valid(y, mo) else None
    if branch == "mdy" and not gd["uy"]:  # 11/20: recognised, but it dates nothing (1/2 and 3/4 are fractions too)
        mo, d = int(gd["um"]), int(gd["ud"])
        mo, d = (d, mo) if mo > 12 else (mo, d)  # 29/03: day first
        if gd["usep"] != "/" or not _valid(2000, mo, d):
            return None
        return make(None, "day", False, timex=f"XXXX-{mo:02d}-{d:02d}")
    if branch == "mdy":  # 01/22/2016, 5/3/18, 10-1-2018: month first, unless the first number cannot be a month
        a, b, y = int(gd["um"]), int(gd["ud"]), int(gd["uy"])
        y += 0 if y > 99 else 2000 if y < g.century_pivot else 1900
        mo, d = (a, b) if a <= 12 else (b, a)
        return make(f"{y:04d}-{mo:02d}-{d:02d}", "day", False) if _valid(y, mo, d) else \
            _not_a_calendar_day(mo, d, f"{y:04d}-{mo:02d}-{d:02d}", make)
    if branch == "fy":
        return make(gd["fyy"], "year", False, fiscal=True)
    if branch == "efy":
        y = int(gd["efyy"])
        return make(str(y if y > 99 else 2000 + y), "year", False, fiscal=True)
    if branch == "chol":
        return _holiday(gd["chol"], g, pub, make)
    if branch == "wrelo":
        if pub is None:
            return make(None, "week", True)
        return make(_iso_week(pub + dt.timedelta(weeks=g.weeks[gd["wrelo"]])), "week", True)
    if branch == "drel":
        if pub is None:
            return make(None, "day", True)
        return make((pub + dt.timedelta(days=g.days[gd["drel"]])).isoformat(), "day", True)
    if branch == "dreld":  # 昨（8）日: the day written, in the days around the one the word points to
        if pub is None:
            return make(None, "day", True)
        pointed, day = pub + dt.timedelta(days=g.days_dated[gd["dreldw"]]), int(gd["dreldn"])
        near = [pointed + dt.timedelta(days=k) for k in (0, -1, 1, -2, 2, -3, 3)]
        return make(next((x for x in near if x.day == day), pointed).isoformat(), "day", True)
    return None


def _resolve_cjk(w: _CjkWritten, g: TimeGrammar, pub: dt.date | None, make) -> TimeExpr | None:
    y = _num(w.y) if w.y else None
    if y is not None and len(w.y) == 2:
        y += 2000 if y < g.century_pivot else 1900
    if w.era:  # 康熙三年, 令和元年: counted from the era's first year
        y = g.eras[w.era] + (1 if w.eray == "元" else _num(w.eray) or 0) - 1
    relative = y is None and bool(w.yrel or w.mrel or w.d or w.m or w.wdc)
    refine = g.parts.get(w.part or "", "")
    if w.wdc:
        weekday = g.weekdays[w.wdcn]
        if w.d is None and not (w.m or w.mrel):
            if pub is None:
                return make(None, "day", True, weekday=weekday)
            week = g.weeks[w.wrelc] if w.wrelc else None
            return make(_week_day(pub, weekday, week).isoformat(), "day", True, weekday=weekday,
                        timex=_weekday_timex(weekday) if week is None else None)
    if not w.dates():  # 第三季度 alone: the latest such part ended by the publication date
        if pub is None:
            return make(None, "year", True, refine=refine)
        y = _latest_ended(refine, pub)
        return make(f"{y:04d}", "year", True, refine=refine, timex=_quarter_timex(y, refine))
    if pub is None and (y is None):
        return make(None, "day" if w.d else "month" if (w.m or w.mrel) else "year", True)
    if y is None and w.yrel:
        y = pub.year + g.years[w.yrel]
    year_stated = y is not None
    month = 1 if w.mfirst else _num(w.m) if w.m else None
    day = _num(w.d or (w.dbare or "").lstrip("初") or None)
    if w.mrel:
        base_y = y if y is not None else pub.year
        y, month = shift_month(base_y, pub.month, g.months_rel[w.mrel])
    month_stated = month is not None or bool(w.mrel)
    if month is None and day is not None and y is None:  # 18日: the publication month
        y, month = pub.year, pub.month
    if y is None and month is not None:
        y = _guess_year(pub, month, day)
    if y is None:
        return None
    if month is None:
        if day is not None:
            return None  # 2024年18日 is not a date
        if w.yfisc:
            return make(f"{y:04d}", "year", relative, refine=refine, fiscal=True)
        return _year(make, y, relative, refine, g)
    # a relative month (上月) settles its year too
    written = _written_timex(y if year_stated or w.mrel else None, month if month_stated else None, day)
    if not _valid(y, month, day):
        return _not_a_calendar_day(month, day, written, make)
    if day is None:
        return make(f"{y:04d}-{month:02d}", "month", relative, refine=refine, timex=written)
    return make(f"{y:04d}-{month:02d}-{day:02d}", "day", relative, timex=written)


def _year(make, y: int, relative: bool, refine: str, g: TimeGrammar) -> TimeExpr:
    """A year, refined by a part of it; its end (年底, 昨年末, the end of 2025) is its December, the month a
    year-end state (subscribers, capacity, cash) is counted in, so it is compared with December's figures only."""
    if refine == "end":
        return make(f"{y:04d}-12", "month", relative, refine=refine, timex=f"{y:04d}")
    season = g.seasons.get(refine)  # 今年夏天: the year's value, the season's TIMEX (2026-SU)
    return make(f"{y:04d}", "year", relative, refine=refine,
                timex=f"{y:04d}-{season}" if season else _quarter_timex(y, refine))


def _latest_ended(part: str, pub: dt.date) -> int:
    """The year of the latest quarter or half `part` (Q3, H1) ended before the publication month: news reports
    a period's figures once it is over (第三季度 in November is this year's, the first half in February last
    year's)."""
    last_month = int(part[0]) if part[1] == "M" else int(part[1]) * (3 if part[0] == "Q" else 6)
    return pub.year if last_month < pub.month else pub.year - 1


def _quarter_timex(year: int, refine: str) -> str | None:
    """The third quarter of 2024 as its own range; other parts of a year keep the year's TIMEX."""
    if len(refine) == 2 and refine[0] in "QH" and refine[1].isdigit():
        months = 3 if refine[0] == "Q" else 6
        return _part_of_year(year, (int(refine[1]) - 1) * months + 1, months)
    return None


def _part_of_year(year: int | None, first_month: int, months: int) -> str:
    """A quarter or half as a TIMEX range: (2019-07-01,2019-10-01,P3M); XXXX when the year is unstated."""
    end_y, end_m = shift_month(year or 2000, first_month, months)
    a = f"{year:04d}" if year else "XXXX"
    b = f"{end_y:04d}" if year else "XXXX"
    return f"({a}-{first_month:02d}-01,{b}-{end_m:02d}-01,P{months}M)"


def _written_timex(year: int | None, month: int | None, day: int | None) -> str:
    """The date as written, in TIMEX form: an unstated year or month is X (10月17日 = XXXX-10-17)."""
    parts = [f"{year:04d}" if year is not None else "XXXX", f"{month:02d}" if month is not None else "XX"]
    return "-".join(parts + ([f"{day:02d}"] if day is not None else []))


def _weekday_timex(weekday: int) -> str:
    return f"XXXX-WXX-{weekday + 1}"


def _not_a_calendar_day(month: int | None, day: int | None, written: str, make) -> TimeExpr | None:
    """2月30日, 2019年2月29日: read as written, with no value and a note, so no figure is dated by it."""
    if month is None or not 1 <= month <= 12 or day is None or not 1 <= day <= 31:
        return None
    return make(None, "day", False, timex=written, note=f"'{written}' is not a calendar day")


def _day_with_weekday(pub: dt.date, day: int, weekday: int) -> dt.date | None:
    """The date closest to `pub` that falls on `day` of its month and on `weekday` (within a year either way)."""
    candidates = []
    for offset in range(-12, 13):
        y, m = shift_month(pub.year, pub.month, offset)
        if _valid(y, m, day) and dt.date(y, m, day).weekday() == weekday:
            candidates.append(dt.date(y, m, day))
    return min(candidates, key=lambda d: abs((d - pub).days), default=None)


def _holiday(word: str, g: TimeGrammar, pub: dt.date | None, make) -> TimeExpr:
    """国庆节, Christmas: the holiday's day; its year, like any date given without one, from the publication."""
    month, day = (int(x) for x in g.holidays[word.lower()].split("-"))
    value = f"{_guess_year(pub, month, day):04d}-{month:02d}-{day:02d}" if pub else None
    return make(value, "day", True, timex=f"XXXX-{month:02d}-{day:02d}")


def _resolve_en(gd: re.Match, g: TimeGrammar, pub: dt.date | None, make) -> TimeExpr | None:
    refine = g.parts_before.get((gd["epart"] or "").lower(), "")
    if gd["ehol"]:
        return _holiday(gd["ehol"], g, pub, make)
    if gd["emon8"] or gd["emon9"]:  # November 18-19, 9 to 12 of June
        month = g.month_names[(gd["emon8"] or gd["emon9"]).lower()]
        first, last = int(gd["eday6"] or gd["edr1"]), int(gd["eday7"] or gd["edr2"])
        if not (_valid(2000, month, first) and _valid(2000, month, last) and first < last):
            return None
        return make(None, "day", False, kind="daterange",
                    timex=f"(XXXX-{month:02d}-{first:02d},XXXX-{month:02d}-{last:02d},P{last - first}D)")
    mon_word = next((gd[k] for k in ("emon", "emon2", "emon3", "emon4", "emon5", "emon6", "emon7") if gd[k]), None)
    if mon_word:
        day = _num(next((gd[k] for k in ("eday", "eday2", "eday3", "eday4", "eday5") if gd[k]), None))
        year = next((gd[k] for k in ("eyear", "eyear2", "eyear3", "eyear5", "eyear6", "eyear7", "eyear8") if gd[k]), None)
        if mon_word.lower() == "may" and not (day or year):
            return None  # a bare "may" is as likely the verb
        if not (mon_word[0].isupper() or day or year):
            return None  # a lowercase month name alone is a word (march, sat in "mar"), not a date
        month = g.month_names[mon_word.lower()]
        if year:
            y, relative = int(year), False
        elif pub is None:
            return make(None, "day" if day else "month", True, timex=_written_timex(None, month, day))
        elif gd["erelm"]:  # last October: the most recent one before this month; next October: the coming one
            y = {"last": pub.year - (month >= pub.month), "this": pub.year,
                 "next": pub.year + (month <= pub.month)}[gd["erelm"].lower()]
            relative = True
        else:
            y, relative = _guess_year(pub, month, day), True
        written = _written_timex(y if (year or gd["erelm"]) else None, month, day)
        if not _valid(y, month, day):
            return _not_a_calendar_day(month, day, written, make)
        if day:
            return make(f"{y:04d}-{month:02d}-{day:02d}", "day", relative, timex=written)
        return make(f"{y:04d}-{month:02d}", "month", relative, timex=written)
    if gd["eyear4"]:
        return _year(make, int(gd["eyear4"]), False, refine, g)
    if gd["eqw"]:  # the third quarter, alone: the latest ended by the publication date
        part = g.parts[next(p for p in g.parts if p.lower() == gd["eqw"].lower())]
        if pub is None:
            return make(None, "year", True, refine=part)
        year = _latest_ended(part, pub)
        return make(str(year), "year", True, refine=part, timex=_quarter_timex(year, part))
    if gd["eq"]:  # the year's value, refined by the quarter or half; its TIMEX is that part's own range
        months = 3 if gd["eq"].upper()[0] == "Q" else 6
        first = (int(gd["eq"][1]) - 1) * months + 1
        year = gd["eqy"] or gd["eqy2"]
        value = year or (str(pub.year) if pub else None)
        return make(value, "year", not year, refine=gd["eq"].upper(),
                    timex=_part_of_year(int(year) if year else None, first, months))
    if gd["eqrel"]:
        if pub is None:
            return make(None, "year", True)
        y, mo = shift_month(pub.year, (pub.month - 1) // 3 * 3 + 1, 3 * g.quarters_rel[gd["eqrel"].lower()])
        return make(str(y), "year", True, refine=f"Q{(mo - 1) // 3 + 1}", timex=_part_of_year(y, mo, 3))
    if gd["ewn"] or gd["ewo"]:  # week 10 (of the publication year), the last week of 2016
        y = int(gd["ewoy"]) if gd["ewo"] else (pub.year if pub else None)
        if y is None:
            return None
        n = int(gd["ewn"]) if gd["ewn"] else (1 if gd["ewo"].lower() == "first" else dt.date(y, 12, 28).isocalendar()[1])
        if not 1 <= n <= dt.date(y, 12, 28).isocalendar()[1]:
            return None
        return make(f"{y}-W{n:02d}", "week", not gd["ewo"])
    if gd["ecur"]:
        if pub is None:
            return None
        unit = g.current[gd["ecur"].lower()]
        timex = {"D": pub.isoformat(), "W": _iso_week(pub), "M": pub.isoformat()[:7], "Y": str(pub.year)}[unit]
        if unit == "Y" and _quarter_timex(pub.year, refine):  # the first quarter of the year: whichever year
            timex = _quarter_timex(pub.year, refine).replace(str(pub.year), "XXXX")
        return make(None, "day" if unit == "D" else "year", True, timex=timex)
    if gd["eseason"]:
        code = g.seasons[gd["eseason"].lower()]
        if not gd["esrel"]:
            return make(None, "year", False, refine=code, timex=code)
        if pub is None:
            return make(None, "year", True, refine=code)
        y = pub.year + {"last": -1, "this": 0, "next": 1}[gd["esrel"].lower()]
        return make(str(y), "year", True, refine=code, timex=f"{y}-{code}")
    if pub is None:
        return make(None, "day", True)
    if gd["eyrel"]:
        y = pub.year + g.years[gd["eyrel"].lower()]
        return _year(make, y, True, refine, g)
    if gd["emrel"]:
        y, mo = shift_month(pub.year, pub.month, g.months_rel[gd["emrel"].lower()])
        return make(f"{y:04d}-{mo:02d}", "month", True)
    if gd["ewd3"]:  # tues the 4th: the day nearest publication that is both
        weekday = g.weekdays[gd["ewd3"].lower()]
        day = _day_with_weekday(pub, int(gd["eday8"]), weekday) if pub else None
        # TIMEX has no form for "a Tuesday that is the 13th": it keeps the weekday, the value is the day
        return make(day.isoformat() if day else None, "day", True,
                    timex=None if gd["ethe"] else _weekday_timex(weekday))
    if gd["ewd2"]:  # next week on Tuesday
        weekday = g.weekdays[gd["ewd2"].lower()]
        week = {"last": -1, "this": 0, "next": 1}[gd["ewrel2"].lower()]
        return make(_week_day(pub, weekday, week).isoformat(), "day", True, weekday=weekday)
    if gd["ewd"]:
        weekday = g.weekdays[gd["ewd"].lower()]
        week = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}.get((gd["ewrel"] or "").lower())
        return make(_week_day(pub, weekday, week).isoformat(), "day", True, weekday=weekday,
                    timex=_weekday_timex(weekday) if week is None else None)
    if gd["ewrelo"]:
        return make(_iso_week(pub + dt.timedelta(weeks=g.weeks[gd["ewrelo"].lower()])), "week", True)
    if gd["edrel"]:
        return make((pub + dt.timedelta(days=g.days[gd["edrel"].lower()])).isoformat(), "day", True)
    return None


_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _check_weekdays(text: str, times: list[TimeExpr]) -> None:
    """A weekday written next to a date (周四(10月17日), Thursday, Oct. 17): the two must name the same day.

    The date then wins over the weekday's guess, and a mismatch is kept as a note for the rules stage.
    """
    for a, b in zip(times, times[1:]):
        between = text[a.end:b.start]
        if len(between) > 3 or not set(between) <= set(" (（,，、"):
            continue
        for wd, date in ((a, b), (b, a)):
            if wd.weekday is not None and date.precision == "day" and date.weekday is None and date.value:
                actual = dt.date.fromisoformat(date.value).weekday()
                wd.value = date.value
                if actual != wd.weekday:
                    note = (f"'{wd.text}' names a {_WEEKDAY_NAMES[wd.weekday]}, but {date.value} "
                            f"('{date.text}') is a {_WEEKDAY_NAMES[actual]}")
                    wd.note = date.note = note
