"""Same key, same period, values whose intervals cannot both hold."""
from __future__ import annotations

from typing import Iterator

from ..claims import Claim
from ..compare import CheckContext, Finding, fact_name, party_names, agreeing_groups, describe, hints, make_finding, same_period


SCOPE = "parties"  # works inside one key


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    for key, claims in ctx.disputable:
        disputed = _disputed(claims)
        if not disputed:
            continue
        groups = agreeing_groups(disputed)
        low, high = groups[0][0], groups[-1][0]
        # each side also shows the copies and translations that repeat it
        sides = [[i for g in group for i in (g.id, *ctx.copies_of(g.id))] for group in groups]
        yield make_finding(
            check, sorted(i for side in sides for i in side),
            {"key": key, "a": describe(ctx, low), "b": describe(ctx, high), "metric": fact_name(ctx, low),
             "parties": party_names(ctx, low), "period": low.as_of},
            key=key, sides=sides, found_hints=hints(low, high, ctx),
        )


def _disputed(claims: list[Claim]) -> list[Claim]:
    """The claims that another claim of the same unit and period cannot agree with. Found per pair of periods,
    not per pair of claims (a fact an archive reports a thousand times is a thousand claims): a claim and a
    set of claims cannot agree when its low lies above the least high of the set or its high below the
    greatest low."""
    by_period: dict[tuple[str, str], list[Claim]] = {}
    for c in claims:
        if c.as_of:  # a count of packages and a count of batches are measured in different things
            by_period.setdefault((f"{c.unit}:{c.counted}", c.as_of), []).append(c)
    bounds = {p: (min(c.high for c in cs), max(c.low for c in cs)) for p, cs in by_period.items()}
    out: dict[str, Claim] = {}
    for (unit, period), cs in by_period.items():
        for (other_unit, other_period), (least_high, greatest_low) in bounds.items():
            if other_unit == unit and same_period(period, other_period):
                out.update((c.id, c) for c in cs if c.low > least_high or c.high < greatest_low)
    return list(out.values())
