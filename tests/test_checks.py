"""Checks: every check's own examples (must fire / near miss), overlays with --rules, and broken rules."""
import itertools
import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from click.testing import CliRunner

import checker
from checker.cli import main
from checker.extract import PLAIN_CURRENCY_CODE
from checker.rules import load_rules


def run_example(tmp_path: Path, docs: list[str], rules_dirs=()):
    rows = []
    for i, doc in enumerate(docs):
        published, _, text = doc.partition(" | ")
        (tmp_path / f"d{i}.txt").write_text(text, encoding="utf-8")
        rows.append(f"d{i}.txt,Outlet {i},{published}")
    (tmp_path / "sources.csv").write_text("file,outlet,published\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return checker.check([tmp_path], rules_dirs=rules_dirs)


BUILTIN = load_rules()
EXAMPLES = [(cid, verdict, i, docs) for cid, c in sorted(BUILTIN.checks.items())
            for verdict in ("fire", "pass") for i, docs in enumerate((c.get("examples") or {}).get(verdict, []))]


def test_every_check_carries_an_example_that_fires_and_a_near_miss():
    for cid, c in BUILTIN.checks.items():
        ex = c.get("examples") or {}
        assert ex.get("fire") and ex.get("pass"), f"{cid} needs examples: fire and pass"


@pytest.mark.parametrize("cid,verdict,i,docs", EXAMPLES, ids=[f"{c}-{v}{i}" for c, v, i, _ in EXAMPLES])
def test_check_examples(tmp_path, cid, verdict, i, docs):
    result = run_example(tmp_path, docs)
    fired = [f for f in result.findings_list if f.rule == cid]
    if verdict == "fire":
        assert fired, [(c.text, c.key, c.as_of) for c in result.claims_list]
        for f in fired:
            assert f.message and "{" not in f.message
    else:
        assert not fired, [f.message for f in fired]


def test_a_slip_is_named_as_a_likely_cause(tmp_path):
    result = run_example(tmp_path, ["2024-10-18 | マイクロソフトは2019年にOpenAIに23億ドルを投資した。",
                                    "2024-10-19 | 微软2019年向OpenAI投资32亿美元。"])
    (f,) = [f for f in result.findings_list if f.rule == "CC001"]
    assert "transposed digits" in f.message and "23億ドル" in f.message and "32亿美元" in f.message
    result = run_example(tmp_path, ["2024-10-18 | 微软2019年向OpenAI投资10亿美元。",
                                    "2024-10-19 | 微软2019年向OpenAI投资10兆美元。"])
    (f,) = [f for f in result.findings_list if f.rule == "CC001"]
    assert "magnitude slip" in f.message and f.severity == "conflict"


def test_finding_ids_are_stable_and_sides_group_what_agrees(seeds_result):
    again = checker.check([Path(seeds_result.documents_list[0].path).parent])
    assert [f.id for f in again.findings_list] == [f.id for f in seeds_result.findings_list]
    growth = [f for f in seeds_result.findings_list if f.rule == "CC002"][0]
    texts = [[seeds_result_by_id(seeds_result)[c].text for c in side] for side in growth.sides]
    assert texts == [["130亿美元", "130亿美元"], ["140亿美元"]]


def seeds_result_by_id(result):
    return {c.id: c for c in result.claims_list}


def test_the_translation_is_reported_and_not_counted_as_confirmation(seeds_result):
    copies = [f for f in seeds_result.findings_list if f.rule == "CC007"]
    assert len(copies) == 1 and "001_63a484704c2c0905.txt" in copies[0].message and "translation" in copies[0].message
    corroborated = [f for f in seeds_result.findings_list if f.rule == "CC008"]
    assert all(not any(c.startswith("001") for c in f.claims) for f in corroborated)


def write_rules(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_a_desk_switches_a_check_off_and_adds_its_own_in_yaml(tmp_path):
    rules = write_rules(tmp_path / "desk", {
        "checks/CC008-corroboration.yml": "id: CC008\nenabled: false\n",
        "checks/DESK1.yml": """\
            id: DESK1
            name: any-disagreement-is-a-warning
            kind: mismatch
            severity: warning
            message: "Desk rule: {a} vs {b}."
            """,
        "entities.yml": "entities:\n  zorblax: {names: [Zorblax, 佐布拉克斯]}\n",
    })
    docs = tmp_path / "docs"
    docs.mkdir()
    result = run_example(docs, ["2024-10-18 | 佐布拉克斯2019年向OpenAI投资10亿美元。",
                                "2024-10-19 | Zorblax invested $2 billion in OpenAI in 2019."], rules_dirs=[rules])
    rules_fired = {f.rule for f in result.findings_list}
    assert "DESK1" in rules_fired and "CC008" not in rules_fired
    assert {c.subject for c in result.claims_list} == {"zorblax"}


@pytest.mark.parametrize("files,expect", [
    ({"checks/X.yml": "id: CC900\nkind: mismatch\nseverity: warning\nmessage: [unclosed\n"}, "X.yml:4"),
    ({"checks/X.yml": "id: CC900\nkind: teleport\nseverity: warning\nmessage: m\n"}, "unknown kind"),
    ({"checks/X.yml": "id: CC900\nkind: mismatch\nseverity: fatal\nmessage: m\n"}, "severity"),
    ({"checks/A.yml": "id: CC900\nkind: mismatch\nseverity: info\nmessage: m\n",
      "checks/B.yml": "id: CC900\nkind: mismatch\nseverity: info\nmessage: m\n"}, "duplicate check id CC900"),
    ({"units.yml": "currencies:\n  'US D': {after: [moneys]}\n"}, "cannot be defined"),
    ({"entities.yml": "entities: [unclosed\n"}, "entities.yml:1:"),
    ({"units.yml": "currencies:\n  NGN: {after: [naira]}\n  JPY: {after: [yen]}\n  NGN: {after: [奈拉]}\n"},
     "units.yml:4:3: broken YAML (duplicate key 'NGN'"),
])
def test_broken_rules_stop_before_any_work_with_file_line_and_fix(tmp_path, files, expect):
    rules = write_rules(tmp_path / "bad", files)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    r = CliRunner().invoke(main, [str(docs), "--rules", str(rules), "--out", str(tmp_path / "out")])
    assert r.exit_code == 2, r.output
    assert expect in r.output
    assert not (tmp_path / "out").exists()


def test_every_three_letter_currency_code_is_one_pint_defines():
    # check_currency_codes takes such codes without importing pint: this holds that to pint's own verdict
    import pint
    registry = pint.UnitRegistry(None)
    for letters in itertools.product(string.ascii_uppercase, repeat=3):
        code = "".join(letters)
        assert PLAIN_CURRENCY_CODE.fullmatch(code)
        registry.define(f"{code} = [currency_{code}]")


def test_rule_text_is_never_evaluated(tmp_path):
    rules = write_rules(tmp_path / "evil", {"checks/CC001-mismatch.yml": """\
        id: CC001
        message: "{a.__class__} {__import__} {key}"
        """})
    docs = tmp_path / "docs"
    docs.mkdir()
    result = run_example(docs, ["2024-10-18 | 微软2019年向OpenAI投资10亿美元。", "2024-10-19 | 微软2019年向OpenAI投资20亿美元。"],
                         rules_dirs=[rules])
    (f,) = [f for f in result.findings_list if f.rule == "CC001"]
    assert f.message.startswith("{a.__class__} {__import__} investment|microsoft+openai|2019")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.floats(-1e6, 1e6), st.floats(0, 1e6)), max_size=12))
def test_columnar_grouping_finds_exactly_the_facts_two_reports_can_dispute(rows):
    """The compare finds disputable facts for all keys at once on columns; each group must hold its claims in
    input order, and be disputed exactly when some pair of its intervals shares no value."""
    from types import SimpleNamespace
    from checker.compare import KeyIndex, overlaps
    claims = [SimpleNamespace(key=k, low=lo, high=lo + width) for k, lo, width in rows]
    index = KeyIndex(claims)
    for g, key in enumerate(index.keys):
        group = index.claims_of(g)
        assert group == [c for c in claims if c.key == key]
        pairwise = any(not overlaps(a, b) for a in group for b in group)
        assert (g in index.disputed()) == pairwise


def test_findings_read_back_in_report_order_and_keep_only_changes_made_through_update():
    from checker.compare import Finding, Findings
    from checker.store import Spill, pickled
    spill = Spill()
    made = [Finding(id=f"CC00{i}-x", rule=f"CC00{i}", name="", title="", severity="warning", key=None, claims=[f"d:{i}"],
                    message=f"m{i}") for i in range(3)]
    for f in made:
        spill.append(pickled(f))
    findings = Findings(spill, [2, 0, 1])
    assert [f.id for f in findings] == ["CC002-x", "CC000-x", "CC001-x"] and len(findings) == 3
    assert findings[0] == made[2] and [f.id for f in findings[1:]] == ["CC000-x", "CC001-x"]
    findings[0].reviewed = "accepted"  # a finding read back is a copy: the change is lost
    assert findings[0].reviewed is None
    findings.update(lambda f: setattr(f, "reviewed", "dismissed") if f.rule == "CC001" else None)
    assert [f.reviewed for f in findings] == [None, None, "dismissed"]


def test_one_text_in_simplified_and_traditional_script_is_one_report(tmp_path):
    body = ("宏岳机器人周三宣布完成12亿元人民币的C轮融资，投后估值达到85亿元。公司去年营收为6.5亿元，"
            "员工总数约1200人。公司表示，资金将用于扩大产能，并在华东新建工厂。")
    (tmp_path / "a.txt").write_text(f"宏岳机器人完成新一轮融资\n2024-09-11　来源：某某财经\n\n{body}\n", encoding="utf-8")
    import opencc
    traditional = opencc.OpenCC("s2twp").convert(body)
    (tmp_path / "b.txt").write_text(f"宏岳機器人完成新一輪融資\n2024-09-12　來源：某某日報\n\n{traditional}\n", encoding="utf-8")
    result = checker.check([tmp_path])
    assert [(c.doc, c.of) for c in result.copies] == [("b.txt", "a.txt")]
    support = [f for f in result.findings_list if f.rule == "CC008"]
    assert not support  # the Taiwan paper's copy confirms nothing: one report, not two outlets


def test_a_document_with_no_date_is_compared_by_the_dates_its_text_gives(tmp_path):
    (tmp_path / "a.txt").write_text("宏岳机器人年报\n2025-03-10　来源：某某财经\n\n宏岳机器人2024年营收为65亿元，同比增长12%。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hongyue Robotics results\n\nHongyue Robotics reported revenue of 7.2 billion yuan "
                                    "for 2024, its chief executive said.\n", encoding="utf-8")
    result = checker.check([tmp_path])
    undated = next(d for d in result.documents_list if d.doc == "b.txt")
    assert (undated.published, undated.published_from, undated.outlet) == (None, "none", None)
    (conflict,) = [f for f in result.findings_list if f.rule == "CC001"]
    assert "某某财经, 2025-03-10" in conflict.message
    assert "b.txt (outlet unknown), date unknown)" in conflict.message  # a file is never called an outlet


def test_files_that_name_no_outlet_count_as_one_outlet_at_most(tmp_path):
    for name in ("a.txt", "b.txt", "c.txt"):  # no outlet anywhere: three files, perhaps one outlet's
        (tmp_path / name).write_text(f"{name[0]}{name[0]}\n微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    assert [f for f in checker.check([tmp_path]).findings_list if f.rule == "CC008"] == []
    (tmp_path / "sources.csv").write_text("file,outlet,published\nc.txt,Example Daily,2024-10-19\n", encoding="utf-8")
    (confirmed,) = [f for f in checker.check([tmp_path]).findings_list if f.rule == "CC008"]
    assert "by 2 independent outlets: Example Daily, an outlet not named (a.txt, b.txt)" in confirmed.message


def test_a_draft_figure_no_source_speaks_of_is_said_in_words(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text("微软2019年向OpenAI投资10亿美元。", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("OpenAI的估值在2024年达到1570亿美元。", encoding="utf-8")
    result = checker.check([sources], draft=draft)
    (verdict,) = result.verdicts
    assert verdict.verdict == "unsupported" and "No source speaks of the valuation of OpenAI" in verdict.message
