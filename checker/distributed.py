"""The Dask engine: the per-file part of the pipeline (ingest, extract, frame) as a Dask bag over the inputs,
on a `distributed` cluster — a LocalCluster by default, or the scheduler at `address` (dask-jobqueue,
Kubernetes, a hand-started `dask scheduler`). Results come back partition by partition, in input order; the
compare stage then runs where `check` runs.
"""
from __future__ import annotations

from functools import partial
from typing import Iterator


def analyse_on_dask(inputs, rules, jobs: int, buckets: int, address: str | None = None) -> Iterator:
    import dask.bag as db
    from distributed import Client, LocalCluster

    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        # plain tuples: Dask fingerprints a bag's items, and 10,000 dataclasses took it half a second
        rows = [(f.path, f.doc, f.meta) for f in inputs]
        bag = db.from_sequence(rows, npartitions=max(1, min(len(inputs), workers * 8)))
        # one future per partition, taken in input order as each is done: the caller frames and keeps the
        # first documents while the workers read the rest (gathering all at the end left both idle in turn)
        partitions = client.compute(bag.map(partial(_analyse_row, rules=rules, buckets=buckets)).to_delayed())
        for future in partitions:
            yield from future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _analyse_row(row: tuple, rules, buckets: int):
    from .pipeline import InputFile, analyse_or_reason
    return analyse_or_reason(InputFile(*row), rules, buckets)
