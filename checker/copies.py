"""Which documents are copies of others: translations (same figures in the same order, another language) and
syndicated or lightly rewritten copies (near-identical text). Copies never count as independent confirmation;
their claims point to the original's with `copy_of`.
"""
from __future__ import annotations

import difflib
import hashlib
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .claims import Claim
from .entities import fold_variants
from .ingest import Document, InputError, text_of
from .rules import Rules

if TYPE_CHECKING:  # the store packs documents with `signatures`
    from .store import Store


@dataclass(slots=True)
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
    # one text in simplified and traditional script (or quoted in Japanese shinjitai) is one text
    text = fold_variants("".join(unicodedata.normalize("NFKC", text).split()))
    return {text[i:i + 4] for i in range(max(0, len(text) - 3))}


def _independent(claims: list[Claim]) -> list[Claim]:
    """A document's figures that can be copies, in text order: keyed, and not a repeat inside the document."""
    return sorted((c for c in claims if c.independent), key=lambda c: c.start)


def signatures(claims: list[Claim]) -> list[int]:
    """A document's consecutive pairs of figures, hashed: a figure with the fact it is about (keys agree across
    languages, so translations still match). The parties are left out: they are named per document until the
    run links them (宏岳机器人 and 宏岳機器人 are one company only then), and the figures in a row say enough."""
    figures = [(_without_parties(c.key), *_figure(c)) for c in _independent(claims)]
    return [int.from_bytes(hashlib.blake2b(repr(pair).encode("utf-8"), digest_size=8).digest(), "little", signed=True)
            for pair in sorted(set(zip(figures, figures[1:])))]


class CopyCandidates:
    """Documents sharing consecutive pairs of figures, collected as the documents are analysed: an inverted
    index of hashed pairs (16 bytes a pair), never all pairs of documents."""

    def __init__(self) -> None:
        self._pairs, self._docs = array("q"), array("q")

    def add(self, n: int, pairs: list[int]) -> None:
        """Document number `n` holds these pairs of figures (`signatures`)."""
        self._pairs.extend(pairs)
        self._docs.extend([n] * len(pairs))

    def shared(self, cap: int, least: int) -> list[tuple[int, int, int]]:
        """Document pairs (by number) sharing at least `least` figures in a row, with how many they share; a
        pair of figures held by more than `cap` documents says nothing of copying. Counted as arrays: a large
        archive has millions of document pairs sharing one pair of figures, and only a few sharing three."""
        pairs, docs = np.asarray(self._pairs), np.asarray(self._docs)
        order = np.lexsort((docs, pairs))
        pairs, docs = pairs[order], docs[order]
        starts, sizes = _runs(pairs)
        width = int(docs.max()) + 1 if len(docs) else 1
        codes = []  # each pair of documents in a group as one number, a * width + b (a < b)
        for k in sorted(set(sizes[(sizes > 1) & (sizes <= cap)].tolist())):
            groups = docs[starts[sizes == k][:, None] + np.arange(k)]
            i, j = np.triu_indices(k, 1)
            codes.append((groups[:, i] * width + groups[:, j]).ravel())
        if not codes:
            return []
        code = np.sort(np.concatenate(codes))
        starts, count = _runs(code)
        code = code[starts]
        # n shared figures in a row make n - 1 shared pairs
        kept = count + 1 >= least
        return list(zip((code[kept] // width).tolist(), (code[kept] % width).tolist(), (count[kept] + 1).tolist()))


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values in a sorted array starts, and its length: np.unique's counts, without the
    import of numpy.ma that np.unique makes (0.03 s of every start)."""
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.array([], int)
    return starts, np.diff(np.r_[starts, len(values)])


SHINGLED_DOCUMENTS = 256


def _without_parties(key: str) -> str:
    metric, _, rest = key.partition("|")
    return "|".join([metric, *rest.split("|")[1:]])


def find_copies(store: Store, candidates: CopyCandidates, rules: Rules) -> list[Copy]:
    """The copies among the store's source documents; each copy's figures are linked in the store to the
    original's (`Store.link`)."""
    params = rules["copies"]
    min_shared = int(params.get("min_shared_figures", 3))
    shared = candidates.shared(int(params.get("max_documents_per_signature", 50)), min_shared)
    named = sorted((tuple(sorted((store.name(a), store.name(b)))), n) for a, b, n in shared)

    # a document in several candidate pairs has its text read again from its file only when it has left the
    # cache: a text's shingles take ~150 bytes each, 25 MB for the 1,500 rewrites of 100,000 articles
    @lru_cache(maxsize=SHINGLED_DOCUMENTS)
    def shingles_of(doc: str) -> set[str]:
        return _shingles(store.document(doc))

    out: list[Copy] = []
    for (a, b), n in named:
        da, db = store.header(a), store.header(b)
        figures = None  # the pair's figures, read from the store when first needed and then kept
        if da.lang != db.lang:
            figures = _figures_of(store, a, b)
            sim = difflib.SequenceMatcher(None, [_figure(c) for c in figures[a]], [_figure(c) for c in figures[b]],
                                          autojunk=False).ratio()
            how, limit = "translation", float(params.get("translation_figure_similarity", 0.75))
        else:
            sa, sb = shingles_of(a), shingles_of(b)
            sim = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
            how, limit = "rewrite", float(params.get("rewrite_text_similarity", 0.5))
        if sim < limit:
            continue
        original, copy = sorted([da, db], key=lambda d: ((d.published or "9999")[:10], d.doc))
        out.append(Copy(doc=copy.doc, of=original.doc, how=how, similarity=round(sim, 3), shared=n))
        figures = figures or _figures_of(store, a, b)
        _link_claims(store, figures[copy.doc], figures[original.doc])
    return out


def _figures_of(store: Store, *docs: str) -> dict[str, list[Claim]]:
    return {d: _independent(store.claims_as_read(d)) for d in docs}


def _link_claims(store: Store, copy: list[Claim], original: list[Claim]) -> None:
    """Each figure of the copy points to the same figure in the original: in the same place (headline or body)
    and about the same fact (key) if there is one, else about the same fact, else the next unused one with
    that value — the first in the original's order each time."""
    placed: dict[tuple, str] = {}
    keyed: dict[tuple, str] = {}
    unused: dict[tuple[float, str], list[str]] = {}
    by_id = {c.id: c for c in original}
    for c in original:
        placed.setdefault((c.zone, c.key, _figure(c)), c.id)
        keyed.setdefault((c.key, _figure(c)), c.id)
        unused.setdefault(_figure(c), []).append(c.id)
    for c in copy:
        if c.id in store.links:  # linked already, to another original
            continue
        pool = unused.get(_figure(c), [])
        target = placed.get((c.zone, c.key, _figure(c))) or keyed.get((c.key, _figure(c))) or (pool[0] if pool else None)
        if target is not None:
            store.link(c, by_id[target])
            if target in pool:
                pool.remove(target)
