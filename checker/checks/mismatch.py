"""Same key, same period, values whose intervals cannot both hold."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, agreeing_groups, describe, hints, make_finding, overlaps, same_period


SCOPE = "parties"  # works inside one key


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    for key, claims in ctx.disputable:
        disputed = {}
        for i, a in enumerate(claims):
            for b in claims[i + 1:]:
                if a.unit == b.unit and same_period(a.as_of, b.as_of) and not overlaps(a, b):
                    disputed[a.id], disputed[b.id] = a, b
        if not disputed:
            continue
        groups = agreeing_groups(list(disputed.values()))
        low, high = groups[0][0], groups[-1][0]
        # each side also shows the copies and translations that repeat it
        sides = [[c for g in group for c in (g, *ctx.copies_of(g.id))] for group in groups]
        yield make_finding(
            check, sorted((c for side in sides for c in side), key=lambda c: c.id),
            {"key": key, "a": describe(ctx, low), "b": describe(ctx, high), "metric": low.metric,
             "parties": "/".join(low.parties), "period": low.as_of},
            key=key, sides=sides, found_hints=hints(low, high, ctx),
        )
