"""What the HTML report shows, computed from the result dict (the JSON) and the document texts only."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

from .claims import UNKEYED
from .compare import SEVERITIES, money
from .ingest import Document, shown_text, to_shown
from .pipeline import Result

SCRIPT = (Path(__file__).parent / "templates" / "report.js").read_text(encoding="utf-8")


def _fmt(value: float, unit: str, kind: str) -> str:
    if kind == "money":
        return money(value, unit)
    if kind == "percent":
        return f"{value:g}%"
    if kind == "year":
        return f"{value:.0f}"
    return f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def _anchor(doc: str) -> str:
    return "doc-" + hashlib.sha1(doc.encode("utf-8")).hexdigest()[:10]


def _claim_view(c: dict, docs: dict[str, dict]) -> dict:
    d = docs.get(c["doc"], {})
    sentence, text = c.get("sentence") or c["text"], c["text"]
    i = sentence.find(text)
    before, after = (sentence[:i], sentence[i + len(text):]) if i >= 0 else ("", "")
    interval = "" if c["low"] == c["high"] else f"{_fmt(c['low'], c['unit'], c['kind'])} – {_fmt(c['high'], c['unit'], c['kind'])}"
    return {**c, "outlet": d.get("outlet") or c["doc"], "published": (d.get("published") or "")[:10],
            "lang": d.get("lang", ""), "before": before, "after": after if i >= 0 else sentence,
            "normalized": _fmt(c["value"], c["unit"], c["kind"]), "interval": interval, "anchor": _anchor(c["doc"])}


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


def chart(key: str, claims: list[dict]) -> Markup | None:
    """Values over time with the interval each wording allows as a bar: a fall or a 10× slip shows at a glance."""
    pts = [(c, _period_start(c.get("as_of"))) for c in claims]
    pts = [(c, t) for c, t in pts if t]
    if len(pts) < 2:
        return None
    w, h, pad_l, pad_r, pad_t, pad_b = 420, 150, 70, 34, 12, 28
    t0, t1 = min(t for _, t in pts), max(t for _, t in pts)
    span = max((t1 - t0).days, 1)
    hi_v, lo_v = max(c["high"] for c, _ in pts), min(c["low"] for c, _ in pts)
    # a zero baseline shows a 10x slip; for close values (13B vs 14B) it would hide the difference
    bottom = 0.0 if lo_v <= 0 or hi_v / lo_v > 3 else lo_v * 0.9
    top = hi_v * 1.05 if bottom else hi_v * 1.1 or 1.0

    def x(t: dt.date) -> float:
        if t0 == t1:
            return pad_l + (w - pad_l - pad_r) / 2
        return pad_l + (t - t0).days / span * (w - pad_l - pad_r)

    def y(v: float) -> float:
        return pad_t + (1 - (v - bottom) / ((top - bottom) or 1.0)) * (h - pad_t - pad_b)

    c0 = pts[0][0]
    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(key)}: values over time">',
             f'<line x1="{pad_l}" y1="{h - pad_b}" x2="{w - pad_r}" y2="{h - pad_b}" class="axis"/>',
             f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{h - pad_b}" class="axis"/>',
             f'<text x="{pad_l - 4}" y="{y(hi_v) + 4:.1f}" class="tick" text-anchor="end">'
             f'{escape(_fmt(hi_v, c0["unit"], c0["kind"]))}</text>',
             f'<text x="{pad_l - 4}" y="{h - pad_b}" class="tick" text-anchor="end">'
             f'{escape(_fmt(bottom, c0["unit"], c0["kind"]))}</text>']
    for label_t in sorted({t0, t1}):
        parts.append(f'<text x="{x(label_t):.1f}" y="{h - 8}" class="tick" text-anchor="middle">{label_t:%Y-%m}</text>')
    for i, (c, t) in enumerate(sorted(pts, key=lambda p: (p[1], p[0]["id"]))):
        cx = x(t) + (i % 3 - 1) * 5
        tip = escape(f"{c['text']} ({c['doc']}, {c.get('as_of')})")
        parts.append(f'<g><title>{tip}</title>'
                     f'<line x1="{cx:.1f}" y1="{y(c["low"]):.1f}" x2="{cx:.1f}" y2="{y(c["high"]):.1f}" class="bar"/>'
                     f'<circle cx="{cx:.1f}" cy="{y(c["value"]):.1f}" r="3.5" class="dot"/></g>')
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


def build_view(result: Result, data: dict, csv_text: str) -> dict:
    docs = {d["doc"]: d for d in data["documents"]}
    claims = {c["id"]: c for c in data["claims"]}
    views = {cid: _claim_view(c, docs) for cid, c in claims.items()}
    severity_of: dict[str, str] = {}
    for f in data["findings"]:
        for cid in f["claims"]:
            if cid not in severity_of or SEVERITIES.index(f["severity"]) < SEVERITIES.index(severity_of[cid]):
                severity_of[cid] = f["severity"]
    findings = []
    for f in data["findings"]:
        sides = f.get("sides") or [f["claims"]]
        findings.append({**f, "side_views": [[views[c] for c in s if c in views] for s in sides],
                         "metric": next((claims[c]["metric"] for c in f["claims"] if c in claims), None) or "",
                         "chart": chart(f["key"], [claims[c] for c in f["claims"] if c in claims]) if f.get("key") else None})
    by_key: dict[str, list[dict]] = {}
    for c in data["claims"]:
        if not c["key"].startswith(UNKEYED):
            by_key.setdefault(c["key"], []).append(c)
    charts = [{"key": k, "svg": chart(k, cs)} for k, cs in sorted(by_key.items()) if len(cs) > 1]
    charts = [c for c in charts if c["svg"]]
    claims_of: dict[str, list[dict]] = {}  # per document, so a large report is not documents x claims
    times_of: dict[str, list[dict]] = {}
    for c in data["claims"]:
        claims_of.setdefault(c["doc"], []).append(c)
    for t in data["times"]:
        times_of.setdefault(t["doc"], []).append(t)
    documents = []
    for d in (r.doc for r in result.records()):
        dd = docs[d.doc]
        marks = [(z.start, z.end, "furniture" if z.kind != "repeat" else "repeat", z.reason)
                 for z in d.zones if z.kind in ("furniture", "repeat")]
        shown = _shown(d)
        marks += [(*shown(c["start"], c["end"]), "claim " + severity_of.get(c["id"], ""), f"{c['metric'] or 'no metric'}: "
                   f"{_fmt(c['value'], c['unit'], c['kind'])}, as of {c['as_of']}")
                  for c in claims_of.get(d.doc, [])]
        marks += [(*shown(t["start"], t["end"]), "time", f"{t['value'] or 'unresolved'}") for t in times_of.get(d.doc, [])]
        text = dd.get("text") or shown_text(d)  # an HTML page's text is in the result already: not read twice
        documents.append({**dd, "anchor": _anchor(d.doc), "segments": _segments(text, marks),
                          "claim_count": len(claims_of.get(d.doc, [])),
                          "furniture_count": sum(1 for z in d.zones if z.kind == "furniture"),
                          "repeat_count": sum(1 for z in d.zones if z.kind == "repeat"),
                          "copies": [f"A {c['how']} of {c['doc']} ({c['similarity']:.0%} alike); its figures are "
                                     "not independent confirmation." for c in [dd.get("copy_of")] if c]})
    dates = sorted(d["published"][:10] for d in data["documents"] if d.get("published"))
    counts = Counter(f["severity"] for f in data["findings"])
    json_text = json.dumps(data, ensure_ascii=False, indent=1)
    return {
        "data": data,
        "draft": draft_view(result, data, views),
        "findings": findings,
        "charts": charts,
        "documents": documents,
        "claims": [{**views[c["id"]], "severity": severity_of.get(c["id"], "")} for c in data["claims"]],
        "metrics": sorted({c["metric"] for c in data["claims"] if c["metric"]}),
        "entities": sorted({p for c in data["claims"] for p in c["parties"]}),
        "langs": sorted({d["lang"] for d in data["documents"]}),
        "date_range": (dates[0], dates[-1]) if dates else None,
        "counts": {s: counts.get(s, 0) for s in ("conflict", "warning", "info")},
        "csv_uri": "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_text.encode("utf-8")).decode(),
        "json_uri": "data:application/json;charset=utf-8;base64," + base64.b64encode(json_text.encode("utf-8")).decode(),
        "script": Markup(SCRIPT),
        "script_hash": base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode(),
    }
