"""Resource pages show an instrument's relations with the report's words (issue 10): each relation row has its
quote and a link to its section, and a small diagram draws the one-hop neighbourhood by relation kind.

Against a real `aigov serve` over tests/data/relations.ttl (see test_relation_queries.py for the chain).
"""
from __future__ import annotations

import shutil
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from .conftest import start_server, stop_server
from .http import http

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def relations_server(relations_built):
    s = start_server(relations_built.artefact.directory.parent, {"AIGOV_RATE_LIMIT": "0"})
    yield s
    stop_server(s)


def page(server, instrument: str, lang: str = "en") -> BeautifulSoup:
    r = http.get(server(f"/id/instrument/{instrument}"), headers={"Accept": "text/html", "Accept-Language": lang},
                     timeout=30)
    assert r.status_code == 200 and r.url.endswith(f"/page/id/instrument/{instrument}")
    return BeautifulSoup(r.text, "html.parser")


def relation_rows(soup: BeautifulSoup) -> dict[str, dict]:
    rows = {}
    for tr in soup.select("table.relations tr.relation"):
        cells = tr.find_all("td")
        rows[cells[1].get_text(strip=True)] = {
            "relation": cells[0].get_text(" ", strip=True), "quote": cells[2].get_text(strip=True),
            "section": cells[3].a["href"], "section_text": cells[3].get_text(strip=True), "tr": tr}
    return rows


def test_each_relation_row_shows_its_quote_and_links_its_section(relations_server):
    rows = relation_rows(page(relations_server, "fixture-d"))
    assert set(rows) == {"Test Law C", "Test Code E (second draft)", "Test Law F"}
    assert rows["Test Law C"]["relation"] == "implemented by"
    assert rows["Test Law C"]["quote"] == "旨在落实第14110号行政令"
    assert rows["Test Law C"]["section"] == "/id/section/1-2-2"
    assert rows["Test Code E (second draft)"]["relation"] == "revised as"
    assert rows["Test Law F"]["quote"] == "目前经过2023年11月、2024年5月两次修订"


def test_the_section_link_leads_to_the_section_page(relations_server):
    row = relation_rows(page(relations_server, "fixture-d"))["Test Law C"]
    r = http.get(relations_server(row["section"]), headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200 and r.url.endswith("/page/id/section/1-2-2")
    assert BeautifulSoup(r.text, "html.parser").h1.get_text(strip=True) == row["section_text"]


def test_a_likeness_row_says_it_is_a_likeness(relations_server):
    rows = relation_rows(page(relations_server, "fixture-c"))
    assert rows["Test Law B"]["tr"].get("data-likeness") == "true"
    assert "a likeness" in rows["Test Law B"]["relation"]
    assert rows["Test Order D"]["tr"].get("data-likeness") is None


def test_the_diagram_draws_each_neighbour_under_its_kind_with_a_named_legend(relations_server):
    soup = page(relations_server, "fixture-a")
    svg = ElementTree.fromstring(str(soup.select_one("figure.neighbourhood svg")))
    edges = {(g.get("data-relation"), g.get("data-direction"), g.get("data-iri").rpartition("/")[2])
             for g in svg.iter(SVG + "g") if g.get("class") == "edge"}
    assert edges == {("inspired by", "out", "fixture-b"), ("establishes", "out", "fixture-office")}
    legend = {g.get("data-relation"): "".join(g.itertext()) for g in svg.iter(SVG + "g") if g.get("class") == "legend-kind"}
    assert legend == {"inspired by": "inspired by", "establishes": "establishes"}
    links = {a.get("href") for a in svg.iter(SVG + "a")}
    assert links == {"/id/instrument/fixture-b", "/id/body/fixture-office"}


def test_the_diagram_dashes_a_likeness_and_colours_each_kind_apart(relations_server):
    svg = ElementTree.fromstring(str(page(relations_server, "fixture-c").select_one("figure.neighbourhood svg")))
    lines = {g.get("data-relation"): g.find(SVG + "line") for g in svg.iter(SVG + "g") if g.get("class") == "edge"}
    assert lines["similar to"].get("stroke-dasharray") and not lines["implements"].get("stroke-dasharray")
    assert len({line.get("stroke") for line in lines.values()}) == len(lines)


def test_the_page_of_an_instrument_the_report_relates_to_nothing_has_no_relation_section(relations_server):
    # the fixture office is related (established by A), so use a report section: it has no relation statements
    r = http.get(relations_server("/page/id/section/2-5"), timeout=30)
    soup = BeautifulSoup(r.text, "html.parser")
    assert r.status_code == 200 and soup.select_one("section.relations") is None


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_the_diagram_is_readable_on_a_390_px_phone(relations_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox"])
        try:
            view = browser.new_page(viewport={"width": 390, "height": 844})
            view.goto(relations_server("/page/id/instrument/fixture-d?lang=zh"))
            box = view.locator("figure.neighbourhood svg").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            heights = view.evaluate("""() => [...document.querySelectorAll('figure.neighbourhood svg text')]
                .map(t => t.getBoundingClientRect().height)""")
            assert heights and min(heights) >= 10, heights  # 11 px text drawn at about 1:1, not shrunk
        finally:
            browser.close()
