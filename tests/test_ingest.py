"""Reading files: encodings, HTML, metadata, page furniture, repeats."""
import csv

import pytest
from hypothesis import given, settings, strategies as st

from checker.ingest import InputError, _weight, decode, read_document

ZH = "微软于2019年向OpenAI投资10亿美元。据报道，估值达到1570亿美元，较去年增长三倍。"
JA = "マイクロソフトは2019年にOpenAIに10億ドルを投資し、評価額は1570億ドルに達した。"
TW = "微軟於2019年向OpenAI投資10億美元。據報導，估值達到1570億美元。"


@pytest.mark.parametrize("text,encoding", [
    (ZH, "utf-8"),
    (ZH, "utf-8-sig"),
    (ZH, "utf-16"),
    (ZH, "gb18030"),
    (ZH, "gbk"),
    (TW, "big5"),
    (JA, "shift_jis"),
    (JA, "euc_jp"),
])
def test_each_encoding_decodes_to_the_same_text(write, text, encoding):
    body = (text + "\n") * 3
    p = write("a.txt", body, encoding)
    doc = read_document(p, "a.txt")
    assert doc.text == body  # BOM dropped, every character right
    assert doc.text[doc.text.find("10"):doc.text.find("10") + 2] == "10"


def test_offsets_are_code_points_into_the_decoded_text(write):
    p = write("a.txt", "\ufeff" + ZH, "utf-8")
    import checker
    result = checker.check([p])
    text = p.read_bytes().decode("utf-8-sig")
    assert result.claims_list
    for c in result.claims_list:
        assert text[c.start:c.end] == c.text


def test_binary_data_is_refused_with_a_reason():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 40)


def test_html_text_title_and_date(write):
    page = """<html><head><title>Site | 微软追加投资</title>
    <meta property="og:title" content="微软再向OpenAI投资100亿美元">
    <meta property="article:published_time" content="2023-01-23T08:00:00Z">
    <style>.x{color:red}</style><script>var price = "999亿美元";</script></head>
    <body><nav>首页 > 科技 > 100亿</nav><article><h1>微软再向OpenAI投资100亿美元</h1>
    <p>微软周一宣布，将向OpenAI追加投资100亿美元。</p><p>此前微软已累计投资30亿美元。</p></article>
    <footer>联系我们 电话 010-12345678</footer></body></html>"""
    p = write("page.html", page)
    doc = read_document(p, "page.html")
    assert doc.title == "微软再向OpenAI投资100亿美元"
    assert doc.published.startswith("2023-01-23") and doc.published_from == "text"
    assert doc.offsets == "extracted"
    assert "999" not in doc.text and "首页" not in doc.text and "联系我们" not in doc.text
    import checker
    result = checker.check([p])
    assert {c.text for c in result.claims_list} >= {"100亿美元", "30亿美元"}
    from checker.ingest import to_shown
    for c in result.claims_list:
        assert page[c.start:c.end] == c.text  # the result indexes the page as decoded, as its contract says
        start, end = to_shown(doc.source_map, c.start, c.end)
        assert doc.text[start:end] == c.text  # and the source map leads back to the text the report shows


def test_sidecar_gives_outlet_and_date(write, tmp_path):
    write("a.txt", ZH)
    write("sources.csv", "file,outlet,published\na.txt,Example Daily,2024-10-19\n")
    import checker
    result = checker.check([tmp_path])
    d = result.documents_list[0]
    assert (d.outlet, d.published, d.published_from) == ("Example Daily", "2024-10-19", "metadata")


@pytest.mark.parametrize("given", ["2024-02-30", "2025-03-14<script>alert(1)</script>", "next Tuesday", "14/03/2025"])
def test_a_date_that_is_not_one_is_not_copied_into_the_result(write, tmp_path, given):
    write("a.txt", "2024-10-18\n" + ZH)
    with open(tmp_path / "sources.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["file", "outlet", "published"], ["a.txt", "Example Daily", given]])
    write("b.html", f'<html><head><meta property="article:published_time" content="{given}"></head>'
                    f"<body><p>{ZH}</p></body></html>")
    import checker
    result = checker.check([tmp_path])
    a, b = sorted(result.documents_list, key=lambda d: d.doc)
    assert (a.published, a.published_from) == ("2024-10-18", "text")  # the page's own date line, not the typo
    assert given in a.published_note and "not a date" in a.published_note
    assert b.published is None and b.published_from == "none"


def test_an_english_header_over_a_chinese_body_keeps_the_body(write):
    p = write("a.txt", "Source: Pacific Finance Wire\nOriginal title: Hongyue Robotics closes round\n\n"
                       "新闻日期:2024-09-11\n宏岳机器人完成新一轮融资\n\n"
                       "宏岳机器人周三宣布完成12亿元人民币的C轮融资，投后估值达到85亿元。公司表示，资金将用于扩大产能。\n")
    d = read_document(p, "a.txt")
    assert (d.lang, d.title, d.published) == ("zh", "宏岳机器人完成新一轮融资", "2024-09-11")
    assert (d.outlet, d.outlet_from) == ("Pacific Finance Wire", "text")
    body = [z for z in d.zones if z.kind == "body"]
    assert any("12亿元人民币" in d.text[z.start:z.end] for z in body)


@pytest.mark.parametrize("header, outlet, published", [
    ("2025-11-13 08:30　来源：芯片财经　记者 程某", "芯片财经", "2025-11-13T08:30:00"),
    ("發佈時間：2024-09-12 10:30\n來源：某某日報", "某某日報", "2024-09-12T10:30:00"),
    ("2025年11月19日 10:05　车界财经　文/韩某", "车界财经", "2025-11-19T10:05:00"),
    ("作者 | 某某\n2025-03-04 | 科技周刊", "科技周刊", "2025-03-04"),
    ("2026年1月20日 7:00　日刊某某ビジネス", "日刊某某ビジネス", "2026-01-20T07:00:00"),
    ("公開日：2024年9月12日\n出典：某某新聞", "某某新聞", "2024-09-12"),
    ("*By Jane Doe · Pacific Wire · March 5, 2026*", "Pacific Wire", "2026-03-05"),
    ("By Jane Doe, China Retail Daily\nJuly 15, 2025", "China Retail Daily", "2025-07-15"),
    ("Published: September 12, 2024 | Source: Some Wire", "Some Wire", "2024-09-12"),
])
def test_the_outlet_and_date_come_from_the_byline_in_each_language(write, header, outlet, published):
    body = ("宏岳机器人周三宣布完成12亿元人民币的C轮融资，投后估值达到85亿元。公司表示，资金将用于扩大产能。"
            if "\u3000" in header or "来源" in header or "來源" in header or "作者" in header
            else "宏岳ロボットは11日、12億元のシリーズC資金調達を完了したと発表した。同社が明らかにした。"
            if "日刊" in header or "出典" in header
            else "Hongyue Robotics said on Wednesday it had raised 1.2 billion yuan in a Series C round.")
    p = write("a.txt", f"Hongyue Robotics raises money 宏岳\n{header}\n\n{body}\n")
    d = read_document(p, "a.txt")
    assert (d.outlet, d.outlet_from, d.published) == (outlet, "text", published)


def test_a_line_of_counters_names_no_outlet(write):
    p = write("a.txt", "宏岳机器人完成新一轮融资\n阅读 4.1万　|　评论 233　|　分享\n\n"
                       "宏岳机器人周三宣布完成12亿元人民币的C轮融资，投后估值达到85亿元。公司表示，资金将用于扩大产能。\n")
    assert read_document(p, "a.txt").outlet is None


def test_seed_documents_metadata(seeds_result):
    docs = {d.doc[:3]: d for d in seeds_result.documents_list}
    assert [docs[k].lang for k in sorted(docs)] == ["zh", "ja", "zh", "zh", "zh"]
    assert [(docs[k].published, docs[k].published_from) for k in sorted(docs)] == [
        ("2026-03-19", "metadata"), ("2026-03-19", "metadata"), ("2024-10-18T18:55:35", "text"),
        ("2024-10-19", "metadata"), ("2023-06-08", "text")]
    assert docs["000"].title == "微软拟起诉亚马逊与OpenAI:500亿美元云合作涉嫌违约"
    assert docs["002"].title == "OpenAI和微软貌合神离?据称双方合同上早已列好潜在的“分手条款”"
    assert docs["004"].title == "微软与 OpenAI,远没有看起来「亲密无间」"


def test_furniture_is_found_by_structure(write):
    article = "\n".join([
        "某某网 3 小时前",
        "新能源车企获得巨额投资",
        "1024", "0", "0",
        "据报道，某新能源车企今年获得了一笔200亿元的战略投资，这是该公司成立以来最大的一笔融资。",
        "公司表示，这笔资金将用于研发和扩大产能，预计明年产能将翻倍，达到50万辆。",
        "参考资料:",
        "https://example.com/news/2024/300-billion-deal",
        "-",
        "另一家公司发布了35亿元的新品，这与本文无关但出现在相关推荐里。",
        "- 热门",
        "- 支持",
        "- 反对",
    ])
    p = write("a.txt", article)
    import checker
    result = checker.check([p])
    texts = {c.text for c in result.claims_list}
    assert "200亿元" in texts
    assert not texts & {"1024", "35亿元"} and not any("300" in t for t in texts)
    doc = result.documents_list[0]
    assert doc.title == "新能源车企获得巨额投资"


def test_a_body_given_twice_is_read_once(seeds_result):
    ja = [c for c in seeds_result.claims_list if c.doc.startswith("001")]
    assert sum(1 for c in ja if c.text == "1380億ドル") == 1
    zones = [z for z in seeds_result.documents_list[1].zones if z.kind == "repeat"]
    assert zones and zones[0].start == 0


def test_the_publication_date_is_read_with_the_rules_given(tmp_path):
    from checker.rules import load_rules
    overlay = tmp_path / "rules"
    overlay.mkdir()
    (overlay / "dates.yml").write_text("months:\n  en: {septembre: 9}\n", encoding="utf-8")
    p = tmp_path / "a.txt"
    p.write_text("Microsoft raises its OpenAI stake\nLe Monde, 12 septembre 2025\n\n"
                 "Microsoft invested $10 billion in OpenAI, the company said on Tuesday in a statement.\n",
                 encoding="utf-8")
    assert read_document(p, "a.txt").published is None  # the built-in rules know no French month
    doc = read_document(p, "a.txt", rules=load_rules(overlay))
    assert (doc.published, doc.published_from) == ("2025-09-12", "text")


def test_sidecar_rows_are_found_by_path_then_by_name_and_the_given_one_wins(tmp_path):
    # a row by file name alone serves a file in a subfolder; of two rows for one file the later counts; the
    # sidecar given with --sources wins over the folder's own, row by row
    from checker.ingest import SourceRow
    from checker.pipeline import collect_inputs

    for name in ("a.txt", "b.txt", "c.txt", "sub/d.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,outlet,published\na.txt,Old,2024-01-01\nb.txt,Folder,2024-01-02\n"
                                          "a.txt,New,2024-01-03\nd.txt,By name,2024-01-04\n", encoding="utf-8")
    given = tmp_path.parent / f"{tmp_path.name}-given.csv"
    given.write_text("file,outlet,published\nb.txt,Given,2024-02-02\nsub/d.txt,Given path,2024-02-04\n",
                     encoding="utf-8")
    assert {f.doc: f.meta for f in collect_inputs([tmp_path])} == {
        "a.txt": SourceRow("New", "2024-01-03"), "b.txt": SourceRow("Folder", "2024-01-02"), "c.txt": None,
        "sub/d.txt": SourceRow("By name", "2024-01-04")}
    assert {f.doc: f.meta for f in collect_inputs([tmp_path], given)} == {
        "a.txt": SourceRow("New", "2024-01-03"), "b.txt": SourceRow("Given", "2024-02-02"), "c.txt": None,
        "sub/d.txt": SourceRow("Given path", "2024-02-04")}


def test_input_files_come_back_as_collected(tmp_path):
    # the run keeps its file list packed (paths, names and sources.csv rows as bytes): each file must come back
    # whole, a name that is not UTF-8 included, and a file the sidecar does not list without a row
    import os

    from checker.ingest import SourceRow
    from checker.pipeline import collect_inputs

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "w", encoding="utf-8") as f:
        f.write("x")
    (tmp_path / "sources.csv").write_text("file,outlet,published\nsub/a.txt,Wire,2024-10-18\nb.txt,,\n",
                                          encoding="utf-8")
    files = collect_inputs([tmp_path])
    assert [(f.doc, f.meta) for f in files] == [("b.txt", SourceRow("", "")), ("caf\ufffd.txt", None),
                                                ("sub/a.txt", SourceRow("Wire", "2024-10-18"))]
    assert [os.fsencode(f.path) for f in files] == [os.path.join(os.fsencode(tmp_path), n)
                                                    for n in (b"b.txt", b"caf\xe9.txt", b"sub/a.txt")]
    assert files[-1] == files[2] and len(files) == 3
    one = collect_inputs([tmp_path / "b.txt"])
    assert one[-1] == one[0] and [f.doc for f in reversed(files)] == ["sub/a.txt", "caf\ufffd.txt", "b.txt"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_line_weighs_its_printed_characters_a_cjk_one_twice(line):
    # what decides prose from furniture: every character that is not whitespace (U+3000 included) counts once,
    # and from the CJK blocks on (U+2E81) twice
    assert _weight(line) == sum(2 if ord(ch) > 0x2E80 else 1 for ch in line if not ch.isspace())


def test_each_offset_is_in_the_line_that_holds_it(tmp_path):
    """`zone_at` (the headline check and each claim's zone) answers from the lines' order: the zone whose line
    holds the offset, and none between lines, before the first or past the last."""
    p = tmp_path / "a.txt"
    p.write_text("\n\n标题：腾讯营收\n\n腾讯去年营收约1380亿元。\n\n  \n阅读 4.1万\n", encoding="utf-8")
    doc = read_document(p, "a.txt")
    for offset in range(-1, len(doc.text) + 2):
        holding = [z for z in doc.zones if z.start <= offset < z.end]
        assert doc.zone_at(offset) == (holding[0] if holding else None), offset
    assert len(doc.zones) >= 3 and any(b.start > a.end for a, b in zip(doc.zones, doc.zones[1:]))  # gaps between
