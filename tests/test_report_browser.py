"""The HTML report in a real browser (Playwright driving the system Chromium, /usr/bin/chromium)."""
import os
import shutil
from pathlib import Path

import pytest

import checker
from checker.report import write_reports

from .conftest import ROOT, SEEDS

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
    # screenshots an editor (and a reviewer of this change) can look at
    reports = ROOT / "reports"
    reports.mkdir(exist_ok=True)
    page.screenshot(path=str(reports / "seeds-desktop.png"), full_page=True)
    narrow, _ = open_page(browser, seeds_html, width=390, height=844)
    narrow.screenshot(path=str(reports / "seeds-narrow.png"), full_page=True)
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling


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
