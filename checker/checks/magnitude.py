"""Two reports of one fact whose figures are the same digits a power of ten apart (40 GWh and 40 MWh, 560億 and
56亿): a unit or a scale word slipped in one of them, whatever periods the reports give."""
from __future__ import annotations

import math
from typing import Iterator

from ..compare import CheckContext, Finding, fact_name, party_names, describe, make_finding, same_period


SCOPE = "parties"  # works inside one key


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    params = check.get("params") or {}
    powers = {int(p) for p in params.get("powers_of_ten", [1, 3, 4])}
    tolerance = float(params.get("tolerance", 0.005))
    for key, claims in ctx.disputable:
        exact = sorted((c for c in claims if c.value), key=lambda c: (c.value, c.id))
        for i, a in enumerate(exact):
            slipped = [b for b in exact[i + 1:] if _power_apart(a.value, b.value, powers, tolerance)
                       and a.unit == b.unit and a.counted == b.counted
                       and not same_period(a.as_of, b.as_of)]  # within one period the mismatch check speaks
            if not slipped:
                continue
            b = slipped[0]
            small, large = [a.id, *ctx.copies_of(a.id)], [b.id, *ctx.copies_of(b.id)]
            yield make_finding(
                check, small + large,
                {"key": key, "a": describe(ctx, a), "b": describe(ctx, b), "metric": fact_name(ctx, a),
                 "parties": party_names(ctx, a), "times": f"{b.value / a.value:,.0f}"},
                key=key, sides=[small, large],
            )
            break


def _power_apart(a: float, b: float, powers: set[int], tolerance: float) -> bool:
    """Whether b is a times ten to one of the powers, to within the tolerance."""
    if a <= 0 or b <= 0:
        return False
    exponent = math.log10(b / a)
    nearest = round(exponent)
    return nearest in powers and abs(b / a / 10 ** nearest - 1) <= tolerance
