"""Draft mode: a draft's figures judged against the sources, reviews and baselines."""
import json

import pytest
from click.testing import CliRunner

import checker
from checker.cli import main

from .conftest import SEEDS

DRAFTS = {
    "zh": ("据悉，OpenAI预计今年将亏损80亿美元。今年6月，OpenAI与甲骨文签署了约100亿美元的计算协议。"
           "OpenAI今年营收达到37亿美元。", ["80亿美元", "100亿美元", "37亿美元"]),
    "en": ("OpenAI expects to lose $8 billion this year. In June, OpenAI signed a $10 billion computing deal "
           "with Oracle. OpenAI's revenue reached $3.7 billion this year.", ["$8 billion", "$10 billion", "$3.7 billion"]),
}


def write_draft(tmp_path, lang):
    text, _ = DRAFTS[lang]
    (tmp_path / "draft.md").write_text(text + "\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,outlet,published\ndraft.md,Our desk,2024-10-20\n", encoding="utf-8")
    return tmp_path / "draft.md"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_draft_figure_gets_the_right_verdict(tmp_path, lang):
    draft = write_draft(tmp_path, lang)
    result = checker.check([SEEDS], draft=draft)
    claims = {c.id: c for c in result.claims_list}
    verdict = {claims[v.claim].text: v for v in result.verdicts}
    contradicted, supported, unsupported = DRAFTS[lang][1]
    assert verdict[contradicted].verdict == "contradicted"
    assert {claims[s].text for s in verdict[contradicted].sources} == {"50亿美元"}
    assert verdict[supported].verdict == "supported" and len(verdict[supported].outlets) == 2
    assert verdict[unsupported].verdict == "unsupported"
    assert result.conflicts == 1
    # the sources' own conflicts are still reported, apart from the draft
    assert {f.rule for f in result.findings_list} >= {"CC002", "CC004", "CC006"}
    assert all(not c.startswith("draft") for f in result.findings_list for c in f.claims)


def test_copies_count_once_as_support(tmp_path):
    (tmp_path / "draft.md").write_text("微软于2019年向OpenAI投资10亿美元。\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,outlet,published\ndraft.md,Our desk,2026-03-20\n", encoding="utf-8")
    result = checker.check([SEEDS], draft=tmp_path / "draft.md")
    (v,) = result.verdicts
    assert v.verdict == "supported" and len(v.outlets) == 1  # 000 and its Japanese translation 001 are one source


def test_accepting_the_contradiction_turns_the_exit_code_to_0(tmp_path):
    draft = write_draft(tmp_path, "zh")
    out = tmp_path / "out"
    args = [str(draft), "--against", str(SEEDS), "--out", str(out), "--format", "json,html,md"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1, r.output
    data = json.loads((out / "draft.json").read_text(encoding="utf-8"))
    (bad,) = [v for v in data["draft"]["verdicts"] if v["verdict"] == "contradicted"]
    (tmp_path / "reviews.yml").write_text(
        f"reviews:\n  - id: {bad['id']}\n    status: accepted\n    by: Li Wei\n    why: desk has a newer figure\n",
        encoding="utf-8")
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    data = json.loads((out / "draft.json").read_text(encoding="utf-8"))
    (v,) = [v for v in data["draft"]["verdicts"] if v["id"] == bad["id"]]
    assert v["reviewed"] == "accepted" and "Li Wei" in v["review_note"]
    html = (out / "draft.html").read_text(encoding="utf-8")
    assert 'class="card verdict conflict reviewed"' in html and "reviewed (accepted)" in html
    md = (out / "draft.md").read_text(encoding="utf-8")
    assert "[^1]" in md and "**contradicted**" in md and "Reviewed (accepted" in md


def test_a_reviewed_conflict_no_longer_fails_a_plain_run(tmp_path):
    for name, text in (("a.txt", "微软2019年向OpenAI投资10亿美元。"), ("b.txt", "微软2019年向OpenAI投资20亿美元。")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    first = checker.check([tmp_path])
    (f,) = [f for f in first.findings_list if f.severity == "conflict"]
    (tmp_path / "reviews.yml").write_text(f"reviews:\n  - {{id: {f.id}, status: dismissed, by: A, why: typo fixed}}\n",
                                          encoding="utf-8")
    r = CliRunner().invoke(main, [str(tmp_path), "--out", str(out), "--format", "json"])
    assert r.exit_code == 0 and "reviews.yml" not in r.output  # read as a sidecar, not as an article


def test_baseline_marks_new_unchanged_and_gone(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    (docs / "b.txt").write_text("微软2019年向OpenAI投资20亿美元。", encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(main, [str(docs), "--out", str(out), "--format", "json", "--name", "old"])
    (docs / "c.txt").write_text("OpenAI在2024年10月的估值为1100亿美元。", encoding="utf-8")
    (docs / "d.txt").write_text("OpenAI在2024年10月的估值为1500亿美元。", encoding="utf-8")
    (docs / "b.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    CliRunner().invoke(main, [str(docs), "--out", str(out), "--format", "json", "--name", "new",
                              "--baseline", str(out / "old.json")])
    new = json.loads((out / "new.json").read_text(encoding="utf-8"))
    old = json.loads((out / "old.json").read_text(encoding="utf-8"))
    assert {f["change"] for f in new["findings"] if f["severity"] == "conflict"} == {"new"}
    assert [g["id"] for g in new["gone"]] == [f["id"] for f in old["findings"] if f["severity"] == "conflict"]


def test_a_broken_reviews_file_is_a_clear_error(tmp_path):
    draft = write_draft(tmp_path, "zh")
    (tmp_path / "reviews.yml").write_text("reviews:\n  - id: X\n    status: maybe\n", encoding="utf-8")
    r = CliRunner().invoke(main, [str(draft), "--against", str(SEEDS), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "status" in r.output
