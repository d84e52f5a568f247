"""What a person sees, in headless Chromium (Debian's) driven by Playwright, against the real server."""
from __future__ import annotations

import pytest

from .conftest import CHROMIUM

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


def test_query_ui_runs_a_query_and_shows_rows(server, page):
    page.goto(server("/ui"))
    page.wait_for_selector(".yasqe .CodeMirror", timeout=15000)
    page.evaluate("""() => { const tab = window.__aigovYasgui.getTab();
        tab.setQuery('PREFIX aigov: <https://w3id.org/aigov/ontology#> SELECT ?j WHERE { ?j a aigov:Country } LIMIT 5'); }""")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr", timeout=15000)
    rows = page.locator(".yasr table tbody tr").count()
    assert rows == 5
    assert not page.errors, page.errors


def test_home_page_shows_the_timeline_chart(server, page):
    page.goto(server("/"))
    bars = page.locator("#timeline svg rect.bar")
    assert bars.count() > 10
    assert page.locator("#timeline svg title").first.text_content()
    assert "中国信息通信研究院" in page.content()


def test_resource_page_links_to_related_resources(server, page):
    page.goto(server("/id/instrument/eu-ai-act"))
    assert page.url.endswith("/page/id/instrument/eu-ai-act")
    assert page.locator("h1").text_content().strip() in ("Artificial Intelligence Act", "人工智能法")
    link = page.locator("a[href='/id/jurisdiction/eu']").first
    link.click()
    page.wait_for_url("**/page/id/jurisdiction/eu")
    assert page.locator("h1").text_content().strip() in ("European Union", "欧盟")


def test_query_page_parameter_change_redraws_table_and_chart_and_downloads_csv(server, page):
    page.goto(server("/queries/show-jurisdiction-timeline"))
    first_rows = page.locator("#results tbody tr").count()
    first_chart = page.locator("#chart svg").inner_html()
    assert first_rows > 0 and "rect" in first_chart
    page.fill("input[name=jurisdiction]", "https://w3id.org/aigov/id/jurisdiction/eu")
    page.click("form.params button[type=submit]")
    page.wait_for_url("**jurisdiction=*eu*")
    assert page.locator("#results tbody tr").count() != first_rows
    assert page.locator("#chart svg").inner_html() != first_chart
    with page.expect_download() as download_info:
        page.click("a.download:text('csv')")
    download = download_info.value
    assert download.suggested_filename == "show-jurisdiction-timeline-eu.csv"
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "a browser download carries a UTF-8 BOM, so Excel reads it as UTF-8"
    content = raw.decode("utf-8-sig")
    assert content.splitlines()[0].startswith("date") and "European Union" in content
