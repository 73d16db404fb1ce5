"""A metric that usually rises (a valuation) reported lower at a later date."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, fact_name, party_names, describe, make_finding, overlaps, same_period


SCOPE = "parties"  # works inside one key


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    for key, claims in ctx.disputable:
        spec = ctx.metric_spec(claims[0].metric)
        if not spec.get("rises") or spec.get("kind") != "stock":
            continue
        dated = sorted((c for c in claims if c.as_of), key=lambda c: (c.as_of, c.id))
        for i, a in enumerate(dated):
            falls = [b for b in dated[i + 1:] if not same_period(a.as_of, b.as_of) and b.high < a.low]
            if not falls:
                continue
            b = falls[0]
            earlier = [a.id, *ctx.copies_of(a.id)]
            later = [i for b2 in falls if overlaps(b2, b) for i in (b2.id, *ctx.copies_of(b2.id))]
            yield make_finding(
                check, earlier + later,
                {"key": key, "a": describe(ctx, a), "b": describe(ctx, b), "metric": fact_name(ctx, a),
                 "parties": party_names(ctx, a), "date_a": a.as_of, "date_b": b.as_of},
                key=key, sides=[earlier, later],
            )
            break
