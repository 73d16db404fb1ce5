"""The Dask engine: a run on a `distributed` cluster — a LocalCluster by default, or the scheduler at `address`
(dask-jobqueue, Kubernetes, a hand-started `dask scheduler`). The per-file part of the pipeline (ingest,
extract, frame) is a Dask bag over the inputs, its results taken back partition by partition in input order;
the checks of each party set and each batch of articles (the claims shuffled by key into party buckets where
`check` runs) are tasks too, their findings taken back in order.
"""
from __future__ import annotations

import pickle
import warnings
from collections import deque
from functools import partial
from typing import Iterable, Iterator

from .rules import Rules
from .store import pickled

# A cluster `check` starts for itself has no dashboard, so nothing reads the samples that feed one: each worker
# sampling its own stack every 10 ms, the system monitor polling twice a second and the event loop's 20 ms
# health tick took a seventh of a core on this 2-core machine with no task running (2.2 s of CPU in 15 s,
# 0.6 s without them); with 2 workers a run of 10,000 articles took about 23 s instead of 26 s.
QUIET_CLUSTER = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.system-monitor.interval": "5s",
                 "distributed.admin.tick.interval": "500ms"}
# Nor does anyone read the logs kept for distributed's developers, the last 1,000 messages each connection sent
# (every message under 1 MB, with its data): the checks' contexts go out as such messages, from this process to
# the scheduler and from the scheduler to a worker, so both kept every one. With a LocalCluster's scheduler
# running here, 400 MB were held at the end of the compare of 100,000 articles, growing with the run.
NO_DEVELOPER_LOGS = {"distributed.admin.low-level-log-length": 0}


# The scheduler serves HTTP (health and metrics) whatever its dashboard, on port 8787 unless told: a run took that
# port on the user's machine, and a second run at once printed distributed's "Port 8787 is already in use"
LOCAL_HTTP = "127.0.0.1:0"

DOCUMENTS_PER_PARTITION = 1_000  # about 8 MB of analysed documents
IN_FLIGHT_PER_WORKER = 4  # partitions or check contexts sent ahead of the one taken: enough to keep a worker busy


class ClusterError(Exception):
    """The cluster a run was given cannot be used: its scheduler is unreachable, or Dask is not installed."""


class DaskEngine:
    """A run's engine on a cluster, as `pipeline.LocalEngine` on this machine: `analyse` the files, `run_checks`
    over the contexts, `close` the client (and the LocalCluster it started)."""

    def __init__(self, jobs: int, address: str | None, rules: Rules):
        try:
            import dask
            from distributed import Client
        except ImportError as e:
            raise ClusterError(f"--engine dask needs dask.distributed ({e}); fix: pip install 'checker[dask]'") from e

        self.cluster = None
        with dask.config.set(NO_DEVELOPER_LOGS):
            if address:
                try:
                    self.client = Client(address)
                except (OSError, ValueError) as e:  # unreachable, or not an address
                    raise ClusterError(f"no Dask scheduler at {address} ({e}); fix: give the address a running "
                                       "`dask scheduler` prints, e.g. --scheduler tcp://10.0.0.5:8786") from e
            else:
                self.cluster = local_cluster(jobs)
                self.client = Client(self.cluster)
        workers = self.client.scheduler_info().get("workers", {})
        self.workers = max(1, len(workers) or jobs)
        self._scattered: dict[tuple[int, ...], list] = {}
        # each worker's first task: import the pipeline and compile the rules (0.7 s on this machine), done while
        # this process lists the files rather than in the worker's first partition; kept until the engine closes
        self._ready = [self.client.submit(_ready_for, rules, workers=[w], pure=False) for w in workers]

    def analyse(self, inputs, rules, buckets: int) -> Iterator:
        import dask.bag as db
        from dask.delayed import Delayed

        # each file as one opaque bytes item: Dask walks a bag's tuples (and NamedTuples, as the sources.csv
        # row is) into tasks of their own, and building that graph for 10,000 files took 1.5 s on the client
        # before any worker started
        rows = [pickled((f.path, f.doc, f.meta)) for f in inputs]
        # eight partitions a worker at least, for balance; at most DOCUMENTS_PER_PARTITION files each, as this
        # process holds one partition's results at a time
        partitions = max(self.workers * 8, -(-len(inputs) // DOCUMENTS_PER_PARTITION))
        bag = db.from_sequence(rows, npartitions=max(1, min(len(inputs), partitions)))
        # one future per partition, taken in input order as each is done: the caller frames and keeps the
        # first documents while the workers read the rest (gathering all at the end left both idle in turn).
        # Each is computed with a priority in input order: computed together, they ran in the scheduler's own
        # order (the first partition of 10,000 files last), so the workers held every result until the run's
        # end. Unfused, as a fused partition's result was a second task that waited behind the next partition.
        # Each graph culled to its own partition: a partition's delayed carries the whole bag's graph, every
        # file of the run, so sending each as it was took time and memory growing with the square of the run
        # (1.8 GB on this process at 100,000 files). Four partitions a worker are in flight, as with the
        # checks: sent all at once, the scheduler here held every file's row until its partition ran.
        parts = bag.map_partitions(partial(_analyse_partition, rules=rules, buckets=buckets))
        in_flight: deque = deque()
        for i, part in enumerate(parts.to_delayed(optimize_graph=False)):
            in_flight.append(self.client.compute(Delayed(part.key, dict(part.dask.cull({part.key}))), priority=-i))
            if len(in_flight) > IN_FLIGHT_PER_WORKER * self.workers:
                yield from _taken(in_flight.popleft())
        while in_flight:
            yield from _taken(in_flight.popleft())

    def run_checks(self, work: Iterable, shared: tuple) -> Iterator[list]:
        """`compare.Run` on the workers: each context that ships goes as its source (the bytes of a party bucket
        or of a batch of articles) and is made there; what every context shares (copies, rules, copy links)
        goes once to all. At most four contexts a worker are in flight, so a large run's claims are never all
        held here. The others are checked here, in their turn."""
        from .compare import run_here

        in_flight: deque = deque()
        for source, checks in work:
            if not source.ships:
                yield from (f.result() for f in in_flight)
                in_flight.clear()
                yield from run_here([(source, checks)], shared)
                continue
            # one opaque argument: Dask walks lists and dicts in a task's arguments looking for futures. A context
            # is its task's data, sent once: the warning on a large one (a party set of 100,000 articles takes
            # 10 MB) advises loading data that many tasks read on the workers, and would reach the terminal
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                in_flight.append(self.client.submit(_findings_remote, pickled((source.make, source.payload, checks)),
                                                    *self._everywhere(shared), pure=False))
            del source  # sent: the next is read in its place
            if len(in_flight) >= IN_FLIGHT_PER_WORKER * self.workers:
                yield in_flight.popleft().result()
        yield from (f.result() for f in in_flight)

    def _everywhere(self, shared: tuple) -> list:
        """`shared` on every worker, sent once for the run (every scope's contexts share the same objects)."""
        key = tuple(map(id, shared))
        if key not in self._scattered:
            self._scattered[key] = self.client.scatter(list(shared), broadcast=True, hash=False)
        return self._scattered[key]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def local_cluster(workers: int):
    """A cluster of `workers` processes on this machine, as a run starts one: quiet, keeping no developer logs,
    and serving its HTTP on a free port."""
    import dask
    from distributed import LocalCluster
    with dask.config.set({**QUIET_CLUSTER, **NO_DEVELOPER_LOGS}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None,
                            silence_logs=40, scheduler_kwargs={"dashboard_address": LOCAL_HTTP})


def _taken(future) -> Iterator:
    """The analysed documents of a partition's future, which is let go once they are taken."""
    for analysed in future.result():
        yield from pickle.loads(analysed)
    future.release()


def _ready_for(rules: Rules) -> None:
    """Import the pipeline and compile `rules` here: the worker keeps both for the run's tasks."""
    from .pipeline import compile_rules
    compile_rules(rules)


def _analyse_partition(rows: Iterable[bytes], rules, buckets: int) -> list[bytes]:
    """A partition's files analysed, as one pickled item: Dask sends a list's items as frames of their own, and
    taking 10,000 documents one frame at a time cost this process 0.6 s of CPU that the workers needed."""
    from .pipeline import InputFile, analyse_or_reason
    return [pickled([analyse_or_reason(InputFile(*pickle.loads(row)), rules, buckets) for row in rows])]


def _findings_remote(source: bytes, *shared):
    from .compare import findings_in
    make, payload, checks = pickle.loads(source)
    return findings_in(make(payload, *shared), checks)
