"""The Dask engine: the per-file part of the pipeline (ingest, extract, frame) as a Dask bag over the inputs,
on a `distributed` cluster — a LocalCluster by default, or the scheduler at `address` (dask-jobqueue,
Kubernetes, a hand-started `dask scheduler`). Results come back partition by partition, in input order; the
compare stage then runs where `check` runs.
"""
from __future__ import annotations

from functools import partial
from typing import Iterator


def analyse_on_dask(inputs, rules, jobs: int, address: str | None = None) -> Iterator:
    import dask.bag as db
    from distributed import Client, LocalCluster

    from .pipeline import analyse_or_reason

    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        bag = db.from_sequence(inputs, npartitions=max(1, min(len(inputs), workers * 8)))
        # one future per partition, taken in input order as each is done: the caller frames and keeps the
        # first documents while the workers read the rest (gathering all at the end left both idle in turn)
        partitions = client.compute(bag.map(partial(analyse_or_reason, rules=rules)).to_delayed())
        for future in partitions:
            yield from future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
