"""The same figure from two or more independent outlets (copies and translations count once): each figure
within what every other's wording allows (about 24 billion does not confirm 23 billion)."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, agreeing_groups, describe, independent_outlets, make_finding


SCOPE = "parties"  # works inside one key


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    least = int(check.get("params", {}).get("min_outlets", 2))
    for key, claims in sorted(ctx.by_key().items()):
        if len(claims) < least:
            continue  # fewer reports than outlets asked for
        groups = agreeing_groups(claims)
        if len(groups) != 1:
            continue  # a disagreement is reported by the other checks, not as confirmation
        if max(c.low for c in claims) > min(c.value for c in claims) or max(c.value for c in claims) > min(
                c.high for c in claims):
            continue  # every figure must lie within every other's wording, not just share a value with it
        outlets = independent_outlets(ctx.doc(c) for c in claims)
        if len(outlets) < least:
            continue
        yield make_finding(
            check, [c.id for c in claims],
            {"key": key, "claim": describe(ctx, claims[0]), "count": len(outlets),
             "outlets": ", ".join(outlets)},
            key=key,
        )
