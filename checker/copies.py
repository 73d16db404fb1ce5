"""Which documents are copies of others: translations (same figures in the same order, another language) and
syndicated or lightly rewritten copies (near-identical text). Copies never count as independent confirmation;
their claims point to the original's with `copy_of`.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from itertools import combinations

from .claims import Claim
from .ingest import Document, InputError, text_of
from .rules import Rules


@dataclass
class Copy:
    doc: str  # the copy
    of: str  # the original: published first, or first by name when the dates agree
    how: str  # translation | rewrite
    similarity: float
    shared: int  # figures the two share


def _figure(c: Claim) -> tuple[float, str]:
    return (float(f"{c.value:.6g}"), c.unit)


def _shingles(doc: Document) -> set[str]:
    try:
        full = text_of(doc)
    except InputError:  # gone or changed since it was read: nothing to compare it by
        return set()
    text = "".join(full[s:e] for s, e in doc.spans("headline", "body"))
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return {text[i:i + 4] for i in range(max(0, len(text) - 3))}


def find_copies(documents: list[Document], claims: list[Claim], rules: Rules) -> list[Copy]:
    params = rules["copies"]
    min_shared = int(params.get("min_shared_figures", 3))
    by_doc: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (c.doc, c.start)):
        if c.copy_of is None and not c.key.startswith("unkeyed:"):
            by_doc.setdefault(c.doc, []).append(c)
    # candidate pairs: documents sharing consecutive pairs of figures (an inverted index, never all pairs)
    cap = int(params.get("max_documents_per_signature", 50))
    holders: dict[tuple, set[str]] = {}
    for doc, cs in by_doc.items():
        # a figure with the fact it is about: keys agree across languages, so translations still match
        figures = [(c.key, *_figure(c)) for c in cs]
        for pair in set(zip(figures, figures[1:])):
            holders.setdefault(pair, set()).add(doc)
    shared: dict[tuple[str, str], int] = {}
    for docs in holders.values():
        if len(docs) > cap:
            continue
        for a, b in combinations(sorted(docs), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    # n shared figures in a row make n - 1 shared pairs
    shared = {pair: k + 1 for pair, k in shared.items()}
    meta = {d.doc: d for d in documents}
    shingles: dict[str, set[str]] = {}

    def shingles_of(d: Document) -> set[str]:
        """Read once: a document in several candidate pairs has its text read from its file again only once."""
        if d.doc not in shingles:
            shingles[d.doc] = _shingles(d)
        return shingles[d.doc]

    out: list[Copy] = []
    for (a, b), n in sorted(shared.items()):
        if n < min_shared:
            continue
        da, db = meta[a], meta[b]
        if da.lang != db.lang:
            sim = difflib.SequenceMatcher(None, [_figure(c) for c in by_doc[a]], [_figure(c) for c in by_doc[b]],
                                          autojunk=False).ratio()
            how, limit = "translation", float(params.get("translation_figure_similarity", 0.75))
        else:
            sa, sb = shingles_of(da), shingles_of(db)
            sim = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
            how, limit = "rewrite", float(params.get("rewrite_text_similarity", 0.5))
        if sim < limit:
            continue
        original, copy = sorted([da, db], key=lambda d: ((d.published or "9999")[:10], d.doc))
        out.append(Copy(doc=copy.doc, of=original.doc, how=how, similarity=round(sim, 3), shared=n))
        _link_claims(by_doc.get(copy.doc, []), by_doc.get(original.doc, []))
    return out


def _link_claims(copy: list[Claim], original: list[Claim]) -> None:
    """Each figure of the copy points to the same figure in the original: in the same place (headline or body)
    and about the same fact (key) if there is one, else about the same fact, else the next unused one with
    that value — the first in the original's order each time."""
    placed: dict[tuple, str] = {}
    keyed: dict[tuple, str] = {}
    unused: dict[tuple[float, str], list[str]] = {}
    for c in original:
        placed.setdefault((c.zone, c.key, _figure(c)), c.id)
        keyed.setdefault((c.key, _figure(c)), c.id)
        unused.setdefault(_figure(c), []).append(c.id)
    for c in copy:
        if c.copy_of is not None:
            continue
        pool = unused.get(_figure(c), [])
        target = placed.get((c.zone, c.key, _figure(c))) or keyed.get((c.key, _figure(c))) or (pool[0] if pool else None)
        if target is not None:
            c.copy_of = target
            if target in pool:
                pool.remove(target)
