"""What an editor reads: every fact and check has a name in each report language, messages carry no internal
ids, and every message ends with what to check next."""
import re

import pytest

from checker import check
from checker.compare import fact_label
from checker.rules import REPORT_LANGUAGES, default_rules, label

from .conftest import SHARED

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # investment_total, compute_spend, tranche_now


def test_every_metric_and_slot_has_a_label_in_each_report_language():
    rules = default_rules()
    labels = rules["metrics"]["labels"]
    names = set(rules["metrics"]["metrics"])
    names |= {slot for m in rules["metrics"]["metrics"].values() for slot in m.get("slots") or []}
    for lang in REPORT_LANGUAGES:
        assert names <= set(labels[lang]), (lang, sorted(names - set(labels[lang])))
        assert all(not SNAKE.search(label(rules, n, lang)) for n in names)


@pytest.mark.parametrize("lang", REPORT_LANGUAGES)
def test_every_check_has_a_title_and_a_next_step_in_each_report_language(lang):
    for cid, c in default_rules().checks.items():
        assert c["title"][lang].strip() and c["next"][lang].strip(), (cid, lang)


def test_a_fact_is_named_in_words_of_the_report_language():
    rules = default_rules()
    assert fact_label(rules, "valuation|thunderbay|pre_money", "valuation") == "pre-money valuation"
    assert fact_label(rules, "valuation|thunderbay|pre_money", "valuation", "zh") == "投前估值"
    assert fact_label(rules, "deliveries|x|Q3", "deliveries", "ja") == "Q3納車台数"
    assert fact_label(rules, None, "made_up_metric") == "made up metric"  # a user's metric with no label yet


@pytest.fixture(scope="module")
def dev_result():
    folder = SHARED / "dev" / "articles"
    if not folder.is_dir():
        pytest.skip("the dev set is not beside this checkout")
    return check([folder])


def test_no_message_names_an_internal_id_and_each_ends_with_its_next_step(seeds_result, dev_result):
    rules = default_rules()
    findings = [*seeds_result.findings_list, *dev_result.findings_list]
    assert {f.rule for f in findings} >= {"CC001", "CC002", "CC004", "CC006", "CC007", "CC008"}
    for f in findings:
        assert not SNAKE.search(f.message), f.message
        assert f.message.endswith(rules.checks[f.rule]["next"]["en"]), f.message
        assert f.title == rules.checks[f.rule]["title"]["en"]
