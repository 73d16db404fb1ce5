"""A translation or syndicated copy: reported so its figures are never taken as independent confirmation."""
from __future__ import annotations

from typing import Iterator

from ..compare import CheckContext, Finding, document_name, make_finding


SCOPE = "run"  # works inside the copies found in the run


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    linked: dict[tuple[str, str], list[str]] = {}  # (copy doc, original doc) -> the copy's claims that repeat it
    for claim_id, doc in ctx.copied():
        linked.setdefault((doc, ctx.doc_of(ctx.original_of(claim_id))), []).append(claim_id)
    for cp in ctx.copies:
        copy, original = ctx.documents[cp.doc], ctx.documents[cp.of]
        claims = sorted(linked.get((cp.doc, cp.of), []))
        fields = {"copy": document_name(copy), "original": document_name(original), "how": cp.how, "shared": cp.shared,
                  "similarity": f"{cp.similarity:.0%}", "copy_lang": copy.lang, "original_lang": original.lang}
        yield make_finding(check, claims, fields, named_by=[cp.doc, cp.of])
