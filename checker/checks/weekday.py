"""A weekday written next to a date it does not match (周三(10月17日) when the 17th was a Thursday)."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, finding_id, render


SCOPE = "document"  # works inside one article


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    for doc in sorted(ctx.times):
        seen = set()
        for t in ctx.times[doc]:
            if not t.note or t.note in seen:
                continue
            seen.add(t.note)
            yield Finding(
                id=finding_id(str(check["id"]), [f"{doc}@{t.start}"]), rule=str(check["id"]),
                name=str(check.get("name", "")), severity=str(check["severity"]), key=None, claims=[],
                message=render(check["message"], {"doc": doc, "note": t.note, "text": t.text}),
            )
