"""The library API: `check(paths) -> Result`, wiring ingest -> extract -> claims -> compare.

Every input ends in `Result.documents` or `Result.errors`; one bad file never stops the run.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from .claims import Claim, build_claims, claim_table
from .compare import Finding, run_checks
from .copies import find_copies
from .extract import extract_quantities
from .ingest import SUPPORTED, Document, InputError, read_document, read_sidecar
from .rules import Rules, default_rules, load_rules
from .timex import TimeExpr, find_times

SIDECAR = "sources.csv"


@dataclass
class InputFile:
    path: Path
    doc: str  # path relative to the folder it was found in
    sidecar: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Result:
    """What a run found. `claims`, `findings` and `documents` are pandas tables; the lists keep the objects."""

    documents_list: list[Document]
    claims_list: list[Claim]
    times_by_doc: dict[str, list[TimeExpr]]
    findings_list: list[Finding]
    errors: list[dict[str, str]]
    generated: str
    inputs: list[str]

    @property
    def claims(self) -> pd.DataFrame:
        return claim_table(self.claims_list, self.documents_list)

    @property
    def findings(self) -> pd.DataFrame:
        from dataclasses import asdict
        cols = list(Finding.__dataclass_fields__)
        return pd.DataFrame([asdict(f) for f in self.findings_list], columns=cols)

    @property
    def documents(self) -> pd.DataFrame:
        cols = ["doc", "title", "lang", "published", "published_from", "outlet", "encoding", "path"]
        return pd.DataFrame([{c: getattr(d, c) for c in cols} for d in self.documents_list], columns=cols)

    @property
    def conflicts(self) -> int:
        return sum(1 for f in self.findings_list if f.severity == "conflict" and not f.reviewed)


def collect_inputs(paths: Iterable[str | Path], sources: str | Path | None = None,
                   errors: list[dict[str, str]] | None = None) -> list[InputFile]:
    """Files under the given paths (folders recursively), each with the sidecar that describes it."""
    errors = errors if errors is not None else []
    explicit = read_sidecar(Path(sources)) if sources else {}
    out: list[InputFile] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            folder_sidecar = read_sidecar(p / SIDECAR) if (p / SIDECAR).is_file() else {}
            for f in _walk(p, errors):
                if f.name == SIDECAR:
                    continue
                key = f.resolve()
                if key in seen:
                    continue
                seen.add(key)
                out.append(InputFile(f, f.relative_to(p).as_posix(), {**folder_sidecar, **explicit}))
        elif p.is_file():
            key = p.resolve()
            if key in seen:
                continue
            seen.add(key)
            side = read_sidecar(p.parent / SIDECAR) if (p.parent / SIDECAR).is_file() else {}
            out.append(InputFile(p, p.name, {**side, **explicit}))
        else:
            errors.append({"path": str(p), "message": "no such file or folder"})
    return out


def _walk(folder: Path, errors: list[dict[str, str]]) -> Iterator[Path]:
    def onerror(e: OSError) -> None:
        errors.append({"path": str(e.filename), "message": f"cannot list folder ({e.strerror})"})

    for root, dirs, files in sorted(os.walk(folder, onerror=onerror, followlinks=False)):
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name


def analyse(f: InputFile, rules: Rules) -> tuple[Document, list[TimeExpr], list[Claim]]:
    """Ingest, extract and frame one file: the part of the pipeline that needs no other document."""
    doc = read_document(f.path, f.doc, f.sidecar, rules)
    readable = doc.spans("headline", "body")
    times = find_times(doc.text, doc.published, rules, zones=readable)
    quantities = extract_quantities(doc.text, doc.lang, rules, zones=readable,
                                    skip=[(t.start, t.end) for t in times])
    return doc, times, build_claims(doc, quantities, times, rules)


def compile_rules(rules: Rules) -> None:
    """Build every grammar and validate every check now, so a broken rule stops the run before any work."""
    from .claims import lexicon_for
    from .compare import validate_checks
    from .extract import grammar_for
    from .timex import grammar_for as time_grammar_for
    grammar_for(rules)
    time_grammar_for(rules)
    lexicon_for(rules)
    validate_checks(rules)


def check(paths: Iterable[str | Path], *, sources: str | Path | None = None,
          rules: Rules | None = None, rules_dirs: Iterable[str | Path] = (),
          progress: Callable[[int, int, str], None] | None = None) -> Result:
    """Check the articles under `paths` against each other and return what was found."""
    rules = rules or (load_rules(*rules_dirs) if rules_dirs else default_rules())
    compile_rules(rules)
    errors: list[dict[str, str]] = []
    inputs = collect_inputs(paths, sources, errors)
    documents, claims, times = [], [], {}
    for i, f in enumerate(inputs):
        if progress:
            progress(i, len(inputs), f.doc)
        try:
            doc, doc_times, doc_claims = analyse(f, rules)
        except InputError as e:
            errors.append({"path": str(f.path), "message": str(e)})
            continue
        documents.append(doc)
        times[doc.doc] = doc_times
        claims.extend(doc_claims)
    if progress:
        progress(len(inputs), len(inputs), "")
    copies = find_copies(documents, claims, rules)
    findings = run_checks(claims, documents, times, copies, rules)
    return Result(
        documents_list=documents, claims_list=claims, times_by_doc=times, findings_list=findings,
        errors=sorted(errors, key=lambda e: e["path"]),
        generated=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        inputs=[str(p) for p in paths],
    )
