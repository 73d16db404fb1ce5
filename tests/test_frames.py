"""Which slot of its fact a figure fills: pre- and post-money, before and after a change, a quarter or a half of
a year, and a headline's two statements; figures of different slots are never one fact. Invented companies."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.pipeline import check


def _claims(tmp_path: Path, text: str, name: str = "a.txt") -> dict[str, object]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = check([tmp_path])
    return {c.text: c for c in result.claims_list if c.doc == name}


def _keys(tmp_path: Path, text: str) -> dict[str, str]:
    return {t: c.key for t, c in _claims(tmp_path, text).items()}


@pytest.mark.parametrize("text, pre, post", [
    ("宏岳科技融资\n2025-03-04 来源：某报\n\n宏岳科技本轮融资投前估值为38亿美元，投后估值达44.2亿美元。\n", "38亿美元", "44.2亿美元"),
    ("ホンユエ・テクノロジーズ\n2025-03-04\n\nホンユエ・テクノロジーズのプレマネー評価額は38億ドル、ポストマネー評価額は44億2000万ドルとなった。\n",
     "38億ドル", "44億2000万ドル"),
    ("Hongyue Technologies raises money\n2025-03-04 | Some Wire\n\nHongyue Technologies was valued at $4.42 billion "
     "after the money; before the round it had been valued at $3.8 billion.\n", "$3.8 billion", "$4.42 billion"),
])
def test_pre_money_and_post_money_are_two_facts(tmp_path, text, pre, post):
    keys = _keys(tmp_path, text)
    assert keys[pre].startswith("valuation|") and keys[post].startswith("valuation|")
    assert keys[pre] != keys[post]
    assert keys[pre].endswith("pre_money") and "post_money" not in keys[post]  # post-money is what valuation means


@pytest.mark.parametrize("text, before, after", [
    ("鼎丰超市重组\n2025-07-16 来源：某报\n\n鼎丰超市集团宣布，员工总数将从4.2万人减少至3.65万人。\n", "4.2万人", "3.65万人"),
    ("鼎豊スーパー\n2025-07-16\n\n鼎豊スーパーの従業員は約4万2000人から3万6500人に減る。\n", "4万2000人", "3万6500人"),
    ("Dingfeng cuts staff\n2025-07-16 | Some Wire\n\nDingfeng Supermarkets will raise its monthly fee to 30 yuan "
     "from 25 yuan on March 1.\n", "25 yuan", "30 yuan"),
])
def test_from_a_to_b_is_a_state_before_and_one_after(tmp_path, text, before, after):
    claims = _claims(tmp_path, text)
    assert claims[before].key.endswith("|before"), claims[before].key
    assert claims[before].key != claims[after].key
    result = check([tmp_path])
    assert not [f for f in result.findings_list if f.severity == "conflict"]


def test_a_change_dated_apart_is_no_before_state(tmp_path):
    # 31.5 million is a year earlier: its own period tells it apart, no slot needed (a report without "from" agrees)
    claims = _claims(tmp_path, "Hongyue Video\n2026-02-13 | Some Wire\n\nHongyue Video's paid members grew to "
                               "38.6 million members at the end of December 2025, up from 31.5 million members a year "
                               "earlier.\n")
    assert claims["31.5 million members"].keyed and not claims["31.5 million members"].key.endswith("before")


@pytest.mark.parametrize("text, quarter", [
    ("宏岳汽车交付\n2025-11-19 来源：某报\n\n第三季度宏岳汽车共交付新车86,400辆。\n", "Q3"),
    ("宏嶽汽車\n2025-11-20\n\n宏嶽汽車の第2四半期の納車台数は8万6400台だった。\n", "Q2"),
    ("宏岳汽车\n2025-11-19 来源：某报\n\n宏岳汽车上半年营收七百六十三亿元。\n", "H1"),
])
def test_a_quarter_or_half_without_a_year_is_the_latest_one_and_part_of_the_key(tmp_path, quarter, text):
    keys = [c.key for c in _claims(tmp_path, text).values() if c.keyed]
    assert keys and all(k.split("|")[2:4] == ["2025", quarter] for k in keys), keys


def test_figures_of_two_quarters_are_not_compared(tmp_path):
    text = ("宏岳汽车\n2025-11-19 来源：某报\n\n第三季度宏岳汽车营收412亿元。上半年宏岳汽车营收763亿元，其中第二季度营收398亿元。\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert not [f for f in check([tmp_path]).findings_list if f.severity in ("conflict", "warning")]


def test_a_headlines_two_statements_are_two_clauses(tmp_path):
    keys = _keys(tmp_path, "宏岳智能完成6.2亿美元D轮融资　累计融资超13亿美元\n2025-11-13 来源：某报\n\n"
                           "宏岳智能本周宣布完成6.2亿美元D轮融资。\n")
    assert keys["6.2亿美元"].startswith("funding_round|")
    assert keys["13亿美元"].startswith("funding_total|")


def test_two_ceilings_a_tenth_apart_disagree(tmp_path):
    (tmp_path / "a.txt").write_text("青嵐化学に最大560億円補助\n2025-09-13\n\n経産省は12日、青嵐化学工業に最大560億円を補助すると発表した。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("日本补贴青岚化学最高56亿日元\n2025-09-16 来源：某报\n\n日本经产省上周五宣布，将向青岚化学工业提供最高56亿日元补贴。\n",
                                    encoding="utf-8")
    conflicts = [f for f in check([tmp_path]).findings_list if f.severity == "conflict"]
    assert conflicts, "up to 560億円 and up to 56亿日元 are not one ceiling"


def test_a_compared_figure_measures_what_the_figure_before_it_does(tmp_path):
    keys = _keys(tmp_path, "宏岳汽车交付\n2025-11-19 来源：某报\n\n第三季度宏岳汽车共交付新车86,400辆，较第二季度的71,200辆明显提升。\n")
    assert keys["86,400辆"].startswith("deliveries|") and keys["71,200辆"].startswith("deliveries|")
    assert keys["86,400辆"].endswith("|Q3") and keys["71,200辆"].endswith("|Q2")
    # a comparison with the same period a year before measures the same, for the period a year earlier
    keys = _keys(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n第四季度宏岳视频会员月均ARPU为21.4元，高于上年同期的19.8元。\n")
    assert keys["21.4元"] == "arpu|宏岳视频|2025|Q4" and keys["19.8元"] == "arpu|宏岳视频|2024|Q4"


def test_a_comma_inside_a_number_or_before_or_is_no_clause_break(tmp_path):
    keys = _keys(tmp_path, "Dingfeng cuts jobs\n2025-07-15 | Some Wire\n\nDingfeng Supermarkets said on Monday it would "
                           "cut about 5,500 jobs, or about 18% of its workforce, this year.\n")
    assert keys["18%"].startswith("layoffs|"), keys


def test_counts_of_different_things_and_about_figures_far_apart(tmp_path):
    (tmp_path / "a.txt").write_text("森冈制药召回降压药\n2026-01-28 来源：某报\n\n森冈制药本周二宣布，将召回约45万盒降压药，"
                                    "共召回12个批次。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Moriokа recall\n2026-01-28 | Some Wire\n\nMorioka Pharmaceutical said on Tuesday it "
                                    "would recall about 380,000 packs from 12 lots.\n", encoding="utf-8")
    result = check([tmp_path])
    counts = {c.text: c for c in result.claims_list if c.kind == "count"}
    assert counts["45万盒"].counted == counts["380,000 packs"].counted == "packages"
    assert counts["12个"].counted == "" or counts["12个"].counted != "packages"
    flagged = [f for f in result.findings_list if f.severity in ("conflict", "warning")]
    assert any({counts["45万盒"].id, counts["380,000 packs"].id} <= set(f.claims) for f in flagged)
    assert not any(counts["12 lots"].id in f.claims and counts["380,000 packs"].id in f.claims
                   for f in flagged)


def test_a_measure_is_read_in_its_base_unit_and_a_rate_is_no_amount(tmp_path):
    from checker.extract import extract_quantities
    (q,) = extract_quantities("规划年产能40GWh", "zh")
    assert (q.kind, q.unit, q.value) == ("capacity", "Wh", 4e10)
    (q,) = extract_quantities("a capacity of 40 MWh", "en")
    assert (q.kind, q.unit, q.value) == ("capacity", "Wh", 4e7)
    assert not extract_quantities("能量密度400Wh/kg", "zh")


def test_a_headline_figure_takes_the_date_of_the_body_that_repeats_it(tmp_path):
    (tmp_path / "a.txt").write_text("Hongyue recalls 380,000 packs\n2026-01-30 | Some Wire\n\nHongyue Pharmaceutical said "
                                    "on Tuesday it would recall about 380,000 packs of a drug.\n", encoding="utf-8")
    claims = check([tmp_path]).claims_list
    head = next(c for c in claims if c.zone == "headline")
    body = next(c for c in claims if c.zone == "body")
    assert head.as_of == body.as_of == "2026-01-27"  # not the publication date the headline alone would give


@pytest.mark.parametrize("text, lang, unit, value", [
    ("交易總額最高約新台幣416億元", "zh", "TWD", 4.16e10), ("総額416億台湾ドル", "ja", "TWD", 4.16e10),
    ("a bid of NT$41.6 billion", "en", "TWD", 4.16e10),
    ("募资港币50亿元", "zh", "HKD", 5e9), ("50億香港ドルを調達", "ja", "HKD", 5e9), ("raised HK$5 billion", "en", "HKD", 5e9),
    ("投资22亿欧元", "zh", "EUR", 2.2e9), ("22億ユーロを投じ", "ja", "EUR", 2.2e9), ("a €2.2 billion plant", "en", "EUR", 2.2e9),
    ("最高560亿日元", "zh", "JPY", 5.6e10), ("最大560億円", "ja", "JPY", 5.6e10), ("up to ¥56 billion", "en", "JPY", 5.6e10),
])
def test_currencies_in_each_language(text, lang, unit, value):
    from checker.extract import extract_quantities
    (q,) = [q for q in extract_quantities(text, lang) if q.kind == "money"]
    assert (q.unit, q.value) == (unit, pytest.approx(value))


def test_a_documents_named_yuan_is_its_bare_yuan(tmp_path):
    from checker.extract import extract_quantities
    qs = extract_quantities("交易總額最高約新台幣416億元。每股128元，較收盤價97元溢價約32%。", "zh")
    assert {q.text: q.unit for q in qs if q.kind == "money"} == {"新台幣416億元": "TWD", "128元": "TWD", "97元": "TWD"}
    assert {q.unit for q in extract_quantities("营收412亿元，每股30元。", "zh")} == {"CNY"}


@pytest.mark.parametrize("text", [
    "宏岳能源投资\n2026-04-22 来源：某报\n\n宏岳能源昨日宣布投资22亿欧元（约合人民币173亿元）建设工厂。\n",
    "宏嶽エナジー\n2026-04-22\n\n宏嶽エナジーは21日、22億ユーロ（約3600億円）を投じて新工場を建てると発表した。\n",
    "Hongyue Energy invests\n2026-04-22 | Some Wire\n\nHongyue Energy said on Tuesday it would invest €2.2 billion "
    "(about $2.5 billion) in a plant.\n",
])
def test_a_conversion_is_never_a_disagreement(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = check([tmp_path])
    assert len([c for c in result.claims_list if c.kind == "money"]) == 2
    assert not [f for f in result.findings_list if f.severity in ("conflict", "warning")]


@pytest.mark.parametrize("text", ["The company announced Friday that", "公司周五宣布", "同社は金曜日に発表した"])
def test_a_weekday_that_is_the_publication_days_is_that_day(text):
    from checker.rules import default_rules
    from checker.timex import find_times
    (t,) = find_times(text, "2026-02-27", default_rules())  # a Friday
    assert t.value == "2026-02-27"
    (t,) = find_times(text, "2026-03-02", default_rules())  # the Monday after: the Friday before
    assert t.value == "2026-02-27"


@pytest.mark.parametrize("text, now, later", [
    ("丸岡精密收購\n2025-12-09 來源：某報\n\n丸岡精密目前已持有鼎豐光電約20%股權，若收購順利完成，持股將提高至最多70%。\n", "20%", "70%"),
    ("丸岡精密\n2025-12-08\n\n丸岡精密は現在、鼎豊光電の株式の約20%を保有しており、ＴＯＢが成立すれば保有比率は最大70%に高まる。\n", "20%", "70%"),
    ("Maruoka bids\n2025-12-10 | Some Wire\n\nMaruoka Precision, which already owns about 20% of Tingfeng Optronics, "
     "would lift its stake to as much as 70%.\n", "20%", "70%"),
])
def test_a_change_with_no_from_keys_the_state_it_reaches(tmp_path, text, now, later):
    keys = _keys(tmp_path, text)
    assert keys[later].endswith("|after") and not keys[now].endswith(("|after", "|before")), keys


def test_a_value_reached_with_no_change_verb_is_no_new_state(tmp_path):
    keys = _keys(tmp_path, "宏岳智能融资\n2024-10-19 来源：某报\n\n宏岳智能完成了一轮66亿美元的融资，估值达到1570亿美元。\n")
    assert not keys["1570亿美元"].endswith("|after"), keys


def test_the_amount_of_a_change_is_not_the_level_it_reaches(tmp_path):
    for text, amount, level in [
        ("Hongyue cuts forecast\n2026-01-28 | Some Wire\n\nHongyue Pharmaceutical cut its full-year operating profit "
         "forecast by ¥12 billion to ¥248 billion.\n", "¥12 billion", "¥248 billion"),
        ("宏岳制药\n2026-01-30 来源：某报\n\n宏岳制药将全年营业利润预期下调120亿日元至2480亿日元。\n", "120亿日元", "2480亿日元"),
        ("宏岳製薬\n2026-01-28\n\n宏岳製薬は連結営業利益予想を120億円引き下げ、2480億円とした。\n", "120億円", "2480億円"),
    ]:
        keys = _keys(tmp_path, text)
        assert keys[amount].endswith("|by") and not keys[level].endswith("|by"), keys


def test_a_conversion_is_the_figure_it_converts(tmp_path):
    claims = _claims(tmp_path, "Hongyue Energy invests\n2026-04-22 | Some Wire\n\nHongyue Energy said on Tuesday it would "
                               "invest €2.2 billion (about $2.5 billion) in a plant in Hungary.\n")
    primary, converted = claims["€2.2 billion"], claims["$2.5 billion"]
    assert converted.converted_from == primary.id and converted.key == primary.key
    assert primary.converted_from is None


def test_a_headlines_second_statement_takes_the_first_ones_metric(tmp_path):
    keys = _keys(tmp_path, "丸岡精密、台湾・鼎豊光電にＴＯＢ　総額416億台湾ドル\n2025-12-08\n\n丸岡精密は8日、鼎豊光電にＴＯＢを実施すると発表した。\n")
    assert keys["416億台湾ドル"].startswith("acquisition|"), keys


@pytest.mark.parametrize("text, rate", [
    ("鼎丰超市\n2025-07-16 来源：某报\n\n财报显示，鼎丰上半年营收318亿元，同比下降7.5%。\n", "7.5%"),
    ("鼎豊スーパー\n2025-07-18\n\n鼎豊スーパーの上期の売上高は前年同期比7.5%減の318億元だった。\n", "7.5%"),
    ("Dingfeng results\n2025-07-15 | Some Wire\n\nDingfeng Supermarkets' first-half revenue fell 7.5% to 31.8 billion "
     "yuan.\n", "7.5%"),
])
def test_a_rate_of_change_is_the_change_of_the_metric_beside_it(tmp_path, text, rate):
    keys = _keys(tmp_path, text)
    assert keys[rate].startswith("revenue|") and keys[rate].endswith("|H1|change"), keys


def test_the_deal_is_the_one_its_sentence_names(tmp_path):
    keys = _keys(tmp_path, "Maruoka bids\n2025-12-10 | Some Wire\n\nMaruoka Precision launched a tender offer on Monday "
                           "for Tingfeng Optronics, valuing the deal at up to NT$41.6 billion.\n")
    assert keys["NT$41.6 billion"].startswith("acquisition|"), keys


def test_items_of_a_list_share_the_noun_after_the_last(tmp_path):
    keys = _keys(tmp_path, "森岡製薬が回収\n2026-01-28\n\n森岡製薬は27日、降圧薬「ルナディン」12ロット、約38万箱を自主回収すると発表した。\n")
    assert keys["12ロット"].startswith("recall|") and keys["38万箱"].startswith("recall|"), keys
    assert keys["12ロット"].split("|")[1] == keys["38万箱"].split("|")[1]  # the company's, not the product's
    keys = _keys(tmp_path, "丸岡精密\n2025-12-08\n\n買い付け価格は直近の終値に対して32%、過去3カ月の平均株価に対して41%のプレミアムを上乗せした。\n")
    assert keys["32%"].startswith("premium|") and keys["41%"].startswith("premium|"), keys


@pytest.mark.parametrize("text, lang, low, high", [
    ("受注残高は30億〜40億ドルに上る", "ja", 3e9, 4e9), ("预计10亿至15亿欧元", "zh", 1e9, 1.5e9),
    ("投资30～40亿元", "zh", 3e9, 4e9), ("增长10%-20%", "zh", 10, 20),
    ("内容投入30-40亿元", "zh", 3e9, 4e9), ("营收增长5-10%", "zh", 5, 10),
])
def test_a_range_is_one_figure_not_its_upper_bound(text, lang, low, high):
    from checker.extract import extract_quantities
    (q,) = extract_quantities(text, lang)
    assert (q.qualifier, q.low, q.high) == ("range", pytest.approx(low), pytest.approx(high))


def test_about_is_the_rounding_of_the_last_written_digit(tmp_path):
    (tmp_path / "a.txt").write_text("Hongyue raises money\n2026-02-27 | Some Wire\n\nHongyue Technologies raised about "
                                    "$24 billion in its latest round, the company said on Friday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hongyue round\n2026-02-27 | Other Wire\n\nHongyue Technologies raised about "
                                    "$23 billion in its latest round, it said on Friday.\n", encoding="utf-8")
    result = check([tmp_path])
    assert not [f for f in result.findings_list if f.rule == "CC008"]  # no corroboration between 24 and 23
    assert [f for f in result.findings_list if f.severity == "conflict"]


@pytest.mark.parametrize("text", [
    "Hongyue round\n2026-02-27 | Some Wire\n\nSoftBank and Nvidia will invest $30 billion each in Hongyue AI, the company "
    "said on Friday. Hongyue AI confirmed it.\n",
    "宏岳智能融资\n2026-02-27 来源：某报\n\n软银和英伟达各投资300亿美元入股宏岳智能。宏岳智能表示欢迎。\n",
])
def test_each_gives_every_party_the_figure(tmp_path, text):
    claims = [c for c in check([_write(tmp_path, text)]).claims_list if c.kind == "money"]
    assert {c.subject for c in claims} == {"softbank", "nvidia"}
    assert all(len(c.parties) == 2 for c in claims) and len({c.key for c in claims}) == 2


def test_a_figure_in_talks_is_not_the_deals_figure(tmp_path):
    result = check([_write(tmp_path, "宏岳智能洽谈融资\n2026-01-10 来源：某报\n\n据悉，宏岳智能正在洽谈约100亿美元的新一轮融资。\n",
                           "宏岳智能完成融资\n2026-01-25 来源：某报\n\n宏岳智能本周宣布完成120亿美元新一轮融资。\n")])
    keys = {c.doc: c.key for c in result.claims_list if c.kind == "money"}
    assert keys["a.txt"].endswith("|talks") and not keys["b.txt"].endswith("|talks")
    assert not [f for f in result.findings_list if f.severity == "conflict"]


def test_two_figures_of_one_sentence_take_their_own_periods(tmp_path):
    claims = _claims(tmp_path, "Hongyue results\n2025-03-20 | Some Wire\n\nHongyue Technologies said revenue rose to 8.4 "
                               "billion yuan last year from 6.9 billion yuan in 2023.\n")
    assert claims["8.4 billion yuan"].as_of == "2024" and claims["6.9 billion yuan"].as_of == "2023"
    assert claims["8.4 billion yuan"].key != claims["6.9 billion yuan"].key


def _write(folder: Path, *texts: str) -> Path:
    """The texts as a.txt, b.txt ... in `folder`."""
    for name, text in zip("abcdefgh", texts):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_finding_names_the_fact_and_the_companies_in_words(tmp_path):
    (tmp_path / "a.txt").write_text("宏岳汽车交付\n2025-11-19 来源：某报\n\n宏岳汽车（Hongyue Motors）第二季度共交付新车71,200辆。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hongyue Motors deliveries\n2025-11-19 | Some Wire\n\nHongyue Motors said it delivered "
                                    "86,400 vehicles in the second quarter. Hongyue Motors is growing.\n", encoding="utf-8")
    (f,) = [f for f in check([tmp_path]).findings_list if f.rule == "CC001"]
    assert "Q2 deliveries of Hongyue Motors" in f.message and "|" not in f.message and "hongyue" not in f.message


def test_a_headline_of_two_figures_ties_each_to_its_own_term(tmp_path):
    (tmp_path / "a.txt").write_text("中国スーパーの鼎豊、96店閉鎖と5500人削減\n2025-07-18\n\n鼎豊スーパーは14日、不採算の96店を閉鎖し、"
                                    "従業員約5500人を削減すると発表した。\n", encoding="utf-8")
    assert not [f for f in check([tmp_path]).findings_list if f.rule in ("CC005", "CC006")]


@pytest.mark.parametrize("text, lang", [("前三季度累计交付超过21万辆", "zh"), ("1〜9月の累計では21万5500台", "ja"),
                                        ("deliveries for the first nine months rose to 215,500", "en")])
def test_the_first_nine_months_is_a_part_of_the_year(text, lang):
    from checker.rules import default_rules
    from checker.timex import find_times
    (t,) = find_times(text, "2025-11-19", default_rules())
    assert (t.value, t.refine) == ("2025", "9M")


def test_a_total_to_date_is_dated_by_publication_not_by_a_founding_year(tmp_path):
    claims = _claims(tmp_path, "Hongyue update\n2026-03-05 | Some Wire\n\nThe start-up, founded in 2019, has raised $1.1 "
                               "billion to date, according to the company.\n")
    assert claims["$1.1 billion"].key.startswith("funding_total|") and claims["$1.1 billion"].as_of == "2026-03-05"


@pytest.mark.parametrize("text, one, other", [
    ("Amperon plant\n2026-04-24 | Some Wire\n\nHongyue Energy's plant will have an annual capacity of 40 GWh. Hongyue "
     "Energy had about 180 GWh of cell capacity worldwide at the end of last year.\n", "40 GWh", "180 GWh"),
    ("青嵐化学\n2025-09-13\n\n青嵐化学工業の第1期の投資額は約1700億円で、第3期までを含む総事業費は約1兆1000億円に上る見通しだ。\n",
     "1700億円", "1兆1000億円"),
    ("宏岳智能\n2026-01-20\n\n宏岳智能の従業員数は約520人で、日本法人は当初20人体制で発足する。\n", "520人", "20人"),
])
def test_a_part_of_a_company_or_project_is_not_the_whole(tmp_path, text, one, other):
    keys = _keys(tmp_path, text)
    assert keys[one] != keys[other], keys


@pytest.mark.parametrize("text", ["拨打010-12345678", "COVID-19疫情", "GPT-4模型", "RX-200型"])
def test_a_hyphenated_code_is_still_no_range(text):
    from checker.extract import extract_quantities
    assert not extract_quantities(text, "zh")


@pytest.mark.parametrize("text, other", [
    ("宏岳智芯融资\n2025-11-13 来源：某报\n\n宏岳智芯本周完成6.2亿美元融资。\n\n相关阅读\n· 某存储芯片厂商三季度营收环比增长12%\n", "12%"),
    ("宏岳智芯\n2026-01-20\n\n宏岳智芯は6億2000万ドルを調達した。\n\n【関連記事】\n・半導体製造装置の販売額、前年比18%増\n", "18%"),
    ("# Hongyue AI ships chips\n\n2026-03-05 | Some Wire\n\nHongyue AI has raised $1.1 billion to date.\n\n## Related\n\n"
     "- [Another start-up cuts 9% of staff](https://example.com/a)\n", "9%"),
])
def test_a_list_of_other_stories_closes_the_article(tmp_path, text, other):
    claims = _claims(tmp_path, text, "a.md" if text.startswith("#") else "a.txt")
    assert other not in claims and len(claims) == 1, list(claims)


@pytest.mark.parametrize("text, lang", [("1ドル=153円換算で約5800億円", "ja"), ("按1美元兑7.1元人民币计算，约合500亿元", "zh"),
                                        ("at $1 = ¥153, about ¥580 billion", "en")])
def test_an_exchange_rate_is_no_figure(text, lang):
    from checker.extract import extract_quantities
    assert len(extract_quantities(text, lang)) == 1


def test_a_tranche_is_not_the_whole(tmp_path):
    keys = _keys(tmp_path, "Hongyue round\n2026-02-27 | Some Wire\n\nAmazon will invest $50 billion in Hongyue AI, $15 "
                           "billion now and $35 billion on conditions. Hongyue AI welcomed it.\n")
    assert len({keys["$50 billion"], keys["$15 billion"], keys["$35 billion"]}) == 3, keys
    assert keys["$15 billion"].endswith("tranche_now") and keys["$35 billion"].endswith("tranche_conditional")


@pytest.mark.parametrize("text", [
    "宏岳光电收购\n2025-12-09 來源：某報\n\n宏岳光電擬以新台幣416億元（約合人民幣94億元）收購鼎豐光電。\n",
    "宏岳電子\n2025-12-08\n\n宏岳電子は香港ドルで50億香港ドル（約960億円）を調達した。\n",
    "Hongyue Energy invests\n2026-04-22 | Some Wire\n\nHongyue Energy will invest ¥300 billion (about $2 billion) in a plant. "
    "Hongyue Energy said so.\n",
])
def test_a_conversion_from_each_currency_is_the_same_figure(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    claims = [c for c in check([tmp_path]).claims_list if c.kind == "money"]
    assert len(claims) == 2 and claims[1].converted_from == claims[0].id and claims[0].unit != claims[1].unit


@pytest.mark.parametrize("text, now, year_ago, growth", [
    ("泽风视频会员\n2026-01-16 来源：某报\n\n截至去年12月底，泽风视频付费会员为3680万人，较去年同期的3150万人增长16.8%。\n",
     "3680万人", "3150万人", "16.8%"),
    ("ゼファー会員\n2026-01-16\n\n昨年12月末時点の有料会員数は3680万人で、前年同期の3150万人から16.8%増えた。\n",
     "3680万人", "3150万人", "16.8%"),
    ("Zephyr members\n2026-01-16 | Some Wire\n\nZephyr had 36.8 million members at the end of last year, "
     "up 16.8% from 31.5 million members a year earlier.\n", "36.8 million members", "31.5 million members", "16.8%"),
])
def test_a_figure_set_a_year_back_is_of_the_year_before(tmp_path, text, now, year_ago, growth):
    claims = _claims(tmp_path, text)
    assert claims[now].as_of == "2025-12"
    assert claims[year_ago].as_of == "2024-12", claims[year_ago].as_of_reason
    assert claims[year_ago].metric == claims[now].metric is not None  # the same fact, of another period
    assert claims[growth].as_of == "2025-12"  # the rate is this year's: 去年同期 / 前年 date no figure


@pytest.mark.parametrize("text, figure, metric", [
    ("宏岳機器人\n2024-09-12 來源：某報\n\n宏岳機器人週三宣布完成12億元的C輪融資，投後估值達到85億元。\n", "12億元", "funding_round"),
    ("宏岳機器人\n2024-09-12 來源：某報\n\n宏岳機器人週三宣布完成12億元的C輪融資，投後估值達到85億元。\n", "85億元", "valuation"),
    ("宏岳軟體\n2024-09-12 來源：某報\n\n宏岳軟體去年營收為6.5億元。\n", "6.5億元", "revenue"),
])
def test_rules_written_in_simplified_chinese_read_traditional_copy(tmp_path, text, figure, metric):
    assert _claims(tmp_path, text)[figure].metric == metric


def test_a_bare_count_with_a_scale_is_a_count_where_its_clause_counts_things(tmp_path):
    """会员数达三千八百六十万 and "grew to 38.6 million" name no unit: the clause's fact counts members, so each is a
    count of it; a bare number whose clause counts nothing (播放量, revenue with no currency) is no claim."""
    keys = _keys(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n截至去年12月底，宏岳视频付费会员数达三千八百六十万，较上年同期的"
                           "3150万增长22.5%。其短剧播放量突破2亿，营收1380亿。千万不要错过。\n")
    assert keys["三千八百六十万"] == "subscribers|宏岳视频" and keys["3150万"] == "subscribers|宏岳视频", keys
    assert not {"2亿", "1380亿", "千万"} & set(keys)
    claims = _claims(tmp_path, "Hongyue Video\n2026-02-10 | Some Wire\n\nHongyue Video said its paid membership grew "
                               "to 38.6 million at the end of December, in a city of 8 million.\n", "b.txt")
    assert claims["38.6 million"].kind == "count" and claims["38.6 million"].key == "subscribers|hongyue_video"
    assert "8 million" not in claims


def test_a_bare_count_and_a_count_with_its_classifier_are_compared(tmp_path):
    result = check([_write(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n截至去年12月底，宏岳视频付费会员数达三千八百六十万。\n",
                           "ホンユエ・ビデオ（宏岳视频）\n2026-02-12\n\n宏岳视频の昨年12月末時点の有料会員数は3680万人だった。\n")])
    figures = {c.text: c.id for c in result.claims_list}
    assert any(f.severity == "conflict" and {figures["三千八百六十万"], figures["3680万人"]} <= set(f.claims)
               for f in result.findings_list)


def test_a_range_of_bare_scaled_numbers_is_one_figure(tmp_path):
    claims = _claims(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n宏岳视频预计今年付费会员数将达4000万至4500万。\n")
    assert list(claims) == ["4000万至4500万"] and claims["4000万至4500万"].low == 4e7


@pytest.mark.parametrize("text, total, as_of", [
    # the 当时 is the valuation's, written right after it: the running total is up to publication
    ("宏岳智能融资\n2025-11-13 来源：某报\n\n宏岳智能本轮融资6.2亿美元。加上去年6月完成的4.1亿美元C轮融资（当时估值16亿美元），"
     "宏岳智能成立以来累计融资额已达13.5亿美元。\n", "13.5亿美元", "2025-11-13"),
    # a 当时 with no other figure after it governs the total: cumulative as of then
    ("宏岳智能融资\n2024-10-18 来源：某报\n\n2023年，宏岳智能完成一轮融资。当时，宏岳智能已经累计融资130亿美元。\n",
     "130亿美元", "2023"),
])
def test_a_then_governs_the_figures_up_to_the_next_one_written_after_it(tmp_path, text, total, as_of):
    assert _claims(tmp_path, text)[total].as_of == as_of


@pytest.mark.parametrize("text, figure, as_of", [
    # the three months stand in the 41%'s clause: nearer the 32% by characters, but across a comma
    ("宏岳光电\n2025-12-08 来源：某报\n\n收购价较宏岳光电前一交易日收盘价97元溢价约32%，较过去三个月均价溢价41%。\n", "32%", "2025-12"),
    ("宏岳光电\n2025-12-08 来源：某报\n\n收购价较宏岳光电前一交易日收盘价97元溢价约32%，较过去三个月均价溢价41%。\n", "97元", "2025-12"),
    # a date in a clause of no figure still dates the figure before it
    ("宏岳汽车\n2025-12-08 来源：某报\n\n宏岳汽车营收达10亿元，均为2023年数据。\n", "10亿元", "2023"),
])
def test_a_date_is_the_figures_of_its_own_clause(tmp_path, text, figure, as_of):
    assert (_claims(tmp_path, text)[figure].as_of or "")[:len(as_of)] == as_of


@pytest.mark.parametrize("text", [
    "宏岳制药召回\n2026-01-29 来源：某报\n\n宏岳制药27日宣布召回降压药。公司将全年营业利润预期下调至2480亿日元，2026年3月期为准。"
    "受消息影响，宏岳制药股价当日下跌4.2%。\n",
    "宏岳製薬が回収\n2026-01-29\n\n宏岳製薬は27日、降圧薬の回収を発表した。同社は2026年3月期の営業利益予想を2480億円とした。"
    "同日の東京株式市場で宏岳製薬株は一時4.2%下落した。\n",
])
def test_that_day_is_the_day_last_named_not_the_last_date(tmp_path, text):
    assert _claims(tmp_path, text)["4.2%"].as_of == "2026-01-27"


@pytest.mark.parametrize("text", [
    "宏岳汽车\n2025-11-13 来源：某报\n\n宏岳汽车年初至今交付新车10万辆。\n",  # 至今
    "Hongyue Motors\n2025-11-13 | Some Wire\n\nHongyue Motors has delivered 100,000 cars year to date.\n",  # to date
    "ホンユエ自動車\n2025-11-13\n\nホンユエ自動車の年初来の販売台数は10万台となった。\n",
])
def test_a_year_to_date_total_is_up_to_publication(tmp_path, text):
    (claim,) = _claims(tmp_path, text).values()
    assert claim.as_of == "2025-11-13" and claim.key.startswith("deliveries|")


def test_a_date_of_another_facts_figure_in_the_sentence_before_is_not_inherited(tmp_path):
    """The fourth quarter dates the revenue per user, not the price the next sentence gives; the year dates
    the members the next sentence counts again."""
    claims = _claims(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n第四季度宏岳视频会员月均ARPU为21.4元。"
                               "连续包年会员价格由218元调整为248元。\n")
    assert claims["21.4元"].as_of == "2025" and claims["248元"].as_of == "2026-02"
    claims = _claims(tmp_path, "宏岳视频\n2026-02-10 来源：某报\n\n2025年宏岳视频付费会员数达3860万人。"
                               "其付费会员数较前一年增加了710万人。\n", "b.txt")
    assert claims["710万人"].as_of.startswith("2025")


def test_revenue_per_user_is_its_own_fact_not_revenue(tmp_path):
    keys = _keys(tmp_path, "Hongyue Video\n2026-02-10 | Some Wire\n\nHongyue Video's revenue per user in the fourth "
                           "quarter was 21.4 yuan. Its revenue rose to 30 billion yuan.\n")
    assert keys["21.4 yuan"].startswith("arpu|") and keys["30 billion yuan"].startswith("revenue|")
