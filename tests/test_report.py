"""The machine result is written in pieces (a large run is never held whole as text); the pieces must add up
to exactly the result."""
import json
import math
import re

import pytest
from hypothesis import assume, given, strategies as st

import checker.report as report
from checker import view


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
    assert report.render_csv(seeds_result) == table.to_csv(index=False, lineterminator="\r\n")


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


@pytest.mark.parametrize("low, high, ticks", [
    (0, 14e9, [0, 5e9, 10e9, 15e9]),
    (0, 157e9, [0, 50e9, 100e9, 150e9, 200e9]),
    (0, 6.6e9, [0, 2e9, 4e9, 6e9, 8e9]),
    (2013, 2017, [2013, 2014, 2015, 2016, 2017]),
    (-3.5, 12, [-5, 0, 5, 10, 15]),
])
def test_axis_ticks_are_round_and_cover_the_values_from_the_floor(low, high, ticks):
    assert view.round_ticks(low, high) == pytest.approx(ticks)


@given(st.floats(0, 1e13), st.floats(1e-3, 1e13))
def test_any_range_gets_a_few_round_ticks_around_it(low, width):
    assume(width >= low * 1e-4)  # narrower ranges are widened before (`chart`): float steps lose their digits
    ticks = view.round_ticks(low, low + width)
    step = ticks[1] - ticks[0]
    assert ticks[0] <= low and ticks[-1] >= (low + width) * (1 - 1e-9) and 2 <= len(ticks) <= 7
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(abs(mantissa - m) < 1e-6 for m in (1, 2, 2.5, 5, 10))


def claim(kind, value, low=None, high=None, as_of="2024-06", doc="a.txt", unit="USD"):
    return {"id": f"{doc}:{value}", "doc": doc, "kind": kind, "value": value, "low": low or value,
            "high": high or value, "unit": unit, "as_of": as_of, "text": str(value)}


def test_amounts_start_at_zero_and_years_at_the_earliest():
    assert view.chart_floor([claim("money", 13e9), claim("money", 14e9)]) == 0
    assert view.chart_floor([claim("year", 2015, unit=""), claim("year", 2016, unit="")]) == 2015
    svg = view.chart("valuation", [claim("money", 157e9, as_of="2024-10", doc="a"),
                                   claim("money", 110e9, as_of="2026-02", doc="b")], {"a": "Outlet A", "b": "Outlet B"})
    ticks = re.findall(r'class="tick"[^>]*>([^<]+)<', svg)
    assert ticks[:5] == ["US$0", "US$50B", "US$100B", "US$150B", "US$200B"]
    assert ticks[5:] == ["2024-10", "2026-02"]  # two dates, two different labels
    assert re.findall(r'class="point"[^>]*>([^<]+)<', svg) == ["Outlet A · US$157B", "Outlet B · US$110B"]


def test_the_report_speaks_the_language_asked_for(seeds_result):
    zh = report.render_html(seeds_result, lang="zh")
    assert '<html lang="zh">' in zh and "数字核查" in zh and "估值" in zh and "下一步" in zh
    ja = report.render_html(seeds_result, lang="ja")
    assert "数値チェック" in ja and "評価額" in ja
    en = report.render_html(seeds_result)
    assert "Claim check" in en and "valuation" in en and "compute_spend" not in en.split("<script>")[0].split(
        'id="claim-table"')[0].split("data:application/json")[0]


def test_a_large_run_writes_pages_beside_its_report_and_replaces_them_whole(tmp_path, monkeypatch, seeds_result):
    from html.parser import HTMLParser
    monkeypatch.setattr(report, "PAGED_AFTER", 2)  # the seeds' five documents count as a large run here
    out = tmp_path / "out"
    (out / "seeds.files").mkdir(parents=True)
    (out / "seeds.files" / "stale.html").write_text("from a run before", encoding="utf-8")
    report.write_reports(seeds_result, out, "seeds", ["html", "json", "csv"])
    folder = out / "seeds.files"
    pages = sorted(p.name for p in folder.iterdir())
    assert "stale.html" not in pages and "claims.html" in pages
    assert len(pages) == len(seeds_result.documents_list) + 1

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            self.hrefs += [v for k, v in attrs if k == "href" and v and not v.startswith("#")]
    main = (out / "seeds.html").read_text(encoding="utf-8")
    links = Links()
    links.feed(main)
    assert {"seeds.json", "seeds.csv", "seeds.files/claims.html"} <= set(links.hrefs)
    assert all((out / h).is_file() for h in links.hrefs)  # every link of the page leads to a page that is there
    assert "data:application/json" not in main and "140亿美元" in main  # the findings' cards are on it
    claims_page = (folder / "claims.html").read_text(encoding="utf-8")
    assert claims_page.count("<tr data-metric") == len(seeds_result.claims_list)
    doc = next(p for p in folder.iterdir() if p.name != "claims.html").read_text(encoding="utf-8")
    assert '<details open>' in doc and 'class="claim' in doc and "../seeds.html" in doc


def test_a_second_run_on_the_same_out_waits_and_deletes_nothing_of_the_first(tmp_path, seeds_result):
    import threading
    inside, release, survived = threading.Event(), threading.Event(), []
    in_progress = tmp_path / ".seeds.json.first.tmp"

    def first():
        with report._writing(tmp_path, "seeds"):
            in_progress.write_text("being written", encoding="utf-8")
            inside.set()
            release.wait(30)
            survived.append(in_progress.exists())
            in_progress.unlink()

    one = threading.Thread(target=first)
    one.start()
    assert inside.wait(30)
    two = threading.Thread(target=report.write_reports, args=(seeds_result, tmp_path, "seeds", ["json"]))
    two.start()
    two.join(0.5)
    assert two.is_alive() and not (tmp_path / "seeds.json").exists()  # the second waits for the first
    release.set()
    one.join()
    two.join()
    assert survived == [True]  # its cleanup of killed runs' files never touched a running one's
    assert json.loads((tmp_path / "seeds.json").read_text(encoding="utf-8"))["documents"]


def test_what_a_killed_run_left_half_written_is_cleared_by_the_next(tmp_path, seeds_result):
    (tmp_path / ".seeds.json.killed.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".seeds.files.killed").mkdir()
    report.write_reports(seeds_result, tmp_path, "seeds", ["json"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".seeds.lock", "seeds.json"]


def test_the_formats_of_a_run_replace_the_last_run_s_together_or_not_at_all(tmp_path, seeds_result, monkeypatch):
    report.write_reports(seeds_result, tmp_path, "seeds", ["json", "csv", "html"])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.startswith(".")}

    def killed(result):
        raise KeyboardInterrupt  # the run stopped after its JSON was rendered, before its CSV was
    monkeypatch.setitem(report.WRITERS, "json", lambda result: '{"a": "newer run"}')
    monkeypatch.setitem(report.WRITERS, "csv", killed)
    with pytest.raises(KeyboardInterrupt):
        report.write_reports(seeds_result, tmp_path, "seeds", ["json", "csv", "html"])
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.startswith(".")}
    assert after == before  # the last run's three files, none of this one's
    assert not list(tmp_path.glob(".seeds.*.tmp"))


def test_a_large_runs_claim_rows_read_as_their_dicts(seeds_result):
    """The main page of a large run holds claims as tuples (`view.Shown`, `view.Charted`): every read the page
    makes of a claim dict gives the same from them."""
    from checker.rows import claim_json
    for c in seeds_result.claims_list:
        row = claim_json(c)
        shown, charted = view.Shown.of(row), view.Charted.of(row)
        assert {**shown} == row and list(shown.keys()) == list(row)
        assert all(charted[k] == row[k] and charted.get(k) == row[k] for k in view.Charted.FIELDS)
        assert shown.get("no such field", "none") == "none" and shown[0] == row["id"]
