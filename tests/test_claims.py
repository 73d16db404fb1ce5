"""Claim frames: who, what, about whom, when; the key; the claim table."""
import re

import pandas as pd
from hypothesis import example, given, settings, strategies as st

import checker
from checker.scan import longest_of as _alt


def check_texts(tmp_path, docs: dict[str, str], published: dict[str, str] | None = None):
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if published:
        rows = "".join(f"{n},Outlet {n},{d}\n" for n, d in published.items())
        (tmp_path / "sources.csv").write_text("file,outlet,published\n" + rows, encoding="utf-8")
    return checker.check([tmp_path])


def by_text(result):
    return {c.text: c for c in result.claims_list}


def test_an_organisation_no_lexicon_names_gets_the_same_key_across_languages(tmp_path):
    result = check_texts(tmp_path, {
        "zh.txt": "核聚变初创企业赫利昂(Helion)周二宣布完成5亿美元融资。本轮融资后，赫利昂的估值达到54亿美元。",
        "en.txt": "Fusion start-up Helion said on Tuesday it had raised $500 million. "
                  "After the round, Helion's valuation reached $5.4 billion.",
    }, {"zh.txt": "2025-01-29", "en.txt": "2025-01-29"})
    c = by_text(result)
    assert c["5亿美元"].key == c["$500 million"].key == "funding_round|helion|2025"
    assert c["54亿美元"].key == c["$5.4 billion"].key == "valuation|helion"
    assert c["54亿美元"].subject == "helion"


def test_a_running_total_and_a_single_payment_do_not_share_a_key(tmp_path):
    result = check_texts(tmp_path, {
        "a.txt": "微软于2019年向OpenAI投资10亿美元。截至目前，微软已累计向OpenAI投资130亿美元。",
    }, {"a.txt": "2024-10-18"})
    c = by_text(result)
    assert c["10亿美元"].key == "investment|microsoft+openai|2019"
    assert c["130亿美元"].key == "investment_total|microsoft+openai"
    assert c["130亿美元"].as_of == "2024-10-18" and "截至目前" in c["130亿美元"].as_of_reason


def test_a_round_is_not_a_valuation_and_a_forecast_year_is_its_own_period(tmp_path):
    result = check_texts(tmp_path, {
        "a.txt": "OpenAI本月完成了一轮66亿美元的融资，估值达到1570亿美元。"
                 "OpenAI预计到2024年底至少在计算成本上花费54亿美元，到2029年，年计算成本可能升至375亿美元。",
    }, {"a.txt": "2024-10-19"})
    c = by_text(result)
    assert c["66亿美元"].metric == "funding_round" and c["1570亿美元"].metric == "valuation"
    assert c["54亿美元"].key != c["375亿美元"].key
    assert (c["54亿美元"].as_of, c["375亿美元"].as_of) == ("2024-12", "2029")  # 到2024年底: by the year end


def test_then_points_back_to_the_previous_sentence(tmp_path):
    result = check_texts(tmp_path, {"a.txt": "去年秋天，双方开始谈判。彼时微软已经向OpenAI注入了130亿美元。"},
                         {"a.txt": "2024-10-19"})
    c = by_text(result)["130亿美元"]
    assert c.as_of == "2023" and "彼时" in c.as_of_reason


def test_a_question_is_not_a_fact(tmp_path):
    result = check_texts(tmp_path, {"a.txt": "奥特曼询问微软是否愿意向OpenAI再投资数十亿美元。"}, {"a.txt": "2024-10-19"})
    c = by_text(result)["数十亿美元"]
    assert c.hypothetical and c.key.endswith("|hypothetical")


def test_deal_between_two_parties_and_who_is_the_object(tmp_path):
    result = check_texts(tmp_path, {"a.txt": "今年6月，OpenAI与甲骨文签署了一项约100亿美元的计算协议。"},
                         {"a.txt": "2024-10-18"})
    c = by_text(result)["100亿美元"]
    assert c.key == "contract_value|openai+oracle|2024" and c.as_of == "2024-06"


def test_the_claim_table_is_one_dataframe_with_document_metadata(seeds_result):
    table = seeds_result.claims
    assert isinstance(table, pd.DataFrame) and len(table) == len(seeds_result.claims_list)
    for col in ("id", "doc", "text", "start", "end", "value", "unit", "low", "high", "qualifier", "subject",
                "metric", "object", "key", "as_of", "as_of_reason", "copy_of", "outlet", "published", "lang"):
        assert col in table.columns
    assert table["id"].is_unique
    assert isinstance(seeds_result.findings, pd.DataFrame) and isinstance(seeds_result.documents, pd.DataFrame)


def test_translated_claims_point_to_the_original(seeds_result):
    ja = {c.text: c for c in seeds_result.claims_list if c.doc.startswith("001")}
    original = {c.id: c for c in seeds_result.claims_list}[ja["1380億ドル"].copy_of]
    assert original.doc.startswith("000") and original.text == "1380 亿美元"


def _listed(words: list[str]) -> str:
    """The lexicon's words as a plain list, longest first, each with its own word boundaries: the reading a
    lexicon pattern must give, however it is built."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        before = r"(?<![A-Za-z])" if w[0].isascii() and w[0].isalpha() else ""
        after = r"(?![A-Za-z])" if w[-1].isascii() and w[-1].isalnum() else ""
        parts.append(before + re.escape(w) + after)
    return "|".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aAb1-收入 ", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet="aAb1-收入 x", max_size=24))
@example(["A-", "a-b"], "A-b")  # two words that differ in case at first: the longer one still wins
@example(["ab", "ab1"], "ab1b ab")  # a word ending in a digit ends a word too
def test_a_lexicon_pattern_finds_the_longest_word_at_each_place_whatever_its_case(words, text):
    # entity names and metric words are matched case-insensitively, the longest at each place, and a Latin
    # word only as a whole word (Apple in Apple Inc., not in Pineapple)
    built = re.compile(_alt(words, folded=True), re.I)
    assert [m.span() for m in built.finditer(text)] == [m.span() for m in re.finditer(_listed(words), text, re.I)]


def test_two_figures_joined_by_and_each_keep_the_period_written_after_it(tmp_path):
    """A fiscal year and a half of it in one sentence: the date after the first figure is that figure's, not the
    second's, though it stands nearer the second (before it, across "and")."""
    (tmp_path / "a.txt").write_text(
        "2026-01-27\nLunavex had sales of ¥186 billion in the fiscal year ended March 2025 and ¥101 billion in the "
        "April-September half.\n", encoding="utf-8")
    result = checker.check([tmp_path])
    periods = {c.text: c.as_of for c in result.claims_list}
    assert periods == {"¥186 billion": "2025-03", "¥101 billion": "2025-04"}
    assert not [f for f in result.findings_list if f.rule == "CC001"]  # a year and a half of it never conflict
