"""A translation or syndicated copy: reported so its figures are never taken as independent confirmation."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, finding_id, render


SCOPE = "run"  # works inside the copies found in the run


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    linked: dict[tuple[str, str], list[str]] = {}  # (copy doc, original doc) -> the copy's claims that repeat it
    for claim_id, doc in ctx.copied():
        linked.setdefault((doc, ctx.doc_of(ctx.original_of(claim_id))), []).append(claim_id)
    for cp in ctx.copies:
        copy, original = ctx.documents[cp.doc], ctx.documents[cp.of]
        claims = sorted(linked.get((cp.doc, cp.of), []))
        fields = {"copy": cp.doc, "original": cp.of, "how": cp.how, "shared": cp.shared,
                  "similarity": f"{cp.similarity:.0%}", "copy_lang": copy.lang, "original_lang": original.lang}
        yield Finding(
            id=finding_id(str(check["id"]), [cp.doc, cp.of]), rule=str(check["id"]), name=str(check.get("name", "")),
            severity=str(check["severity"]), key=None, claims=claims, message=render(check["message"], fields),
        )
