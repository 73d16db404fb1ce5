"""Times of day, parts of a day, durations and recurrences (5点半, 下午5:00, 7:56:30 pm, 三年半, every monday).

None of these dates a figure, but each must be read so that it is never taken for a date, and so the resolver
can be measured against TIMEX cases. `find_clock(text, published)` returns them as `TimeExpr` with a TIMEX
value (`T17:30`, `TMO`, `P3.5Y`, `XXXX-WXX-1`); `timex.find_times` merges them with the calendar expressions
and joins neighbours into datetimes and ranges. The grammar is built from `rules/dates.yml`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from . import patterns
from .numerals import NumeralTables, parse_numeral
from .rules import Rules, default_rules, words_in
from .scan import first_chars, gated, led_by, led_opening, opening, scan_read, trie, unnamed, word_alternation
from .timeexpr import TimeExpr, alternation as _alt, clock_duration, shift_month, words_of_all_languages as _words

NUMBER = r"\d+(?:\.\d+)?|[零〇一二两兩三四五六七八九十百]+"
SP = r"[ \u00a0]?"


@dataclass
class ClockGrammar:
    pattern: re.Pattern
    starts: re.Pattern
    groups: tuple[str, ...]  # every group name of the full grammar (the dated subset has fewer)
    calendar_pattern: re.Pattern  # the part of the grammar that can date a figure
    calendar_starts: re.Pattern
    calendar_starts_unoffset: re.Pattern  # those of calendar_starts that need no offset word
    offset_word: re.Pattern  # ago, later, 后: a quick test for dated_duration
    ascii_offset_words: tuple[str, ...]  # the ASCII ones, lowercased
    dated_duration: re.Pattern  # 两年后, 3 days ago: a text without one needs no more than calendar_starts_unoffset
    tables: NumeralTables
    day_parts: dict[str, dict]
    day_with_part: dict[str, list]
    fractions: dict[str, int]
    fractions_before: dict[str, int]
    fraction_after: dict[str, float]
    meridiem: dict[str, str]
    named: dict[str, str]
    units: dict[str, dict]
    counts: dict[str, float]
    offsets: dict[str, int]
    offsets_before: dict[str, int]
    past: frozenset[str]
    set_words: dict[str, str]
    weekdays: dict[str, int]
    references: dict[str, str]  # now -> PRESENT_REF

    @classmethod
    def from_rules(cls, rules: Rules) -> "ClockGrammar":
        d, n = rules["dates"], rules["numbers"]
        day_parts = {k.lower(): v for k, v in _words(d.get("day_parts")).items()}
        day_with_part = {k.lower(): v for k, v in _words(d.get("day_with_part")).items()}
        fractions = {k: int(v) for k, v in _words(d.get("hour_fractions")).items()}
        fractions_before = {k.lower(): int(v) for k, v in _words(d.get("hour_fractions_before")).items()}
        approx = words_in(d.get("clock_approx"))
        meridiem = {k.lower(): str(v) for k, v in _words(d.get("meridiem")).items()}
        glued = {k.lower(): str(v) for k, v in _words(d.get("meridiem_glued")).items()}
        named = {k.lower(): str(v) for k, v in _words(d.get("named_times")).items()}
        units = {k.lower(): v for k, v in _words(d.get("duration_units")).items()}
        counts = {k.lower(): float(v) for k, v in _words(d.get("duration_counts")).items()}
        fraction_after = {k.lower(): float(v) for k, v in _words(d.get("duration_fraction_after")).items()}
        offsets = {k.lower(): int(v) for k, v in _words(d.get("offset_words")).items()}
        offsets_before = {k.lower(): int(v) for k, v in _words(d.get("offset_before")).items()}
        past = words_in(d.get("range_past"))
        nxt = words_in(d.get("range_next"))
        set_words = {k.lower(): str(v) for k, v in _words(d.get("set_words")).items()}
        references = {k.lower(): str(v) for k, v in _words(d.get("reference_words")).items()}
        weekdays = {k.lower(): int(v) for k, v in _words(d.get("weekdays")).items()}
        hour_words = words_in(d.get("hour_words"))
        minute_words = words_in(d.get("minute_words"))
        set_prefixes = words_in(d.get("set_prefixes"))
        en_words = words_in(n.get("words"))
        num = rf"(?:{NUMBER}|(?=[A-Za-z])(?i:\b(?:{_alt(en_words)})(?:-(?:{_alt(en_words)}))?\b))"
        count = rf"(?:(?i:\b(?:{_alt([w for w in counts if w.isascii()])})\b)|{_alt([w for w in counts if not w.isascii()])}|{num})"
        unit = rf"(?i:{word_alternation(units)})"
        part = rf"(?i:{word_alternation(day_parts)})"
        # the amount of time after "last" (last 3 years) and after a count (3 years, 两年半)
        range_amount = rf"{SP}(?P<rn>{num}){SP}(?:个|個)?(?P<ru>{unit})"
        amount = rf"(?P<dn>{count})(?P<dhalf>半)?{SP}(?:个|個)?(?P<du>{unit})"
        branches = {
            "ref": rf"(?P<ref>(?i:{word_alternation(references)}))",
            "set": rf"""(?P<set>(?i:{word_alternation(set_words)})
                | (?<![A-Za-z])(?P<setwds>(?i:{_alt(weekdays)}))s(?![A-Za-z])
                | (?:(?i:{word_alternation(set_prefixes)})){SP}(?:(?P<setn>{num}){SP})?(?:个|個)?
                  (?:(?P<setwd>(?i:{word_alternation(weekdays)}))|(?P<setu>{unit})))""",
            "range": rf"(?P<range>(?P<rdir>(?i:{word_alternation([*past, *nxt])})){range_amount})",
            "dwp": rf"""(?P<dwp>(?i:{word_alternation(day_with_part)}))
                (?:\s(?i:at|around)\s(?P<dwph>\d{{1,2}})(?![\d:])(?!\s?(?i:{_alt(meridiem)}|{_alt(glued)})))?""",
            "time": rf"""(?P<time>
                # a dotted time (6.45) reads as one only after "at" or before am/pm: elsewhere it is a decimal
                (?:(?P<atd>(?i:at)\s)(?=\d{{1,2}}\.\d{{2}}(?!\d)))?
                (?:(?i:{word_alternation(approx)}){SP})?
                (?:(?P<tpart>{part}){SP}(?:(?i:at)\s)?)?
                (?:(?P<hh>\d{{1,2}})[:：](?P<mm>\d{{2}})(?:[:：](?P<ss>\d{{2}}))?
                  | (?:(?P<fracb>(?i:{word_alternation(fractions_before)}))\s
                      |(?P<mpast>{num})(?:\s(?i:minutes|mins|min))?\s(?i:past)\s)?
                    (?P<h>{num})(?(fracb)(?:{SP}(?:(?i:{word_alternation(hour_words)})))?
                                 |(?(mpast)(?:{SP}(?:(?i:{word_alternation(hour_words)})))?|{SP}(?:(?i:{word_alternation(hour_words)}))))
                    (?:(?P<frac>{_alt(fractions)})|{SP}(?P<mi>{num}){SP}(?:{_alt(minute_words)})?)?
                  | (?P<hm>\d{{1,2}}(?:[:.]?\d{{2}})?)\.?(?=\s?(?i:{_alt(meridiem)})(?![A-Za-z0-9])|(?i:{_alt(glued)})(?![A-Za-z0-9]))
                  | (?P<hw>{num})(?=\s(?i:{_alt(meridiem)})(?![A-Za-z])|\s{part})
                  | (?P<named>(?i:{word_alternation(named)}))
                  | (?(tpart)(?P<hb>\d{{1,2}})(?![\d:])|(?!x)x)
                  | (?(atd)(?P<hd>\d{{1,2}}\.\d{{2}})(?!\d)(?!\s?(?i:%|percent|per\scent))|(?!x)x))
                (?:\s?(?P<mer>(?i:{_alt(meridiem)})(?![A-Za-z]))|(?<=\d)(?P<merg>(?i:{_alt(glued)}))(?![A-Za-z]))?
                (?:\s(?P<tpart2>{part}))?)""",
            "trange": rf"""(?P<trange>(?P<ta>\d{{1,2}}(?::\d{{2}})?)\s?(?:-|–|(?i:to|and)(?![A-Za-z]))\s?(?P<tb>\d{{1,2}}(?::\d{{2}})?)
                (?:\s?(?P<tmer>(?i:{_alt(meridiem)})(?![A-Za-z])))?)""",
            "dur": rf"""(?P<dur>(?:(?P<dpre>(?i:{word_alternation(offsets_before)}))\s)?{amount}
                (?P<dfrac>(?i:{_alt(fraction_after)}))?
                (?:{SP}(?P<doff>(?i:{word_alternation(offsets)})))?)""",
            "part": rf"(?P<part>{part})",
        }
        # Where an expression can begin, as narrowly as the grammar allows: a digit (never inside a number, so a
        # failed reading of 134 does not go on to read 4), a CJK numeral before a unit of time, a word of the
        # tables, and count words or "in", "past", "about" only where a number or unit follows.
        nums = "零〇一二两兩三四五六七八九十百"
        unit_words = [*units, *hour_words, *minute_words, "半"]
        cjk_units = "".join(sorted({re.escape(w[0]) for w in unit_words if not w[0].isascii()}))
        # a count word or number word, whole (a trie: "a" must not try every word that starts with a)
        counted = rf"(?:{trie([w.lower() for w in [*counts, *en_words]])})(?![a-z])"
        follows = _alt([*units, *hour_words, *meridiem, *day_parts, "past"])
        numbered = rf"(?:{opening([*past, *nxt])})(?=\s?(?:[0-9{nums}]|(?i:{counted})))"
        words = [*references, *day_parts, *day_with_part, *set_words, *set_prefixes, *named, *fractions_before]
        digits = "0123456789０１２３４５６７８９"
        firsts = [digits, nums, *(w[0] for w in [*words, *weekdays, *counts, *en_words, *offsets_before, *approx,
                                                 *past, *nxt])]
        starts = gated([
            r"(?<![0-9.A-Za-z])[0-9０-９]", rf"[{nums}](?=[{nums}半]*{SP}[个個]?[{cjk_units}])", opening(words),
            opening([f"{w}s" for w in weekdays if w.isascii()]), r"(?<![A-Za-z])(?i:at)\s(?=\d{1,2}\.\d{2})",
            rf"(?<![A-Za-z])(?i:{counted}(?=[A-Za-z\s'-]{{0,30}}?(?<![A-Za-z])(?:{follows})(?![A-Za-z])))",
            rf"(?:{opening([*offsets_before, *approx])})(?=\s?(?:[0-9{nums}]|(?i:{counted})|{part}))", numbered],
            firsts)
        # Only what can date a figure, for find_times' default: the offsets (2小时后, 3 days ago, in two
        # months), the last or next N units, a day with its part (昨晚) and the moment of writing.
        offset = rf"(?i:{word_alternation(offsets)})"
        dated = rf"(?:{unit}半?(?i:{_alt(fraction_after)})?{SP}{offset})"
        # "last" and "in" date a figure only with the amount of time their branch reads after them: most stand
        # before a year (in 2016), and the grammar tried at each took 4% of an English text's dates
        unoffset = [led_opening([*references, *day_with_part]),
                    led_opening([*past, *nxt], rf"(?={unnamed(range_amount)})"),
                    led_opening(offsets_before, rf"(?=\s{unnamed(amount)})")]
        # without an offset word no expression starts at a number: the search stands only on the words' letters
        unoffset_firsts = [w[0] for w in [*references, *day_with_part, *past, *nxt, *offsets_before]]
        calendar_firsts = [digits, nums, *unoffset_firsts, *(w[0] for w in [*counts, *en_words])]
        calendar_starts = gated([
            *unoffset,
            rf"(?<![0-9.A-Za-z])[0-9０-９](?=[0-9０-９.]*{SP}(?:个|個)?{dated})", rf"[{nums}](?=[{nums}]*半?{SP}[个個]?{dated})",
            rf"(?<![A-Za-z])(?i:{counted}(?=[A-Za-z\s'-]{{0,30}}?{dated}))"], calendar_firsts)
        full = "|".join(branches[k] for k in ("ref", "set", "range", "dwp", "time", "trange", "dur", "part"))
        # the dated subset keeps a duration only with its offset
        calendar = "|".join([branches["ref"], branches["range"], branches["dwp"],
                             branches["dur"] + "(?(dpre)|(?(doff)|(?!x)x))"])
        compiled = patterns.compile(full, re.X)
        return cls(pattern=compiled, groups=tuple(compiled.groupindex), starts=starts,
                   calendar_pattern=patterns.compile(calendar, re.X), calendar_starts=calendar_starts,
                   calendar_starts_unoffset=gated(unoffset, unoffset_firsts),
                   offset_word=led_by(first_chars(offsets), offset),
                   ascii_offset_words=tuple(sorted({w.lower() for w in offsets if w.isascii()})),
                   dated_duration=led_by(first_chars(units), dated),
                   tables=NumeralTables.from_rules(rules),
                   day_parts=day_parts, day_with_part=day_with_part, fractions=fractions,
                   fractions_before=fractions_before, fraction_after=fraction_after,
                   meridiem={**meridiem, **glued},
                   named=named, units=units, counts=counts, offsets=offsets, offsets_before=offsets_before,
                   past=frozenset(w.lower() for w in past),
                   set_words=set_words, weekdays=weekdays, references=references)


@lru_cache(maxsize=8)
def grammar_for(rules: Rules) -> ClockGrammar:
    return ClockGrammar.from_rules(rules)


def find_clock(text: str, published: dt.date | None, rules: Rules | None = None, *,
               zones: Iterable[tuple[int, int]] | None = None,
               published_at: dt.datetime | None = None, dated_only: bool = False) -> list[TimeExpr]:
    """Times of day, parts of a day, durations and recurrences in `text`, with TIMEX values. With the time of
    publication (`published_at`), "2小时后" and "in 5 minutes" resolve to a clock time too. `dated_only` reads
    only what can date a figure (offsets, the last N years, 昨晚, now): much faster, for claims."""
    g = grammar_for(rules or default_rules())
    starts, pattern = (g.calendar_starts, g.calendar_pattern) if dated_only else (g.starts, g.pattern)
    if dated_only and not _has_dated_duration(text, g):
        # the starts of "3 days ago" and "两年后" look ahead for the offset word from every number and count
        # word (a, an, one): a tenth of the time an English text's dates take, and most texts have none
        starts = g.calendar_starts_unoffset
    return list(scan_read(starts, pattern, text, zones,
                          lambda m: within_calendar(_resolve, m, g, published, published_at)))


def _has_dated_duration(text: str, g: ClockGrammar) -> bool:
    """Whether a unit of time followed by an offset word (年后, days ago) stands in `text`, as every start of
    calendar_starts but the unoffset ones looks ahead for. The offset word is tested first: in an ASCII text as a
    substring of the text lowercased (a quarter of the time of a search), in others by a search that stops only
    on its first characters. The unit is needed as well, as 后 and 前 alone stand in many Chinese texts (融资后,
    此前: 23 of 40 generated ones), and reading those from every number took an eighth of their dates' time."""
    if text.isascii():
        folded = text.lower()
        if not any(w in folded for w in g.ascii_offset_words):
            return False
    elif g.offset_word.search(text) is None:
        return False
    return g.dated_duration.search(text) is not None


def within_calendar(resolve: Callable[..., TimeExpr | None], *args) -> TimeExpr | None:
    """`resolve(*args)`, or None where the arithmetic leaves the calendar (the day after 9999-12-31)."""
    try:
        return resolve(*args)
    except (OverflowError, ValueError):
        return None


def _number(s: str | None, g: ClockGrammar) -> float | None:
    if not s:
        return None
    if s.lower() in g.counts:
        return g.counts[s.lower()]
    n = parse_numeral(s, g.tables)
    return None if n is None or n.vague else n.value


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def duration_timex(amount: float, unit: dict) -> str:
    return f"P{'T' if unit.get('time') else ''}{_fmt(amount)}{unit['unit']}"


def _resolve(m: re.Match, g: ClockGrammar, pub: dt.date | None, pub_at: dt.datetime | None) -> TimeExpr | None:
    gd = {**dict.fromkeys(g.groups), **m.groupdict()}
    text, start, end = m.group(), m.start(), m.end()
    while text and text[-1] in " \u00a0":
        text, end = text[:-1], end - 1
    if gd["dpre"] and gd["doff"]:  # in two days from today: the offset is said after, "in" is not part of it
        start = m.start("dn")
        text = m.string[start:end]

    def make(kind: str, timex: str, value: str | None = None, precision: str = "time") -> TimeExpr:
        return TimeExpr(text=text, start=start, end=end, value=value, precision=precision, relative=False,
                        kind=kind, timex=timex)

    if gd["ref"]:
        return make("datetime", g.references[gd["ref"].lower()], pub.isoformat() if pub else None, "day")
    if gd["set"]:
        return _resolve_set(gd, g, make)
    if gd["range"]:
        return _relative_range(gd, g, pub, make)
    if gd["dwp"]:
        offset, code = g.day_with_part[gd["dwp"].lower()]
        day = (pub + dt.timedelta(days=int(offset))).isoformat() if pub else "XXXX-XX-XX"
        if gd["dwph"]:  # tonight around 7: the hour, in that part of the day
            hour = int(gd["dwph"])
            hour += 12 if code in ("AF", "EV", "NI") and hour < 12 else 0
            return make("datetime", f"{day}T{hour:02d}", day if pub else None, "day") if hour < 24 else None
        return make("datetimerange", f"{day}T{code}", day if pub else None, "day")
    if gd["time"]:
        return _resolve_time(gd, g, pub, make)
    if gd["trange"]:
        return _shared_meridiem_range(gd, g, make)
    if gd["dur"]:
        amount = _number(gd["dn"], g)
        if amount is None:
            return None
        amount += (0.5 if gd["dhalf"] else 0.0) + (g.fraction_after[gd["dfrac"].lower()] if gd["dfrac"] else 0.0)
        unit = g.units[gd["du"].lower()]
        if gd["doff"] or gd["dpre"]:  # 2小时后, 3 days ago, in two months: a point, dated to the day
            sign = g.offsets[gd["doff"].lower()] if gd["doff"] else g.offsets_before[gd["dpre"].lower()]
            if unit.get("time") and pub_at is not None:  # and to the second, when the time of writing is known
                seconds = {"H": 3600, "M": 60, "S": 1}[unit["unit"]] * amount * sign
                at = pub_at + dt.timedelta(seconds=seconds)
                return make("datetime", at.strftime("%Y-%m-%dT%H:%M:%S"), at.date().isoformat(), "day")
            if pub is None or (gd["dpre"] and unit.get("time")):
                return None if pub else make("date", "", None, "day")
            day = _shift(pub, unit["unit"] if not unit.get("time") else "T", sign * amount)
            return make("date", day.isoformat(), day.isoformat(), "day")
        return make("duration", duration_timex(amount, unit))
    if gd["part"]:
        part = g.day_parts[gd["part"].lower()]
        if "day" in part and pub:
            day = (pub + dt.timedelta(days=int(part["day"]))).isoformat()
            return make("datetimerange", f"{day}T{part['code']}", day, "day")
        return make("timerange", f"T{part['code']}")
    return None


def _resolve_set(gd: dict, g: ClockGrammar, make: Callable) -> TimeExpr | None:
    if gd["setwds"]:  # Tuesdays
        return make("set", f"XXXX-WXX-{g.weekdays[gd['setwds'].lower()] + 1}")
    word = gd["set"].lower()
    if word in g.set_words:
        return make("set", g.set_words[word])
    if gd["setwd"]:
        return make("set", f"XXXX-WXX-{g.weekdays[gd['setwd'].lower()] + 1}")
    amount = _number(gd["setn"], g) if gd["setn"] else 1.0
    if amount is None:
        return None
    return make("set", duration_timex(amount, g.units[gd["setu"].lower()]))


def _relative_range(gd: dict, g: ClockGrammar, pub: dt.date | None, make: Callable) -> TimeExpr | None:
    """过去十年, next 3 days: N units ending at the reference day, or starting the day after it."""
    amount, unit = _number(gd["rn"], g), g.units[gd["ru"].lower()]
    if amount is None or amount != int(amount) or unit.get("time"):
        return None
    dur = duration_timex(amount, unit)
    if pub is None:
        return make("daterange", "", None, "day")
    if gd["rdir"].lower() in g.past:
        a, b = _shift(pub, unit["unit"], -amount), pub
    else:
        a = pub + dt.timedelta(days=1)
        b = _shift(a, unit["unit"], amount)
    return make("daterange", f"({a.isoformat()},{b.isoformat()},{dur})", a.isoformat(), "day")


def _shift(day: dt.date, unit: str, amount: float) -> dt.date:
    """`day` moved by `amount` units (the last day of a shorter month where the day runs over). Past the
    calendar's ends this raises, and `within_calendar` reads the expression as nothing."""
    n = int(amount)
    if unit == "D":
        return day + dt.timedelta(days=n)
    if unit == "W":
        return day + dt.timedelta(weeks=n)
    if unit in ("M", "Y"):
        y, m = shift_month(day.year, day.month, n * (12 if unit == "Y" else 1))
        return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))
    return day  # hours and smaller: the same day


def _shared_meridiem_range(gd: dict, g: ClockGrammar, make: Callable) -> TimeExpr | None:
    """5 to 6pm, 8-9am: the marker after the second end holds for the first, unless that would put it later.
    With no marker (from 7 to 7:30) one end must give minutes, or two numbers are not a time."""
    if not gd["tmer"] and ":" not in gd["ta"] + gd["tb"]:
        return None
    mer = g.meridiem[gd["tmer"].lower()] if gd["tmer"] else ""
    ends = []
    for raw in (gd["ta"], gd["tb"]):
        h, _, mi = raw.partition(":")
        ends.append([int(h), mi])
    if not all(0 < h <= 12 for h, _ in ends):
        return None
    for end in ends:
        end[0] = end[0] % 12 + (12 if mer == "pm" else 0) if mer else end[0]
    if ends[0][0] > ends[1][0]:
        ends[0][0] -= 12
    if ends[0][0] < 0:
        return None
    (ha, ma), (hb, mb) = ends
    a, b = f"T{ha:02d}" + (f":{ma}" if ma else ""), f"T{hb:02d}" + (f":{mb}" if mb else "")
    minutes = (hb * 60 + int(mb or 0)) - (ha * 60 + int(ma or 0))
    if minutes <= 0:
        return None
    return make("timerange", f"({a},{b},{clock_duration(minutes * 60)})")


def _resolve_time(gd: dict, g: ClockGrammar, pub: dt.date | None, make: Callable) -> TimeExpr | None:
    part_word = gd["tpart"] or gd["tpart2"]
    part = g.day_parts.get(part_word.lower(), {}) if part_word else {}
    second = None
    if gd["hh"]:
        hour, minute, second = int(gd["hh"]), int(gd["mm"]), gd["ss"]
    elif gd["hm"] or gd["hd"]:
        digits = (gd["hm"] or gd["hd"]).replace(":", "").replace(".", "")
        hour, minute = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), None)
    elif gd["hb"]:
        hour, minute = int(gd["hb"]), None
    elif gd["named"]:
        hour, minute = (int(x) for x in g.named[gd["named"].lower()].split(":"))
    else:
        h = _number(gd["h"] or gd["hw"], g)
        if h is None or h != int(h):
            return None
        hour = int(h)
        minute = g.fractions[gd["frac"]] if gd["frac"] else g.fractions_before.get((gd["fracb"] or "").lower())
        if gd["mpast"]:
            past = _number(gd["mpast"], g)
            minute = int(past) if past is not None and past == int(past) else None
        if gd["mi"]:
            mi = _number(gd["mi"], g)
            if mi is None or mi != int(mi):
                return None
            minute = int(mi)
    mer = g.meridiem.get((gd["mer"] or gd["merg"] or "").lower())
    if mer == "pm" or (part.get("pm") and not mer):
        hour += 12 if hour < 12 else 0
    elif mer == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 24 and (minute is None or 0 <= minute < 60)):
        return None
    timex = f"T{hour:02d}" + (f":{minute:02d}" if minute is not None else "") + (f":{second}" if second else "")
    if "day" in part and pub:
        day = (pub + dt.timedelta(days=int(part["day"]))).isoformat()
        t = make("datetime", f"{day}{timex}", day, "day")
    else:
        t = make("time", timex)
    t.refine = part.get("code") or mer or ""  # a stated part of day: a range's second end keeps its own
    return t
