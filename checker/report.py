"""Stage 5: render a Result as the machine result (JSON, `../shared/spec/result.md`), the claim table (CSV) and
one self-contained HTML page. The HTML is rendered from the same result dict the JSON holds, plus the
document texts for highlighting: nothing on the page is computed that the JSON lacks.

Every file is written atomically (temp file + rename), so an interrupted run leaves the previous report intact.
"""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .compare import Finding
from .files import usual_mode, write_beside
from .ingest import shown_text, to_shown
from .pipeline import Result
from .rows import CSV_COLUMNS, CSV_ROW_BREAK, JSON_ITEM_BREAK, claim_json, document_entry, time_json
from .store import Record, Store
from .rules import default_rules
from .view import (SCRIPT, SCRIPT_HASH, SIDE_SHOWN, Charted, Shown, build_view, claim_view, document_view, filter_options,
                   page_name, party_names, severities, words_for)

FINDING_FIELDS = list(Finding.__dataclass_fields__)

SCHEMA = "claim-check/result@1"
TEMPLATES = Path(__file__).parent / "templates"


def _copy_links(result: Result) -> dict[str, dict]:
    """What each copy's entry says it copies."""
    return {cp.doc: {"doc": cp.of, "how": cp.how, "similarity": cp.similarity} for cp in result.copies}


def _document_entries(result: Result) -> Iterator[dict]:
    copy_of = _copy_links(result)
    for r in result.records():
        yield document_entry(r.doc, copy_of.get(r.name))


def _written_entries(result: Result) -> Iterator[str | dict]:
    """The document entries as written where each was analysed (`Record.entry`), a copy's made again here with
    what it copies."""
    copy_of = _copy_links(result)
    for r in result.records():
        yield document_entry(r.doc, copy_of[r.name]) if r.name in copy_of else r.entry


def _by_name(store: Store) -> Iterator[Record]:
    """The records in the order of their documents' names, as the result's times are listed."""
    return store.records(sorted(range(len(store)), key=store.name))


def _sections(result: Result, documents: Iterator, claims: Iterator, times: Iterator) -> Iterator[tuple[str, object]]:
    """The result's top-level fields in order, given its documents, claims and times; the long lists as
    iterators, so they can be written one item at a time. A finding is written as its own fields, not copied:
    each is read fresh from the result, and dataclasses.asdict deep-copied every list of claim ids."""
    yield from (("schema", SCHEMA), ("generated", result.generated), ("inputs", result.inputs),
                ("documents", documents), ("claims", claims), ("times", times),
                ("findings", ({k: getattr(f, k) for k in FINDING_FIELDS} for f in result.findings_list)),
                ("errors", result.errors),
                ("entities", (e.as_json() for e in result.entities)))
    if result.draft is not None:
        yield "draft", {"doc": result.draft, "verdicts": [asdict(v) for v in result.verdicts]}
    if result.gone:
        yield "gone", result.gone


def result_dict(result: Result) -> dict:
    claims = (claim_json(c) for r in result.records() for c in r.claims)
    times = (time_json(r.name, t) for r in _by_name(result.store) for t in r.times)
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _sections(result, _document_entries(result), claims, times)}


def render_json(result: Result) -> str:
    return "".join(iter_json(result))


def iter_json(result: Result) -> Iterator[str]:
    """The JSON in chunks, one list item per line, as it is encoded: a large result is never held whole, as a
    dict or as a string (at 10,000 articles those took 520 MB more than the result itself). The documents,
    claims and times come as written where each document was analysed (`Record.entry`, `Record.rows`)."""
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    claims = (r.rows("claims") for r in result.records())
    times = (r.rows("times") for r in _by_name(result.store))
    yield "{"
    for n, (key, value) in enumerate(_sections(result, _written_entries(result), claims, times)):
        yield ("\n " if n == 0 else ",\n ") + encode(key) + ": "
        if not isinstance(value, Iterator):
            yield encode(value)
            continue
        empty = True
        for item in value:
            text = item if isinstance(item, str) else encode(item)  # a document's entry and rows are JSON already
            if text:
                yield ("[\n  " if empty else JSON_ITEM_BREAK) + text
                empty = False
        yield "[]" if empty else "\n ]"
    yield "\n}\n"


def render_csv(result: Result) -> str:
    return "".join(iter_csv(result))


def iter_csv(result: Result) -> Iterator[str]:
    """The claim table as CSV (`rows.csv_row`), in pieces: the header, then each document's rows as they were
    written where it was analysed (`Record.rows`)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=CSV_ROW_BREAK).writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for r in result.records():
        yield r.rows("csv")


# documents: past this many, the HTML report's main page holds the findings, the entities and the findings'
# charts, and each document's text and the claim table are pages of their own in NAME.files/, each written as it
# is rendered (at 10,000 articles one page was 141 MB, rendered whole in 1.1 GB: no browser opens it comfortably)
PAGED_AFTER = 500
LISTED_FIELDS = ("doc", "title", "lang", "published", "outlet")  # what a large run's main page lists of a document


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(result: Result, data: dict | None = None, lang: str = "en", desk: dict | None = None) -> str:
    data = data or result_dict(result)
    return _environment().get_template("report.html.j2").render(
        **build_view(result, data, render_csv(result), lang, desk=desk))


def write_paged_html(result: Result, path: Path, lang: str, downloads: dict[str, str]) -> Path:
    """The report of a large run as a folder of pages beside `path` (NAME.files/), which replaces the last
    run's whole, and its main page, written beside `path` (returned) to be renamed onto it. Only the claims a
    card shows whole are held at once."""
    env, folder = _environment(), path.with_name(f"{path.stem}.files")
    rules = result.rules or default_rules()
    # the claims a card shows whole; the others the findings name (all of them, where every figure is
    # corroborated or copied) are held with what a chart needs only
    shown = {c for f in result.findings_list for side in (f.sides or [f.claims]) for c in side[:SIDE_SHOWN]}
    shown |= {c for v in result.verdicts for c in (v.claim, *v.sources)}
    charted = {c for f in result.findings_list for c in f.claims}
    claims, metrics, parties = [], set(), set()
    for r in result.records():
        for c in r.claims:
            metrics.add(c.metric)
            parties.update(c.parties)
            if c.id in shown or r.name == result.draft:
                claims.append(Shown.of(claim_json(c)))
            elif c.id in charted:
                claims.append(Charted.of(claim_json(c)))
    entries = ({k: d[k] for k in LISTED_FIELDS} for d in _document_entries(result))
    data = {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _sections(result, entries, iter(claims), iter(()))}
    severity_of = severities((f["claims"], f["severity"]) for f in data["findings"])
    docs = {d["doc"]: d for d in data["documents"]}
    words = words_for(rules, lang)
    common = {"lang": lang, "words": words, "main": path.name, "script": Markup(SCRIPT), "script_hash": SCRIPT_HASH}
    page = env.get_template("page.html.j2")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{folder.name}."))
    usual_mode(staging)
    try:
        copy_of = _copy_links(result)
        for r in result.records():
            d = document_view(r.doc, document_entry(r.doc, copy_of.get(r.name)), [claim_json(c) for c in r.claims],
                              [time_json(r.name, t) for t in r.times], severity_of)
            _write_page(staging / page_name(r.name), page.generate(d=d, title=d["title"] or d["doc"], **common))
        rows = ({**claim_view(claim_json(c), docs, rules, lang, page_name(r.name)), "severity": severity_of.get(c.id, "")}
                for r in result.records() for c in r.claims)
        _write_page(staging / "claims.html", page.generate(
            claims=rows, title=words["claim_table"], langs=sorted({d["lang"] for d in data["documents"]}),
            **filter_options(rules, lang, metrics, parties, party_names(result, data["entities"])), **common))
        _swap_folder(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    view = build_view(result, data, "", lang, paged=folder.name, downloads=downloads)
    return write_beside(path, env.get_template("report.html.j2").generate(**view))


def _write_page(path: Path, chunks: Iterator[str]) -> None:
    """A page of a folder being made: written plainly (no temp file, no sync each), as the folder is put in
    place whole once every page stands."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.writelines(chunks)


def _swap_folder(new: Path, folder: Path) -> None:
    """`new` in the place of `folder`, the old one removed once the new one stands."""
    old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
    if folder.exists():
        folder.rename(old)
    new.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def render_md(result: Result) -> str:
    """The draft back as markdown, each figure followed by a footnote with its verdict (or, without a draft,
    the findings as a list)."""
    if result.draft is None:
        lines = [f"# Findings ({len(result.findings_list)})", ""]
        lines += [f"- **{f.severity}** {f.rule} {f.message}" for f in result.findings_list]
        return "\n".join(lines) + "\n"
    doc = result.store.document(result.draft)
    by_claim = {v.claim: v for v in result.verdicts}
    claims = sorted((c for c in result.store.claims_of(doc.doc) if c.id in by_claim), key=lambda c: c.start)
    parts, notes, pos, text = [], [], 0, shown_text(doc)
    for n, c in enumerate(claims, 1):
        v = by_claim[c.id]
        end = to_shown(doc.source_map, c.start, c.end)[1] if doc.source_map else c.end
        parts += [text[pos:end], f"[^{n}]"]
        reviewed = f" Reviewed ({v.reviewed}{': ' + v.review_note if v.review_note else ''})." if v.reviewed else ""
        notes.append(f"[^{n}]: **{v.verdict}** — {v.message}{reviewed} (`{v.id}`)")
        pos = end
    parts.append(text[pos:])
    return "".join(parts).rstrip("\n") + "\n\n" + "\n".join(notes) + "\n"


WRITERS = {"json": iter_json, "csv": iter_csv, "html": render_html, "md": render_md}


def write_reports(result: Result, out_dir: Path, name: str, formats: list[str], lang: str = "en") -> dict[str, Path]:
    """Each format of the result as `name.<format>` in `out_dir`; the HTML in the report language `lang`."""
    written: dict[str, Path] = {}
    staged: list[Path] = []
    with _writing(out_dir, name):
        try:
            for fmt in formats:
                path = written[fmt] = out_dir / f"{name}.{fmt}"
                if fmt == "html" and len(result.store) > PAGED_AFTER:
                    staged.append(write_paged_html(result, path, lang,
                                                   {f: f"{name}.{f}" for f in formats if f in ("json", "csv")}))
                else:
                    staged.append(write_beside(path, render_html(result, lang=lang) if fmt == "html"
                                               else WRITERS[fmt](result)))
            for tmp, path in zip(staged, written.values()):  # every format rendered: they replace the last run's
                os.replace(tmp, path)                         # together, never a new HTML beside an old JSON
        except BaseException:
            for tmp in staged:
                tmp.unlink(missing_ok=True)
            raise
    return written


@contextmanager
def _writing(out_dir: Path, name: str) -> Iterator[None]:
    """One run at a time writes the reports called `name` in `out_dir`: a second run waits for the first's to
    stand (a lock on a file beside them, freed by the system if the holder dies), then clears what a killed
    run left half-written. Cleared without the lock, a running run's temporary files were deleted under it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / f".{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in [*out_dir.glob(f".{name}.*.tmp"), *out_dir.glob(f".{name}.files.*")]:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        yield
