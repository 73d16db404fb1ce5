"""Stage 3: turn each quantity into a claim frame — who (subject), what (metric), about whom (object), when
(as_of) — and give it the key under which it is compared.

`build_claims(document, quantities, times)` is the entry point; `claim_table(claims, documents)` makes the one
pandas table. Words come from `rules/metrics.yml` and `rules/entities.yml`; the frame is read from the clause
the figure stands in, then its sentence, then the sentences before it, as a reader would.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import patterns
from .extract import Quantity
from .ingest import Document, Header
from .rules import Rules, default_rules
from .entities import EntityLexicon, Mention, entity_lexicon, find_entities, main_organisation
from .rules import words_in
from .scan import Gated, longest_of, word_finder
from .spans import within
from .timeexpr import PART_OF_YEAR
from .timex import TimeExpr

if TYPE_CHECKING:  # imported by claim_table: analysing an article needs no pandas
    import pandas as pd

# U+3000 parts a headline's two statements; a comma before "or" restates (5,500 jobs, or about 18% of staff)
# (a comma between digits groups them: 5,500 is one figure)
_CLAUSE_BREAK = re.compile(r"[，、：:；;\u3000]|,(?!\d)(?!\s(?:or|i\.e\.)\s)|(?<!\d),(?=\d)|——|—|\s-\s")


_ENUMERATION = ("、",)  # the comma that lists items of one kind (Chinese and Japanese)

UNKEYED = "unkeyed:"
NO_DATE = "no date governs it"  # how a figure's period reason opens when the text dates it nowhere  # the key of a figure with no metric: its own claim id after this prefix


@dataclass(slots=True)
class Claim:
    id: str
    doc: str
    kind: str
    text: str
    start: int
    end: int
    sentence: str
    value: float
    unit: str
    low: float
    high: float
    qualifier: str
    subject: str | None
    metric: str | None
    object: str | None
    key: str
    as_of: str | None
    as_of_reason: str = ""
    qualifier_text: str = ""
    zone: str = "body"  # headline or body
    metric_text: str = ""  # the words that named the metric
    facets: dict[str, str] = field(default_factory=dict)  # every metric the clause names -> the word naming it
    parties: list[str] = field(default_factory=list)
    hypothetical: bool = False
    copy_of: str | None = None
    counted: str = ""  # what a count counts, where its noun names a class (packages, batches)
    converted_from: str | None = None  # the claim this amount converts into another currency, in parentheses

    @property
    def keyed(self) -> bool:
        """About a fact other reports can state (a metric was found); an unkeyed figure is compared with none."""
        return not self.key.startswith(UNKEYED)

    @property
    def independent(self) -> bool:
        """Keyed, and not a copy of another claim (a repeat in its article, a translation, a syndicated copy)."""
        return self.copy_of is None and self.keyed


# ---------------------------------------------------------------- lexicons

@dataclass
class Lexicon:
    metric_re: Gated
    metric_of: dict[str, str]  # word (lower) -> metric id
    metrics: dict[str, dict]
    hypothetical_re: Gated
    linkers: set[str]
    cues: dict[str, Gated]
    entities: EntityLexicon
    slots: dict[str, Gated]  # slot -> the words that put a figure in it (投前, post-money)
    change_from: tuple[re.Pattern, re.Pattern]  # "from" right before a figure, right after it (从 / から)
    change_to: tuple[re.Pattern, re.Pattern]
    change_by: tuple[re.Pattern, re.Pattern]  # the amount of a change: by ¥12 billion, 下调120亿, 120億円引き下げ
    change_verb: Gated  # 提高至, に高まる, lift: a "to" figure with no "from" reaches a new state
    growth: tuple[re.Pattern, re.Pattern]  # 同比下降|7.5%, 7.5%|減: the rate a metric changed by
    investor: tuple[re.Pattern, re.Pattern]  # "led by" right before a party, 领投 right after it
    comparison: Gated  # 较, up from: the figure after it measures what the one before it does
    conversion_opens: tuple[str, ...]  # the parentheses a converted amount stands in
    year_ago: Gated  # 上年同期, a year earlier: a comparison with another period
    talks: Gated  # 洽谈, in talks: a figure of a deal still being negotiated
    each: tuple[re.Pattern, re.Pattern]  # 各, each: the figure is every party's

    @classmethod
    def from_rules(cls, rules: Rules) -> "Lexicon":
        met = rules["metrics"]
        metric_of, words = {}, []
        for mid, m in (met.get("metrics") or {}).items():
            for w in [w for ws in (m.get("words") or {}).values() for w in ws]:
                metric_of.setdefault(str(w).lower(), str(mid))
                words.append(str(w))
        cues = {name: word_finder(w for ws in table.values() for w in ws)
                for name, table in (rules["dates"].get("cues") or {}).items()}
        return cls(
            metric_re=word_finder(words),
            metric_of=metric_of,
            metrics={str(k): v for k, v in (met.get("metrics") or {}).items()},
            hypothetical_re=word_finder(w for ws in (met.get("hypothetical") or {}).values() for w in ws),
            linkers={str(w) for ws in (met.get("linkers") or {}).values() for w in ws},
            cues=cues,
            entities=entity_lexicon(rules),
            slots={str(k): word_finder(words_in(v)) for k, v in (met.get("slots") or {}).items()},
            change_from=_adjacent(*_sides((met.get("change") or {}).get("from"), "figure")),
            change_to=_adjacent(*_sides((met.get("change") or {}).get("to"), "figure")),
            change_by=_adjacent(*_sides((met.get("change") or {}).get("by"), "figure")),
            change_verb=word_finder(words_in((met.get("change") or {}).get("to_verbs"))),
            growth=_adjacent(*_sides((met.get("change") or {}).get("growth"), "figure")),
            investor=_adjacent(*_sides(met.get("investor_cues"), "party")),
            comparison=word_finder(words_in(met.get("comparison_cues"))),
            conversion_opens=tuple(words_in((rules["units"].get("conversion") or {}).get("opens"))),
            year_ago=word_finder(words_in(met.get("year_ago_cues"))),
            talks=word_finder(words_in(met.get("talks"))),
            each=_adjacent(*_sides(met.get("each"), "figure")),
        )

    def family(self, eid: str) -> str:
        return self.entities.family(eid)


def _sides(table: dict | None, of: str) -> tuple[list[str], list[str]]:
    """The words of a table that stand before and after a figure or a party (`before_figure`, `after_party`)."""
    table = table or {}
    return words_in(table.get(f"before_{of}")), words_in(table.get(f"after_{of}"))


def _adjacent(before: list[str], after: list[str]) -> tuple[re.Pattern, re.Pattern]:
    """Words right before a figure or a name (at the end of the text before it) and right after it (at the start
    of the text after it), as two patterns."""
    return (patterns.compile(rf"(?:{longest_of(before, folded=True)})\s?$", re.I),
            patterns.compile(rf"^\s?(?:{longest_of(after, folded=True)})", re.I))


@lru_cache(maxsize=8)
def lexicon_for(rules: Rules) -> Lexicon:
    return Lexicon.from_rules(rules)


# ---------------------------------------------------------------- frames

@dataclass
class _Context:
    """One article's parts, in text order, each with its starts for bisection (`spans`): every figure looks
    up its sentence, the organisations and the dates inside its clause."""
    doc: Document
    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    times: list[TimeExpr]
    lex: Lexicon
    main_entity: str | None
    sentence_starts: list[int] = field(init=False)
    mention_starts: list[int] = field(init=False)
    dated: list[TimeExpr] = field(init=False)  # the times that resolved to a date
    dated_starts: list[int] = field(init=False)
    time_starts: list[int] = field(init=False)  # of all times, sorted
    _breaks: dict[tuple[int, int], tuple[list[int], list[int]]] = field(default_factory=dict, init=False, repr=False)
    _metric_words: dict[tuple[int, int], list[re.Match]] = field(default_factory=dict, init=False, repr=False)
    date_owner: dict[int, int] = field(default_factory=dict, init=False)  # a date's start -> its figure's start
    year_ago_cues: list[tuple[int, int]] = field(init=False)  # those that are no date word themselves
    year_ago_starts: list[int] = field(init=False)
    figures: list[tuple[int, int, int]] = field(default_factory=list, init=False)  # (lead, end, start), sorted
    metric_at: dict[int, str | None] = field(default_factory=dict, init=False)  # a framed figure's start -> its fact

    def __post_init__(self) -> None:
        self.sentence_starts = [s for s, _ in self.sentences]
        self.mention_starts = [m.start for m in self.mentions]
        # year-ago cues, in text order and apart (one search): one that holds a date word (去年同期, 前年同期)
        # compares, and the date word in it dates no figure; one that is a date word itself (前年) is a date
        cues = [(m.start(), m.end()) for m in self.lex.year_ago.finditer(self.doc.text)]
        cue_starts = [s for s, _ in cues]

        def inside_cue(t: TimeExpr) -> bool:
            i = bisect_right(cue_starts, t.start) - 1
            return i >= 0 and t.end <= cues[i][1] and cues[i] != (t.start, t.end)
        self.dated = [t for t in self.times if t.value and not inside_cue(t)]
        time_spans = {(t.start, t.end) for t in self.times}
        self.year_ago_cues = [c for c in cues if c not in time_spans]
        self.year_ago_starts = [s for s, _ in self.year_ago_cues]
        self.dated_starts = [t.start for t in self.dated]
        self.time_starts = sorted(t.start for t in self.times)

    def clause(self, sent: tuple[int, int], start: int, end: int) -> tuple[int, int]:
        """The clause of `sent` that start..end stands in: from the break before it to the break after it. A
        sentence's breaks are found once, not for each figure in it (a table flattened into one sentence holds
        thousands)."""
        if sent not in self._breaks:
            found = list(_CLAUSE_BREAK.finditer(self.doc.text, *sent))
            self._breaks[sent] = ([m.start() for m in found], [m.end() for m in found])
        starts, ends = self._breaks[sent]
        before, after = bisect_right(ends, start), bisect_left(starts, end)
        return (ends[before - 1] if before else sent[0]), (starts[after] if after < len(starts) else sent[1])

    def figure_in_clause(self, sent: tuple[int, int], t: TimeExpr, but: int) -> bool:
        """Whether the clause of `sent` that `t` stands in holds a figure other than the one starting at `but`."""
        a, b = self.clause(sent, t.start, t.end)
        i = bisect_left(self.figures, (a,))
        return any(start != but for _, _, start in self.figures[i:bisect_left(self.figures, (b,))])

    def metric_words(self, clause: tuple[int, int]) -> list[re.Match]:
        """The metric words of a clause, found once for all the figures and years in it."""
        if clause not in self._metric_words:
            self._metric_words[clause] = list(self.lex.metric_re.finditer(self.doc.text, *clause))
        return self._metric_words[clause]

    def in_other_figure(self, start: int, end: int, own: int) -> bool:
        """Whether start..end lies inside a figure other than the one starting at `own`."""
        i = bisect_right(self.figures, (start, float("inf"), 0)) - 1
        return i >= 0 and self.figures[i][1] >= end and self.figures[i][2] != own

    def own_dates(self, figures: list[Quantity]) -> None:
        """Each date's figure: the one nearest it in the text (by the characters between, a figure's qualifier
        counted as its own), by the figure's start."""
        spans = sorted((q.start if q.qualifier_start is None else min(q.start, q.qualifier_start), q.end, q.start)
                       for q in figures)
        self.figures = spans
        leads = [lead for lead, _, _ in spans]
        joins = self.lex.cues.get("joins_figures")
        for t in self.dated:
            i = bisect_left(leads, t.end)  # the first figure starting at or after the date's end
            candidates = []  # (a clause break between, characters between, the figure)
            if i < len(spans) and not (joins and joins.search(self.doc.text, t.end, spans[i][0])):
                candidates.append((self._apart(t.end, spans[i][0]), spans[i][0] - t.end, spans[i][2]))
            if i > 0 and spans[i - 1][1] <= t.start:
                candidates.append((self._apart(spans[i - 1][1], t.start), t.start - spans[i - 1][1], spans[i - 1][2]))
            if candidates:
                self.date_owner[t.start] = min(candidates)[2]

    def _apart(self, a: int, b: int) -> bool:
        """Whether a clause break stands between a and b: a date is the figure's of its own clause before the
        nearer one across a comma (溢价约32%，较过去三个月均价溢价41%: the three months are the 41%'s)."""
        return _CLAUSE_BREAK.search(self.doc.text, a, b) is not None

    def year_ago_beside(self, start: int, end: int) -> str | None:
        """The year-ago cue written against the figure at start..end (前年同期の3150万人, 去年同期为19.8元, 31.5
        million a year earlier), if any: the figure is of the period a year before the one its sentence gives. A
        cue that is a date word itself (前年) dates the figure as a date does, and is not one."""
        text, i = self.doc.text, bisect_right(self.year_ago_starts, start)
        if i and 0 <= start - self.year_ago_cues[i - 1][1] <= 2:  # the cue just before the figure
            s, e = self.year_ago_cues[i - 1]
            if text[e:start].strip("的のは为為 ") == "":
                return text[s:e]
        if i < len(self.year_ago_cues) and 0 <= self.year_ago_starts[i] - end <= 2:  # or just after it
            s, e = self.year_ago_cues[i]
            if text[end:s].strip() == "":
                return text[s:e]
        return None

    def any_time_in(self, start: int, end: int) -> bool:
        """Whether a time starts in start..end."""
        i = bisect_left(self.time_starts, start)
        return i < len(self.time_starts) and self.time_starts[i] < end


def _sentence_index(ctx: _Context, pos: int) -> int:
    """The sentence `pos` stands in (sentences are in text order and never overlap), or -1."""
    i = bisect_right(ctx.sentence_starts, pos) - 1
    return i if i >= 0 and pos < ctx.sentences[i][1] else -1


def _parties(ctx: _Context, span: tuple[int, int], q: tuple[int, int], n: int) -> list[Mention]:
    """Up to n organisations for the figure inside `span`, lexicon names first."""
    inside = within(ctx.mentions, ctx.mention_starts, span)
    if n == 1:  # an investor (led by X, X领投) is not whom a one-party figure is about, nor a bare product name
        text, (before, after) = ctx.doc.text, ctx.lex.investor
        inside = [m for m in inside if not (before.search(text[max(0, m.start - 12):m.start])
                                            or after.search(text[m.end:m.end + 6]))
                  and not (m.weak and ctx.main_entity and m.entity != ctx.main_entity)]
    if n == 1 and any(m.entity == ctx.main_entity for m in inside):
        return [next(m for m in inside if m.entity == ctx.main_entity)]  # the article's subject, where it is named
    if n > 1:  # a second party is named as a company, not guessed from its script (a katakana city name)
        inside = [m for m in inside if not m.weak or m.entity == ctx.main_entity]
    for pool in ([m for m in inside if m.known], [m for m in inside if not m.known]):
        distinct: dict[str, Mention] = {}
        # one party: the clause's subject, its first organisation; two: the pair nearest the figure
        order = (lambda m: m.start) if n == 1 else (lambda m: min(abs(m.end - q[0]), abs(m.start - q[1])))
        for m in sorted(pool, key=order):
            distinct.setdefault(m.entity, m)
        if distinct:
            return sorted(list(distinct.values())[:n], key=lambda m: m.start)
    return []


def _metric(ctx: _Context, clause: tuple[int, int], q: Quantity) -> tuple[str | None, str, dict[str, str], re.Match | None]:
    """The metric whose word stands nearest the figure in its clause, and every metric the clause names
    (its facets, each with the word that named it)."""
    lex, text = ctx.lex, ctx.doc.text
    best, best_score, facets = None, 1e9, {}
    chain_end, chain_distance = -1, 0.0
    for m in ctx.metric_words(clause):
        inside = q.start <= m.start() and m.end() <= q.end
        if m.start() < q.end and q.start < m.end() and not (inside and q.kind == "count"):
            continue  # a word of the figure itself names no metric, but a count's noun does (1,182 stores)
        mid = lex.metric_of[m.group().lower()]
        spec = lex.metrics[mid]
        if q.kind not in spec.get("applies_to", ["money"]):
            continue
        if inside:
            distance = 0.0
        elif m.end() <= q.start:
            distance = float(len(text[m.end():q.start].replace(" ", "")))
        elif m.start() == chain_end:
            # a compound after the figure (云合作, クラウド協力契約): its last noun is the head, the ones before
            # modify it, so every word of it is as near as the first and the later word wins ties
            distance = chain_distance - 0.1
        else:
            between = text[q.end:m.start()]
            distance = len(between.replace(" ", "")) + (2.0 if any(l in between for l in lex.linkers) else 0.0)
        if m.start() >= q.end:
            chain_end, chain_distance = m.end(), distance
        score = distance + float(spec.get("priority", 0))
        # a word inside another figure (cut 5,500 jobs) or the noun a count counts (关闭96家门店) names what that
        # figure counts: it is no other fact this figure is tied to
        if not (ctx.in_other_figure(m.start(), m.end(), q.start) or q.kind == "count" and m.start() == q.end):
            facets.setdefault(mid, m.group())
        if score < best_score:
            best, best_score = m, score
    if best is None:
        return None, "", facets, None
    chosen = lex.metric_of[best.group().lower()]
    facets.setdefault(chosen, best.group())
    return chosen, best.group(), facets, best


def _changes(text: str, quantities: list[Quantity], ctx: _Context) -> dict[int, tuple[int, bool]]:
    """"From A to B" (从A增至B, AからBへ, to B from A): the figure after "from" and the figure after "to" in one
    clause, of one unit: the state before a change and the state after it. By the figures' starts, from -> (to,
    whether "from" was written)."""
    lex = ctx.lex
    marked: dict[tuple[int, int], list[tuple[str, Quantity]]] = {}
    in_sentence: dict[int, list[Quantity]] = {}
    for q in quantities:
        lead = q.start if q.qualifier_start is None else q.qualifier_start  # 提高至|最多70%, to|as much as 70%
        before, after = text[max(0, lead - 6):lead], text[q.end:q.end + 3]
        si = _sentence_index(ctx, q.start)
        clause = ctx.clause(ctx.sentences[si], q.start, q.end) if si >= 0 else (q.start, q.end)
        in_sentence.setdefault(si, []).append(q)
        if lex.change_from[0].search(before) or lex.change_from[1].search(after):
            marked.setdefault(clause, []).append(("from", q))
        elif lex.change_to[0].search(before) or lex.change_to[1].search(after):
            marked.setdefault(clause, []).append(("to", q))
    pairs = {}
    for clause, found in marked.items():
        for role, q in found:
            alike = [t for r, t in found if t.unit == q.unit and t.kind == q.kind]
            if role == "from":
                to = next((t for r, t in found if r == "to" and t in alike), None)
                if to is not None:
                    pairs[q.start] = (to.start, True)
            elif not any(r == "from" for r, t in found if t in alike) and lex.change_verb.search(text, *clause):
                # 已持有约20%股权，…持股将提高至最多70%: with no "from", the state before is the sentence's last
                # figure of that unit in an earlier clause
                earlier = [t for t in in_sentence.get(_sentence_index(ctx, q.start), [])
                           if t.end <= clause[0] and t.unit == q.unit and t.kind == q.kind]
                if earlier:
                    pairs.setdefault(earlier[-1].start, (q.start, False))
    return pairs


def _slots(ctx: _Context, clause: tuple[int, int], q: Quantity, spec: dict, sentence: tuple[int, int]) -> list[str]:
    """The slot the figure fills in its fact: the one its clause's words name among the metric's (the nearest
    word to the figure wins), else the one its sentence names before it (月费…上调至30元，涨幅20%); an amount
    after "by" is the size of a change."""
    text, (by_before, by_after) = ctx.doc.text, ctx.lex.change_by
    lead = q.start if q.qualifier_start is None else q.qualifier_start
    if q.kind in ("money", "count") and (by_before.search(text[max(0, lead - 6):lead])
                                        or by_after.search(text[q.end:q.end + 6])):
        return ["by"]
    for span, after_too in ((clause, True), ((sentence[0], q.start), False)):
        nearest, distance = None, 1e9
        for slot in spec.get("slots") or []:
            finder = ctx.lex.slots.get(str(slot))
            for m in finder.finditer(ctx.doc.text, *span) if finder else ():
                d = q.start - m.end() if m.end() <= q.start else (m.start() - q.end if after_too else -1)
                if 0 <= d < distance:
                    nearest, distance = str(slot), d
        if nearest:
            return [] if nearest == spec.get("default_slot") else [nearest]
    return []


def _any_word(table: dict | None, text: str) -> bool:
    words = tuple(w for ws in (table or {}).values() for w in ws)
    return bool(words) and _word_pattern(words).search(text) is not None


@lru_cache(maxsize=64)
def _word_pattern(words: tuple[str, ...]) -> Gated:
    return word_finder(words)


def _running_total(ctx: _Context, metric: str, word: re.Match | None, clause: tuple[int, int], has_date: bool) -> str:
    """An event metric read as a running total when its clause says so (累计, so far, 拿了 with no date): a cue
    elsewhere in its sentence belongs to another figure (雷湾完成6.2亿美元D轮融资　累计融资超13亿美元)."""
    rt = ctx.lex.metrics[metric].get("running_total")
    if not rt:
        return metric
    text = ctx.doc.text
    clause_text = text[clause[0]:clause[1]]
    if _any_word(rt.get("event_cues"), clause_text):
        return metric
    if _any_word(rt.get("cues"), clause_text):
        return rt["metric"]
    if word is not None and not has_date:
        markers = [p for ps in (rt.get("perfective") or {}).values() for p in ps]
        if any(word.group().endswith(p) or text.startswith(p, word.end()) for p in markers):
            return rt["metric"]
    return metric


def _as_of(ctx: _Context, q_start: int, q_end: int, clause: tuple[int, int], si: int, metric: str | None
           ) -> tuple[str | None, str, str]:
    """The period the figure (of fact `metric`) refers to, why, and the part of a year it names (Q3, H1; else
    ""): the date governing its clause or sentence, a cue word, or the publication date."""
    def nearest(span: tuple[int, int]) -> TimeExpr | None:
        inside = within(ctx.dated, ctx.dated_starts, span)
        parts = [t for t in inside if PART_OF_YEAR.fullmatch(t.refine)]
        # said on Tuesday it delivered 86,400 in the third quarter: a quarter or half is the figure's period
        inside = parts or inside
        # a date written next to a figure is that figure's (more than 300 GWh by 2028, 第二季度的16.9%); else the
        # one before the figure governs it, else the first after
        own = [t for t in inside if ctx.date_owner.get(t.start) == q_start]
        if own:
            return min(own, key=lambda t: q_start - t.end if t.end <= q_start else t.start - q_end)
        before = [t for t in inside if t.end <= q_start]
        if before:
            return before[-1]
        # a date after the figure, in a clause of its sentence that has a figure of its own, is that figure's:
        # 较前一交易日收盘价97元溢价约32%，较过去三个月均价溢价41% (but 营收10亿元，均为2023年数据 is the year's)
        after = [t for t in inside if span == clause or not ctx.figure_in_clause(span, t, q_start)]
        return after[0] if after else None

    t = nearest(clause)
    if t:
        return t.value, f"'{t.text}' in its clause", t.refine
    to_date, then = ctx.lex.cues.get("to_date"), ctx.lex.cues.get("then")
    hit = to_date.search(ctx.doc.text, *(ctx.sentences[si] if si >= 0 else clause)) if to_date else None
    # a "then" governs the figures after it up to the next figure written after it, which is that one's: in
    # 加上去年6月完成的融资（当时估值16亿美元），累计融资额已达13.5亿美元 the total is up to publication
    then_at = max((m.end() for m in then.finditer(ctx.doc.text, ctx.sentences[si][0], q_start)), default=None) \
        if si >= 0 and then is not None else None
    told_then = then_at is not None and not any(then_at <= lead < q_start for lead, _, _ in ctx.figures)
    if hit and ctx.doc.published and not told_then:
        # has raised $1.1 billion to date: up to publication, not the founding year its sentence names
        return ctx.doc.published[:10], f"'{hit.group()}': up to the publication date", ""
    if si >= 0:
        t = nearest(ctx.sentences[si])
        if t:
            return t.value, f"'{t.text}' in its sentence", t.refine
    sentence_text = ctx.doc.text[ctx.sentences[si][0]:q_start] if si >= 0 else ""
    same_day = ctx.lex.cues.get("same_day")
    if same_day and (hit := same_day.search(sentence_text)):
        i = bisect_left(ctx.dated_starts, q_start)
        day = next((t for t in reversed(ctx.dated[:i]) if t.precision == "day" and t.end <= q_start), None)
        if day:
            return day.value, f"'{hit.group()}' points back to '{day.text}'", ""
    cue = ctx.lex.cues.get("then")
    if cue and cue.search(sentence_text):
        for j in range(si - 1, max(si - 4, -1), -1):
            t = nearest(ctx.sentences[j]) if j >= 0 else None
            if t:
                return t.value, f"'{cue.search(sentence_text).group()}' points back to '{t.text}'", t.refine
    to_date = ctx.lex.cues.get("to_date")
    if to_date and si >= 0:
        hit = to_date.search(ctx.doc.text, *ctx.sentences[si])
        if hit and ctx.doc.published:
            return ctx.doc.published[:10], f"'{hit.group()}': up to the publication date", ""
    later = ctx.lex.cues.get("later")
    moved_on = bool(later and si >= 0 and later.search(ctx.doc.text, ctx.sentences[si][0], q_start))
    if si > 0 and not moved_on and _same_line(ctx.doc.text, ctx.sentences[si - 1][1], ctx.sentences[si][0]):
        t = nearest(ctx.sentences[si - 1])
        # ... unless it dates a figure of another fact there: the fourth quarter of "ARPU in the fourth quarter
        # was 21.4 yuan" is not when "its annual plan will rise 14%"
        other = ctx.metric_at.get(ctx.date_owner.get(t.start, -1)) if t else None
        if t and not (metric and other and other != metric):
            return t.value, f"'{t.text}' in the sentence before, same paragraph", t.refine
    if ctx.doc.published:
        # the month, not the day: a figure the text dates nowhere is what the story said by then, and the same
        # fact told on another day of that month is the same fact
        return ctx.doc.published[:7], f"{NO_DATE}: the publication month", ""
    return None, f"{NO_DATE} and the publication date is unknown", ""


def _same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b]


def _key(metric: str | None, parties: list[str], as_of: str | None, kind: str, spec: dict, hypothetical: bool,
         claim_id: str, part_of_year: str = "", slots: Iterable[str] = ()) -> str:
    if not metric:
        return f"{UNKEYED}{claim_id}"
    parts = [metric, "+".join(sorted(set(parties))) or "?"]
    if spec.get("kind") in ("event", "flow"):
        parts.append((as_of or "?")[:4])  # one payment or one year's amount is identified by its period
        if PART_OF_YEAR.fullmatch(part_of_year):
            parts.append(part_of_year)  # a quarter's or a half's amount is not the year's, nor another part's
    parts += slots  # pre- or post-money, before or after a change: different facts of one event
    if hypothetical:
        parts.append("hypothetical")
    return "|".join(parts)


def build_claims(doc: Document, quantities: list[Quantity], times: list[TimeExpr],
                 rules: Rules | None = None, mentions: list[Mention] | None = None) -> list[Claim]:
    """One claim per quantity (and per founding year), framed from its clause and sentence. `mentions` are
    the document's (`entities.find_entities`), found here when not given."""
    rules = rules or default_rules()
    lex = lexicon_for(rules)
    if mentions is None:
        mentions, _ = find_entities(doc.text, doc.spans("headline", "body"), doc.lang, rules)
    mentions = [m for m in mentions if m.kind == "org"]  # people and governments are no party to a figure
    main = main_organisation(mentions, doc.text, lex.entities)
    ctx = _Context(doc, doc.sentences, mentions, times, lex, main)
    items: list[Quantity] = list(quantities) + _founding_years(ctx, times)
    ctx.own_dates(items)
    claims: list[Claim] = []
    stem = Path(doc.doc).with_suffix("").as_posix()
    changes = _changes(doc.text, sorted(items, key=lambda q: q.start), ctx)
    for q in sorted(items, key=lambda q: q.start):
        bare = q.kind == "scaled"  # 3150万 with no unit: framed as a count, kept where its fact is one
        if bare:
            q = replace(q, kind="count")
        si = _sentence_index(ctx, q.start)
        sent = ctx.sentences[si] if si >= 0 else (q.start, q.end)
        clause = ctx.clause(sent, q.start, q.end)
        metric, metric_text, facets, word = _metric(ctx, clause, q)
        year_ago = ctx.year_ago_beside(q.start, q.end) if q.kind != "percent" else None  # 同比增长5%: this year's rate
        # a bare number (8 million) takes a fact from no other figure but the one it is a year before of
        if metric is None and (year_ago or not bare and not lex.year_ago.search(doc.text, clause[0], clause[1])):
            # 较第二季度的71,200辆, 2025年4〜9月期は1010億円: a clause that names no metric measures what the
            # sentence's figure of its kind before it does (a comparison, or the same noun left out); in a
            # headline, what the headline's other statement does (ＴＯＢ　総額416億台湾ドル)
            compared = next((c for c in reversed(claims) if c.start >= sent[0] and c.kind == q.kind), None)
            if compared is not None and compared.metric:
                metric, metric_text = compared.metric, compared.metric_text
            elif bare:
                pass  # nor from the headline's other statement or a list's last noun: a count of what, unnamed?
            elif doc.zone_at(q.start) is not None and doc.zone_at(q.start).kind == "headline":
                metric, metric_text, facets, word = _metric(ctx, sent, q)
            elif doc.text[clause[1]:clause[1] + 1] in _ENUMERATION and clause[1] < sent[1]:
                # 12ロット、約38万箱を自主回収: items of one list share the noun or verb after the last one
                following = ctx.clause(sent, clause[1] + 1, clause[1] + 1)
                last = max((end for _, end, start in ctx.figures if following[0] <= start < following[1]), default=None)
                if last is not None:
                    metric, metric_text, facets, word = _metric(ctx, (last, following[1]), q)
        if bare and "count" not in lex.metrics.get(metric or "", {}).get("applies_to", ()):
            continue  # a bare number counts nothing the clause names (播放量2亿, 营收1380亿 with no currency)
        if metric and lex.metrics[metric].get("defers_to"):
            metric, metric_text = _deferred(ctx, sent, metric, metric_text)
        growth = metric is None and q.kind == "percent" and _is_growth(doc.text, q, lex)
        if growth:  # 营收318亿元，同比下降7.5%: the rate the clause's or sentence's metric changed by
            metric, metric_text = _changed_metric(ctx, clause, sent, q, claims)
            growth = metric is not None
        spec = lex.metrics.get(metric or "", {})
        n = int(spec.get("parties", 1))
        parties = _parties(ctx, clause, (q.start, q.end), n)
        if 0 < len(parties) < n and si >= 0:  # 丸岡精密は現在、鼎豊の株式の約20%を保有: the other party is the sentence's
            more = [m for m in _parties(ctx, ctx.sentences[si], (q.start, q.end), n) if m.entity not in {p.entity for p in parties}]
            parties = sorted(parties + more[:n - len(parties)], key=lambda m: m.start)
        j = si
        while not parties and j >= 0 and si - j <= 2:
            parties = _parties(ctx, ctx.sentences[j], (q.start, q.end), n)
            j -= 1
        names = [m.entity for m in parties] or ([main] if main else [])
        as_of, reason, part_of_year = _as_of(ctx, q.start, q.end, clause, si, metric)
        if year_ago and as_of:
            as_of, reason = f"{int(as_of[:4]) - 1:04d}{as_of[4:]}", f"'{year_ago}': a year before {as_of} ({reason})"
        has_date = ctx.any_time_in(sent[0], q.start) or ctx.any_time_in(clause[0], clause[1])
        if metric:
            metric = _running_total(ctx, metric, word, clause, has_date)
            spec = lex.metrics.get(metric, spec)
        hypothetical = bool(lex.hypothetical_re.search(doc.text, clause[0], q.start)) or bool(
            lex.hypothetical_re.search(doc.text, sent[0], clause[0]))
        subject, obj = _roles(doc.text, parties, names)
        cid = f"{stem}:{q.start}"
        primary = _converted(doc.text, q, claims, lex)
        if primary is not None:  # 22亿欧元（约合人民币173亿元）: the same figure, its fact and parties
            metric, metric_text, names, subject, obj = (primary.metric, primary.metric_text, primary.parties,
                                                         primary.subject, primary.object)
            spec = lex.metrics.get(metric or "", {})
        zone = doc.zone_at(q.start)
        claims.append(Claim(
            id=cid, doc=doc.doc, kind=q.kind, text=q.text, start=q.start, end=q.end,
            sentence=doc.text[sent[0]:sent[1]], value=q.value, unit=q.unit, low=q.low, high=q.high,
            qualifier=q.qualifier, subject=subject, metric=metric, object=obj,
            key=_key(metric, names, as_of, q.kind, spec, hypothetical, cid, part_of_year,
                     (["change"] if growth else _slots(ctx, clause, q, spec, sent))
                     + (["talks"] if lex.talks.search(doc.text, *sent) else [])),
            as_of=as_of, as_of_reason=reason, qualifier_text=q.qualifier_text,
            zone=zone.kind if zone else "body", metric_text=metric_text, facets=facets,
            parties=sorted(set(names)), hypothetical=hypothetical, counted=q.counted,
            converted_from=primary.id if primary is not None else None,
        ))
        if primary is not None:
            claims[-1].key, claims[-1].as_of, claims[-1].as_of_reason = primary.key, primary.as_of, (
                f"converts {primary.text}: {primary.as_of_reason}")
        elif claims[-1].keyed:
            claims[-1:] = _each(ctx, claims[-1], q, clause)
        ctx.metric_at[q.start] = metric
    _mark_states_before(claims, changes)
    _mark_repeated_figures(claims)
    _date_headline_figures(claims)
    return claims


def _deferred(ctx: _Context, sent: tuple[int, int], metric: str, metric_text: str) -> tuple[str, str]:
    """A generic metric (a deal) as the specific one its sentence names (a tender offer), where it names one."""
    wanted = set(ctx.lex.metrics[metric].get("defers_to") or [])
    for m in ctx.metric_words(sent):
        if ctx.lex.metric_of[m.group().lower()] in wanted:
            return ctx.lex.metric_of[m.group().lower()], m.group()
    return metric, metric_text


def _is_growth(text: str, q: Quantity, lex: Lexicon) -> bool:
    """Whether a percent stands beside a word of change (同比下降7.5%, 7.5%減, fell 7.5%)."""
    lead = q.start if q.qualifier_start is None else min(q.start, q.qualifier_start)
    before, after = lex.growth
    return bool(before.search(text[max(0, lead - 8):lead]) or after.search(text[q.end:q.end + 4]))


def _changed_metric(ctx: _Context, clause: tuple[int, int], sent: tuple[int, int], q: Quantity,
                    claims: list[Claim]) -> tuple[str | None, str]:
    """The metric a rate of change is of: the one its clause names (revenue fell 7.5%), else the sentence's
    figure before it (营收318亿元，同比下降7.5%)."""
    words = [m for m in ctx.metric_words(clause) if ctx.lex.metrics[ctx.lex.metric_of[m.group().lower()]].get("kind")
             in ("flow", "stock", "cumulative")]
    if words:
        m = min(words, key=lambda m: abs(m.start() - q.start))
        return ctx.lex.metric_of[m.group().lower()], m.group()
    before = next((c for c in reversed(claims) if c.start >= sent[0] and c.metric), None)
    if before:
        return before.metric, before.metric_text
    named = [m for m in ctx.metric_words((sent[0], q.start))  # 付费会员数达…，较上年同期增长22.5%
             if ctx.lex.metrics[ctx.lex.metric_of[m.group().lower()]].get("kind") in ("flow", "stock", "cumulative")]
    return (ctx.lex.metric_of[named[-1].group().lower()], named[-1].group()) if named else (None, "")


def _each(ctx: _Context, claim: Claim, q: Quantity, clause: tuple[int, int]) -> list[Claim]:
    """软银和英伟达各投资300亿美元, SoftBank and Nvidia $30 billion each: one claim for each party that gives,
    with the one that receives, where the clause names two givers or more."""
    text, (before, after) = ctx.doc.text, ctx.lex.each
    lead = q.start if q.qualifier_start is None else min(q.start, q.qualifier_start)
    if not (before.search(text[max(0, lead - 4):lead]) or after.search(text[q.end:q.end + 8])):
        return [claim]
    named = list({m.entity: m for m in within(ctx.mentions, ctx.mention_starts, clause)}.values())
    # the one that receives is marked so (in OpenAI, 向OpenAI) or named after the figure (各投资300亿美元入股OpenAI)
    receivers = [m.entity for m in named if m.start >= q.end or _RECIPIENT_BEFORE.search(text[max(0, m.start - 6):m.start])]
    givers = [m.entity for m in named if m.entity not in receivers]
    if len(givers) < 2:
        return [claim]
    out = []
    for k, giver in enumerate(givers, 1):
        parties = sorted({giver, *receivers[:1]})
        parts = claim.key.split("|")
        parts[1] = "+".join(parties)
        out.append(replace(claim, id=f"{claim.id}.{k}", parties=parties, subject=giver,
                           object=receivers[0] if receivers else None, key="|".join(parts), facets=dict(claim.facets)))
    return out


def _converted(text: str, q: Quantity, claims: list[Claim], lex: Lexicon) -> Claim | None:
    """The amount `q` converts, where it stands in parentheses right after an amount in another currency."""
    if q.kind != "money" or not claims:
        return None
    before = claims[-1]
    lead = q.start if q.qualifier_start is None else min(q.start, q.qualifier_start)
    between = text[before.end:lead].strip()
    if before.kind == "money" and before.unit != q.unit and between in lex.conversion_opens:
        return before
    return None


def _date_headline_figures(claims: list[Claim]) -> None:
    """A headline's figure that its text dates nowhere is the body's figure of the same fact, in other words
    (the headline's 380,000 packs, the body's about 380,000 packs): it takes the body's date."""
    body: dict[str, list[Claim]] = {}
    for c in claims:
        if c.zone == "body" and c.keyed and not c.as_of_reason.startswith(NO_DATE):
            body.setdefault(c.key, []).append(c)
    for c in claims:
        if c.zone == "headline" and c.as_of_reason.startswith(NO_DATE):
            match = next((b for b in body.get(c.key, []) if b.unit == c.unit and b.low <= c.high and c.low <= b.high), None)
            if match:
                c.as_of, c.as_of_reason = match.as_of, f"{match.as_of_reason}, where the body gives the same figure"


def _mark_states_before(claims: list[Claim], changes: dict[int, tuple[int, bool]]) -> None:
    """Where the text gives both states of a change one period, one of them is keyed apart, so the two are never
    compared as one fact: the state a written "from" names (从4.2万人减少至3.65万人) as before, or, with no
    "from", the state the change reaches (已持有约20%，将提高至最多70%) as after: the state reported alone
    elsewhere is the current one."""
    from .compare import same_period
    at = {c.start: c for c in claims}
    for start, (to, written) in changes.items():
        a, b = at.get(start), at.get(to)
        if a and b and a.keyed and b.keyed and same_period(a.as_of, b.as_of):
            if written:
                a.key += "|before"
            else:
                b.key += "|after"


_RECIPIENT_BEFORE = re.compile(r"(?:向|对|給|给|为|に|into|in|to)\s*$")


def _roles(text: str, parties: list[Mention], names: list[str]) -> tuple[str | None, str | None]:
    """Subject and object: a party marked as the recipient (向 OpenAI, into OpenAI) is the object."""
    if not names:
        return None, None
    if len(parties) < 2:
        return names[0], None
    a, b = parties[0], parties[1]
    if _RECIPIENT_BEFORE.search(text[max(0, a.start - 6):a.start]) and not _RECIPIENT_BEFORE.search(
            text[max(0, b.start - 6):b.start]):
        a, b = b, a
    return a.entity, b.entity


def _founding_years(ctx: _Context, times: list[TimeExpr]) -> list[Quantity]:
    """A year stated as a fact (founded in 2015) is a claim of kind `year`."""
    out = []
    for t in times:
        if t.precision != "year" or t.relative or not t.value or t.fiscal:
            continue
        si = _sentence_index(ctx, t.start)
        if si < 0:
            continue
        clause = ctx.clause(ctx.sentences[si], t.start, t.end)
        for m in ctx.metric_words(clause):
            if "year" in ctx.lex.metrics[ctx.lex.metric_of[m.group().lower()]].get("applies_to", []):
                y = float(t.value[:4])
                out.append(Quantity("year", t.text, t.start, t.end, y, "", y, y, "exact"))
                break
    return out


def _mark_repeated_figures(claims: list[Claim]) -> None:
    """A figure an article repeats (headline and lede, or twice in the body) is one claim: later mentions
    point to the first with `copy_of`."""
    first: dict[tuple, Claim] = {}
    for c in claims:
        if not c.keyed:
            continue
        k = (c.key, c.unit, c.low, c.high)
        if k in first:
            original = first[k]
            c.copy_of = original.id
            if original.as_of_reason.startswith(NO_DATE) and not c.as_of_reason.startswith(NO_DATE):
                # a headline's figure is dated by the body that repeats it with its date
                original.as_of, original.as_of_reason = c.as_of, f"{c.as_of_reason}, where the figure is repeated"
        else:
            first[k] = c


CLAIM_COLUMNS = [f for f in Claim.__dataclass_fields__]
_claim_values = attrgetter(*CLAIM_COLUMNS)


def claim_row(c: Claim) -> dict:
    """The claim as a plain dict. Its lists and dicts are shared, not copied (dataclasses.asdict deep-copies
    them, which took 80% of writing a 10,000-article result): rows are only read."""
    return dict(zip(CLAIM_COLUMNS, _claim_values(c)))


def claim_table(claims: list[Claim], documents: list[Header]) -> pd.DataFrame:
    """All claims in one DataFrame, with each document's outlet, publication date and language."""
    import pandas as pd
    rows = [claim_row(c) for c in claims]
    table = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    meta = pd.DataFrame(
        [{"doc": d.doc, "outlet": d.outlet, "published": d.published, "lang": d.lang} for d in documents],
        columns=["doc", "outlet", "published", "lang"],
    )
    return table.merge(meta, on="doc", how="left")
