"""A headline figure the body of the same article does not bear out.

match: key   — the body gives the same fact (same key) with a value that cannot be the headline's;
match: facet — the headline ties its figure to a term (云/cloud) the body uses for a different figure.
"""
from __future__ import annotations

from typing import Iterator

from ..claims import lexicon_for
from ..compare import CheckContext, Finding, document_name, figure, make_finding, overlaps
from ..rules import label


SCOPE = "document"  # works inside one article


def run(check: dict, ctx: CheckContext) -> Iterator[Finding]:
    match = check.get("params", {}).get("match", "key")
    lex = lexicon_for(ctx.rules)
    by_doc: dict[str, list] = {}
    for c in ctx.claims:
        if c.keyed:
            by_doc.setdefault(c.doc, []).append(c)
    for doc in sorted(by_doc):
        claims = by_doc[doc]
        body = [c for c in claims if c.zone == "body"]
        for h in (c for c in claims if c.zone == "headline"):
            family = {lex.family(p) for p in h.parties}
            if match == "key":
                same = [b for b in body if b.key == h.key and b.unit == h.unit and b.counted == h.counted]
                if same and not any(overlaps(h, b) for b in same):
                    yield _finding(check, ctx, h, same, h.metric)
                continue
            others = {o.metric for o in claims if o.zone == "headline" and o is not h}
            for facet in h.facets:
                if facet == h.metric or facet in others:
                    continue  # a headline of two figures (96店閉鎖と5500人削減) ties each to its own term
                told = [b for b in body if b.metric == facet and b.unit == h.unit
                        and family & {lex.family(p) for p in b.parties}]
                if told and not any(overlaps(h, b) for b in told):
                    yield _finding(check, ctx, h, told, facet)


def _finding(check: dict, ctx: CheckContext, h, body: list, facet: str | None) -> Finding:
    head = [h.id, *ctx.copies_of(h.id)]
    rest = [i for b in body for i in (b.id, *ctx.copies_of(b.id))]
    return make_finding(
        check, head + rest,
        {"headline": figure(h), "body": "; ".join(figure(b) for b in body),
         "facet": label(ctx.rules, facet or "figure"), "facet_word": h.facets.get(facet or "", ""),
         "doc": document_name(ctx.doc(h))},
        key=h.key, sides=[head, rest],
    )
