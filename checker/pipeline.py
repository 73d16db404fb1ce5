"""The library API: `check(paths) -> Result`, wiring ingest -> extract -> claims -> compare.

Every input ends in `Result.documents` or `Result.errors`; one bad file never stops the run.
"""
from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import time
from array import array
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from . import patterns
from .claims import Claim, build_claims, claim_table
from .columns import Strings
from .compare import SEVERITIES, Finding, Findings, check_store, run_here
from .copies import Copy, CopyCandidates, find_copies
from .draft import Verdict, judge_draft
from .entities import (DocumentEntities, EntityIndex, LinkedEntity, entity_lexicon, figures_of, find_entities,
                       link_entities, main_organisation)
from .extract import extract_quantities
from .ingest import Document, InputError, Sidecar, SourceRow, read_document, read_sidecar, sidecar_row, to_source
from .review import apply_review, gone_since, mark_change, read_baseline, read_reviews
from .rules import Rules, RulesError, default_rules, load_rules
from .store import Packed, Record, Store, pack
from .timex import TimeExpr, find_times

if TYPE_CHECKING:  # pandas is imported where a table is made: a run that writes its reports needs none
    import pandas as pd

SIDECAR = "sources.csv"
REVIEWS = "reviews.yml"


def display_path(p: Path | str) -> str:
    """A path as text that can always be written out: bytes of a non-UTF-8 file name become U+FFFD."""
    return os.fsencode(str(p)).decode("utf-8", errors="replace")


@dataclass(slots=True)
class InputFile:
    """One file to read. Small, as a run holds one per input: the path as a string, and its own sources.csv
    row (never the whole table)."""
    path: str
    doc: str  # path relative to the folder it was found in
    meta: SourceRow | None = None


class InputFiles(Sequence):
    """A run's input files, each an `InputFile` made when read: their paths, names and sources.csv rows kept as
    `Strings`, about 120 bytes a file. The list lives through the analysis: 100,000 InputFile objects, with
    their sources.csv rows, took 36 MB of a run's peak memory."""

    def __init__(self, files: Iterable[InputFile] = ()):
        self._paths, self._docs, self._outlets, self._published = Strings(), Strings(), Strings(), Strings()
        self._has_meta = bytearray()
        for f in files:
            self.append(f)

    def append(self, f: InputFile) -> None:
        meta = f.meta or SourceRow()
        for column, value in zip((self._paths, self._docs, self._outlets, self._published),
                                 (f.path, f.doc, meta.outlet, meta.published)):
            column.append(value)
        self._has_meta.append(f.meta is not None)

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, i: int) -> InputFile:
        meta = SourceRow(self._outlets[i], self._published[i]) if self._has_meta[i] else None
        return InputFile(self._paths[i], self._docs[i], meta)


@dataclass
class Result:
    """What a run found. The analysed documents, claims and times stay in `store` (on disk); `records()` reads
    them back in input order. `claims`, `findings` and `documents` are pandas tables; the `_list` properties
    read the whole run into memory, for small runs and for scripts."""

    store: Store
    findings_list: Findings  # read from disk as iterated: a change is kept only through Findings.update
    errors: list[dict[str, str]]
    generated: str
    inputs: list[str]
    draft: str | None = None  # the draft's doc, in draft mode
    verdicts: list[Verdict] = field(default_factory=list)
    gone: list[dict] = field(default_factory=list)  # findings of the --baseline result no longer raised
    copies: list[Copy] = field(default_factory=list)  # documents that are translations or copies of others
    entities: list[LinkedEntity] = field(default_factory=list)  # who is who: organisations linked across documents
    rules: Rules | None = None  # the rules the result was made with: the report names facts and checks from them

    def records(self) -> Iterator[Record]:
        return self.store.records()

    @property
    def documents_list(self) -> list[Document]:
        return [r.doc for r in self.records()]

    @property
    def claims_list(self) -> list[Claim]:
        return [c for r in self.records() for c in r.claims]

    @property
    def times_by_doc(self) -> dict[str, list[TimeExpr]]:
        return {r.name: r.times for r in self.records()}

    @property
    def claims(self) -> pd.DataFrame:
        return claim_table(self.claims_list, [r.header for r in self.records()])

    @property
    def findings(self) -> pd.DataFrame:
        from dataclasses import asdict

        import pandas as pd
        cols = list(Finding.__dataclass_fields__)
        return pd.DataFrame([asdict(f) for f in self.findings_list], columns=cols)

    @property
    def documents(self) -> pd.DataFrame:
        import pandas as pd
        cols = ["doc", "title", "lang", "published", "published_from", "outlet", "outlet_from", "encoding", "path"]
        return pd.DataFrame([{c: getattr(d, c) for c in cols} for d in self.documents_list], columns=cols)

    @property
    def conflicts(self) -> int:
        return self.failures("conflict")

    def failures(self, fail_on: str = "conflict") -> int:
        """What makes the exit code 1: unreviewed contradicted figures of a draft, else unreviewed findings of
        the severity `fail_on` or a graver one."""
        if self.draft is not None:
            return sum(1 for v in self.verdicts if v.verdict == "contradicted" and not v.reviewed)
        return sum(1 for f in self.findings_list
                   if SEVERITIES.index(f.severity) <= SEVERITIES.index(fail_on) and not f.reviewed)


def collect_inputs(paths: Iterable[str | Path], sources: str | Path | None = None,
                   errors: list[dict[str, str]] | None = None) -> InputFiles:
    """Files under the given paths (folders recursively), each with the sidecar that describes it; a file reached
    twice (given twice, or by a link) is listed where it is first reached."""
    errors = errors if errors is not None else []
    explicit = [read_sidecar(Path(sources))] if sources else []
    out = InputFiles()
    identities = _Identities()
    sidecars: dict[Path, list[Sidecar]] = {}  # each folder's tables, the one given first

    def sidecar_of(folder: Path) -> list[Sidecar]:
        if folder not in sidecars:
            sidecars[folder] = explicit + ([read_sidecar(folder / SIDECAR)] if (folder / SIDECAR).is_file() else [])
        return sidecars[folder]

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            folder_sidecar = sidecar_of(p)
            for path, relative in _walk(p, errors):
                if os.path.basename(relative) in (SIDECAR, REVIEWS):
                    continue
                doc = display_path(relative)
                identities.add(path)
                out.append(InputFile(path, doc, sidecar_row(folder_sidecar, doc)))
        elif p.is_file():
            identities.add(str(p))
            out.append(InputFile(str(p), display_path(p.name), sidecar_row(sidecar_of(p.parent), p.name)))
        else:
            errors.append({"path": display_path(p), "message": "no such file or folder"})
    repeats = identities.repeats()
    return InputFiles(f for i, f in enumerate(out) if i not in repeats) if repeats else out


class _Identities:
    """The file each listed path stands for, as the system knows it (device and inode, links followed), as two
    arrays: a set of the paths resolved took 13 MB at 100,000 files, and resolving them three times as long."""

    def __init__(self) -> None:
        self._devices, self._inodes, self._known = array("Q"), array("Q"), bytearray()

    def add(self, path: str) -> None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):  # a link loop, a broken link: a file of its own, its reading says why
            st = None
        self._devices.append(st.st_dev if st else 0)
        self._inodes.append(st.st_ino if st else 0)
        self._known.append(st is not None)

    def repeats(self) -> set[int]:
        """The numbers of the paths that stand for a file listed before them."""
        import numpy as np
        devices, inodes = np.frombuffer(self._devices, np.uint64), np.frombuffer(self._inodes, np.uint64)
        order = np.lexsort((inodes, devices))  # stable: of equal files, the first listed comes first
        devices, inodes = devices[order], inodes[order]
        again = np.r_[False, (devices[1:] == devices[:-1]) & (inodes[1:] == inodes[:-1])]
        known = np.frombuffer(self._known, np.uint8).astype(bool)
        return set(order[again & known[order]].tolist())


def _walk(folder: Path, errors: list[dict[str, str]]) -> Iterator[tuple[str, str]]:
    """Each file under `folder`, in order: its path and its path inside the folder. Strings, not Paths: a
    Path interns its parts, so a Path per file kept every file name of a large run for the life of the process.
    A folder's names are let go as they are listed, so they and the list they go to are not held at once."""
    def onerror(e: OSError) -> None:
        errors.append({"path": display_path(e.filename), "message": f"cannot list folder ({e.strerror})"})

    for root, dirs, files in sorted(os.walk(folder, onerror=onerror, followlinks=False)):
        inside = os.path.relpath(root, folder)
        files.sort(reverse=True)
        while files:
            name = files.pop()
            yield os.path.join(root, name), name if inside == "." else f"{inside}/{name}"


def analyse(f: InputFile, rules: Rules) -> tuple[Document, list[TimeExpr], list[Claim], DocumentEntities]:
    """Ingest, extract, find who is who and frame one file: the part of the pipeline that needs no other
    document. Its entities are linked to other documents' once all are read (`link_entities`)."""
    started = time.monotonic()
    doc = read_document(Path(f.path), f.doc, f.meta, rules)
    readable = doc.spans("headline", "body")
    times = find_times(doc.text, doc.published, rules, zones=readable)
    quantities = extract_quantities(doc.text, doc.lang, rules, zones=readable,
                                    skip=[(t.start, t.end) for t in times])
    if (why := no_article(len(quantities), sum(e - s for s, e in readable), time.monotonic() - started, rules)):
        doc.note, quantities = why, []
    mentions, entities = find_entities(doc.text, readable, doc.lang, rules)
    claims = build_claims(doc, quantities, times, rules, mentions)
    if doc.source_map:  # an HTML page: the result's offsets and figures are the page's, as it was decoded
        for item in (*claims, *times):
            item.start, item.end = to_source(doc.source_map, item.start, item.end)
            item.text = doc.page[item.start:item.end]
    main = main_organisation(mentions, doc.text, entity_lexicon(rules))
    linkable = [e for e in entities if e.kind in ("org", "person")]  # a government is named, never linked
    return doc, times, claims, DocumentEntities(linkable, main, figures_of(claims))


def no_article(figures: int, chars: int, seconds: float, rules: Rules) -> str:
    """Why a document with `figures` figures in `chars` readable characters, read in `seconds`, is no article
    (rules/page.yml `figure_limits`), or "" when it is one: its figures are then neither framed nor compared."""
    limits = rules["page"].get("figure_limits") or {}
    most, density, long = int(limits.get("most", 5000)), float(limits.get("per_1000_chars", 40)), \
        int(limits.get("min_chars", 20000))
    if figures > most or (chars >= long and figures > density * chars / 1000):
        return (f"{figures:,} figures in {chars:,} characters: read as a table or a data dump, not an article; "
                "its figures are not compared")
    if seconds > float(limits.get("seconds", 30)):  # what reading a thousand articles takes
        return (f"reading it took {seconds:.0f} s, past the budget of a document (figure_limits.seconds): its "
                "figures are not compared")
    return ""


def analyse_or_reason(f: InputFile, rules: Rules, buckets: int) -> Packed | str:
    """`analyse`, packed for a store of `buckets` party buckets where it ran, or an unreadable input's one-line
    reason instead of an exception (so it crosses processes)."""
    try:
        doc, times, claims, entities = analyse(f, rules)
    except InputError as e:
        return str(e)
    doc.path = display_path(doc.path)
    return pack(doc, times, claims, entities, buckets)


POOL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves


def _analyse_chunk(files: list[InputFile], rules: Rules, buckets: int) -> list[Packed | str]:
    return [analyse_or_reason(f, rules, buckets) for f in files]


class LocalEngine:
    """This machine: `jobs` processes read the files (a pool, from POOL_MIN_FILES files), the checks run here."""

    def __init__(self, jobs: int):
        self.jobs = jobs

    def analyse(self, inputs: Sequence[InputFile], rules: Rules, buckets: int) -> Iterator[Packed | str]:
        """Each input analysed and packed, in input order, as every engine gives them."""
        if self.jobs > 1 and len(inputs) >= POOL_MIN_FILES:
            from concurrent.futures import ProcessPoolExecutor
            size = max(1, min(64, len(inputs) // (self.jobs * 4)))
            # chunks submitted as the results are taken, a few per process ahead: Executor.map submits them all
            # at once, which made every InputFile of a large run (36 MB at 100,000 files) before the first result
            in_flight: deque = deque()
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                for start in range(0, len(inputs), size):
                    chunk = [inputs[i] for i in range(start, min(start + size, len(inputs)))]
                    in_flight.append(pool.submit(_analyse_chunk, chunk, rules, buckets))
                    if len(in_flight) > 4 * self.jobs:
                        yield from in_flight.popleft().result()
                while in_flight:
                    yield from in_flight.popleft().result()
        else:
            for f in inputs:
                yield analyse_or_reason(f, rules, buckets)

    run_checks = staticmethod(run_here)

    def close(self) -> None:
        pass


def open_engine(engine: str, jobs: int, scheduler: str | None, rules: Rules):
    """What runs a check: `LocalEngine`, or `distributed.DaskEngine` on the cluster at `scheduler` (a
    LocalCluster of `jobs` workers without one), its workers made ready for `rules`. Both give the same result."""
    if engine == "dask":
        from .distributed import DaskEngine
        return DaskEngine(jobs, scheduler, rules)
    return LocalEngine(jobs)


_WRONG_KIND = (TypeError, ValueError, AttributeError, KeyError, re.error)  # a rule value of another shape


def compile_rules(rules: Rules) -> None:
    """Build every grammar and validate every check now, so a broken rule stops the run before any work."""
    from .compare import validate_checks
    try:
        _build_grammars(rules)
    except _WRONG_KIND as e:
        # a value of the wrong kind (`words: 5`, `scales: "abc"`): the user's rules, not a bug of the run
        raise RulesError(f"{_culprit(rules)}: a value of the wrong kind ({type(e).__name__}: {e}); fix: give each "
                         "entry the shape the built-in file of the same name gives it (a list of words, a mapping "
                         "of names to values)") from e
    validate_checks(rules)
    patterns.remember()


def _build_grammars(rules: Rules) -> None:
    from .claims import lexicon_for
    from .clock import grammar_for as clock_grammar_for
    from .extract import grammar_for
    from .timejoin import grammar_for as join_grammar_for
    from .timex import grammar_for as time_grammar_for
    for build in (grammar_for, time_grammar_for, clock_grammar_for, join_grammar_for, lexicon_for, entity_lexicon):
        build(rules)


def _culprit(rules: Rules) -> str:
    """The overlay file whose values a grammar cannot be built from: the built-in rules are built with each
    overlay file alone until one fails (only when building failed, so its cost is the error's)."""
    import shutil
    import tempfile
    for folder in rules.sources[1:]:
        for path in sorted(Path(folder).glob("*.yml")):
            with tempfile.TemporaryDirectory() as alone:
                shutil.copy(path, alone)
                try:
                    _build_grammars(load_rules(alone))
                except (*_WRONG_KIND, RulesError):
                    return str(path)
    return ", ".join(str(s) for s in rules.sources[1:]) or "the built-in rules"


def give_back_freed_memory() -> None:
    """Hand the memory freed by a stage back to the system, where the C library allows it. glibc keeps freed
    blocks for reuse, and the next stage seldom asks for the same sizes: at 100,000 articles the analysis left
    20 MB that way and the copies 15, under the compare, which reached the run's peak on top of them."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # glibc's; other C libraries have none or another name
    except (OSError, AttributeError):
        return None


def find_reviews(paths: Iterable[str | Path]) -> Path | None:
    """A reviews.yml next to the inputs (in an input folder, or beside an input file)."""
    for raw in paths:
        p = Path(raw)
        candidate = (p if p.is_dir() else p.parent) / REVIEWS
        if candidate.is_file():
            return candidate
    return None


def check(paths: Iterable[str | Path], *, draft: str | Path | None = None, sources: str | Path | None = None,
          rules: Rules | None = None, rules_dirs: Iterable[str | Path] = (),
          reviews: str | Path | None = None, baseline: str | Path | None = None,
          jobs: int = 1, engine: str = "local", scheduler: str | None = None,
          progress: Callable[[int, int, str], None] | None = None) -> Result:
    """Check the articles under `paths` against each other and return what was found.

    With `draft`, each figure of the draft is also judged against them (`Result.verdicts`). `reviews` (or a
    reviews.yml next to the inputs) marks reviewed findings and verdicts; `baseline` marks what changed since an
    earlier result JSON. `jobs` processes read the files, or a Dask cluster with `engine="dask"` (`scheduler`,
    or a LocalCluster of `jobs` workers), which also runs the checks; the result is the same whatever runs it.
    """
    rules = rules or (load_rules(*rules_dirs) if rules_dirs else default_rules())
    compile_rules(rules)
    paths = [str(p) for p in paths]
    errors: list[dict[str, str]] = []
    # the engine first: a cluster's workers get ready (import, compile the rules) while the files are listed
    runner = open_engine(engine, jobs, scheduler, rules)
    try:
        # the draft first, and not again as a source
        inputs = collect_inputs([*([draft] if draft else []), *paths], sources, errors)
        has_draft = draft is not None and bool(inputs) and inputs[0].path == str(Path(draft))
        store, candidates, index = Store(len(inputs)), CopyCandidates(), EntityIndex()
        draft_doc, draft_claims = None, []
        give_back_freed_memory()
        for i, (f, out) in enumerate(zip(inputs, runner.analyse(inputs, rules, store.buckets))):
            if progress:
                progress(i, len(inputs), f.doc)
            if isinstance(out, str):
                errors.append({"path": display_path(f.path), "message": out})
                continue
            is_draft = has_draft and i == 0
            n = store.add(out, source=not is_draft)
            index.add(out.entities)
            if is_draft:
                draft_doc, draft_claims = out.name, store.claims_of(out.name)
            else:
                candidates.add(n, out.signatures)
        if progress:
            progress(len(inputs), len(inputs), "")
        # the file list and the copy candidates are not needed again: let the compare have their memory
        del inputs
        mapping, entities = link_entities(index, rules)
        store.relabel(mapping)
        store.entity_names = {**index.display_names(), **{e.id: e.name for e in entities}}
        del index
        if draft_doc:
            draft_claims = store.claims_of(draft_doc)
        give_back_freed_memory()
        copies = find_copies(store, candidates, rules)
        del candidates
        give_back_freed_memory()
        findings = check_store(store, copies, rules, runner.run_checks)
    finally:
        runner.close()
    give_back_freed_memory()
    verdicts = []
    if draft_doc:
        keys = {c.key for c in draft_claims}
        sources = [c for bucket in store.party_buckets() for c in bucket.claims if c.key in keys]
        verdicts = judge_draft(draft_claims, sources, store.documents, rules, store.entity_names)
    review_file = Path(reviews) if reviews else find_reviews([*paths, *([draft] if draft else [])])
    if review_file:
        decisions = read_reviews(review_file)
        findings.update(lambda f: apply_review(f, decisions))
        for v in verdicts:
            apply_review(v, decisions)
    gone = []
    if baseline:
        before = read_baseline(Path(baseline))
        findings.update(lambda f: mark_change(f, before))
        gone = gone_since(before, {f.id for f in findings})
    return Result(
        store=store, findings_list=findings,
        errors=sorted(errors, key=lambda e: e["path"]),
        generated=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        inputs=[display_path(p) for p in [*([draft] if draft else []), *paths]], draft=draft_doc, verdicts=verdicts,
        gone=gone, copies=copies, entities=entities, rules=rules,
    )
