"""The Dask engine: the per-file part of the pipeline (ingest, extract, frame) as a Dask bag over the inputs,
and the checks that look within one set of parties as a shuffle of the claims by party set, on a
`distributed` cluster — a LocalCluster by default, or the scheduler at `address` (dask-jobqueue,
Kubernetes, a hand-started `dask scheduler`). Results come back in input order; what needs every claim at
once (copies, the document-level checks, folding) runs where `check` runs.
"""
from __future__ import annotations

from functools import partial
from typing import Iterator


class DaskEngine:
    """One run's client (and LocalCluster, when no scheduler is given), used as a context manager."""

    def __init__(self, jobs: int, address: str | None = None):
        self.jobs, self.address = jobs, address

    def __enter__(self) -> "DaskEngine":
        from distributed import Client, LocalCluster
        self.cluster = None
        if self.address:
            self.client = Client(self.address)
        else:
            self.cluster = LocalCluster(n_workers=max(1, self.jobs), threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or self.jobs)
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def analyse(self, inputs, rules) -> Iterator:
        import dask.bag as db
        # plain tuples: Dask fingerprints a bag's items, and 10,000 dataclasses took it half a second
        rows = [(f.path, f.doc, f.meta) for f in inputs]
        bag = db.from_sequence(rows, npartitions=max(1, min(len(inputs), self.workers * 8)))
        # one future per partition, taken in input order as each is done: the caller frames and keeps the
        # first documents while the workers read the rest (gathering all at the end left both idle in turn)
        partitions = self.client.compute(bag.map(partial(_analyse_row, rules=rules)).to_delayed())
        for future in partitions:
            yield from future.result()
            future.release()

    def spread(self, grouped, documents, rules, check_ids) -> list:
        """`compare.Spread`: the claims shuffled by party set across the workers, each partition checked."""
        import dask.bag as db
        if not grouped:
            return []
        rows = [(parties, position, claim) for position, (parties, claim) in enumerate(grouped)]
        [docs] = self.client.scatter([documents], broadcast=True)  # one object on every worker, sent once
        bag = db.from_sequence(rows, npartitions=max(1, min(len(rows), self.workers * 4)))
        shuffled = bag.groupby(lambda row: row[0], npartitions=max(1, self.workers * 4))
        found = shuffled.map_partitions(_check_partition, rules=rules, check_ids=check_ids, documents=docs)
        return found.compute(scheduler=self.client)


def _analyse_row(row: tuple, rules):
    from .pipeline import InputFile, analyse_or_reason
    return analyse_or_reason(InputFile(*row), rules)


def _check_partition(groups, rules, check_ids, documents) -> list:
    from .compare import checks_within
    rows = sorted((row for _, rs in groups for row in rs), key=lambda row: row[1])  # input order, as locally
    return checks_within([claim for _, _, claim in rows], documents, rules, check_ids)
