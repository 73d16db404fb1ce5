"""The HTML report in a real browser (Playwright driving the system Chromium, /usr/bin/chromium)."""
import os
import re
import shutil
from pathlib import Path

import pytest

import checker
from checker.report import write_reports

from .conftest import ROOT, SEEDS, SHARED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: the README's test command installs it with apt")
        pytest.skip("no system Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, width=1280, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    events = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return page, events


@pytest.fixture(scope="module")
def seeds_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    return write_reports(checker.check([SEEDS]), out, "seeds", ["html"])["html"]


def test_seed_report_loads_offline_with_no_error_and_no_request(browser, seeds_html):
    page, events = open_page(browser, seeds_html)
    assert events["errors"] == []
    assert [u for u in events["requests"] if not u.startswith("file:")] == []
    assert page.locator(".card.warning, .card.conflict").count() == 3
    text = page.locator("#findings ~ .card").all_inner_texts()
    joined = "\n".join(text)
    for needle in ("140亿美元", "1570亿美元", "1380 亿美元"):
        assert needle in joined


# whether the page's own font draws a CJK character as itself: two different characters drawn alike, or like a
# private-use character that no font has, are the empty boxes of a missing font
GLYPHS_DRAWN = """() => {
  const font = getComputedStyle(document.body).fontFamily;
  const draw = (ch) => { const c = document.createElement("canvas"); c.width = c.height = 48;
    const g = c.getContext("2d"); g.font = "40px " + font; g.fillText(ch, 2, 40);
    return Array.from(g.getImageData(0, 0, 48, 48).data).join(","); };
  const none = draw("\\ue000");
  return ["中", "文", "億", "あ", "円"].map((ch) => [ch, draw(ch) !== none && draw(ch) !== draw("中" === ch ? "文" : "中")]);
}"""


@pytest.fixture(scope="module")
def dev_html(tmp_path_factory):
    folder = SHARED / "dev" / "articles"
    if not folder.is_dir():
        pytest.skip("the dev set is not beside this checkout")
    return write_reports(checker.check([folder]), tmp_path_factory.mktemp("dev"), "dev", ["html"])["html"]


@pytest.mark.parametrize("report", ["seeds", "dev"])
@pytest.mark.parametrize("width", [1400, 390])
def test_screenshots_at_desktop_and_phone_width_with_cjk_drawn(browser, request, report, width):
    """Screenshots an editor (and a reviewer of a change) can look at, in reports/; the CJK text in them is
    drawn by a real font, not as boxes (the README's test command installs fonts-noto-cjk)."""
    page, events = open_page(browser, request.getfixturevalue(f"{report}_html"), width=width, height=900)
    assert events["errors"] == []
    assert dict(page.evaluate(GLYPHS_DRAWN)) == {ch: True for ch in "中文億あ円"}
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling of the page
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    page.screenshot(path=str(reports / f"{report}-{width}.png"), full_page=True)


def test_at_phone_width_the_claim_table_scrolls_in_its_box_and_breaks_no_word(browser, dev_html):
    page, _ = open_page(browser, dev_html, width=390, height=844)
    wrap = page.locator(".claims-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the table scrolls sideways inside its box
    broken = page.locator("#claims td, #claims th").evaluate_all(
        "cells => cells.filter(c => c.textContent.trim() && c.getClientRects()[0].height > "
        "2 * parseFloat(getComputedStyle(c).lineHeight)).map(c => c.textContent)")
    assert broken == []  # every cell on one line: "warning", never "w/ar/ni/ng"


def test_cards_and_charts_speak_in_words_and_label_every_point(browser, seeds_html):
    page, _ = open_page(browser, seeds_html)
    for text in page.locator(".card").all_inner_texts():
        assert not re.search(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text), text  # no compute_spend, no investment_total
        assert ".txt" not in text.split("\n")[0]
    charts = page.locator("#charts ~ .charts figure")
    assert charts.count() >= 1
    for figure in charts.all():
        caption = figure.locator("figcaption").inner_text()
        assert caption and "|" not in caption
        points, labels = figure.locator("circle.dot").count(), figure.locator("text.point").all_text_contents()
        assert points == len(labels) >= 2 and all(" · " in t for t in labels)
        box = figure.locator("svg").bounding_box()
        assert box["width"] > 200


def test_filters_hide_and_show_cards(browser, seeds_html):
    page, _ = open_page(browser, seeds_html)
    warnings = page.locator(".card.warning")
    assert warnings.first.is_visible()
    page.locator("input[data-severity=warning]").uncheck()
    assert all(not w.is_visible() for w in warnings.all())
    assert page.locator(".card.info").first.is_visible()
    page.locator("input[data-severity=warning]").check()
    assert all(w.is_visible() for w in warnings.all())
    page.select_option("#f-metric", "valuation")
    visible = [c for c in page.locator(".card").all() if c.is_visible()]
    assert len(visible) == 1 and "valuation" in visible[0].inner_text()
    page.select_option("#claim-filters select[data-col=lang]", "ja")
    rows = [r for r in page.locator("#claims tbody tr").all() if r.is_visible()]
    assert rows and all(r.get_attribute("data-lang") == "ja" for r in rows)


def test_the_claim_table_sorts_by_value(browser, seeds_html):
    page, _ = open_page(browser, seeds_html)
    page.locator("#claims th", has_text="value").click()
    values = [float(v) for v in page.locator("#claims tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => c.dataset.v)")]
    assert values == sorted(values)


def test_report_reads_without_javascript(browser, seeds_html):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(seeds_html.resolve().as_uri())
    assert page.locator(".card.warning").count() == 3 and page.locator(".card.warning").first.is_visible()
    assert not page.locator("#filters").is_visible()  # controls that need JS are not shown without it
    ctx.close()


HOSTILE = """<script>window.__pwned = 1; alert('x')</script>微软宣布投资<img src=x onerror="window.__pwned=2">100亿美元。
</script><script>window.__pwned = 3</script> 链接 <a href="javascript:alert(1)">点我</a> \u202e反转文字\u202c OpenAI估值达到1570亿美元。
""" + "长" * 10000 + "。"


def test_a_hostile_article_renders_as_text(browser, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    (docs / "sources.csv").write_text("file,outlet,published\nevil.txt,<b onmouseover=alert(1)>Evil</b>,2024-10-19\n",
                                      encoding="utf-8")
    html = write_reports(checker.check([docs]), tmp_path / "out", "evil", ["html"])["html"]
    page, events = open_page(browser, html)
    page.locator("details summary").first.click()
    assert page.evaluate("window.__pwned") is None
    assert events["dialogs"] == [] and events["errors"] == []
    assert [u for u in events["requests"] if not u.startswith("file:")] == []
    body = page.locator("body").inner_text()
    assert "<script>window.__pwned = 1; alert('x')</script>" in body
    assert 'onerror="window.__pwned=2"' in body and "<b onmouseover=alert(1)>Evil</b>" in body
    assert page.locator("a[href^='javascript:']").count() == 0


def test_a_large_run_s_pages_open_offline_and_their_filters_work(browser, tmp_path, monkeypatch, seeds_result):
    from checker import report
    monkeypatch.setattr(report, "PAGED_AFTER", 2)
    main = report.write_reports(seeds_result, tmp_path, "seeds", ["html", "json"])["html"]
    page, events = open_page(browser, main)
    page.locator("a[href$='claims.html']").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("seeds.files/claims.html")
    page.select_option("#claim-filters select[data-col=lang]", "ja")
    rows = [r for r in page.locator("#claims tbody tr").all() if r.is_visible()]
    assert rows and all(r.get_attribute("data-lang") == "ja" for r in rows)
    rows[0].locator("a").click()  # a figure leads to its document's own page
    page.wait_for_load_state("load")
    assert page.locator(".doctext").is_visible() and page.locator(".doctext span.claim").count() > 0
    assert events["errors"] == [] and [u for u in events["requests"] if not u.startswith("file:")] == []


@pytest.fixture
def serve_desk(tmp_path):
    """Starts `check serve` over a folder of sources, on a free port of this machine; stopped after the test."""
    from checker.serve import Desk, serve_in_thread
    stops = []

    def start(sources: Path) -> str:
        desk = Desk([sources], tmp_path / f"desk-{len(stops)}")
        desk.work.mkdir()
        url, stop = serve_in_thread(desk)
        stops.append(stop)
        return url
    yield start
    for stop in stops:
        stop()


@pytest.fixture
def desk_url(tmp_path, serve_desk):
    sources = tmp_path / "sources"
    shutil.copytree(SEEDS, sources)
    return serve_desk(sources), sources


@pytest.mark.parametrize("draft", ["微软2019年向OpenAI投资20亿美元。", "Microsoft invested $2 billion in OpenAI in 2019."])
def test_the_desk_judges_a_pasted_draft_and_keeps_the_editor_s_decision(browser, desk_url, draft):
    import yaml
    url, sources = desk_url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.fill("#draft-text", draft)
    page.click("text=Check the draft")
    page.wait_for_url("**/draft/*")
    card = page.locator("section.verdict[data-verdict=contradicted]")
    assert card.count() == 1 and re.search(r"10 ?亿美元", card.inner_text())  # the sources' figure beside the draft's
    verdict_id = card.locator("code").first.inner_text()
    card.locator("input[name=by]").fill("Li Wei")
    card.locator("button[value=accepted]").click()
    page.wait_for_load_state("load")
    assert verdict_id in page.locator(".note").inner_text()
    assert {"id": verdict_id, "status": "accepted", "by": "Li Wei"} in \
        yaml.safe_load((sources / "reviews.yml").read_text(encoding="utf-8"))["reviews"]
    page.reload()
    assert page.locator("section.verdict.reviewed[data-verdict=contradicted]").count() == 1
    assert errors == []


def test_the_desk_refuses_a_binary_and_a_too_large_upload_and_goes_on(browser, desk_url, tmp_path):
    from checker.serve import UPLOAD_LIMIT
    url, _ = desk_url
    page = browser.new_page()
    page.goto(url)
    upload = page.locator("form[action='/upload']")
    for name, data, says in [("blob.txt", bytes(range(256)) * 40, "binary file"),
                             ("big.txt", b"a" * (UPLOAD_LIMIT + 1), "larger than")]:
        (tmp_path / name).write_bytes(data)
        upload.locator("input[type=file]").set_input_files(str(tmp_path / name))
        upload.locator("button").click()
        page.wait_for_load_state("load")
        assert says in page.locator(".note").inner_text()
        upload = page.locator("form[action='/upload']")
    page.goto(url)
    assert page.locator("#draft-text").is_visible()  # still answering


def test_the_desk_merges_two_organisations_and_the_finding_appears(browser, serve_desk, tmp_path):
    sources = tmp_path / "two"
    sources.mkdir()
    (sources / "a.txt").write_text("澄光能源集团2024年营收为10亿元。", encoding="utf-8")
    (sources / "b.txt").write_text("Blue Whale Energy Group reported revenue of 2 billion yuan in 2024.", encoding="utf-8")
    page = browser.new_page()
    page.goto(serve_desk(sources))
    assert page.locator(".card.conflict").count() == 0
    form = page.locator("form.entities")
    form.locator("select[name=a]").select_option(label="澄光能源集团")
    form.locator("select[name=b]").select_option(label="Blue Whale Energy Group")
    form.locator("button[value=same]").click()
    page.wait_for_load_state("load")
    assert page.locator(".card.conflict").count() == 1 and "10亿元" in page.locator(".card.conflict").inner_text()
