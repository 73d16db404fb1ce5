"""Draft mode: each figure of an editor's draft against the sources — contradicted, supported or unsupported.

`judge_draft(draft_claims, source_claims, documents)` is the entry point. A draft claim is compared with the
source claims under the same key: for a payment or a year's amount (the key holds the period) every such claim;
for a level or a running total, the reports of the same period, else the latest report before the draft's date.
Copies and translations count once: only independent claims (no `copy_of`) are counted as support.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping

from .claims import Claim
from .compare import fact_label, independent_outlets, overlaps, parties_in_words, same_period, source_name
from .ingest import Header
from .rules import Rules, default_rules

VERDICTS = ("contradicted", "supported", "unsupported")


@dataclass
class Verdict:
    id: str  # stable while the draft's figure, its key and the sources are the same
    claim: str  # the draft claim's id
    verdict: str  # contradicted, supported, unsupported
    sources: list[str] = field(default_factory=list)  # source claim ids it rests on
    outlets: list[str] = field(default_factory=list)  # independent outlets behind it
    message: str = ""
    reviewed: str | None = None
    review_note: str = ""


def _relevant(draft: Claim, candidates: list[Claim]) -> list[Claim]:
    same = [c for c in candidates if same_period(c.as_of, draft.as_of)]
    if same or not candidates:
        return same
    earlier = [c for c in candidates if c.as_of and (draft.as_of is None or c.as_of <= draft.as_of)]
    if not earlier:
        return []
    latest = max(c.as_of for c in earlier)
    return [c for c in earlier if c.as_of == latest]


def judge_draft(draft_claims: list[Claim], source_claims: list[Claim], documents: Mapping[str, Header],
                rules: Rules | None = None, names: Mapping[str, str] | None = None) -> list[Verdict]:
    """Each figure of the draft judged against the independent sources' figures of its fact; `rules` and the
    entities' `names` word the messages."""
    rules, names = rules or default_rules(), names or {}
    independent: dict[str, list[Claim]] = {}
    for c in source_claims:
        if c.independent:
            independent.setdefault(c.key, []).append(c)
    out = []
    for d in draft_claims:
        if not d.independent:
            continue
        relevant = _relevant(d, independent.get(d.key, []))
        agree = [c for c in relevant if c.unit == d.unit and overlaps(c, d)]
        disagree = [c for c in relevant if c.unit == d.unit and not overlaps(c, d)]
        if disagree and not agree:
            verdict, basis = "contradicted", disagree
        elif agree:
            verdict, basis = "supported", agree
        else:
            verdict, basis = "unsupported", []
        outlets = independent_outlets(documents[c.doc] for c in basis)
        said = "; ".join(f"{c.text} ({source_name(documents[c.doc])}, about {c.as_of})" for c in basis)
        message = {
            "contradicted": f"The sources say otherwise: {said}.",
            "supported": f"Supported by {len(outlets)} independent outlet{'s' * (len(outlets) != 1)}: {said}.",
            "unsupported": f"No source speaks of the {fact_label(rules, d.key if d.keyed else None, d.metric)} of "
                           f"{parties_in_words(d.parties, names) or 'this subject'}"
                           f"{' for ' + d.as_of if d.as_of else ''}.",
        }[verdict]
        digest = hashlib.sha1("|".join([d.key, d.text, verdict, *sorted(c.id for c in basis)]).encode()).hexdigest()
        out.append(Verdict(id=f"DRAFT-{digest[:10]}", claim=d.id, verdict=verdict,
                           sources=[c.id for c in basis], outlets=outlets, message=message))
    return out
