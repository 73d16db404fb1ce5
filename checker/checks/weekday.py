"""A weekday written next to a date it does not match (周三(10月17日) when the 17th was a Thursday)."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, document_name, make_finding


SCOPE = "document"  # works inside one article


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    for doc in sorted(ctx.times):
        seen = set()
        for t in ctx.times[doc]:
            if not t.note or t.note in seen:
                continue
            seen.add(t.note)
            yield make_finding(check, [], {"doc": document_name(ctx.documents[doc]), "note": t.note, "text": t.text},
                               named_by=[f"{doc}@{t.start}"])
