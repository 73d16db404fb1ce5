"""A document as the reports write it: its entry in the result's `documents`, the rows of the result's `claims`
and `times` (JSON) and of the claim table (CSV).

They are written where the document is analysed (`store.pack`, in a worker process or on a Dask worker), so
writing a large run's reports copies text instead of encoding every claim in the one process that gathers
the run: at 10,000 articles encoding took 2.3 s there, a third of what did not run in parallel.
"""
from __future__ import annotations

import csv
import io
import json
from typing import NamedTuple

from .claims import CLAIM_COLUMNS, Claim, claim_row
from .ingest import Document, Header, shown_text
from .timex import TimeExpr

CSV_COLUMNS = [*CLAIM_COLUMNS, "outlet", "published", "lang"]  # the claim table's columns (`claim_table`)
JSON_ITEM_BREAK = ",\n  "  # between the items of a list in the result JSON, one item per line
# RFC 4180's CRLF between rows: csv quotes a field holding any character of the row break, so a carriage
# return in a file name or an outlet (which "\n" alone left bare) stays inside its field, not a row of its own
CSV_ROW_BREAK = "\r\n"

_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


class Rows(NamedTuple):
    """One document's rows as text: its claims' and times' JSON items (joined by JSON_ITEM_BREAK; empty when
    it has none) and its claims' CSV lines."""
    claims: str
    times: str
    csv: str


def written_rows(header: Header, claims: list[Claim], times: list[TimeExpr]) -> Rows:
    """The rows of one document (`header`), its claims as they stand (a claim's row says what it copies)."""
    return Rows(claim_rows(header, claims), JSON_ITEM_BREAK.join(_encode(time_json(header.doc, t)) for t in times),
                csv_rows(header, claims))


def claim_rows(header: Header, claims: list[Claim]) -> str:
    """The claims' JSON items (`header` too, as every part of `LINKED_PARTS` is written from the same two)."""
    return JSON_ITEM_BREAK.join(_encode(claim_json(c)) for c in claims)


def csv_rows(header: Header, claims: list[Claim]) -> str:
    """The claims' lines in the claim table, with their document's outlet, date and language."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=CSV_ROW_BREAK).writerows(csv_row(c, header) for c in claims)
    return buffer.getvalue()


# the parts of the rows that say what each claim copies, and how each is written again once copies are linked
LINKED_PARTS = {"claims": claim_rows, "csv": csv_rows}


def document_entry(d: Document, copy_of: dict | None = None) -> dict:
    """The document as the result lists it; `copy_of` says which document it translates or copies."""
    entry = {"doc": d.doc, "title": d.title, "lang": d.lang, "published": d.published,
             "published_from": d.published_from, "outlet": d.outlet, "outlet_from": d.outlet_from, "encoding": d.encoding, "offsets": "decoded",
             "furniture": [{"start": z.start, "end": z.end, "kind": z.kind, "reason": z.reason}
                           for z in d.zones if z.kind in ("furniture", "repeat")]}
    if d.published_note:
        entry["published_note"] = d.published_note
    if d.note:
        entry["note"] = d.note
    if copy_of:
        entry["copy_of"] = copy_of  # a translation or copy: its figures are not independent
    if d.offsets == "extracted":
        # an HTML page: claims and times index the page; what the report shows is the text taken from it, and
        # `source_map` (runs of [offset in text, offset in page, length]) leads from one to the other
        entry["text"] = shown_text(d)
        entry["source_map"] = [list(run) for run in d.source_map]
    return entry


def written_entry(d: Document) -> str:
    """`document_entry` as JSON, for a document not (yet) known to copy another."""
    return _encode(document_entry(d))


def _round(x: float) -> float | int:
    """Plain numbers in the JSON: 13000000000 rather than 13000000000.0, never binary noise."""
    v = float(f"{x:.12g}")
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def claim_json(c: Claim) -> dict:
    row = claim_row(c)
    for k in ("value", "low", "high"):
        row[k] = _round(row[k])
    return row


def time_json(doc: str, t: TimeExpr) -> dict:
    return {"doc": doc, "text": t.text, "start": t.start, "end": t.end, "value": t.value,
            "precision": t.precision, "relative": t.relative, "refine": t.refine, "fiscal": t.fiscal,
            "note": t.note, "kind": t.kind, "timex": t.timex}


def csv_row(c: Claim, header: Header) -> list:
    """The claim as pandas writes the claim table: None as an empty field, parties and facets joined by `;`."""
    row = claim_row(c)
    row["parties"] = ";".join(c.parties)
    row["facets"] = ";".join(f"{k}={v}" for k, v in c.facets.items())
    for k in ("value", "low", "high"):
        row[k] = float(row[k])  # a float column, as in the table, whatever the number was made as
    return [*row.values(), header.outlet, header.published, header.lang]
