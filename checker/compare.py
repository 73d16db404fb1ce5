"""Stage 4: run the checks declared in `rules/checks/*.yml` over the claims.

Each check names a `kind`; each kind is one small module in `checker/checks/` with a `run(check, ctx)` that
yields findings. Which checks run, their parameters, severity and wording are data. Messages are filled from
plain `{name}` fields only: no rule text is ever evaluated.
"""
from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple

import numpy as np

from .claims import Claim, lexicon_for
from .columns import Strings
from .copies import Copy
from .ingest import Header
from .rules import Rules, RulesError, in_language, label, line_of
from .store import Spill, Store, pickled, read_articles, read_bucket
from .timeexpr import PART_OF_YEAR
from .timex import TimeExpr

SEVERITIES = ("conflict", "warning", "info")


@dataclass(slots=True)
class Finding:
    id: str
    rule: str
    name: str
    title: str  # what the report calls the check (its `title` in English)
    severity: str
    key: str | None
    claims: list[str]
    message: str
    sides: list[list[str]] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # likely mechanical causes, said as likelihoods
    reviewed: str | None = None  # accepted / dismissed, from reviews.yml
    review_note: str = ""
    change: str | None = None  # new / unchanged since the --baseline result


@dataclass
class CheckContext:
    """What one run of a check sees: the claims of its scope (a party set's, a batch of articles', or all of a
    small run's), the documents and times they come from, and the run's copies."""

    claims: list[Claim]
    documents: Mapping[str, Header]
    times: Mapping[str, list[TimeExpr]]
    copies: list[Copy]
    rules: Rules
    linked: "LinkedClaims" = field(default_factory=lambda: LinkedClaims({}))  # copies across documents, run-wide
    _claims_of_parties: dict[tuple[str, ...], list[Claim]] = field(default_factory=dict, init=False, repr=False)

    # indexes built once per context, when a check first needs them: every check works inside one key or one
    # party set, never over all pairs

    @cached_property
    def by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    def doc_of(self, claim_id: str) -> str:
        """The document of a claim of the context, or of a claim copied into it from another document."""
        c = self.by_id.get(claim_id)
        return c.doc if c is not None else self.linked.original_docs[claim_id]

    def original_of(self, claim_id: str) -> str | None:
        """The id of the claim this one copies (None for an original), for a claim of the context or a copy of
        one in another document."""
        c = self.by_id.get(claim_id)
        return c.copy_of if c is not None else self.linked.copy_of[claim_id]

    @cached_property
    def _independent(self) -> list[Claim]:
        return [c for c in self.claims if c.independent]

    def independent(self) -> list[Claim]:
        """Claims that are not copies of another claim (repeats, translations, syndicated copies)."""
        return self._independent

    @cached_property
    def _copies(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        for c in self.claims:
            if c.copy_of:
                out.setdefault(c.copy_of, []).append(c)
        return out

    def has_copies(self) -> bool:
        return bool(self._copies or self.linked.of)

    def copied(self) -> Iterator[tuple[str, str]]:
        """Each claim repeating another, with its document: the context's own, then the copies of other
        documents' claims found in the run."""
        for c in self.claims:
            if c.copy_of:
                yield c.id, c.doc
        for i, doc in self.linked.docs.items():
            if i not in self.by_id:
                yield i, doc

    def copies_of(self, claim_id: str) -> list[str]:
        """The ids of the claims repeating this one: in its own document, and in translations and copies of it."""
        here, far = [c.id for c in self._copies.get(claim_id, [])], self.linked.of.get(claim_id, [])
        if not far:
            return here
        seen = set(here)
        return here + [i for i in far if i not in seen]

    @cached_property
    def _keyed(self) -> "KeyIndex":
        return KeyIndex(self._independent)

    def group(self, key: str) -> list[Claim]:
        """The independent claims about one fact, in input order."""
        return self._keyed.claims_of(self._keyed.code_of.get(key, -1))

    def by_key(self) -> dict[str, list[Claim]]:
        k = self._keyed
        return {key: k.claims_of(g) for g, key in enumerate(k.keys)}

    @cached_property
    def disputable(self) -> list[tuple[str, list[Claim]]]:
        """The key groups, in key order, where two reports can disagree at all: two claims or more whose
        intervals do not all share a value (the largest low above the smallest high), found for all groups
        at once on the claim table's columns."""
        k = self._keyed
        return [(k.keys[g], k.claims_of(g)) for g in sorted(k.disputed(), key=lambda g: k.keys[g])]

    @cached_property
    def _keys_by_parties(self) -> dict[tuple[str, ...], list[str]]:
        """Party sets to the keys about them, read from one claim per key: a key names its parties
        (claims._key), so a million claims need not each be looked at again."""
        out: dict[tuple[str, ...], list[str]] = {}
        k = self._keyed
        for g, key in enumerate(k.keys):
            out.setdefault(tuple(sorted(set(k.first(g).parties))), []).append(key)
        return out

    @cached_property
    def _position(self) -> dict[int, int]:
        return {id(c): i for i, c in enumerate(self._independent)}

    def with_parties(self, parties: list[str]) -> list[Claim]:
        """The independent claims about exactly these parties, in input order (gathered once per party set:
        every finding about it asks)."""
        wanted = tuple(sorted(set(parties)))
        if wanted not in self._claims_of_parties:
            keys = self._keys_by_parties.get(wanted, [])
            claims = [c for k in keys for c in self.group(k)]
            if len(keys) > 1:
                claims.sort(key=lambda c: self._position[id(c)])
            self._claims_of_parties[wanted] = claims
        return self._claims_of_parties[wanted]

    def metric_spec(self, metric: str | None) -> dict:
        return lexicon_for(self.rules).metrics.get(metric or "", {})

    def doc(self, claim: Claim) -> Header:
        return self.documents[claim.doc]


class LinkedClaims:
    """The claims copied from a claim of another document (translations, syndicated copies), by id, indexed
    once per run, so that each context finds the copies of its claims wherever they are. Ids, not claims: at
    100,000 articles the 22,000 copied claims took 16 MB as objects."""

    def __init__(self, copy_of: Mapping[str, str], in_order: Iterable[tuple[str, str]] = (),
                 original_docs: Mapping[str, str] | None = None, entity_of: Mapping[str, str] | None = None,
                 entity_names: Mapping[str, str] | None = None):
        self.copy_of = copy_of  # claim id -> the id of the claim it copies
        self.entity_of = entity_of or {}  # entity id -> the id linking across documents gave it
        self.entity_names = entity_names or {}  # entity id -> the name a finding shows
        self.original_docs = original_docs or {}  # the id of a claim copied -> its document
        self.of: dict[str, list[str]] = {}  # claim id -> the ids of its copies, in input order
        self.docs: dict[str, str] = {}  # the id of a copy -> its document
        for i, doc in in_order:
            self.of.setdefault(copy_of[i], []).append(i)
            self.docs[i] = doc


class KeyIndex:
    """The claims grouped by key as columns (a code per claim, the order that sorts them by code, where each
    group starts): groups are found and tested with numpy, and a group's claim objects are only gathered
    for the groups a check looks at."""

    def __init__(self, claims: list[Claim]):
        self.claims = claims
        # a code per key in the order keys first appear (as pandas.factorize gives them, whose import alone took
        # longer than this for a run's claims)
        self.code_of: dict[str, int] = {}
        codes = np.fromiter((self.code_of.setdefault(c.key, len(self.code_of)) for c in claims), np.int64, len(claims))
        self.keys: list[str] = list(self.code_of)
        self.order = np.argsort(codes, kind="stable")
        self.counts = np.bincount(codes, minlength=len(self.keys))
        self.starts = np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)
        self._starts, self._counts = self.starts.tolist(), self.counts.tolist()  # plain ints for lookups

    def claims_of(self, g: int) -> list[Claim]:
        if g < 0:
            return []
        s = self._starts[g]
        return [self.claims[i] for i in self.order[s:s + self._counts[g]].tolist()]

    def first(self, g: int) -> Claim:
        return self.claims[int(self.order[self._starts[g]])]

    def disputed(self) -> list[int]:
        """Groups of two claims or more whose intervals do not all share a value."""
        if not self.keys:
            return []
        lows = np.fromiter((c.low for c in self.claims), float, len(self.claims))[self.order]
        highs = np.fromiter((c.high for c in self.claims), float, len(self.claims))[self.order]
        most_low, least_high = np.maximum.reduceat(lows, self.starts), np.minimum.reduceat(highs, self.starts)
        return np.nonzero((self.counts > 1) & (most_low > least_high))[0].tolist()


# ---------------------------------------------------------------- helpers the check kinds share

def finding_id(rule: str, claim_ids: Iterable[str], extra: str = "") -> str:
    """Stable across runs: the rule and the claims it is about decide it, so a reviewed finding is recognised."""
    digest = hashlib.sha1("|".join([rule, extra, *sorted(claim_ids)]).encode("utf-8")).hexdigest()[:10]
    return f"{rule}-{digest}"


_FIELD = re.compile(r"\{(\w+)\}")


def render(template: str, fields: dict[str, object]) -> str:
    """Fill `{name}` fields; unknown names are left as written. Nothing else in the template is interpreted."""
    return _FIELD.sub(lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0), template)


def overlaps(a: Claim, b: Claim) -> bool:
    """The two intervals the wordings allow have a value in common."""
    return a.low <= b.high and b.low <= a.high


def same_period(a: str | None, b: str | None) -> bool:
    """One ISO period lies within the other (2023-06-08 in 2023); unknown periods are never the same."""
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def agreeing_groups(claims: list[Claim]) -> list[list[Claim]]:
    """Claims grouped so that each group's intervals share a value; groups are ordered by value."""
    # taken in order of low, a claim overlaps every claim of a group exactly when its low is at most the
    # group's least high: one comparison per group, not one per claim of it
    groups: list[list[Claim]] = []
    least_high: list[float] = []
    for c in sorted(claims, key=lambda c: (c.low, c.high, c.id)):
        for i, g in enumerate(groups):
            if c.low <= least_high[i]:
                g.append(c)
                least_high[i] = min(least_high[i], c.high)
                break
        else:
            groups.append([c])
            least_high.append(c.high)
    return groups


def money(value: float, unit: str) -> str:
    """A normalized figure an editor reads at a glance: US$13.0B, CNY 650M."""
    sign = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "HKD": "HK$"}.get(unit, f"{unit} " if unit else "")
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{sign}{value / size:.3g}{suffix}"
    return f"{sign}{value:g}"


def shown_value(value: float, unit: str, kind: str) -> str:
    """A value as an editor reads it at a glance: US$13B, 12.5%, 2015, 40 MWh, 3.2M."""
    if kind == "money":
        return money(value, unit)
    if kind == "percent":
        return f"{value:g}%"
    if kind == "year":
        return f"{value:.0f}"
    if unit:  # a measure: an SI prefix before its unit
        size, prefix = next(((size, p) for size, p in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
                             if abs(value) >= size), (1, ""))
        return f"{value / size:.3g} {prefix}{unit}"
    return money(value, "") if value >= 1e4 else f"{value:g}"


def normalized(value: float, c: Claim) -> str:
    return shown_value(value, c.unit, c.kind)


def fact_label(rules: Rules, key: str | None, metric: str | None, lang: str = "en") -> str:
    """What a key is about, in the words `labels` in rules/metrics.yml gives for `lang`: "Q3 deliveries",
    "pre-money valuation", "change in revenue" (投前估值 in Chinese)."""
    parts = [p for p in (key or "").split("|")[2:] if not p[:1].isdigit() and p != "?"]
    quarter = [p for p in parts if PART_OF_YEAR.fullmatch(p)]
    words = [*quarter, *(label(rules, p, lang) for p in parts if p not in quarter), label(rules, metric or "figure", lang)]
    return ("" if lang in ("zh", "ja") else " ").join(words)


def fact_name(ctx: CheckContext, c: Claim) -> str:
    """A claim's fact in English words, as messages name it."""
    return fact_label(ctx.rules, c.key if c.keyed else None, c.metric)


def parties_in_words(parties: Iterable[str], names: Mapping[str, str], joiner: str = " and ") -> str:
    """Party ids as the run's entities name them (Thunderbay AI and SoftBank), an unnamed one's id in words."""
    return joiner.join(names.get(p, p.replace("_", " ")) for p in parties)


def party_names(ctx: CheckContext, c: Claim) -> str:
    """The parties of a claim as messages name them, never their ids."""
    return parties_in_words(c.parties, ctx.linked.entity_names) or "an unnamed party"


def independent_outlets(documents: Iterable[Header]) -> list[str]:
    """The outlets behind `documents`, as independence counts them: each named outlet once, and the documents
    that name none as one more at most (two files of unknown origin may well be one outlet's)."""
    documents = list(documents)
    named = sorted({d.outlet for d in documents if d.outlet})
    unnamed = sorted({d.doc for d in documents if not d.outlet})
    return named + ([f"an outlet not named ({', '.join(unnamed)})"] if unnamed else [])


def document_name(d: Header) -> str:
    """A document as messages name it: its outlet, language and date (全天候科技, ja, 2026-03-19)."""
    return f"{source_name(d)} ({d.lang}, {d.published[:10] if d.published else 'date unknown'})"


def source_name(d: Header) -> str:
    """The outlet a document is from, as messages name it; a file whose outlet neither sources.csv nor the page
    gives is named as a file, and said to be one, so it is never read as an outlet of that name."""
    return d.outlet or f"{d.doc} (outlet unknown)"


def figure(c: Claim) -> str:
    """`130亿美元 (US$13B)`: the figure as written, then its value where that reads differently."""
    shown = normalized(c.value, c)
    return c.text if shown.replace(" ", "") == c.text.replace(" ", "") else f"{c.text} ({shown})"


def describe(ctx: CheckContext, c: Claim) -> str:
    """`130亿美元 (US$13B; 机器之心, 2024-10-19)`: the figure, the outlet and the date of publication. The card
    beside the message shows the rest (the interval the wording allows, the period)."""
    d = ctx.doc(c)
    where = f"{source_name(d)}, {d.published[:10] if d.published else 'date unknown'}"
    text = figure(c)
    return f"{text[:-1]}; {where})" if text.endswith(")") else f"{text} ({where})"


def hints(a: Claim, b: Claim, ctx: CheckContext) -> list[str]:
    """Likely mechanical causes of a disagreement, as an editor would want to hear them first."""
    out = []
    if a.value and b.value:
        ratio = max(a.value, b.value) / min(a.value, b.value)
        for k in range(1, 7):
            if abs(ratio / 10 ** k - 1) < 0.02:
                out.append(f"the values differ by a factor of 10^{k}: possibly a magnitude slip "
                           "(亿 vs 兆, million vs billion)")
        da, db = _digits(a.value), _digits(b.value)
        if da != db and sorted(da) == sorted(db) and len(da) >= 2:
            out.append(f"the digits are the same in another order ({da} vs {db}): possibly transposed digits")
    if a.unit != b.unit and abs(a.value - b.value) <= 0.005 * max(a.value, b.value):
        out.append(f"the same figure in another currency ({a.unit} vs {b.unit}): possibly a unit mix-up")
    for x, y in ((a, b), (b, a)):
        twin = [o for o in ctx.with_parties(y.parties) if o.key != x.key
                and o.metric != y.metric and o.unit == y.unit and o.low <= x.value <= o.high]
        if twin:
            o = twin[0]
            out.append(f"{x.text} equals the {fact_name(ctx, o)} of {party_names(ctx, o)} reported elsewhere "
                       f"({o.text}): possibly a different figure read as the {fact_name(ctx, y)}")
            break
    return out


def _digits(v: float) -> str:
    return re.sub(r"0+$", "", f"{v:.0f}".replace(".", "")) or "0"


# ---------------------------------------------------------------- running the checks

def _kinds() -> dict:
    from .checks import KINDS
    return KINDS


def validate_checks(rules: Rules) -> None:
    """Refuse a check whose kind or severity is unknown before any work is done."""
    kinds = _kinds()
    for cid, check in rules.checks.items():
        file = check.get("_file")

        def at(key: str) -> str:  # the check's file and the line of `key` in it
            return f"{file}:{line_of(Path(file), f'{key}:')}" if file else "rules/checks"
        if check.get("kind") not in kinds:
            raise RulesError(f"{at('kind')}: check {cid} has unknown kind {check.get('kind')!r}; "
                             f"fix: use one of {', '.join(sorted(kinds))}")
        if check.get("severity") not in SEVERITIES:
            raise RulesError(f"{at('severity')}: check {cid} has severity {check.get('severity')!r}; "
                             f"fix: use one of {', '.join(SEVERITIES)}")
        if not isinstance(check.get("message"), str):
            raise RulesError(f"{at('id')}: check {cid} needs a `message` template")


def run_checks(claims: list[Claim], documents: Iterable[Header], times: dict[str, list[TimeExpr]],
               copies: list[Copy], rules: Rules) -> Findings:
    """Every check over claims held in memory (with the headers of their documents, `Document.header`): one
    context serves every scope."""
    ctx = CheckContext(claims, {d.doc: d for d in documents}, times, copies, rules)
    return check_contexts(lambda scope: [ContextSource(_as_made, ctx)], rules)


class ContextSource(NamedTuple):
    """A context to check, made where it is checked: `make(payload, copies, rules, linked)`, from what every
    context of a run shares. `ships`: worth checking in another process where one is at hand: a party bucket
    and a batch of articles ship as the bytes they were written as, and reading those takes most of their
    time; the copy check's context reads the store, on this machine's disk."""
    make: Callable[..., CheckContext]
    payload: object
    ships: bool = False


def _party_set(spill: Iterable, copies: list[Copy], rules: Rules, linked: LinkedClaims) -> CheckContext:
    bucket = read_bucket(spill, linked.copy_of, linked.entity_of)
    return CheckContext(bucket.claims, bucket.documents, {}, copies, rules, linked)


def _articles(batch: list, copies: list[Copy], rules: Rules, linked: LinkedClaims) -> CheckContext:
    return CheckContext(*read_articles(batch, linked.copy_of, linked.entity_of), copies, rules, linked)


def _as_made(ctx: CheckContext, *shared) -> CheckContext:
    return ctx


def check_store(store: Store, copies: list[Copy], rules: Rules, run: "Run | None" = None) -> Findings:
    """Every check over a run's store, one context at a time: the claims of one party set for the checks that
    compare reports, a batch of articles for the checks inside an article, the copies for the copy check.
    `run` says where contexts are checked (`run_here`, or a cluster's workers)."""
    linked = LinkedClaims(store.links, store.linked_copies(), store.original_docs, store.entity_of, store.entity_names)

    def contexts(scope: str) -> Iterator[ContextSource]:
        # each context is let go before the next is read (`del`), so two are never held at once
        if scope == "parties":
            for spill in store.party_spills():
                yield ContextSource(_party_set, spill, ships=True)
        elif scope == "document":
            for batch in store.article_batches():
                yield ContextSource(_articles, batch, ships=True)
                del batch
        else:  # the copy check reads the links between claims across documents (`linked`), no claim: as
            # objects, the 22,000 claims linked at 100,000 articles took 7.6 MB at the compare's peak
            yield ContextSource(_as_made, CheckContext([], store.documents, {}, copies, rules, linked))

    return check_contexts(contexts, rules, run or run_here, (copies, rules, linked))


# where contexts are checked: given each context's source with the checks to run in it, and what every context
# shares, what each context's checks found, in order
Run = Callable[[Iterable[tuple[ContextSource, list[dict]]], tuple], Iterator[list[Finding]]]


def run_here(work: Iterable[tuple[ContextSource, list[dict]]], shared: tuple) -> Iterator[list[Finding]]:
    for source, checks in work:
        ctx = source.make(source.payload, *shared)
        del source
        found = findings_in(ctx, checks)
        del ctx  # before the next is read
        yield found


def findings_in(ctx: CheckContext, checks: list[dict]) -> list[Finding]:
    """What `checks` find in one context: each finding once, and one raised again inside a copy folded into it."""
    kinds = _kinds()
    found: dict[str, Finding] = {}
    for check in checks:
        for f in kinds[check["kind"]].run(check, ctx):
            found.setdefault(f.id, f)
    return _fold_copies(list(found.values()), ctx)


def check_contexts(contexts: Callable[[str], Iterable[ContextSource]], rules: Rules, run: Run = run_here,
                   shared: tuple = ()) -> Findings:
    """Run each enabled check in every context of its scope; findings in a stable order."""
    validate_checks(rules)
    kinds = _kinds()
    by_scope: dict[str, list[dict]] = {}
    for cid in sorted(rules.checks):
        check = rules.checks[cid]
        if check.get("enabled", True) is not False:
            by_scope.setdefault(kinds[check["kind"]].SCOPE, []).append(check)
    order = {s: str(i) for i, s in enumerate(SEVERITIES)}
    spill = Spill()
    # each finding's place in the report (severity, rule, key, id) as text in one buffer: as a tuple of strings
    # it took 250 bytes a finding (2.8 MB for the 11,000 findings of 100,000 articles), here 55
    places = Strings()
    for found in run(_in_one_stream(contexts, by_scope), shared):
        for f in found:
            places.append("\0".join((order[f.severity], f.rule, f.key or "", f.id)))
            spill.append(pickled(f))
    first: dict[str, int] = {}  # a finding found again in another context: the first is kept
    for n in range(len(places)):
        first.setdefault(places[n].rsplit("\0", 1)[1], n)
    return Findings(spill, sorted(first.values(), key=places.__getitem__))


def _in_one_stream(contexts: Callable[[str], Iterable[ContextSource]], by_scope: dict[str, list[dict]]
                   ) -> Iterator[tuple[ContextSource, list[dict]]]:
    """Every scope's contexts with the checks to run in each, in one stream: a cluster's workers go on to the
    next scope's while the last of one is checked. Each is let go before the next is read."""
    for scope in sorted(by_scope):
        for source in contexts(scope):
            yield source, by_scope[scope]
            del source


class Findings(Sequence):
    """A run's findings in report order, kept on disk as they are found and read back one at a time: a large
    run's findings name most of its claims (at 100,000 articles, 11,000 findings held 300,000 claim ids: about
    25 MB as objects, 10 MB pickled). Reading gives new objects, so a change is kept only through `update`."""

    def __init__(self, spill: Spill, order: Iterable[int]):
        self._spill, self._order = spill, array("q", order)  # numbers in the spill, in report order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._spill[n] for n in self._order[i]]
        return self._spill[self._order[i]]

    def __iter__(self) -> Iterator[Finding]:
        return (self._spill[n] for n in self._order)

    def update(self, change: Callable[[Finding], None]) -> None:
        """Change each finding (mark it reviewed, new or unchanged), one at a time."""
        for i, n in enumerate(self._order):
            f = self._spill[n]
            change(f)
            self._order[i] = len(self._spill)
            self._spill.append(pickled(f))


def _fold_copies(findings: list[Finding], ctx: CheckContext) -> list[Finding]:
    """A finding raised again inside a translation or copy (every claim a copy of a claim of another finding
    of the same rule) is one problem: its claims join the original finding's sides instead of a second card."""
    if not ctx.has_copies():
        return findings  # no claim is a copy: nothing to fold
    # only a finding all of whose claims are copies can fold, into one naming the original of its first claim:
    # the findings naming a claim are gathered for those claims alone (gathered for every claim, the index of
    # 7,500 copy findings made the peak of a run of 100,000 articles). Folding only appends copies to a
    # finding's claims, so which findings can fold, and where, does not change as they fold.
    wanted = {(f.rule, ctx.original_of(f.claims[0])) for f in findings
              if f.claims and all(ctx.original_of(c) for c in f.claims)}
    holding: dict[tuple[str, str], list[Finding]] = {}  # (rule, claim id) -> findings naming it
    for g in findings:
        for c in g.claims:
            if (g.rule, c) in wanted:
                holding.setdefault((g.rule, c), []).append(g)
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.id):
        originals = [ctx.original_of(c) for c in f.claims]
        home = None
        if f.claims and all(originals):
            home = next((g for g in holding.get((f.rule, originals[0]), [])
                         if g is not f and set(originals) <= set(g.claims)), None)
        if home is None:
            kept.append(f)
            continue
        for c, o in zip(f.claims, originals):
            if c not in home.claims:
                home.claims.append(c)
            for side in home.sides:
                if o in side and c not in side:
                    side.append(c)
    return kept


def make_finding(check: dict, ids: list[str], fields: dict[str, object], *, key: str | None = None,
                 sides: list[list[str]] | None = None, found_hints: list[str] | None = None,
                 named_by: list[str] | None = None) -> Finding:
    """A finding about the claims `ids` (on `sides`, each a list of claim ids), its message rendered and ended
    with the check's next step. Its id is made from the claim ids, or from `named_by` for a finding about
    documents or places in them rather than claims."""
    hint_text = ""
    if found_hints:
        hint_text = " Likely cause: " + "; ".join(found_hints) + "."
    step = in_language(check.get("next"))
    message = render(check["message"], fields).strip() + hint_text + (f" {step}" if step else "")
    return Finding(
        id=finding_id(str(check["id"]), named_by or ids),
        rule=str(check["id"]),
        name=str(check.get("name", "")),
        title=in_language(check.get("title")) or str(check.get("name", "")).replace("-", " "),
        severity=str(check["severity"]),
        key=key,
        claims=ids,
        message=message,
        sides=sides or [],
        hints=found_hints or [],
    )
