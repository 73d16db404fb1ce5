"""A running total (a cumulative metric) reported at two times: it may not shrink, and growth should be
accounted for by a payment reported in between."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterator

from ..compare import CheckContext, Finding, fact_name, party_names, describe, make_finding, money, overlaps, same_period
from ..rules import Rules


def _days_apart(a: str | None, b: str | None) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return None


SCOPE = "parties"  # works inside one party set (a total and the payments adding to it)


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    params = check.get("params", {})
    tolerance = float(params.get("payment_tolerance", 0.5))
    same_week = int(params.get("same_week_days", 7))
    mode = params.get("report", "growth")  # growth: unexplained rise (warning); shrink: a fall (conflict)
    for key, claims in ctx.disputable:
        metric = claims[0].metric
        if ctx.metric_spec(metric).get("kind") != "cumulative":
            continue
        events = _payments(ctx, metric, claims[0].parties)
        dated = sorted((c for c in claims if c.as_of), key=lambda c: (c.as_of, c.id))
        for i, a in enumerate(dated):
            for b in dated[i + 1:]:
                if same_period(a.as_of, b.as_of) or overlaps(a, b):
                    continue
                if mode == "shrink" and b.high < a.low:
                    yield _finding(check, ctx, key, a, b, dated, "", same_week)
                elif mode == "growth" and b.low > a.high:
                    grow_low, grow_high = b.low - a.high, b.high - a.low
                    between = [e for e in events if _between(e.as_of, a.as_of, b.as_of)
                               and e.high >= grow_low * (1 - tolerance) and e.low <= grow_high * (1 + tolerance)]
                    if between:
                        continue
                    growth = money(grow_low, a.unit) if grow_low == grow_high else \
                        f"{money(grow_low, a.unit)}–{money(grow_high, a.unit)}"
                    yield _finding(check, ctx, key, a, b, dated, growth, same_week)


def _between(period: str, after: str, until: str) -> bool:
    """`period` lies after `after` ends and no later than `until`."""
    return not same_period(period, after) and after < period and (period <= until or same_period(period, until))


def _payments(ctx: CheckContext, total_metric: str, parties: list[str]) -> list:
    """One-off payments of the metric the running total adds up (investment for investment_total)."""
    base = _added_up_by(ctx.rules, total_metric)
    return [c for c in ctx.with_parties(parties) if c.metric in base and c.as_of]


@lru_cache(maxsize=64)
def _added_up_by(rules: Rules, total_metric: str) -> frozenset[str]:
    """The metrics whose payments a running total adds up, looked up once per rule set, not once per fact."""
    return frozenset(mid for mid, spec in rules["metrics"].get("metrics", {}).items()
                     if (spec.get("running_total") or {}).get("metric") == total_metric)


def _finding(check, ctx, key, a, b, dated, growth, same_week) -> Finding:
    # each side holds the reports that say what it says and disagree with the other side
    earlier = [c for c in dated if same_period(c.as_of, a.as_of) and overlaps(c, a) and not overlaps(c, b)]
    later = [c for c in dated if same_period(c.as_of, b.as_of) and overlaps(c, b) and not overlaps(c, a)]
    da, db = ctx.doc(a), ctx.doc(b)
    apart = _days_apart(da.published, db.published)
    when = ""
    if apart is not None and apart <= same_week:
        when = " The two reports were published on the same day." if apart == 0 else \
            f" The two reports were published {apart} day{'s' if apart > 1 else ''} apart."
    earlier, later = [c.id for c in earlier], [c.id for c in later]
    return make_finding(
        check, earlier + later,
        {"key": key, "a": describe(ctx, a), "b": describe(ctx, b), "growth": growth, "metric": fact_name(ctx, a),
         "parties": party_names(ctx, a), "when": when},
        key=key, sides=[earlier, later],
    )
