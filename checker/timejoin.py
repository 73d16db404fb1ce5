"""Join neighbouring time expressions into what they say together: a date and a time of it (明天下午5:00,
Tuesdays at 9am), two ends into one range (从2016年一月十日到十二日, from 3:30 to 5:55 on 1/1/2015), a year said
after its date (july 4th of 1995), and the bounds that go with a period (since August, between 10 and 11:30).

`compose(text, exprs, rules)` is called by `timex.find_times` on the calendar and clock expressions of a text.
Its words (range openers, connectors and closers, modifiers, date-time joiners) come from `rules/dates.yml`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from . import patterns
from .rules import Rules, words_in
from .scan import ends_near
from .timeexpr import TimeExpr, alternation, clock_duration


# what stands between a date and a year said after it (july 4th of 1995), or a weekday next to it (10月12号，星期一)
_YEAR_AFTER = (" of ", " in ", ", ", " ")
_WEEKDAY_AFTER = ("，", ",", ", ", " ")


@dataclass(frozen=True)
class JoinGrammar:
    opener: re.Pattern  # 从, from, between: read backwards from the first end of a range
    connector: re.Pattern  # 到, to, -: the whole text between the two ends
    closer: re.Pattern  # 之间: right after the second end
    needs_opener: frozenset[str]  # connectors that join a range only with an opener or closer (和, and)
    and_openers: frozenset[str]  # the openers that allow them (between)
    modifier: re.Pattern  # since, before, more than: read backwards from an expression's start
    bound_near: re.Pattern  # whether an opener or a modifier can end right before a position: tested first
    date_time_joiner: re.Pattern  # at, on: the whole text between a date and its time
    widest_join: int  # the most characters between a date and what joins it (a time, its year or weekday)

    @classmethod
    def from_rules(cls, rules: Rules) -> "JoinGrammar":
        d = rules["dates"]
        openers, connectors, closers, modifiers, joiners = (words_in(d.get(k)) for k in (
            "range_openers", "range_connectors", "range_closers", "modifiers", "date_time_joiners"))
        return cls(
            opener=patterns.compile(rf"\s?(?:{_reversed(openers)})(?![A-Za-z])", re.I),
            connector=patterns.compile(rf"\s*(?:{alternation(connectors)})\s*", re.I),
            closer=patterns.compile(rf"\s?(?:{alternation(closers)})"),
            needs_opener=frozenset(w for w in connectors if w.lower() in ("and", "和")),
            and_openers=frozenset(w.lower() for w in words_in(d.get("and_openers"))),
            modifier=patterns.compile(rf"\s?(?:{_reversed(modifiers)})(?![A-Za-z])", re.I),
            bound_near=ends_near([*openers, *modifiers], r"\s?"),
            date_time_joiner=patterns.compile(rf"\s?(?:{alternation(joiners)})?\s?", re.I),
            widest_join=max([len(w) + 2 for w in joiners] + [len(w) for w in (*_YEAR_AFTER, *_WEEKDAY_AFTER)]),
        )


def _reversed(words: Iterable[str]) -> str:
    """An alternation of `words` written backwards, to match them against the text before a position."""
    return alternation(w[::-1] for w in words)


@lru_cache(maxsize=8)
def grammar_for(rules: Rules) -> JoinGrammar:
    return JoinGrammar.from_rules(rules)


def compose(text: str, exprs: list[TimeExpr], rules: Rules) -> list[TimeExpr]:
    """`exprs` (sorted, not overlapping) with neighbours joined: a date and a time of it into a datetime
    (明天下午5:00), then two ends into a range (从2016年一月十日到十二日, 下午五点到晚上七点半)."""
    g = grammar_for(rules)
    _extend_by_bounds(text, exprs, g, ranges_only=True)  # between 10 and 11:30, before it meets its day
    joined = _join_dates_and_times(text, exprs, g)
    out: list[TimeExpr] = []
    for t in joined:
        prev = out[-1] if out else None
        if prev and (r := _range(text, prev, t, g)):
            out[-1] = r
        else:
            out.append(t)
    out = _join_dates_and_times(text, out, g)  # Monday morning from 10am to 12pm: a day and a range of it
    _extend_by_bounds(text, out, g)
    return out


def _extend_by_bounds(text: str, exprs: list[TimeExpr], g: JoinGrammar, ranges_only: bool = False) -> None:
    """since August, before 2018, more than 4 days, between 10 and 11:30: the bound joins the span. A range's
    opener joins first; the other bounds only once ranges are built (until 5pm may be a range's second end)."""
    for t in exprs:
        is_range = t.timex.startswith("(")
        if (ranges_only and not is_range) or not g.bound_near.search(text, max(0, t.start - 2), t.start):
            continue
        before = text[max(0, t.start - 24):t.start][::-1]
        m = (None if ranges_only else g.modifier.match(before)) or (g.opener.match(before) if is_range else None)
        if m and (t.start - m.end() == 0 or not text[t.start - m.end() - 1].isalpha()):
            t.start -= m.end()
            t.text = text[t.start:t.end]


def _join_dates_and_times(text: str, exprs: list[TimeExpr], g: JoinGrammar) -> list[TimeExpr]:
    joined: list[TimeExpr] = []
    for t in exprs:
        prev = joined[-1] if joined else None
        if prev is None or t.start - prev.end > g.widest_join:  # most dates of a text stand far apart
            joined.append(t)
            continue
        between = text[prev.end:t.start]
        if g.date_time_joiner.fullmatch(text, prev.end, t.start) and (dt_ := _date_with_time(text, prev, t)):
            joined[-1] = dt_
        elif between in _YEAR_AFTER and (with_year := _with_year(text, prev, t)):
            joined[-1] = with_year
        elif between in _WEEKDAY_AFTER and (_names_its_weekday(prev, t) or _names_its_weekday(t, prev)):
            # 10月12号，星期一, Tuesday March 7: one expression; the date wins and a mismatch is already noted
            date = prev if prev.weekday is None else t
            date.start, date.end = prev.start, t.end
            date.text = text[date.start:date.end]
            joined[-1] = date
        else:
            joined.append(t)
    return joined


def _with_year(text: str, date: TimeExpr, year: TimeExpr) -> TimeExpr | None:
    """july 4th of 1995, 26 june to 28 june in 2020: a year said after a date (or range) that had none."""
    if "XXXX" not in date.timex or year.precision != "year" or not re.fullmatch(r"\d{4}", year.timex or ""):
        return None
    timex = date.timex.replace("XXXX", year.timex)
    first = timex.strip("(").split(",")[0]
    value = first if _iso_date(first) else None
    return TimeExpr(text=text[date.start:year.end], start=date.start, end=year.end, value=value,
                    precision=date.precision, relative=False, kind=date.kind, timex=timex, refine=date.refine)


def _iso_date(s: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d\d(-\d\d)?", s)) and bool(dt.date.fromisoformat(s if len(s) == 10 else s + "-01"))
    except ValueError:
        return False


def _names_its_weekday(date: TimeExpr, weekday: TimeExpr) -> bool:
    return (date.kind == "date" and date.weekday is None and weekday.weekday is not None
            and weekday.kind == "date" and (weekday.value == date.value or date.value is None))


def _date_part(t: TimeExpr) -> str | None:
    if t.kind == "date" and t.precision == "day":
        return t.timex
    if t.kind == "datetimerange" and t.value and "T" in t.timex and not t.timex.startswith("("):
        return t.timex.split("T")[0]
    return None


def _recurring_at(text: str, a: TimeExpr, b: TimeExpr) -> TimeExpr | None:
    """Tuesdays at 9am, Friday mornings, 3pm each day: a recurrence and the time or day it recurs at."""
    day = next((t for t in (a, b) if t.timex.startswith("XXXX-WXX-") and "T" not in t.timex), None)
    clock = next((t for t in (a, b) if t is not day and t.timex.startswith("T")), None)
    if day is None or clock is None or "set" not in (a.kind, b.kind):
        timed = next((t for t in (a, b) if t.kind == "time"), None)
        daily = next((t for t in (a, b) if t.kind == "set" and t.timex == "P1D"), None)
        if not (timed and daily):
            return None
        day, clock = None, timed
    start, end = min(a.start, b.start), max(a.end, b.end)
    return TimeExpr(text=text[start:end], start=start, end=end, value=None, precision="time", relative=False,
                    kind="set", timex=(day.timex if day else "") + clock.timex)


def _date_with_time(text: str, a: TimeExpr, b: TimeExpr) -> TimeExpr | None:
    if "set" in (a.kind, b.kind):
        return _recurring_at(text, a, b)
    date, clock = (a, b) if _date_part(a) else (b, a)
    day = _date_part(date)
    if day is None or clock.kind not in ("time", "timerange"):
        return None
    start, end = min(a.start, b.start), max(a.end, b.end)
    kind = "datetime" if clock.kind == "time" else "datetimerange"
    if clock.timex.startswith("("):  # 1/1/2015 between 10 and 11:30: the day goes to both ends
        first, last, dur = clock.timex[1:-1].split(",")
        timex = f"({day}{first},{day}{last},{dur})"
    else:
        timex = f"{day}{clock.timex}"
    return TimeExpr(text=text[start:end], start=start, end=end, value=date.value, precision="day",
                    relative=date.relative, kind=kind, timex=timex, refine=clock.refine)


_FAMILY = {"date": "date", "daterange": "date", "time": "time", "datetime": "datetime"}


def _range(text: str, a: TimeExpr, b: TimeExpr, g: JoinGrammar) -> TimeExpr | None:
    """`a` and `b` as the two ends of one range, when the text between them is a connector."""
    # the day is said once, at one end: 3:00 to 4:00 tomorrow, Thursday 19:00 - 21:00
    if a.kind == "time" and b.kind == "datetime":
        a = _on_day_of(a, b)
    elif a.kind == "datetime" and b.kind == "time":
        b = _on_day_of(b, a)
    family = _FAMILY.get(a.kind)
    if family is None or family != _FAMILY.get(b.kind) or a.precision != b.precision or not a.timex or not b.timex:
        return None
    if family in ("time", "datetime") and not all(re.search(r"T\d\d", t.timex) for t in (a, b)):
        return None  # PRESENT_REF and parts of a day are not clock times
    between = g.connector.fullmatch(text, a.end, b.start)
    if between is None:
        return None
    opener = g.opener.match(text[max(0, a.start - 12):a.start][::-1])
    closer = g.closer.match(text, b.end)
    if between.group().strip().lower() in {w.lower() for w in g.needs_opener} and not (
            closer or (opener and opener.group().strip()[::-1].lower() in g.and_openers)):
        return None
    first, last = a.timex, _fill_from(a.timex, b.timex)
    value = a.value
    if first.startswith("XXXX") and last[:4].isdigit():  # June-August 1992, Nov-Feb 2017: the year is said last
        year = int(last[:4]) - (first[5:] > last[5:])
        first = f"{year:04d}{first[4:]}"
        value = first[:len(a.value)] if a.value else a.value  # 1992-06, not June of the publication's year
    if family in ("time", "datetime"):
        day, _, clock_a = first.partition("T") if family == "datetime" else ("", "", first[1:])
        day_b, _, clock_b = last.partition("T") if family == "datetime" else ("", "", last[1:])
        clock_b = _after_noon(a, b, "T" + clock_b)[1:]
        clock_a = _before_noon_unless_said(a, b, "T" + clock_a, "T" + clock_b)[1:]
        first, last = (f"{day}T{clock_a}", f"{day_b}T{clock_b}") if family == "datetime" else (f"T{clock_a}", f"T{clock_b}")
    duration = _duration_between(first, last, a.precision)
    if duration is None:
        return None
    if a.precision == "month":  # a range of months runs from the first day of each
        first, last = f"{first}-01", f"{last}-01"
    start = a.start - (opener.end() if opener else 0)
    end = closer.end() if closer else b.end
    return TimeExpr(text=text[start:end], start=start, end=end, value=value, precision=a.precision,
                    relative=a.relative or b.relative, kind=f"{family}range",
                    timex=f"({first},{last},{duration})")


def _on_day_of(clock: TimeExpr, other: TimeExpr) -> TimeExpr:
    return TimeExpr(text=clock.text, start=clock.start, end=clock.end, value=other.value, precision=other.precision,
                    relative=other.relative, kind="datetime", timex=other.timex.split("T")[0] + clock.timex,
                    refine=clock.refine)


def _fill_from(first: str, last: str) -> str:
    """The second end inherits what it leaves unstated: 2016年1月10日到12日 ends on 2016-01-12."""
    if "T" in last and last.startswith("T"):
        return last
    date, _, clock = last.partition("T")
    a_parts, b_parts = first.split("T")[0].split("-"), date.split("-")
    filled = [bp if "X" not in bp or i >= len(a_parts) else a_parts[i] for i, bp in enumerate(b_parts)]
    return "-".join(filled) + (f"T{clock}" if clock else "")


def _after_noon(a: TimeExpr, b: TimeExpr, last: str) -> str:
    """下午5:00到6:00: an hour with no part of day of its own follows the first end past noon."""
    ha, hb = int(a.timex.split("T")[-1][:2]), int(last[1:3])
    if ha >= 12 and hb < 12 and not b.refine:
        return f"T{hb + 12:02d}{last[3:]}"
    return last


def _before_noon_unless_said(a: TimeExpr, b: TimeExpr, first: str, last: str) -> str:
    """from 2:00 to 2:30 pm: the second end's pm holds for the first when that keeps the range in order."""
    ha, hb = int(first[1:3]), int(last[1:3])
    if not a.refine and b.refine and ha < 12 and ha + 12 <= hb:
        return f"T{ha + 12:02d}{first[3:]}"
    return first


def _seconds(clock: str) -> int:
    parts = [int(p) for p in clock.split(":")]
    return parts[0] * 3600 + (parts[1] if len(parts) > 1 else 0) * 60 + (parts[2] if len(parts) > 2 else 0)


def _duration_between(first: str, last: str, precision: str) -> str | None:
    """TIMEX duration between two ends: P2D for days, PT2H30M for clock times, PT461H for datetimes."""
    try:
        if first.startswith("T"):
            secs = _seconds(last[1:]) - _seconds(first[1:])
        elif "T" in first:
            d1, t1 = first.split("T")
            d2, t2 = last.split("T")
            days = 0 if d1 == d2 else (dt.date.fromisoformat(d1.replace("XXXX", "2000"))
                                       - dt.date.fromisoformat(d2.replace("XXXX", "2000"))).days
            secs = -days * 86400 + _seconds(t2) - _seconds(t1)
        elif precision == "day":
            start = dt.date.fromisoformat(first.replace("XXXX", "2000"))
            days = (dt.date.fromisoformat(last.replace("XXXX", "2000")) - start).days
            if days <= 0 and first.startswith("XXXX") and last.startswith("XXXX"):  # 10/25 to 01/25: next year's
                days = (dt.date.fromisoformat(last.replace("XXXX", "2001")) - start).days
            return f"P{days}D" if days > 0 else None
        elif precision == "year":
            years = int(last) - int(first)
            return f"P{years}Y" if years > 0 else None
        elif precision == "month":
            if first.startswith("XXXX") and last.startswith("XXXX"):  # April-September: no year said, the
                months = (int(last[5:7]) - int(first[5:7])) % 12    # range within twelve months from its start
            else:
                months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7])
            return f"P{months}M" if months > 0 else None
        else:
            return None
    except ValueError:
        return None
    return clock_duration(secs) if secs > 0 else None
