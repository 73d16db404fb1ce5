"""What the HTML report shows, computed from the result dict (the JSON) and the document texts only."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
from collections import ChainMap, Counter
from pathlib import Path
from typing import Callable, Iterable, Mapping

from markupsafe import Markup, escape

from .claims import CLAIM_COLUMNS, UNKEYED
from .compare import SEVERITIES, fact_label, parties_in_words, shown_value
from .ingest import Document, shown_text, to_shown
from .pipeline import Result
from .rules import default_rules, in_language, label

SCRIPT = (Path(__file__).parent / "templates" / "report.js").read_text(encoding="utf-8")
# claims shown on each side of a finding; the rest are counted ("+12 more") and all are in the claim table and
# the chart: 40 outlets agreeing on one figure made a card of 40 quotes, and a large run's page of such cards
SIDE_SHOWN = 6
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()  # for the pages' CSP


def _anchor(doc: str) -> str:
    return "doc-" + hashlib.sha1(doc.encode("utf-8")).hexdigest()[:10]


def claim_view(c: dict, docs: dict[str, dict], rules, lang: str, href: str | None = None) -> dict:
    """A claim as a card or a table row shows it, linked to its document's text (`href`, or its section)."""
    d = docs.get(c["doc"], {})
    sentence, text = c.get("sentence") or c["text"], c["text"]
    i = sentence.find(text)
    before, after = (sentence[:i], sentence[i + len(text):]) if i >= 0 else ("", "")
    interval = "" if c["low"] == c["high"] else f"{shown_value(c['low'], c['unit'], c['kind'])} – {shown_value(c['high'], c['unit'], c['kind'])}"
    return {**c, "outlet": d.get("outlet") or "", "published": (d.get("published") or "")[:10],
            "lang": d.get("lang", ""), "before": before, "after": after if i >= 0 else sentence,
            "normalized": shown_value(c["value"], c["unit"], c["kind"]), "interval": interval, "anchor": _anchor(c["doc"]),
            "metric_label": label(rules, c["metric"], lang) if c["metric"] else "", "href": href or "#" + _anchor(c["doc"])}


def _period_start(p: str | None) -> dt.date | None:
    if not p:
        return None
    try:
        if "-W" in p:
            y, w = p.split("-W")
            return dt.date.fromisocalendar(int(y), int(w), 1)
        parts = [int(x) for x in p[:10].split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def round_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis ticks (1, 2, 2.5 or 5 times a power of ten apart) from at or below `low` to at or above
    `high`: 0, 50B, 100B, 150B rather than US$11.7B and US$157B."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    digits = max(0, 1 - math.floor(math.log10(step)))  # 0.2 apart: two decimals keep 0.6 from reading 0.6000000000000001
    first = math.floor(low / step)
    ticks = [round(first * step, digits)]
    while ticks[-1] < high - 1e-9 * step:
        ticks.append(round((first + len(ticks)) * step, digits))
    return ticks


def chart_floor(claims: list[dict]) -> float:
    """Where the value axis starts: zero for amounts and counts, so a tenfold slip shows as one; the lowest
    value for years, where zero would squash every founding date into one line."""
    lowest = min(c["low"] for c in claims)
    if claims[0]["kind"] == "year":
        return lowest
    return min(0.0, lowest)


def chart(title: str, claims: list[dict], outlets: dict[str, str]) -> Markup | None:
    """One fact's values over time, each labelled with its outlet (`outlets`: by document) and value, with the
    interval each wording allows as a bar, on round ticks from a sensible floor: a fall or a 10x slip shows at
    a glance."""
    pts = [(c, _period_start(c.get("as_of"))) for c in claims]
    pts = sorted(((c, t) for c, t in pts if t), key=lambda p: (p[1], p[0]["value"], p[0]["id"]))
    if len(pts) < 2:
        return None
    c0 = pts[0][0]
    low, high = chart_floor([c for c, _ in pts]), max(c["high"] for c, _ in pts)
    if high - low < 1e-9 * max(abs(high), 1):  # one year reported alike everywhere: a few years either side
        low, high = low - 2, high + 2
    ticks = round_ticks(low, high)
    bottom, top = ticks[0], ticks[-1]
    w, pad_l, pad_r, pad_t, pad_b, row = 420, 64, 16, 12, 34, 26
    h = pad_t + pad_b + max(120, row * len(pts))
    t0, t1 = pts[0][1], pts[-1][1]
    span = max((t1 - t0).days, 1)
    inner = w - pad_l - pad_r

    def x(t: dt.date) -> float:  # one date only: its dots near the axis, their labels to the right
        return pad_l + 24 if t0 == t1 else pad_l + 12 + (t - t0).days / span * (inner - 24)

    def y(v: float) -> float:
        return pad_t + (1 - (v - bottom) / ((top - bottom) or 1.0)) * (h - pad_t - pad_b)

    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(title)}">',
             f'<line x1="{pad_l}" y1="{h - pad_b}" x2="{w - pad_r}" y2="{h - pad_b}" class="axis"/>',
             f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{h - pad_b}" class="axis"/>']
    for v in ticks:
        parts.append(f'<line x1="{pad_l - 3}" y1="{y(v):.1f}" x2="{w - pad_r}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{pad_l - 6}" y="{y(v) + 4:.1f}" class="tick" text-anchor="end">'
                     f'{escape(shown_value(v, c0["unit"], c0["kind"]))}</text>')
    fmt = "%Y-%m-%d" if t0.strftime("%Y-%m") == t1.strftime("%Y-%m") and t0 != t1 else "%Y-%m"
    for label_t in dict.fromkeys([t0, t1]):
        parts.append(f'<text x="{x(label_t):.1f}" y="{h - 12}" class="tick" text-anchor="middle">'
                     f'{label_t.strftime(fmt)}</text>')
    placed: list[float] = []
    for i, (c, t) in enumerate(pts):
        cx, cy = x(t), y(c["value"])
        ly = cy + 4
        while any(abs(ly - other) < 14 for other in placed):  # labels never sit on each other
            ly += 14
        placed.append(ly)
        text = f"{outlets[c['doc']]} · {shown_value(c['value'], c['unit'], c['kind'])}"
        right = cx <= pad_l + inner * 0.6  # a label reads away from the nearer edge, never over the axis
        lx = cx + (8 if right else -8)
        leader = (f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{lx:.1f}" y2="{ly - 4:.1f}" class="leader"/>'
                  if ly != cy + 4 else "")  # a label moved off its dot is tied to it
        parts.append(f'<g><title>{escape(c["text"])}</title>'
                     f'<line x1="{cx:.1f}" y1="{y(c["low"]):.1f}" x2="{cx:.1f}" y2="{y(c["high"]):.1f}" class="bar"/>'
                     f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" class="dot"/>{leader}'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" class="point" '
                     f'text-anchor="{"start" if right else "end"}">{escape(text)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _segments(text: str, marks: list[tuple[int, int, str, str]]) -> list[tuple[str, str, str]]:
    """The text cut at every mark boundary: (piece, css classes, tooltip). The pieces are swept left to right
    with the marks open over each (in the marks' own order): testing every mark at every cut took a long
    article's page minutes."""
    cuts = sorted({0, len(text), *[p for s, e, _, _ in marks for p in (s, e)]})
    by_start = sorted(range(len(marks)), key=lambda i: marks[i][0])
    opened, out, k = [], [], 0
    for a, b in zip(cuts, cuts[1:]):
        while k < len(by_start) and marks[by_start[k]][0] <= a:
            opened.append(by_start[k])
            k += 1
        # a mark ends at a cut, so one still open past `a` covers the whole piece up to the next cut
        opened = [i for i in opened if marks[i][1] > a]
        on = [marks[i][2:] for i in sorted(opened)]
        out.append((text[a:b], " ".join(sorted({c for c, _ in on})), " · ".join(t for _, t in on if t)))
    return out


def draft_view(result: Result, data: dict, views: dict[str, dict]) -> dict | None:
    """The draft's text cut into plain pieces and judged figures, each figure with its verdict number."""
    draft = data.get("draft")
    if not draft:
        return None
    doc = result.store.document(draft["doc"])
    verdicts = {v["claim"]: v for v in draft["verdicts"]}
    claims = sorted((c for c in data["claims"] if c["id"] in verdicts), key=lambda c: c["start"])
    pieces, items, pos, text, shown = [], [], 0, shown_text(doc), _shown(doc)
    for n, c in enumerate(claims, 1):
        v = verdicts[c["id"]]
        start, end = shown(c["start"], c["end"])
        pieces.append({"text": text[pos:start]})
        pieces.append({"text": text[start:end], "verdict": v["verdict"], "n": n, "reviewed": v["reviewed"]})
        items.append({**v, "n": n, "claim_view": views[c["id"]],
                      "source_views": [views[s] for s in v["sources"] if s in views]})
        pos = end
    pieces.append({"text": text[pos:]})
    counts = Counter(v["verdict"] for v in draft["verdicts"])
    return {"doc": doc.doc, "title": doc.title, "pieces": pieces, "verdicts": items,
            "counts": {k: counts.get(k, 0) for k in ("contradicted", "supported", "unsupported")}}


def _shown(doc: Document) -> Callable[[int, int], tuple[int, int]]:
    """How a span of the result (offsets into the decoded file) is found in the text a report shows: as it is,
    or, for an HTML page, through its source map."""
    if not doc.source_map:
        return lambda start, end: (start, end)
    return lambda start, end: to_shown(doc.source_map, start, end)


class ClaimRow(tuple):
    """A claim's JSON dict held as the tuple of its values in FIELDS, read as the dict is (`c["value"]`,
    `c.get("as_of")`, `{**c}`). A large run's main page holds the claims its findings name, thirty thousand at
    10,000 articles: a dict of a claim's 27 fields takes 832 bytes, the tuple of its values 256."""
    __slots__ = ()
    FIELDS: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._index = {name: i for i, name in enumerate(cls.FIELDS)}

    def __getitem__(self, name):  # type: ignore[override]
        return tuple.__getitem__(self, self._index[name] if isinstance(name, str) else name)

    def get(self, name: str, default=None):
        i = self._index.get(name)
        return default if i is None else tuple.__getitem__(self, i)

    def keys(self) -> tuple[str, ...]:
        return self.FIELDS

    @classmethod
    def of(cls, row: dict) -> "ClaimRow":
        return cls(row[name] for name in cls.FIELDS)


class Shown(ClaimRow):
    """A claim a card shows whole: every field."""
    __slots__ = ()
    FIELDS = tuple(CLAIM_COLUMNS)


class Charted(ClaimRow):
    """A claim a finding names but no card shows whole: what a chart and the card's fact need of it."""
    __slots__ = ()
    FIELDS = ("id", "doc", "kind", "text", "value", "unit", "low", "high", "metric", "key", "as_of", "parties")


class LazyViews:
    """Claim views by claim id, each made when shown and not kept: a large run's findings name nearly every
    claim, while a card shows six a side and a large run's page is written card by card."""

    def __init__(self, make: Callable[[dict], dict], claims: dict[str, dict]):
        self._make, self._claims = make, claims

    def __getitem__(self, claim_id: str) -> dict:
        return self._make(self._claims[claim_id])

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims


def page_name(doc: str) -> str:
    """The file of a document's own page in a paged report's folder."""
    return _anchor(doc) + ".html"


def document_view(d: Document, entry: dict, claims: list[dict], times: list[dict], severity_of: dict[str, str]) -> dict:
    """A document as the report shows it: its entry in the result, its text cut at every figure, date and
    furniture line (each piece with its classes and tooltip), and its counts."""
    marks = [(z.start, z.end, "furniture" if z.kind != "repeat" else "repeat", z.reason)
             for z in d.zones if z.kind in ("furniture", "repeat")]
    shown = _shown(d)
    marks += [(*shown(c["start"], c["end"]), "claim " + severity_of.get(c["id"], ""), f"{c['metric'] or 'no metric'}: "
               f"{shown_value(c['value'], c['unit'], c['kind'])}, as of {c['as_of']}") for c in claims]
    marks += [(*shown(t["start"], t["end"]), "time", f"{t['value'] or 'unresolved'}") for t in times]
    text = entry.get("text") or shown_text(d)  # an HTML page's text is in the result already: not read twice
    return {**entry, "anchor": _anchor(d.doc), "segments": _segments(text, marks), "claim_count": len(claims),
            "furniture_count": sum(1 for z in d.zones if z.kind == "furniture"),
            "repeat_count": sum(1 for z in d.zones if z.kind == "repeat"),
            "copies": [f"A {c['how']} of {c['doc']} ({c['similarity']:.0%} alike); its figures are "
                       "not independent confirmation." for c in [entry.get("copy_of")] if c]}


def severities(findings: Iterable[tuple[list[str], str]]) -> dict[str, str]:
    """Each claim's gravest finding's severity, from the findings' (claim ids, severity)."""
    severity_of: dict[str, str] = {}
    for claim_ids, severity in findings:
        for cid in claim_ids:
            if cid not in severity_of or SEVERITIES.index(severity) < SEVERITIES.index(severity_of[cid]):
                severity_of[cid] = severity
    return severity_of


def party_names(result: Result, entities: list[dict]) -> Mapping[str, str]:
    """Each party id's name: the result's entities' (who is who) where linked, else the one the run gave it
    (read through, not copied: a large run names tens of thousands)."""
    return ChainMap({i: e["name"] for e in entities for i in e.get("ids") or [e["id"]]}, result.store.entity_names)


def filter_options(rules, lang: str, metrics: Iterable[str | None], parties: Iterable[str],
                   names: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The claim table's metric and organisation filters: (id, name) pairs sorted by name."""
    return {"metrics": sorted({(m, label(rules, m, lang)) for m in metrics if m}, key=lambda m: m[1]),
            "entities": sorted({(p, names.get(p, p)) for p in parties}, key=lambda e: e[1])}


def words_for(rules, lang: str) -> dict[str, str]:
    """The report's words in `lang` (rules/report.yml), English where it has none."""
    return {**rules["report"]["words"]["en"], **(rules["report"]["words"].get(lang) or {})}


def build_view(result: Result, data: dict, csv_text: str, lang: str = "en", paged: str | None = None,
               downloads: dict[str, str] | None = None, desk: dict | None = None) -> dict:
    """What the report's main page shows. `paged` (a large run), the folder of its other pages: the documents
    are listed with links to pages of their own and the claim table is a page of its own, `data` holds only the
    findings' claims, and the downloads are the sibling files in `downloads` rather than copies inside the page. `desk`: the forms of
    `check serve` (its CSRF token, the draft's text, a note to show), for a page it serves."""
    rules = result.rules or default_rules()
    words = words_for(rules, lang)
    docs = {d["doc"]: d for d in data["documents"]}
    outlets = {d["doc"]: d.get("outlet") or f"{words['outlet_unknown']} ({d['lang']})" for d in data["documents"]}
    claims = {c["id"]: c for c in data["claims"]}
    views = LazyViews(lambda c: claim_view(c, docs, rules, lang, f"{paged}/{page_name(c['doc'])}" if paged else None),
                      claims)
    names = party_names(result, data.get("entities") or [])

    def fact_of(key: str, c: dict) -> str:
        parties = parties_in_words(c["parties"], names, " · ")
        return fact_label(rules, key, c["metric"], lang) + (f" — {parties}" if parties else "")
    severity_of = severities((f["claims"], f["severity"]) for f in data["findings"])

    def finding_view(f: dict) -> dict:
        sides = f.get("sides") or [f["claims"]]
        mine = [claims[c] for c in f["claims"] if c in claims]
        check = rules.checks.get(f["rule"], {})
        fact = fact_of(f["key"], mine[0]) if f.get("key") and mine else ""
        one_fact = bool(fact) and len({c["key"] for c in mine}) == 1  # a chart plots one fact, never two
        return {**f, "side_views": [[views[c] for c in s[:SIDE_SHOWN] if c in views] for s in sides],
                "side_more": [max(0, len(s) - SIDE_SHOWN) for s in sides],
                "title": in_language(check.get("title"), lang) or f.get("title") or f["name"],
                "next": in_language(check.get("next"), lang), "fact": fact,
                "metric": (mine[0]["metric"] or "") if mine else "",
                "chart": chart(fact, mine, outlets) if one_fact else None}
    # a large run's cards are made as the page is written, one at a time; its facts are charted on their cards
    findings = (finding_view(f) for f in data["findings"]) if paged else [finding_view(f) for f in data["findings"]]
    by_key: dict[str, list[dict]] = {}
    for c in [] if paged else data["claims"]:
        if not c["key"].startswith(UNKEYED):
            by_key.setdefault(c["key"], []).append(c)
    charts = [{"key": k, "title": fact_of(k, cs[0]), "svg": chart(fact_of(k, cs[0]), cs, outlets)}
              for k, cs in sorted(by_key.items()) if len(cs) > 1]
    charts = [c for c in charts if c["svg"]]
    claims_of: dict[str, list[dict]] = {}  # per document, so a large report is not documents x claims
    times_of: dict[str, list[dict]] = {}
    for c in data["claims"]:
        claims_of.setdefault(c["doc"], []).append(c)
    for t in data["times"]:
        times_of.setdefault(t["doc"], []).append(t)
    documents = ({**docs[name], "href": page_name(name)} for name in docs) if paged else \
        [document_view(r.doc, docs[r.name], claims_of.get(r.name, []), times_of.get(r.name, []), severity_of)
         for r in result.records()]
    dates = sorted(d["published"][:10] for d in data["documents"] if d.get("published"))
    counts = Counter(f["severity"] for f in data["findings"])
    if downloads is None:
        json_text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
        downloads = {"json": "data:application/json;charset=utf-8;base64," + base64.b64encode(json_text.encode()).decode(),
                     "csv": "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_text.encode("utf-8")).decode()}
    return {
        "data": data,
        "draft": draft_view(result, data, views),
        "findings": findings,
        "charts": charts,
        "documents": documents,
        "claims": [] if paged else [{**views[c["id"]], "severity": severity_of.get(c["id"], "")} for c in data["claims"]],
        "paged": paged,
        "desk": desk,
        "claim_count": result.store.claim_count if paged else len(data["claims"]),
        **filter_options(rules, lang, (c["metric"] for c in data["claims"]),
                         (p for c in data["claims"] for p in c["parties"]), names),
        "words": words,
        "lang": lang,
        "langs": sorted({d["lang"] for d in data["documents"]}),
        "date_range": (dates[0], dates[-1]) if dates else None,
        "counts": {s: counts.get(s, 0) for s in ("conflict", "warning", "info")},
        "downloads": downloads,
        "script": Markup(SCRIPT),
        "script_hash": SCRIPT_HASH,
    }
