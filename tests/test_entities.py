"""Who is who: each linking mechanism with invented names, in each language, and the user's overlay winning."""
from __future__ import annotations

import copy

from checker.entities import DocumentEntities, EntityIndex, find_entities, link_entities
from checker.rules import Rules, default_rules


def _entities(text: str, lang: str, rules: Rules | None = None):
    rules = rules or default_rules()
    return find_entities(text, [(0, len(text))], lang, rules)


def _linked(*docs: tuple[str, str], rules: Rules | None = None) -> tuple[dict[str, str], list]:
    """Link the organisations of several one-paragraph documents, as a run does."""
    rules = rules or default_rules()
    index = EntityIndex()
    for text, lang in docs:
        index.add(DocumentEntities([e for e in _entities(text, lang, rules)[1] if e.kind in ("org", "person")]))
    return link_entities(index, rules)


def _one_entity(mapping: dict[str, str], entities: list, *names: str) -> bool:
    """Whether the names all belong to one linked entity."""
    for e in entities:
        written = {n for ns in e.names.values() for n in ns}
        if all(n in written for n in names):
            return True
    return False


def _ids(text: str, lang: str) -> dict[str, str]:
    mentions, _ = _entities(text, lang)
    return {text[m.start:m.end]: m.entity for m in mentions if m.kind == "org"}


def test_a_name_written_with_its_translation_in_parentheses_is_one_entity_across_languages():
    mapping, entities = _linked(("芯片设计公司蓝岭智芯（Blueridge Silicon）宣布完成新一轮融资。", "zh"),
                                ("Blueridge Silicon said on Monday it had raised $200 million. Blueridge Silicon plans a plant.", "en"))
    assert _one_entity(mapping, entities, "蓝岭智芯", "Blueridge Silicon")


def test_a_chinese_name_and_its_pinyin_meet_through_romanisation_and_translated_type_words():
    mapping, entities = _linked(("宏岳能源昨日公布上半年业绩，宏岳能源营收增长。", "zh"),
                                ("Hongyue Energy reported first-half results on Tuesday.", "en"))
    assert _one_entity(mapping, entities, "宏岳能源", "Hongyue Energy")
    # a different core with the same type word stays apart
    mapping, entities = _linked(("宏岳能源昨日公布上半年业绩，宏岳能源营收增长。", "zh"),
                                ("Dalton Energy reported first-half results on Tuesday.", "en"))
    assert not _one_entity(mapping, entities, "宏岳能源", "Dalton Energy")


def test_wade_giles_spellings_meet_pinyin():
    mapping, entities = _linked(("日商擬公開收購鼎豐光電，鼎豐光電股價上漲。", "zh"),
                                ("Tingfeng Optronics shares rose after the Japanese bid for Tingfeng Optronics.", "en"))
    assert _one_entity(mapping, entities, "鼎豐光電", "Tingfeng Optronics")


def test_simplified_traditional_and_japanese_forms_fold_to_one():
    mapping, entities = _linked(("澜沧电子今日发布财报，澜沧电子营收增长。", "zh"),
                                ("瀾滄電子は本日、決算を発表した。瀾滄電子の売上高は増えた。", "ja"))
    assert _one_entity(mapping, entities, "澜沧电子", "瀾滄電子")


def test_a_translated_type_word_links_holdings_and_its_chinese_form():
    mapping, entities = _linked(("控股股东宏星控股再度增资。宏星控股表示。", "zh"),
                                ("宏星ホールディングスは8日、増資を発表した。宏星ホールディングスによると。", "ja"))
    assert _one_entity(mapping, entities, "宏星控股", "宏星ホールディングス")


def test_a_katakana_name_meets_its_english_spelling_by_sound():
    mapping, entities = _linked(("中国電池大手ソルベリオン（蘇倍能源）は21日、新工場を発表した。", "ja"),
                                ("Solverion said on Tuesday it would build a plant. Solverion makes batteries.", "en"))
    assert _one_entity(mapping, entities, "ソルベリオン", "Solverion")


def test_a_short_form_is_the_long_form_in_one_document():
    ids = _ids("连锁超市运营商鼎丰超市集团本周一宣布重组。鼎丰同时宣布裁员。", "zh")
    assert ids["鼎丰超市集团"] == ids["鼎丰"]
    ids = _ids("Norvik Shipping Lines cut 300 jobs. Norvik said demand fell.", "en")
    assert ids["Norvik Shipping Lines"] == ids["Norvik"]


def test_words_that_stand_for_the_company_are_its_mentions():
    for text, lang, anaphor in [
        ("鼎丰超市集团本周一宣布重组。该公司计划关闭96家门店。", "zh", "该公司"),
        ("森岡製薬は27日、自主回収を発表した。同社の主力製品である。", "ja", "同社"),
        ("Norvik Shipping Lines cut 300 jobs. The company said demand fell.", "en", "The company"),
    ]:
        mentions, _ = _entities(text, lang)
        by_text = {text[m.start:m.end]: m.entity for m in mentions}
        assert anaphor in by_text, (lang, by_text)
        names = [n for n in by_text if n != anaphor]
        assert by_text[anaphor] == by_text[names[0]], (lang, by_text)


def test_a_role_in_parentheses_a_round_a_currency_and_a_place_are_no_organisation():
    ids = _ids("森岡製薬の森岡一郎社長兼最高経営責任者（ＣＥＯ）は、ハンガリーに32億ユーロの新工場を建てると述べた。", "ja")
    assert "ＣＥＯ" not in ids and "ユーロ" not in ids and "ハンガリー" not in ids
    assert ids.get("森岡製薬")
    ids = _ids("Its $620 million Series D was led by Harbor Crest Capital, and chipmakers in Taiwan followed.", "en")
    assert "Series D" not in ids and "Taiwan" not in ids


def test_a_chinese_name_does_not_swallow_the_words_before_it():
    ids = _ids("控股股东宏星控股再度增资赤岭能源，赤岭能源表示欢迎。", "zh")
    assert "宏星控股" in ids and "赤岭能源" in ids
    assert not any(n.startswith(("股东", "增资")) for n in ids)


def test_the_users_overlay_wins_over_the_evidence():
    docs = (("宏岳能源昨日公布上半年业绩，宏岳能源营收增长。", "zh"),
            ("Hongyue Energy reported first-half results on Tuesday.", "en"),
            ("Dalton Energy reported first-half results on Tuesday.", "en"))
    base = default_rules()
    apart = Rules(copy.deepcopy(base.data), base.checks, base.sources, base.token + "-apart")
    apart.data["entities"]["different"] = [["宏岳能源", "Hongyue Energy"]]
    mapping, entities = _linked(*docs, rules=apart)
    assert not _one_entity(mapping, entities, "宏岳能源", "Hongyue Energy")
    together = Rules(copy.deepcopy(base.data), base.checks, base.sources, base.token + "-same")
    together.data["entities"]["same"] = [["Dalton Energy", "Hongyue Energy"]]
    mapping, entities = _linked(*docs, rules=together)
    assert _one_entity(mapping, entities, "Dalton Energy", "Hongyue Energy", "宏岳能源")


def test_linked_ids_reach_the_claims_keys_across_languages(tmp_path):
    from checker.pipeline import check
    (tmp_path / "a.txt").write_text("宏岳能源融资\n2025-03-01 来源：某报\n\n宏岳能源本周一宣布完成10亿美元融资。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hongyue Energy raises $1 billion\n2025-03-02 | Some Wire\n\n"
                                    "Hongyue Energy said on Monday it had raised $1 billion in new funding.\n",
                                    encoding="utf-8")
    result = check([tmp_path])
    keys = {c.doc: c.key for c in result.claims_list if c.kind == "money"}
    assert keys["a.txt"] == keys["b.txt"], keys
    assert any("宏岳能源" in {n for ns in e.names.values() for n in ns} for e in result.entities)


def test_the_report_shows_who_is_who_with_the_reasons(tmp_path):
    from checker.pipeline import check
    from checker.report import render_html
    (tmp_path / "a.txt").write_text("宏岳能源融资\n2025-03-01 来源：某报\n\n宏岳能源本周一宣布完成10亿美元融资。\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Hongyue Energy raises $1 billion\n2025-03-02 | Some Wire\n\n"
                                    "Hongyue Energy said on Monday it had raised $1 billion in new funding.\n",
                                    encoding="utf-8")
    page = render_html(check([tmp_path]))
    panel = page[page.index('id="entities"'):page.index("</table>", page.index('id="entities"'))]
    assert "宏岳能源" in panel and "Hongyue Energy" in panel and "reads as" in panel


def test_a_persons_transliterations_are_one_person():
    mapping, entities = _linked(("创始人兼首席执行官卡洛斯·门德维尔表示，公司将继续扩张。", "zh"),
                                ("该公司的卡罗斯·门德维尔当天没有回应。", "zh"),
                                ("カルロス・メンデビル最高経営責任者（ＣＥＯ）は述べた。", "ja"),
                                ("Chief executive Carlos Mendeville said. Carlos Mendeville added.", "en"))
    people = [e for e in entities if e.kind == "person"]
    assert len(people) == 1, [(e.id, e.names) for e in people]
    written = {n for ns in people[0].names.values() for n in ns}
    assert {"卡洛斯·门德维尔", "卡罗斯·门德维尔", "カルロス・メンデビル", "Carlos Mendeville"} <= written
    # another person stays another
    mapping, entities = _linked(("首席执行官卡洛斯·门德维尔表示。", "zh"), ("Chief executive Dana Whitlock said.", "en"))
    assert not any(len(e.ids) > 1 for e in entities if e.kind == "person")


def test_articles_sharing_several_figures_name_one_company():
    rules = default_rules()
    zh = [e for e in _entities("岭泰科技宣布融资。岭泰科技表示。", "zh")[1] if e.kind == "org"]
    ja = [e for e in _entities("ノルディア・テクノロジーズは8日、発表した。", "ja")[1] if e.kind == "org"]
    assert zh and ja
    shared = ("USD:6.2e+08", "USD:1.35e+09", "count:520")

    def linked(figures_zh, figures_ja):
        index = EntityIndex()
        index.add(DocumentEntities(zh, zh[0].id, figures_zh))
        index.add(DocumentEntities(ja, ja[0].id, figures_ja))
        return link_entities(index, rules)[1]

    entities = linked(shared + ("USD:3e+09",), shared)
    assert any("share 3 figures" in l["reason"] for e in entities for l in e.links), [e.links for e in entities]
    assert not any(l for e in linked(shared[:2], shared[:2]) for l in e.links)  # two figures are not enough


def test_a_japanese_dotted_list_is_no_persons_name():
    mentions, entities = _entities("丸岡精密、台湾・鼎豊光電にＴＯＢ　総額416億台湾ドル", "ja")
    assert not [e for e in entities if e.kind == "person"], [(e.names, e.kind) for e in entities]
    assert any("鼎豊光電" in e.names for e in entities if e.kind == "org")


def test_a_name_after_a_products_measure_word_is_no_company():
    """首款|量产|芯片: a model counted with 款 is a product; companies are counted with 家."""
    _, product = _entities("公司首款量产芯片TP-9主要面向数据中心的推理场景。", "zh")
    assert not [e for e in product if e.kind == "org"]
    _, company = _entities("两家芯片公司中，寒岭芯片的营收最高。", "zh")
    assert [e.names for e in company if e.kind == "org"] == [["寒岭芯片"]]


def test_a_digits_unit_is_no_part_of_the_name_after_it():
    """2025年宏岳视频: the segmenter may join 年 to the name; a character written after a digit is the number's."""
    _, found = _entities("2025年宏岳视频付费会员数达3860万人。", "zh")
    assert [e.names for e in found if e.kind == "org"] == [["宏岳视频"]]
