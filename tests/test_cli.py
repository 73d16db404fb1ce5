"""The `check` command: outputs, exit codes, errors, the result contract."""
import errno
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from rich.console import Console

from checker.cli import main
from checker.summary import SHOW_AFTER_SECONDS, Progress

from .conftest import SEEDS, SHARED


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_seeds_report_files_and_schema(seeds_report):
    for ext in ("html", "json", "csv"):
        assert (seeds_report / f"seeds.{ext}").stat().st_size > 0
    result = json.loads((seeds_report / "seeds.json").read_text(encoding="utf-8"))
    schema = json.loads((SHARED / "spec" / "result.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, schema)
    assert len(result["documents"]) == 5 and result["errors"] == []
    copies = {d["doc"]: d["copy_of"]["doc"] for d in result["documents"] if "copy_of" in d}
    assert copies == {"001_63a484704c2c0905.txt": "000_2a456b66eeedd7c1.txt"}


def test_bad_files_land_in_errors_and_the_rest_is_checked(tmp_path, write):
    write("good.txt", "微软于2019年向OpenAI投资10亿美元。")
    write("empty.txt", "")
    write("blob.txt", bytes(range(256)) * 50)
    write("paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    r = run(tmp_path, "--out", tmp_path / "out", "--format", "json")
    assert r.exit_code == 0, r.output
    result = json.loads((tmp_path / "out" / f"{tmp_path.name}.json").read_text(encoding="utf-8"))
    assert [d["doc"] for d in result["documents"]] == ["good.txt"]
    reasons = {Path(e["path"]).name: e["message"] for e in result["errors"]}
    assert set(reasons) == {"empty.txt", "blob.txt", "paper.pdf"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["blob.txt"] and ".pdf" in reasons["paper.pdf"]
    assert result["claims"] and result["claims"][0]["text"] == "10亿美元"


def test_exit_codes(tmp_path, write):
    write("a.txt", "微软2019年向OpenAI投资10亿美元。")
    write("b.txt", "微软2019年向OpenAI投资20亿美元。")
    assert run(tmp_path, "--out", tmp_path / "o", "--format", "json").exit_code == 1  # a conflict
    assert run(tmp_path / "nowhere", "--out", tmp_path / "o").exit_code == 2
    assert run(tmp_path, "--format", "pdf").exit_code == 2
    assert run().exit_code == 2
    ok = tmp_path / "ok"
    ok.mkdir()
    (ok / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    assert run(ok, "--out", tmp_path / "o", "--format", "json").exit_code == 0


def test_fail_on_warning_makes_a_warning_fail_a_script(tmp_path, write):
    write("a.txt", "2024-10-18\n微软迄今已向OpenAI累计投资130亿美元。")
    write("b.txt", "2024-10-19\n微软迄今已向OpenAI累计投资140亿美元。")  # a running total that grew: a warning
    out = tmp_path / "o"
    default = run(tmp_path, "--out", out, "--format", "json")
    result = json.loads((out / f"{tmp_path.name}.json").read_text(encoding="utf-8"))
    assert {f["severity"] for f in result["findings"]} >= {"warning"}
    assert not any(f["severity"] == "conflict" for f in result["findings"])
    assert default.exit_code == 0
    assert run(tmp_path, "--out", out, "--format", "json", "--fail-on", "warning").exit_code == 1
    assert run(tmp_path, "--out", out, "--fail-on", "info").exit_code == 2  # not a choice: a usage error


def test_the_summary_counts_in_words_and_says_how_many_more_there_are(tmp_path):
    for n in range(8):  # eight facts, each reported two ways: eight conflicts
        (tmp_path / f"a{n}.txt").write_text(f"微软{2010 + n}年向OpenAI投资{n + 1}0亿美元。", encoding="utf-8")
        (tmp_path / f"b{n}.txt").write_text(f"微软{2010 + n}年向OpenAI投资{n + 2}5亿美元。", encoding="utf-8")
    out = run(tmp_path, "--out", tmp_path / "o", "--format", "html,json").output
    assert "checked 16 documents" in out and "8 conflicts" in out
    assert f"and 3 more (see {tmp_path / 'o' / tmp_path.name}.html)" in out
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    out = run(one, "--out", tmp_path / "o", "--format", "json").output
    assert "checked 1 document, 1 claim: 0 conflicts, 0 warnings, 0 info" in out
    assert "more" not in out


@pytest.mark.parametrize("args", [["/nonexistent/folder"], ["seeds", "--rules", "{rules}"]])
def test_every_error_reads_as_click_s_own_with_a_hint(tmp_path, args):
    bad = tmp_path / "rules"
    (bad / "checks").mkdir(parents=True)
    (bad / "checks" / "X1.yml").write_text("id: X1\nkind: nosuch\nseverity: conflict\nmessage: m\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "checker", *[a.format(rules=bad) for a in args], "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, cwd=SEEDS.parent)
    assert proc.returncode == 2
    first, hint = proc.stderr.strip().splitlines()[-2:]
    assert first.startswith("Error: ") and hint.startswith(("Try 'check --help'", "Fix the file"))


def test_outputs_are_named_after_the_input(tmp_path, write):
    write("in/a.txt", "微软2019年向OpenAI投资10亿美元。")
    run(tmp_path / "in", "--out", tmp_path / "o")
    shown = sorted(p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith("."))  # .in.lock: hidden
    assert shown == ["in.csv", "in.html", "in.json"]


def test_help_documents_every_option_with_an_example():
    out = run("--help").output
    for opt in ("--out", "--sources", "--format", "--rules", "--quiet", "--list-rules"):
        assert opt in out
    assert "e.g." in out and "check seeds/" in out


def test_two_runs_give_identical_json_apart_from_the_timestamp(tmp_path):
    outs = []
    for name in ("a", "b"):
        run(SEEDS, "--out", tmp_path / name, "--format", "json,csv")
        data = json.loads((tmp_path / name / "seeds.json").read_text(encoding="utf-8"))
        data.pop("generated")
        outs.append((data, (tmp_path / name / "seeds.csv").read_bytes()))
    assert outs[0] == outs[1]


def test_console_command_is_installed():
    proc = subprocess.run(["check", "--list-rules"], capture_output=True, text=True)
    assert proc.returncode == 0 and "CC001" in proc.stdout


def test_an_unreachable_scheduler_is_an_input_error_not_a_conflict(tmp_path):
    # exit 1 says "conflicts found" to a script: a cluster that cannot be reached must not read as that
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = CliRunner().invoke(main, [str(SEEDS), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
                                      "--out", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    assert f"no Dask scheduler at tcp://127.0.0.1:{port}" in r.output and "fix:" in r.output
    assert not (tmp_path / "out").exists()


def test_names_and_messages_are_printed_as_written_not_as_markup(tmp_path):
    # the terminal's colours are markup in square brackets: a file named with them was printed as another name
    docs = tmp_path / "docs[x]"
    docs.mkdir()
    (docs / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    (docs / "empty[red]copy.txt").write_bytes(b"")
    r = CliRunner().invoke(main, [str(docs), "--out", str(tmp_path / "out")])
    assert f"{docs}{os.sep}empty[red]copy.txt: empty file" in r.output, r.output
    r = CliRunner().invoke(main, [str(tmp_path / "gone[/]")])
    assert r.exit_code == 2 and "gone[/]" in r.output, r.output


def test_an_unwritable_out_folder_stops_the_run_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "file.txt").write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr("checker.pipeline.check", lambda *a, **k: pytest.fail("the run started"))
    r = run(SEEDS, "--out", tmp_path / "file.txt" / "reports")
    assert r.exit_code == 2 and "file.txt is a file" in r.output, r.output


def test_reports_that_cannot_be_written_are_an_error_not_a_result(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("checker.cli.write_reports", full)
    r = run(SEEDS, "--out", tmp_path)
    assert r.exit_code == 2 and "No space left on device" in r.output, r.output


def test_a_run_that_fails_exits_3_with_its_traceback_not_1_as_if_it_found_conflicts(tmp_path, monkeypatch):
    def lost(*args, **kwargs):
        raise RuntimeError("a worker was lost")
    monkeypatch.setattr("checker.pipeline.check", lost)
    r = run(SEEDS, "--out", tmp_path)
    assert r.exit_code == 3, r.output
    assert "Traceback" in r.output and "the run failed (RuntimeError: a worker was lost)" in r.output


def test_a_full_temporary_folder_is_one_line_and_exit_2_not_a_traceback(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("checker.pipeline.check", full)
    r = run(SEEDS, "--out", tmp_path)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "Error: no room for the run's temporary files (No space left on device)" in r.output and "TMPDIR" in r.output


def test_the_progress_bar_shows_a_name_as_written():
    # a folder named "news[" holding "2024]" gives the name news[/2024]/a.txt, a closing tag to rich's markup
    out = io.StringIO()
    progress = Progress(Console(file=out, force_terminal=True, width=120))
    progress.started -= SHOW_AFTER_SECONDS  # a run long enough to show the bar
    with progress:
        progress.update(1, 3, "news[/2024]/a.txt")
        progress.bar.refresh()
    assert "news[/2024]/a.txt" in out.getvalue()


def test_a_dask_run_takes_no_fixed_port(tmp_path):
    # the cluster a run starts for itself serves its HTTP on a free port: with 8787 taken (by another run, or
    # anything else), distributed's warning that it is in use reached the terminal
    pytest.importorskip("distributed")
    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 8787))
        taken.listen()
    except OSError:
        pass  # taken already
    try:
        proc = subprocess.run([sys.executable, "-m", "checker", str(SEEDS), "--engine", "dask", "--jobs", "1",
                               "--out", str(tmp_path), "--format", "json"], capture_output=True, text=True)
    finally:
        taken.close()
    assert proc.returncode in (0, 1), proc.stderr
    assert "8787" not in proc.stderr and "already in use" not in proc.stderr, proc.stderr


def test_the_dask_engine_without_dask_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    r = CliRunner().invoke(main, [str(SEEDS), "--engine", "dask", "--out", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    assert "pip install 'checker[dask]'" in r.output


def test_a_run_that_writes_its_reports_imports_neither_pint_nor_pandas(tmp_path):
    # each took a quarter of the second `check seeds/` takes; only a caller's tables need pandas, and only a
    # currency code that is not three capital letters needs pint's word
    script = ("import sys\nfrom checker.cli import main\n"
              f"try: main([{str(SEEDS)!r}, '-q', '--out', {str(tmp_path)!r}])\nexcept SystemExit: pass\n"
              "print(sorted(m for m in ('pint', 'pandas') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
    assert (tmp_path / "seeds.html").stat().st_size > 0


def test_seed_score_meets_the_issue_minimums(seeds_report):
    proc = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "gold" / "seeds.yml"),
         "--result", str(seeds_report / "seeds.json"), "--docs", str(SEEDS),
         "--min", "money_recall=1", "--min", "money_precision=0.95", "--min", "negatives_hit=0",
         "--min", "offsets_ok=1", "--min", "times_ok=1", "--min", "as_of_ok=0.9", "--min", "grouping=1",
         "--min", "flag_recall=1", "--min", "false_flags=0"],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))  # 9^9 values


@pytest.mark.parametrize("file, text, where, says", [
    ("entities.yml", "entities:\n  foo: 42\n", "entities.yml:2", "`foo` is a number, where the built-in rules give a mapping"),
    ("numbers.yml", "# scales\nscales: abc\n", "numbers.yml:2", "`scales` is a text, where the built-in rules give a mapping"),
    ("units.yml", "currencies:\n  XXX:\n    before: 5\n", "units.yml:3", "`before` is a number, where the built-in rules give a list"),
    ("metrics.yml", "metrics:\n  revenue:\n    words: 5\n", "metrics.yml:3", "`words` is a number"),
    ("entities.yml", "entitys:\n  foo: {}\n", "entities.yml:1", "unknown key `entitys`, which nothing reads; fix: did you mean `entities`?"),
    ("page.yml", "source_labels: [来源]\n", "page.yml:1", "`source_labels` is a list, where the built-in rules give a mapping"),
    ("checks/X.yml", "id: CC008\nparams: {min_outlets: abc}\n", "X.yml:2", "parameter `min_outlets` is a text ('abc')"),
    ("checks/Y.yml", "id: CC099\nkind: mismatch\nseverity: warning\nmesage: hi\n", "Y.yml:4", "did you mean `message`?"),
    ("checks/Z.yml", "id: CC098\nkind: mismatch\nseverity: fatal\nmessage: hi\n", "Z.yml:3", "has severity 'fatal'"),
    ("checks/W.yml", "id: CC097\nkind: nosuch\nseverity: info\nmessage: hi\n", "W.yml:2", "has unknown kind 'nosuch'"),
    ("bomb.yml", BOMB, "bomb.yml", "aliases"),
])
def test_rules_of_the_wrong_shape_are_a_rules_error_not_a_crash(tmp_path, file, text, where, says):
    rules = tmp_path / "rules"
    (rules / "checks").mkdir(parents=True)
    (rules / file).write_text(text, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "checker", str(SEEDS), "--rules", str(rules), "--out",
                        str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("Error: in the rules: ") and str(rules) in r.stderr and "Traceback" not in r.stderr
    assert says in r.stderr and (where is None or where in r.stderr), r.stderr


def test_an_overlay_of_new_entries_shaped_as_the_built_in_ones_is_read(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "units.yml").write_text("currencies:\n  XAG:\n    before: []\n    after: [盎司白银]\n", encoding="utf-8")
    (rules / "metrics.yml").write_text("metrics:\n  tonnage:\n    kind: flow\n    parties: 1\n    applies_to: [money]\n"
                                       "    words: {zh: [吨位], en: [tonnage]}\n", encoding="utf-8")
    (rules / "entities.yml").write_text("same:\n  - [微软, Microsoft]\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "checker", str(SEEDS), "--rules", str(rules), "--out",
                        str(tmp_path / "o"), "--format", "json"], capture_output=True, text=True)
    assert r.returncode in (0, 1) and "Error" not in r.stderr, r.stderr
