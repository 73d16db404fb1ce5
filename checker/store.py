"""Where a run keeps what it has analysed: on disk, so memory holds a few numbers per article, not the article.

Each analysed document goes to disk as it arrives (its `Document`, its `Header`, times and claims, pickled where
it was analysed: `pack`). The stages after it read the store back in the pieces they work on:
- the compare, claims by party set (`party_buckets`): every check that sets reports side by side works inside
  one key or one party set, and a key names its parties, so a bucket holds all a check needs;
- the document checks, documents in input order (`article_batches`);
- the reports, everything in input order (`records`), each document also as the entry and rows it is written
  as (`Record.entry`, `rows.Rows`).
Copies found after the analysis are recorded as links (`link`) and applied to every claim read back.
"""
from __future__ import annotations

import io
import os
import pickle
import re
import shutil
import struct
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from .claims import Claim
from .columns import Lookup, Strings
from .copies import signatures
from .entities import DocumentEntities, relabel
from .ingest import Document, Header
from .rows import LINKED_PARTS, Rows, written_entry, written_rows
from .timex import TimeExpr

# the number of party buckets grows with the run, so a bucket (about 3,000 claims, unless one party set has
# more) is what the compare holds at a time; the article checks take 500 articles at a time
DOCUMENTS_PER_BUCKET = 1_000
DOCUMENTS_PER_BATCH = 500
MAX_BUCKETS = 256  # open files


class Record:
    """One analysed document as the store keeps it: each part (the Document, its times, its claims) is read
    from disk when first asked for, so a pass that needs one part reads only that."""

    def __init__(self, store: Store, n: int):
        self._store, self.number, self.name = store, n, store.name(n)

    @cached_property
    def doc(self) -> Document:
        return self._store._records.get(self.number, "document")

    @cached_property
    def header(self) -> Header:
        return self._store._records.get(self.number, "header")

    @cached_property
    def times(self) -> list[TimeExpr]:
        return self._store._records.get(self.number, "times")

    @cached_property
    def claims(self) -> list[Claim]:
        return self._store._linked(self._store._records.get(self.number, "claims"))

    @property
    def entry(self) -> str:
        """The document's entry in the result's documents (JSON), written where it was analysed."""
        return self._store._records.get(self.number, "entry")

    def rows(self, part: str) -> str:
        """One part of the rows (`Rows`: claims, times or csv) written where the document was analysed, read
        alone (each report reads one, the JSON's times in another order). The parts that say what a claim
        copies are written again here if one of its claims was linked to a copy since."""
        if part in LINKED_PARTS and (self.name in self._store._linked_docs or self._store.relabelled(self.number)):
            return LINKED_PARTS[part](self.header, self.claims)
        return self._store._records.get(self.number, f"rows-{part}")


@dataclass
class Bucket:
    """The claims about the party sets of one bucket, with the headers of the documents they come from."""
    claims: list[Claim]
    documents: dict[str, Header]


class Stream:
    """Pickled items appended to one file (at `path`, or a temporary file gone with the stream), read back in
    order: a party bucket is read whole, so it keeps no offsets."""

    def __init__(self, path: Path | None = None):
        if path is None:
            fd, name = tempfile.mkstemp(prefix="checker-")
            self._writer, self._reader = os.fdopen(fd, "wb"), open(name, "rb")
            os.unlink(name)  # the open handles keep it until the spill is gone
        else:
            self._writer, self._reader = open(path, "wb"), open(path, "rb")
        self._end, self._unread = 0, False

    def append(self, data: bytes) -> None:
        """Append an item already pickled (where it was made: a worker's pickling is not the writer's)."""
        self._writer.write(data)
        self._end += len(data)
        self._unread = True

    def __iter__(self) -> Iterator[object]:
        at = 0
        while at < self._end:  # from where the last item ended: a read elsewhere in between moves the reader
            reader = self._reader_at(at)
            yield pickle.load(reader)
            at = reader.tell()

    def __reduce__(self):
        # sent to another process (a Dask worker), a stream travels as its bytes and is read there as here
        return SpilledBytes, (self._reader_at(0).read(self._end),)

    def _reader_at(self, offset: int):
        """The reader at `offset`, with everything appended so far written out."""
        if self._unread:
            self._writer.flush()
            self._unread = False
        self._reader.seek(offset)
        return self._reader


class Spill(Stream):
    """A stream whose items are also read by number."""

    def __init__(self, path: Path | None = None):
        super().__init__(path)
        self._offsets = array("q")

    def append(self, data: bytes) -> None:
        self._offsets.append(self._end)
        super().append(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, i: int) -> object:
        return pickle.load(self._reader_at(self._offsets[i]))

    def raw(self, i: int) -> bytes:
        """Item `i` as written."""
        end = self._offsets[i + 1] if i + 1 < len(self._offsets) else self._end
        return self.read(i, 0, end - self._offsets[i])

    def read(self, i: int, start: int, size: int) -> bytes:
        """`size` bytes of item `i`, from its byte `start`."""
        return self._reader_at(self._offsets[i] + start).read(size)


class Records:
    """Items of several parts, each appended as one record of a spill and each part read alone. The lengths of
    its parts lead a record, so memory holds one offset a record: with a spill per part, the store held eight
    offsets a document (6 MB at 100,000 documents)."""

    def __init__(self, path: Path, parts: Iterable[str]):
        self._spill, self._part = Spill(path), {p: k for k, p in enumerate(parts)}
        self._lengths = struct.Struct(f"<{len(self._part)}I")

    def append(self, parts: Iterable[bytes]) -> None:
        """A record of the parts, pickled and in the order named when made."""
        parts = list(parts)
        self._spill.append(b"".join([self._lengths.pack(*map(len, parts)), *parts]))

    def __len__(self) -> int:
        return len(self._spill)

    def raw(self, i: int, *parts: str) -> tuple[bytes, ...]:
        """Parts of record `i` as written, its lengths read once for all of them."""
        lengths = self._lengths.unpack(self._spill.read(i, 0, self._lengths.size))
        return tuple(self._spill.read(i, self._lengths.size + sum(lengths[:k]), lengths[k])
                     for k in map(self._part.__getitem__, parts))

    def get(self, i: int, part: str) -> object:
        return pickle.loads(self.raw(i, part)[0])


class SpilledBytes:
    """The items of a spill, from its bytes."""

    def __init__(self, data: bytes):
        self.data = data

    def __iter__(self) -> Iterator[object]:
        stream = io.BytesIO(self.data)
        while stream.tell() < len(self.data):
            yield pickle.load(stream)


@dataclass
class Packed:
    """An analysed document as the store writes it, made where the document was analysed (a worker process,
    a Dask worker), so the process gathering a run only writes bytes: its parts pickled, its claims also
    pickled per party bucket, its entry and rows in the reports (each part of `Rows` pickled alone), and the
    hashes copies are found by."""
    name: str
    document: bytes
    header: bytes
    times: bytes
    claims: bytes
    entry: bytes
    rows: dict[str, bytes]  # each part of `Rows` by its name
    buckets: dict[int, bytes]
    signatures: list[int]
    claim_count: int
    entities: DocumentEntities  # who is who in the document, for linking across documents (small: a few names)


# the parts of a document's record in the store, in the order written
RECORD_PARTS = ("document", "header", "times", "claims", "entry", *(f"rows-{part}" for part in Rows._fields))


def bucket_count(expected_documents: int) -> int:
    return min(MAX_BUCKETS, 1 + expected_documents // DOCUMENTS_PER_BUCKET)


def pickled(item: object) -> bytes:
    """An item as a spill keeps it."""
    return pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)


def pack(doc: Document, times: list[TimeExpr], claims: list[Claim], entities: DocumentEntities, buckets: int) -> Packed:
    """The document packed for a store of `buckets` party buckets. Its entry in the reports is written while
    its text is at hand (an HTML page's text is in it); then the text is let go: the store keeps none."""
    entry = written_entry(doc)
    doc.release_text()
    by_bucket: dict[int, list[Claim]] = {}
    for c in claims:
        by_bucket.setdefault(bucket_of(c.parties, buckets), []).append(_for_comparing(c))
    header = doc.header
    return Packed(doc.doc, pickled(doc), pickled(header), pickled(times), pickled(claims), pickled(entry),
                  {part: pickled(text) for part, text in written_rows(header, claims, times)._asdict().items()},
                  {b: pickled((header, cs)) for b, cs in by_bucket.items()}, signatures(claims), len(claims),
                  entities)


_RUN_FOLDER = re.compile(r"checker-(\d+)-")
STALE_AFTER_SECONDS = 600  # a run folder untouched this long whose process is gone was left by a killed run


def clear_killed_runs(now: float | None = None) -> list[Path]:
    """Remove the analysis folders killed runs of this user left in the temporary folder (a run killed with
    SIGKILL cannot remove its own; one took 178 MB): those whose process is gone and that no one has touched
    for STALE_AFTER_SECONDS. Returns what it removed."""
    now = time.time() if now is None else now
    removed = []
    for folder in Path(tempfile.gettempdir()).glob("checker-*-*"):
        m = _RUN_FOLDER.match(folder.name)
        try:
            st = folder.stat()
        except OSError:
            continue
        if not m or not folder.is_dir() or st.st_uid != os.getuid() or now - st.st_mtime < STALE_AFTER_SECONDS:
            continue
        if _alive(int(m.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def bucket_of(parties: list[str], buckets: int) -> int:
    # a stable hash, so a run's buckets (and the order findings are found in) never depend on the process
    return zlib.crc32("\x1f".join(sorted(set(parties))).encode("utf-8")) % buckets


class Store:
    """The documents of one run, in input order, with their claims also bucketed by party set."""

    def __init__(self, expected_documents: int = 0):
        clear_killed_runs()
        # removed with the store, or at exit; named by the run's process, so a killed run's is found and removed
        self._folder = tempfile.TemporaryDirectory(prefix=f"checker-{os.getpid()}-")
        folder = Path(self._folder.name)
        self._records = Records(folder / "documents", RECORD_PARTS)
        self._names = Strings()
        self._by_name: Lookup | None = None  # made again when asked after names were added
        self._buckets = [Stream(folder / f"parties-{i}") for i in range(bucket_count(expected_documents))]
        self.links: dict[str, str] = {}  # claim id -> the claim it copies, found across documents
        self._linked_docs: set[str] = set()
        self.original_docs: dict[str, str] = {}  # the id of each claim a copy is linked to -> its document
        self.claim_count = 0
        self.entity_of: dict[str, str] = {}  # entity id -> the id linking across documents gave it (`relabel`)
        self.entity_names: dict[str, str] = {}  # entity id (as linked) -> the name findings show
        self._entity_ids = Strings()  # each document's organisation ids, joined by \x1f
        self._not_sources: set[int] = set()  # record numbers of the documents that are not sources (a draft)
        # the copies and the copy check ask for the headers of a pair of documents at a time, often one of the
        # last pair's: 4,096 headers took 1.8 MB at 100,000 articles
        self.header = lru_cache(maxsize=512)(self._header)
        self.documents = _Documents(self)

    @property
    def buckets(self) -> int:
        return len(self._buckets)

    def add(self, packed: Packed, *, source: bool = True) -> int:
        """Write a document packed with this store's number of buckets; its number in the store."""
        n = len(self._names)
        self._records.append([packed.document, packed.header, packed.times, packed.claims, packed.entry,
                              *(packed.rows[part] for part in Rows._fields)])
        self._names.append(packed.name)
        self._entity_ids.append("\x1f".join(e.id for e in packed.entities.entities))
        self.claim_count += packed.claim_count
        if not source:
            self._not_sources.add(n)
        else:
            for b, data in packed.buckets.items():
                self._buckets[b].append(data)
        return n

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, doc: str) -> bool:
        return self._find(doc) is not None

    def number(self, doc: str) -> int:
        n = self._find(doc)
        if n is None:
            raise KeyError(doc)
        return n

    def _find(self, doc: str) -> int | None:
        """A name's record number (the last of equal names, as a dict keeps the last)."""
        if self._by_name is None or len(self._by_name) != len(self._names):
            self._by_name = Lookup(self._names)
        return self._by_name.find(doc)

    def name(self, n: int) -> str:
        return self._names[n]

    def link(self, claim: Claim, original: Claim) -> None:
        claim.copy_of = original.id
        self.links[claim.id] = original.id
        self._linked_docs.add(claim.doc)
        self.original_docs[original.id] = sys.intern(original.doc)

    def linked_copies(self) -> list[tuple[str, str]]:
        """The id and document of each claim linked to a claim of another document, in input order."""
        return [(c.id, d) for d in sorted(self._linked_docs, key=self.number) for c in self.claims_as_read(d)
                if c.id in self.links]

    def _linked(self, claims: list[Claim]) -> list[Claim]:
        return _linked(claims, self.links, self.entity_of)

    def relabel(self, mapping: dict[str, str]) -> None:
        """Give every claim read back the ids linking across documents gave its parties (`link_entities`). A
        claim's party bucket was chosen by its ids in its document, so with more than one bucket they are made
        again from the documents' claims, under the new ids."""
        self.entity_of = mapping
        if not mapping or len(self._buckets) == 1:
            return
        folder = Path(self._folder.name)
        buckets = [Stream(folder / f"linked-parties-{i}") for i in range(len(self._buckets))]
        for n in range(len(self)):
            if n in self._not_sources:
                continue
            header = self._records.get(n, "header")
            by_bucket: dict[int, list[Claim]] = {}
            for c in self._linked(self._records.get(n, "claims")):
                by_bucket.setdefault(bucket_of(c.parties, len(buckets)), []).append(_for_comparing(c))
            for b, cs in by_bucket.items():
                buckets[b].append(pickled((header, cs)))
        self._buckets = buckets

    def relabelled(self, n: int) -> bool:
        """Whether linking gave a party of document `n` another id (its rows are written again)."""
        return bool(self.entity_of) and any(i in self.entity_of for i in self._entity_ids[n].split("\x1f"))

    def document(self, doc: str) -> Document:
        return self._records.get(self.number(doc), "document")

    def _header(self, doc: str) -> Header:
        return self._records.get(self.number(doc), "header")

    def claims_of(self, doc: str) -> list[Claim]:
        return self._linked(self.claims_as_read(doc))

    def claims_as_read(self, doc: str) -> list[Claim]:
        """A document's claims as its analysis left them, before any copy was linked."""
        return self._records.get(self.number(doc), "claims")

    def records(self, numbers: Iterable[int] | None = None) -> Iterator[Record]:
        for n in range(len(self)) if numbers is None else numbers:
            yield Record(self, n)

    def party_buckets(self) -> Iterator[Bucket]:
        for spill in self.party_spills():
            yield read_bucket(spill, self.links, self.entity_of)

    def party_spills(self) -> list[Stream]:
        """Each party bucket as written (headers and claims), for `read_bucket` here or in another process."""
        return self._buckets

    def article_batches(self) -> Iterator[list[tuple[bytes, bytes, bytes]]]:
        """The source articles in batches, each article as its header, claims and times were written: read by
        `read_articles` here or in another process."""
        numbers = (n for n in range(len(self)) if n not in self._not_sources)
        while batch := list(islice(numbers, DOCUMENTS_PER_BATCH)):
            yield [self._records.raw(n, "header", "claims", "times") for n in batch]


def read_bucket(items: Iterable, links: Mapping[str, str], entity_of: Mapping[str, str] | None = None) -> Bucket:
    """A party bucket from its spill's items, its claims linked to the claims they copy (`Store.links`) and
    their parties to the ids linking gave them (`Store.entity_of`)."""
    bucket, strings = Bucket([], {}), {}
    for header, claims in items:
        bucket.claims += _linked([_shared(c, strings) for c in claims], links, entity_of)
        bucket.documents[header.doc] = Header(header.doc, *(_one(v, strings) for v in header[1:]))
    return bucket


def read_articles(batch: list[tuple[bytes, bytes, bytes]], links: Mapping[str, str],
                  entity_of: Mapping[str, str] | None = None
                  ) -> tuple[list[Claim], dict[str, Header], dict[str, list[TimeExpr]]]:
    """A batch of `Store.article_batches`: its claims (linked to the claims they copy), headers and times."""
    claims, headers, times = [], {}, {}
    for header_bytes, claims_bytes, times_bytes in batch:
        header = pickle.loads(header_bytes)
        headers[header.doc] = header
        claims += _linked(pickle.loads(claims_bytes), links, entity_of)
        times[header.doc] = pickle.loads(times_bytes)
    return claims, headers, times


def _linked(claims: list[Claim], links: Mapping[str, str], entity_of: Mapping[str, str] | None = None
            ) -> list[Claim]:
    if links:
        for c in claims:
            c.copy_of = links.get(c.id, c.copy_of)
    if entity_of:
        for c in claims:
            relabel(c, entity_of)
    return claims


def _for_comparing(c: Claim) -> Claim:
    """The claim as a party bucket keeps it: without the words that only reports show (its sentence, how its
    metric, qualifier and period were worded) and the clause's other metrics (read inside an article only)."""
    return replace(c, sentence="", metric_text="", qualifier_text="", as_of_reason="", facets={})


def _one(value: str | None, strings: dict) -> str | None:
    """`value` as the first string equal to it in `strings` (where it goes if it is the first)."""
    return value if value is None else strings.setdefault(value, value)


_SHARED = ("doc", "text", "kind", "unit", "qualifier", "zone", "metric", "as_of", "subject", "object", "key")
_NUMBERS = ("start", "end", "value", "low", "high")


def _shared(c: Claim, strings: dict) -> Claim:
    """The claim with its repeated values as one object each, the first equal one in `strings`: its words (units,
    metrics, keys, parties, figures as written: a few hundred distinct among a party set's thousands of claims),
    its party list, its empty facets, its numbers (offsets and values: a few thousand distinct, 100 bytes of a
    claim's 500 at 100,000 articles). Unpickling gives every claim its own copies, and the largest party set is
    what the compare holds at its peak (sharing the words alone took 733 -> 534 bytes a claim). A bucket's
    claims are read, never changed, so they can share. The table lives as long as the claims it serves: with
    sys.intern, the interpreter's table of interned strings grew to the most a bucket ever held, and kept that
    size (3.8 MB at 10,000 articles)."""
    for name in _SHARED:
        setattr(c, name, _one(getattr(c, name), strings))
    parties = tuple(c.parties)
    c.parties = strings.get(parties) or strings.setdefault(parties, [_one(p, strings) for p in parties])
    if not c.facets:
        c.facets = strings.setdefault((None,), c.facets)  # a key no party list has: parties are strings
    for name in _NUMBERS:
        number = getattr(c, name)
        if number:  # keyed by type too, as 1 == 1.0; a zero keeps its own object, as 0.0 == -0.0
            setattr(c, name, strings.setdefault((type(number), number), number))
    return c


class _Documents(Mapping):
    """The store's document headers by name, read from disk when asked for."""

    def __init__(self, store: Store):
        self._store = store

    def __getitem__(self, doc: str) -> Header:
        return self._store.header(doc)  # KeyError for a name the store does not hold (Store.number)

    def __iter__(self) -> Iterator[str]:
        return iter(self._store._names)

    def __len__(self) -> int:
        return len(self._store)
