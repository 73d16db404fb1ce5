"""Bad and hostile input: every file ends in documents or errors, nothing crashes, nothing runs, nothing lost."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings, strategies as st

import checker
from checker.cli import main
from checker.ingest import InputError, read_document

from .conftest import ROOT, SEEDS

HOSTILE = Path(__file__).parent / "data" / "hostile"


def run_json(*args, out):
    r = CliRunner().invoke(main, [*map(str, args), "--out", str(out), "--format", "json", "--name", "r"])
    data = json.loads((out / "r.json").read_text(encoding="utf-8")) if (out / "r.json").exists() else None
    return r, data


def accounted(data) -> list[str]:
    return sorted([d["doc"] for d in data["documents"]] + [Path(e["path"]).name for e in data["errors"]])


def test_the_hostile_folder(tmp_path):
    r, data = run_json(HOSTILE, out=tmp_path)
    assert r.exit_code in (0, 1), r.output  # 1 only for a conflict among what was read
    files = sorted(str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file())
    read = sorted(d["doc"] for d in data["documents"])
    refused = sorted(str(Path(e["path"]).relative_to(HOSTILE)) for e in data["errors"])
    assert sorted(read + refused) == files  # each file exactly once
    reasons = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert set(reasons) == {"binary.txt", "empty.txt", "paper.pdf", "notes.docx"}
    enc = {d["doc"]: d["encoding"] for d in data["documents"]}
    assert enc["broken-utf8.txt"].startswith("utf-8 (3 invalid")
    assert enc["mixed-gbk-line.txt"].startswith("mixed")
    texts = {c["text"] for c in data["claims"]}
    assert {"10亿美元", "100亿美元", "1570亿美元", "50亿美元", "1100亿美元", "6.5亿美元"} <= texts
    assert not any(f["severity"] == "conflict" for f in data["findings"])  # "此后" is a later time, not 2019


def test_paths_that_do_not_exist_are_errors_or_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    r, data = run_json(tmp_path / "a.txt", tmp_path / "missing.txt", out=tmp_path / "o")
    assert r.exit_code == 0 and data["errors"] == [{"path": str(tmp_path / "missing.txt"), "message": "no such file or folder"}]
    r, _ = run_json(tmp_path / "missing.txt", out=tmp_path / "o2")
    assert r.exit_code == 2 and "no such file" in r.output


def test_duplicate_inputs_are_read_once(tmp_path):
    r, data = run_json(SEEDS, SEEDS, SEEDS / "000_2a456b66eeedd7c1.txt", out=tmp_path)
    assert len(data["documents"]) == 5


def test_a_file_reached_by_links_is_read_once_where_first_listed(tmp_path):
    from checker.pipeline import collect_inputs
    docs, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    docs.mkdir()
    elsewhere.mkdir()
    (docs / "b.txt").write_text("x", encoding="utf-8")
    os.link(docs / "b.txt", docs / "c-hard.txt")
    os.symlink(docs / "b.txt", docs / "a-soft.txt")  # listed first, so it stands for b.txt
    (elsewhere / "d.txt").write_text("y", encoding="utf-8")
    os.symlink(elsewhere / "d.txt", docs / "d-out.txt")  # a file outside the folder is read once, by its link
    os.symlink(docs / "gone.txt", docs / "e-broken.txt")  # its reading will say why
    listed = collect_inputs([docs, docs / "b.txt", elsewhere / "d.txt"])
    assert [f.doc for f in listed] == ["a-soft.txt", "d-out.txt", "e-broken.txt"]
    draft_first = collect_inputs([docs / "b.txt", docs])
    assert [f.doc for f in draft_first] == ["b.txt", "d-out.txt", "e-broken.txt"]


def test_symlink_loops_fifos_and_huge_files(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    os.symlink(docs / "loop-b.txt", docs / "loop-a.txt")
    os.symlink(docs / "loop-a.txt", docs / "loop-b.txt")
    os.symlink(docs, docs / "self")  # a folder linking to itself is not followed
    os.mkfifo(docs / "pipe.txt")
    with open(docs / "huge.txt", "wb") as f:  # 200 MB, sparse: refused by size before anything is read
        f.truncate(200 * 1024 * 1024)
    r, data = run_json(docs, out=tmp_path / "o")
    assert r.exit_code == 0
    assert [d["doc"] for d in data["documents"]] == ["ok.txt"]
    reasons = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert "symbolic links" in reasons["loop-a.txt"] and "symbolic links" in reasons["loop-b.txt"]
    assert "regular file" in reasons["pipe.txt"] and "too large" in reasons["huge.txt"]


def test_file_names_that_are_not_utf8(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    name = os.fsdecode(b"\xb9\xe3\xb8\xe6-gbk-name.txt")  # 广告 in GBK bytes
    (docs / name).write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    r, data = run_json(docs, out=tmp_path / "o")
    assert r.exit_code == 0, r.output
    doc = data["documents"][0]["doc"]
    assert doc.startswith("\ufffd") and doc.endswith("-gbk-name.txt") and data["claims"]
    from checker.report import render_html
    page = render_html(checker.check([docs]))  # its text is read again by its real name
    assert "向OpenAI投资" in page and "is not shown" not in page


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder, so an unreadable one cannot be made")
def test_a_folder_without_read_permission(tmp_path):
    locked = tmp_path / "docs" / "locked"
    locked.mkdir(parents=True)
    (tmp_path / "docs" / "ok.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    locked.chmod(0)
    try:
        r, data = run_json(tmp_path / "docs", out=tmp_path / "o")
        assert any("cannot list folder" in e["message"] for e in data["errors"])
    finally:
        locked.chmod(0o755)


def test_killing_check_mid_write_leaves_the_previous_report_intact(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "checker", str(SEEDS), "--out", str(out), "--format", "json,csv,html", "-q"]
    subprocess.run(cmd, cwd=ROOT, check=False)
    before = json.loads((out / "seeds.json").read_text(encoding="utf-8"))
    before.pop("generated")
    rng = random.Random(7)
    for _ in range(4):
        proc = subprocess.Popen(cmd, cwd=ROOT)
        time.sleep(rng.uniform(0.2, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = json.loads((out / "seeds.json").read_text(encoding="utf-8"))  # always complete JSON
        now.pop("generated")
        assert now == before
        assert (out / "seeds.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    subprocess.run(cmd, cwd=ROOT, check=False)
    assert not list(out.glob(".*.tmp"))  # a later run clears what a killed one left behind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=400),
                 st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.text(alphabet="微软亿美元年月日约超过\u0300\u0301\u200b\ufeff0123456789,.\n ", max_size=200).map(str.encode)),
       st.sampled_from([".txt", ".md", ".html"]))
@example(b"<p>a <![0 b</p>", ".html")  # "<![" and no name: the stdlib parser's AssertionError
def test_ingest_never_raises_anything_but_a_reason(tmp_path, data, suffix):
    p = tmp_path / f"fuzz{suffix}"
    p.write_bytes(data)
    try:
        doc = read_document(p, p.name)
    except InputError:
        return
    result = checker.check([p])
    decoded = doc.page if doc.page is not None else doc.text  # an HTML page's offsets index the page
    for c in result.claims_list:
        assert decoded[c.start:c.end] == c.text


@pytest.mark.parametrize("text", [
    "八万陆亿1百" + "0" * 10_000 + "1",  # each extra zero once doubled the numeral grammar's work
    "9人民币8千" + "9" * 10_000,
    "1" * 10_000 + "亿美元",
    "一" * 10_000 + "亿美元",
    "1百" * 5_000,
    "12,345" * 2_000 + " dollars",
])
def test_long_runs_of_numeral_characters_are_read_in_one_pass(tmp_path, text):
    """Ten thousand digits or numeral characters: the run comes back (a grammar that splits a run of digits
    every way before failing would take 2^10000 steps) with the document read and nothing lost."""
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = checker.check([tmp_path])
    assert [d.doc for d in result.documents_list] == ["a.txt"] and result.errors == []
    assert all(c.end - c.start <= len(text) for c in result.claims_list)


FUZZ_TEXT = st.text(alphabet="0123456789一二三四五六七八九十百千万亿億兆零两数几多余约超逾近.,、 %$€¥円元美元ドル"
                             "billion million about more than 年月日周去今昨先 \r\n\t\u3000", max_size=160)


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")  # a strict parser: Infinity and NaN are JavaScript, not JSON


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(FUZZ_TEXT, min_size=1, max_size=3), outlet=st.text(alphabet="ab \r\n,\"'<>", max_size=8))
def test_fuzzed_articles_give_strict_json_and_a_csv_that_reads_back(tmp_path_factory, texts, outlet):
    import csv
    import io

    import pandas as pd

    from checker import report
    folder = tmp_path_factory.mktemp("fuzz")
    for i, text in enumerate(texts):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8", newline="")
    with open(folder / "sources.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["file", "outlet", "published"], ["a0.txt", outlet, "2025-03-14"]])
    result = checker.check([folder])
    data = json.loads(report.render_json(result), parse_constant=_no_constants)
    assert sorted([d["doc"] for d in data["documents"]] + [Path(e["path"]).name for e in data["errors"]]) == \
        [f"a{i}.txt" for i in range(len(texts))]
    table = pd.read_csv(io.StringIO(report.render_csv(result)), dtype=str, keep_default_na=False)
    assert list(table["id"]) == [c["id"] for c in data["claims"]]  # one row per claim: no field broke a row
    outlets = {d["doc"]: d["outlet"] or "" for d in data["documents"]}
    assert all(row.outlet == outlets[row.doc] for row in table.itertuples())


@pytest.mark.parametrize("odd", ["\r", "\n", "\r\n", ",", '"', "'"])
def test_a_file_name_or_outlet_with_a_row_or_field_break_stays_in_its_field(tmp_path, odd):
    import csv
    import io

    import pandas as pd

    from checker import report
    name = f"a{odd}b.txt"  # Linux allows any of them in a file name
    (tmp_path / name).write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    (tmp_path / "c.txt").write_text("微软2019年向OpenAI投资20亿美元。", encoding="utf-8")
    with open(tmp_path / "sources.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["file", "outlet", "published"], ["c.txt", f"Wire{odd}Daily", "2025-03-14"]])
    result = checker.check([tmp_path])
    table = pd.read_csv(io.StringIO(report.render_csv(result)), dtype=str, keep_default_na=False)
    assert sorted(table["doc"]) == sorted([name, "c.txt"])
    assert list(table.loc[table["doc"] == "c.txt", "outlet"]) == [result.store.document("c.txt").outlet]
    assert odd in table.loc[table["doc"] == "c.txt", "outlet"].iloc[0] or odd.strip() == ""


def test_a_data_dump_is_read_but_its_figures_are_not_compared(tmp_path):
    """One line of a million characters of figures (a table pasted whole) is no article: the run goes on, the
    document says why, and no claim of it reaches the comparison or the report."""
    row = "；".join(f"第{i}项支出{i % 97 + 1}亿元" for i in range(2000))
    (tmp_path / "dump.txt").write_text(row * 3, encoding="utf-8")
    (tmp_path / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    result = checker.check([tmp_path])
    dump = result.store.document("dump.txt")
    assert "data dump" in dump.note and result.store.claims_of("dump.txt") == []
    assert len(result.store.claims_of("a.txt")) == 1 and result.errors == []


def test_a_run_stopped_by_sigterm_removes_its_temporary_folder(tmp_path):
    articles, scratch = tmp_path / "articles", tmp_path / "tmp"
    articles.mkdir()
    scratch.mkdir()
    seeds = [p for p in SEEDS.iterdir() if p.suffix == ".txt"]
    for i in range(400):
        src = seeds[i % len(seeds)]
        (articles / f"{i:03d}-{src.name}").write_bytes(src.read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "checker", str(articles), "--out", str(tmp_path / "out"), "-q",
                             "--jobs", "1"], env={**os.environ, "TMPDIR": str(scratch)})
    while proc.poll() is None and not list(scratch.glob(f"checker-{proc.pid}-*")):
        time.sleep(0.05)  # until the run has made its folder
    assert proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait() == 128 + signal.SIGTERM
    assert [p for p in scratch.glob("checker-*") if p.is_dir()] == []  # the pattern and word caches stay


def test_the_folders_of_killed_runs_are_removed_by_the_next_and_a_live_run_s_are_not(tmp_path, monkeypatch):
    from checker.store import STALE_AFTER_SECONDS, clear_killed_runs
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = tmp_path / f"checker-{dead.stdout.strip()}-abc"
    live = tmp_path / f"checker-{os.getpid()}-def"
    for folder in (killed, live):
        (folder / "documents").mkdir(parents=True)
        old = time.time() - STALE_AFTER_SECONDS - 60
        os.utime(folder, (old, old))
    assert clear_killed_runs() == [killed]
    assert not killed.exists() and live.exists()


def test_a_document_past_its_time_budget_is_noted_and_the_run_goes_on(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "page.yml").write_text("figure_limits:\n  seconds: 0\n", encoding="utf-8")  # every read is too slow
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    result = checker.check([docs], rules_dirs=[rules])
    assert "past the budget" in result.store.document("a.txt").note and result.claims_list == []
    assert [d.doc for d in result.documents_list] == ["a.txt"] and result.errors == []
