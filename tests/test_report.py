"""The machine result is written in pieces (a large run is never held whole as text); the pieces must add up
to exactly the result."""
import json

import checker.report as report


def test_json_written_in_pieces_is_the_result(seeds_result):
    written = json.loads("".join(report.iter_json(seeds_result)))
    assert written == json.loads(json.dumps(report.result_dict(seeds_result)))
    assert len(written["claims"]) == len(seeds_result.claims_list) > 0


def test_csv_written_in_pieces_equals_one_table(seeds_result):
    whole = report.render_csv(seeds_result)
    pieces = list(report.iter_csv(seeds_result))
    assert len(pieces) > 1 and "".join(pieces) == whole
    assert whole.count("\n") == len(seeds_result.claims_list) + 1


def test_csv_is_the_claim_table_as_pandas_writes_it(seeds_result):
    from checker.claims import claim_table
    table = claim_table(seeds_result.claims_list, [r.header for r in seeds_result.records()])
    table["parties"] = table["parties"].map(";".join)
    table["facets"] = table["facets"].map(lambda d: ";".join(f"{k}={v}" for k, v in d.items()))
    assert report.render_csv(seeds_result) == table.to_csv(index=False, lineterminator="\n")


def test_texts_are_not_held_after_analysis_and_reports_read_them_again(tmp_path):
    import checker
    html = ("<html><head><title>融资</title></head><body><p>微软2019年向OpenAI投资10亿美元。</p>"
            "<p>另据报道，微软2019年向OpenAI投资20亿美元。</p></body></html>")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.txt").write_text("微软2019年向OpenAI投资10亿美元。\n", encoding="gb18030")
    result = checker.check([tmp_path])
    assert all(d.text is None and d.sentences == [] for d in result.documents_list)
    data = json.loads(report.render_json(result))
    extracted = next(d for d in data["documents"] if d["doc"] == "a.html")
    from checker.ingest import to_shown
    for c in (c for c in data["claims"] if c["doc"] == "a.html"):
        assert html[c["start"]:c["end"]] == c["text"]  # offsets index the page as decoded
        start, end = to_shown([tuple(r) for r in extracted["source_map"]], c["start"], c["end"])
        assert extracted["text"][start:end] == c["text"]  # the text read again is the one analysed
    assert "另据报道" in report.render_html(result)
    (tmp_path / "a.html").write_text(html.replace("10亿", "30亿"), encoding="utf-8")
    page = report.render_html(result)  # changed since: never shown with offsets into another text
    assert "is not shown: changed since it was read" in page and "30亿" not in page
    again = json.loads(report.render_json(result))  # the JSON holds the text as analysed, written then
    assert next(d for d in again["documents"] if d["doc"] == "a.html")["text"] == extracted["text"]
