"""Find date and period expressions and resolve them against the publication date (zh, ja, en).

`find_times(text, published)` is the entry point. The grammar is built from `rules/dates.yml`; resolution is
plain calendar arithmetic from `published`. Without a publication date a relative expression resolves to
`None`: the resolver never guesses from today's date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .rules import Rules, default_rules
from .scan import scan

CJK_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | None  # ISO 8601 at its own precision: 2024, 2024-10, 2024-10-17, 2024-W42
    precision: str  # year, month, week, day
    relative: bool  # resolved against the publication date
    refine: str = ""  # part of the period: start, end, H1, Q3, autumn ...
    fiscal: bool = False
    weekday: int | None = None  # a weekday named with the date, to check they agree
    note: str = ""  # e.g. a weekday that does not match its date


def _words(table: dict | None) -> dict[str, object]:
    """All languages' words of one table, merged (zh and ja share most characters and agree on their meaning)."""
    merged: dict[str, object] = {}
    for words in (table or {}).values():
        for w, v in (words or {}).items():
            merged[str(w)] = v
    return merged


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or r"(?!x)x"


@dataclass
class TimeGrammar:
    pattern: re.Pattern
    starts: re.Pattern  # a character an expression can start with: the grammar runs only from these
    years: dict[str, int]
    months_rel: dict[str, int]
    weeks: dict[str, int]
    days: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, str]
    parts_before: dict[str, str]
    month_names: dict[str, int]

    @classmethod
    def from_rules(cls, rules: Rules) -> "TimeGrammar":
        d = rules["dates"]
        years, months_rel = _words(d.get("relative_year")), _words(d.get("relative_month"))
        weeks, days, weekdays = _words(d.get("relative_week")), _words(d.get("relative_day")), _words(d.get("weekdays"))
        week_of_weekday = {**weeks, **_words(d.get("weekday_prefix"))}
        parts, parts_before = _words(d.get("year_parts")), _words(d.get("year_parts_before"))
        month_names = _words(d.get("months"))
        fiscal = [w for ws in d.get("fiscal", {}).values() for w in ws]
        cjk_fiscal = [w for w in fiscal if not w[0].isascii()]
        en_fiscal = [w for w in fiscal if w[0].isascii()]
        lower = lambda ws: [w.lower() for w in ws]  # noqa: E731
        cjk_weekdays = [w for w in weekdays if not w.isascii()]
        en_weekdays = [w for w in weekdays if w.isascii()]
        cjk_rel = lambda t: [w for w in t if not w.isascii()]  # noqa: E731
        en_rel = lambda t: [w for w in t if w.isascii()]  # noqa: E731
        cnum = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
        sp = r"[ \u00a0]?"
        mon = _alt(month_names)
        cjk_year = "(?:19|20)\\d\\d|[〇零一二三四五六七八九]{4}"
        cjk_yrel, cjk_mrel = _alt(cjk_rel(years)), _alt(cjk_rel(months_rel))
        cjk_week, cjk_weekday = _alt(cjk_rel(week_of_weekday)), _alt(cjk_weekdays)
        cjk_day_end = "[日号號](?!本|元|圆|圓|経)"  # 18日, not 日本 or 日元
        # the CJK branch starts only where one of its parts does, so it never matches the empty string
        cjk_opening = (rf"(?<!\d)(?:{cjk_year}){sp}年|{cjk_yrel}|(?<!\d){cnum}{sp}月|{cjk_mrel}"
                       rf"|(?<![\d.]){cnum}{sp}{cjk_day_end}|(?:{cjk_week})?(?:{cjk_weekday})")
        # one fixed-width lookbehind per word: Python's re takes no variable-width lookbehind
        year_after = "|".join(rf"(?<=\b{re.escape(w)}\s)" for ws in (d.get("year_prepositions") or {}).values()
                              for w in ws) or r"(?!x)x"
        pattern = rf"""
          (?P<iso>(?<!\d)(?P<iy>(?:19|20)\d\d)(?P<sep>[-/.])(?P<im>\d{{1,2}})(?P=sep)(?P<id>\d{{1,2}})(?!\d)
             (?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)
        | (?P<fy>(?<!\d)(?P<fyy>(?:19|20)\d\d){sp}(?:{_alt(cjk_fiscal)}))
        | (?P<efy>\b(?:{_alt(en_fiscal)}){sp}(?P<efyy>(?:19|20)?\d\d)\b)
        | (?P<cjk>(?={cjk_opening})
            (?:(?<!\d)(?P<y>{cjk_year}){sp}年|(?P<yrel>{cjk_yrel})(?P<yfisc>度)?)?{sp}
            (?:(?<!\d)(?P<m>{cnum}){sp}月份?|(?P<mrel>{cjk_mrel}))?
            (?:{sp}(?<![\d.])(?P<d>{cnum}){sp}{cjk_day_end}|(?P<wdc>(?P<wrelc>{cjk_week})?(?P<wdcn>{cjk_weekday})))?
            (?P<part>{_alt(parts)})?
          )
        | (?P<wrelo>{_alt(cjk_rel(weeks))})
        | (?P<drel>{_alt(cjk_rel(days))})
        | (?P<en>(?i:
            (?:(?P<epart>{_alt(lower(parts_before))})\s)?
            (?:
              (?P<emon>{mon})\.?\s(?P<eday>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<eyear>(?:19|20)\d\d))?
            | (?P<eday2>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<emon2>{mon})\.?(?:,?\s(?P<eyear2>(?:19|20)\d\d))?
            | (?:(?P<erelm>last|this|next)\s)?(?P<emon3>{mon})\.?(?:\s(?P<eyear3>(?:19|20)\d\d))?
            | (?P<eyrel>{_alt(lower(en_rel(years)))})
            | (?P<emrel>{_alt(lower(en_rel(months_rel)))})
            | (?:(?P<ewrel>last|this|next)\s)?(?P<ewd>{_alt(lower(en_weekdays))})
            | (?P<ewrelo>{_alt(lower(en_rel(weeks)))})
            | (?P<edrel>{_alt(lower(en_rel(days)))})
            | (?P<eq>Q[1-4])(?:\s(?P<eqy>(?:19|20)\d\d))?
            | (?:{year_after})(?P<eyear4>(?:19|20)\d\d)
            )\b))
        """
        words = [*years, *months_rel, *week_of_weekday, *days, *weekdays, *parts_before, *month_names, *fiscal]
        cjk_first = {w[0] for w in words if not w[0].isascii()} | set("〇零一二三四五六七八九十")
        latin_first = {c for w in words if w[0].isascii() for c in (w[0].lower(), w[0].upper())} | {"Q", "q"}
        starts = re.compile(rf"\d|[{''.join(map(re.escape, sorted(cjk_first)))}]"
                            rf"|(?<![A-Za-z])[{''.join(map(re.escape, sorted(latin_first)))}]")
        return cls(
            pattern=re.compile(pattern, re.X),
            starts=starts,
            years={k: int(v) for k, v in years.items()},
            months_rel={k: int(v) for k, v in months_rel.items()},
            weeks={k: int(v) for k, v in week_of_weekday.items()},
            days={k: int(v) for k, v in days.items()},
            weekdays={k: int(v) for k, v in weekdays.items()},
            parts={k: str(v) for k, v in parts.items()},
            parts_before={k.lower(): str(v) for k, v in parts_before.items()},
            month_names={k.lower(): int(v) for k, v in month_names.items()},
        )


@lru_cache(maxsize=8)
def grammar_for(rules: Rules) -> TimeGrammar:
    return TimeGrammar.from_rules(rules)


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
) -> list[TimeExpr]:
    """Every date or period expression in `text` (or in its `zones`), resolved against `published`."""
    g = grammar_for(rules or default_rules())
    pub = parse_published(published)
    out: list[TimeExpr] = []
    for m in scan(g.starts, g.pattern, text, zones):
        t = _resolve(m, g, pub)
        if t:
            out.append(t)
    _check_weekdays(text, out)
    return out


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


def _shift_month(y: int, m: int, months: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + months
    return idx // 12, idx % 12 + 1


def _guess_year(pub: dt.date, m: int, d: int | None) -> int:
    """A month (and day) without a year: the publication year, unless that lies more than two months ahead."""
    y = pub.year
    try:
        candidate = dt.date(y, m, d or 1)
    except ValueError:
        return y
    return y - 1 if (candidate - pub).days > 62 else y


def _week_day(pub: dt.date, weekday: int, week_offset: int | None) -> dt.date:
    if week_offset is None:  # bare weekday: the nearest one before publication
        back = (pub.weekday() - weekday) % 7 or 7
        return pub - dt.timedelta(days=back)
    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=week_offset)
    return monday + dt.timedelta(days=weekday)


def _iso_week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _resolve(m: re.Match, g: TimeGrammar, pub: dt.date | None) -> TimeExpr | None:
    gd = m.groupdict()
    text, start, end = m.group(), m.start(), m.end()
    # trim spaces the optional gaps may have taken at either end
    while text and text[-1] in " \u00a0":
        text, end = text[:-1], end - 1
    while text and text[0] in " \u00a0":
        text, start = text[1:], start + 1

    def make(value, precision, relative, **kw):
        return TimeExpr(text=text, start=start, end=end, value=value, precision=precision, relative=relative, **kw)

    if gd["iso"]:
        y, mo, d = int(gd["iy"]), int(gd["im"]), int(gd["id"])
        return make(f"{y:04d}-{mo:02d}-{d:02d}", "day", False) if _valid(y, mo, d) else None
    if gd["fy"]:
        return make(gd["fyy"], "year", False, fiscal=True)
    if gd["efy"]:
        y = int(gd["efyy"])
        return make(str(y if y > 99 else 2000 + y), "year", False, fiscal=True)
    if gd["cjk"] is not None and any(gd[k] for k in ("y", "yrel", "m", "mrel", "d", "wdc")):
        return _resolve_cjk(gd, g, pub, make)
    if gd["wrelo"]:
        if pub is None:
            return make(None, "week", True)
        return make(_iso_week(pub + dt.timedelta(weeks=g.weeks[gd["wrelo"]])), "week", True)
    if gd["drel"]:
        if pub is None:
            return make(None, "day", True)
        return make((pub + dt.timedelta(days=g.days[gd["drel"]])).isoformat(), "day", True)
    if gd["en"]:
        return _resolve_en(gd, g, pub, make)
    return None


def _resolve_cjk(gd: dict, g: TimeGrammar, pub: dt.date | None, make) -> TimeExpr | None:
    y = _num(gd["y"]) if gd["y"] else None
    relative = y is None and bool(gd["yrel"] or gd["mrel"] or gd["d"] or gd["m"] or gd["wdc"])
    refine = g.parts.get(gd["part"] or "", "")
    if gd["wdc"]:
        weekday = g.weekdays[gd["wdcn"]]
        if gd["d"] is None and not (gd["m"] or gd["mrel"]):
            if pub is None:
                return make(None, "day", True, weekday=weekday)
            week = g.weeks[gd["wrelc"]] if gd["wrelc"] else None
            return make(_week_day(pub, weekday, week).isoformat(), "day", True, weekday=weekday)
    if pub is None and (y is None):
        return make(None, "day" if gd["d"] else "month" if (gd["m"] or gd["mrel"]) else "year", True)
    if y is None and gd["yrel"]:
        y = pub.year + g.years[gd["yrel"]]
    month = _num(gd["m"]) if gd["m"] else None
    day = _num(gd["d"]) if gd["d"] else None
    if gd["mrel"]:
        base_y = y if y is not None else pub.year
        y, month = _shift_month(base_y, pub.month, g.months_rel[gd["mrel"]])
    if month is None and day is not None and y is None:  # 18日: the publication month
        y, month = pub.year, pub.month
    if y is None and month is not None:
        y = _guess_year(pub, month, day)
    if y is None:
        return None
    if month is None:
        if day is not None:
            return None  # 2024年18日 is not a date
        return make(f"{y:04d}", "year", relative, refine=refine, fiscal=bool(gd["yfisc"]))
    if not _valid(y, month, day):
        return None
    if day is None:
        return make(f"{y:04d}-{month:02d}", "month", relative, refine=refine)
    return make(f"{y:04d}-{month:02d}-{day:02d}", "day", relative)


def _resolve_en(gd: dict, g: TimeGrammar, pub: dt.date | None, make) -> TimeExpr | None:
    refine = g.parts_before.get((gd["epart"] or "").lower(), "")
    mon_word = gd["emon"] or gd["emon2"] or gd["emon3"]
    if mon_word:
        if not mon_word[0].isupper() or (mon_word == "May" and not (gd["eday"] or gd["eday2"] or gd["eyear3"])):
            return None  # month names are capitalised; a bare "May" is as likely the verb
        month = g.month_names[mon_word.lower()]
        day = _num(gd["eday"] or gd["eday2"])
        year = gd["eyear"] or gd["eyear2"] or gd["eyear3"]
        if year:
            y, relative = int(year), False
        elif pub is None:
            return make(None, "day" if day else "month", True)
        elif gd["erelm"]:  # last October: the most recent one before this month; next October: the coming one
            y = {"last": pub.year - (month >= pub.month), "this": pub.year,
                 "next": pub.year + (month <= pub.month)}[gd["erelm"].lower()]
            relative = True
        else:
            y, relative = _guess_year(pub, month, day), True
        if not _valid(y, month, day):
            return None
        if day:
            return make(f"{y:04d}-{month:02d}-{day:02d}", "day", relative)
        return make(f"{y:04d}-{month:02d}", "month", relative)
    if gd["eyear4"]:
        return make(gd["eyear4"], "year", False, refine=refine)
    if gd["eq"]:
        if gd["eqy"]:
            return make(gd["eqy"], "year", False, refine=gd["eq"].upper())
        return make(str(pub.year) if pub else None, "year", True, refine=gd["eq"].upper())
    if pub is None:
        return make(None, "day", True)
    if gd["eyrel"]:
        return make(str(pub.year + g.years[gd["eyrel"].lower()]), "year", True, refine=refine)
    if gd["emrel"]:
        y, mo = _shift_month(pub.year, pub.month, g.months_rel[gd["emrel"].lower()])
        return make(f"{y:04d}-{mo:02d}", "month", True)
    if gd["ewd"]:
        weekday = g.weekdays[gd["ewd"].lower()]
        week = {"last": -1, "this": 0, "next": 1}.get((gd["ewrel"] or "").lower())
        return make(_week_day(pub, weekday, week).isoformat(), "day", True, weekday=weekday)
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
