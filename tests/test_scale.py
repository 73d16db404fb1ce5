"""Parallel and distributed runs give the same result as a single process; the generator is deterministic."""
import dataclasses
import gc
import hashlib
import json
import math
import sys
from pathlib import Path

import pytest

import checker
from checker import store
from checker.pipeline import POOL_MIN_FILES
from checker.report import render_csv, render_json

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate, gold_path  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "c"
    generate(POOL_MIN_FILES + 40, folder, seed=3)
    return folder


def comparable(result) -> tuple[dict, str]:
    data = json.loads(render_json(result))
    data.pop("generated")
    return data, render_csv(result)


def test_jobs_give_the_same_result_as_one_process(corpus):
    one = checker.check([corpus], jobs=1)
    two = checker.check([corpus], jobs=2)
    assert comparable(one) == comparable(two)
    assert len(one.documents_list) == POOL_MIN_FILES + 40 and one.findings_list


def test_a_run_split_into_many_buckets_gives_the_same_result(corpus, monkeypatch):
    """The store hands the compare one party set's claims at a time, and the document checks a batch of
    articles at a time: however finely a run is cut, it finds the same."""
    whole = checker.check([corpus])
    monkeypatch.setattr(store, "DOCUMENTS_PER_BUCKET", 3)
    monkeypatch.setattr(store, "DOCUMENTS_PER_BATCH", 2)
    cut = checker.check([corpus])
    assert len(cut.store._buckets) > 30
    assert comparable(whole) == comparable(cut)
    assert {f.rule for f in whole.findings_list} >= {"CC001", "CC007"}  # comparing and copies both found


def test_a_party_bucket_reads_back_each_claim_as_it_was_found(corpus):
    """The compare reads a party set's claims back from disk with what repeats among them shared (words, party
    lists, bounds equal to the value): each is still the claim the analysis made, less the words only reports
    show, down to the sign of a zero."""
    result = checker.check([corpus])
    found = {c.id: repr(store._for_comparing(c)) for c in result.claims_list}
    buckets = list(result.store.party_buckets())
    assert sorted(repr(c) for b in buckets for c in b.claims) == sorted(found.values())
    header, claim = next((b.documents[c.doc], c) for b in buckets for c in b.claims)
    zero = dataclasses.replace(claim, value=0.0, low=-0.0, high=0.0)
    written = repr(zero)
    (back,) = store.read_bucket([(header, [zero])], {}).claims
    assert repr(back) == written and math.copysign(1, back.low) == -1
    # offsets and values are shared too, each by its type: an offset 5 never becomes a value 5.0
    offset, value = dataclasses.replace(claim, start=5, end=7), dataclasses.replace(claim, value=5.0, low=7.0)
    back = store.read_bucket([(header, [offset, value])], {}).claims
    assert [repr(c) for c in back] == [repr(offset), repr(value)]
    assert type(back[0].start) is int and type(back[1].value) is float and back[0].end is not back[1].low


def test_the_store_is_on_disk_only_while_its_result_lives(tmp_path):
    """A run keeps what it analysed in a temporary folder, not in memory; nothing is left behind in TMPDIR."""
    generate(12, tmp_path / "c", seed=4)
    result = checker.check([tmp_path / "c"])
    folder = Path(result.store._folder.name)
    assert sum(f.stat().st_size for f in folder.iterdir()) > 0
    assert len(result.claims_list) == result.store.claim_count > 0  # read back whole from the folder
    del result
    gc.collect()
    assert not folder.exists()


def test_dask_local_cluster_gives_the_same_result(corpus):
    pytest.importorskip("distributed")
    local = checker.check([corpus], jobs=1)
    dask = checker.check([corpus], jobs=2, engine="dask")
    assert comparable(local) == comparable(dask)


def digest(folder: Path) -> str:
    h = hashlib.sha1()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode() + p.read_bytes())
    h.update(gold_path(folder).read_bytes())
    return h.hexdigest()


def test_a_dask_worker_reads_the_partitions_in_input_order(corpus):
    """`check` takes the results back in input order, so a cluster that runs them in another order holds every
    result until the first comes (at 100,000 articles, 588 MB a worker instead of 200)."""
    from distributed import Client, LocalCluster, get_task_stream
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client, get_task_stream(client) as stream:
        checker.check([corpus], engine="dask", scheduler=cluster.scheduler_address)
    partitions = [t["key"][1] for t in sorted(stream.data, key=lambda t: t["startstops"][0]["start"])
                  if isinstance(t["key"], tuple) and t["key"][0].startswith("_analyse_partition")]
    assert len(partitions) >= 8 and partitions == sorted(partitions)


def test_each_partition_goes_to_the_cluster_with_its_own_files_only(corpus, monkeypatch):
    """A partition of the bag, taken as a delayed, carries the bag's whole graph: sent as it was, each partition
    took every file of the run along, and at 100,000 files this process peaked at 1.8 GB."""
    from distributed import Client, LocalCluster
    sent = []  # the tasks in each graph sent
    compute = Client.compute

    def recording(self, collection, *args, **kwargs):
        sent.append(len(collection.__dask_graph__()))
        return compute(self, collection, *args, **kwargs)

    monkeypatch.setattr(Client, "compute", recording)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        checker.check([corpus], engine="dask", scheduler=cluster.scheduler_address)
    assert len(sent) >= 8 and max(sent) <= 2  # the partition's files and its analysis


def test_the_generator_is_deterministic_and_its_conflicts_are_found(tmp_path):
    generate(120, tmp_path / "a", seed=9)
    generate(120, tmp_path / "b", seed=9)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    import yaml
    gold = yaml.safe_load(gold_path(tmp_path / "a").read_text(encoding="utf-8"))
    assert len(gold["documents"]) == 120 and gold["claims"] and gold["must_flag"]
    result = checker.check([tmp_path / "a"])
    ours = {}  # gold claim id -> our claim ids (same document, same figure)
    gold_claims = {g["id"]: g for g in gold["claims"]}
    for gid, g in gold_claims.items():
        ours[gid] = {c.id for c in result.claims_list if c.doc == g["doc"] and c.text == g["text"]}
    flagging = [set(f.claims) for f in result.findings_list if f.severity in ("conflict", "warning")]
    # every planted conflict is raised: one finding names a claim of each side, as ../shared/eval/score.py asks
    for m in gold["must_flag"]:
        sides = [set().union(*(ours[g] for g in side)) for side in m["sides"]]
        assert any(all(f & s for s in sides) for f in flagging), m["why"]
