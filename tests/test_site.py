"""The analyst's site over HTTP (issue 12): search, parameters picked by name, language that sticks, exports.
Each test talks to the real server process; the browser side is in test_site_browser.py."""
from __future__ import annotations

import csv
import io

import pytest
import requests
from .http import http

EU_AI_ACT = "https://w3id.org/aigov/id/instrument/eu-ai-act"


def search(server, q: str, **params) -> list[dict]:
    response = http.get(server("/search.json"), params={"q": q, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


# --- search -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["欧盟人工智能法", "AI Act", "Artificial Intelligence Act", "2024/1689", "人工智能法"])
def test_search_puts_the_eu_ai_act_first(server, q):
    hits = search(server, q)
    assert hits and hits[0]["iri"] == EU_AI_ACT, [h["label"] for h in hits[:5]]


@pytest.mark.parametrize("q, iri", [
    ("14110", "instrument/us-eo-14110"),
    ("SB 1047", "instrument/us-ca-sb-1047"),
    ("sb1047", "instrument/us-ca-sb-1047"),
    ("GDPR", "instrument/eu-gdpr"),
    ("2338/2023", "instrument/br-ai-bill"),
    ("NIST", "body/us-nist"),
    ("韩国", "jurisdiction/kr"),
])
def test_search_finds_numbers_acronyms_and_chinese_names_first(server, q, iri):
    hits = search(server, q)
    assert hits and hits[0]["iri"].endswith(iri), [h["iri"] for h in hits[:5]]


def test_search_results_have_the_documented_fields_best_first(server):
    hits = search(server, "Korea")
    assert all(set(h) == {"iri", "label", "kind", "jurisdiction", "score"} for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_deepfake_finds_the_deepfake_bills_and_chinas_deep_synthesis_rules(server):
    iris = {h["iri"].rpartition("/id/")[2] for h in search(server, "deepfake", limit=50)}
    assert {"instrument/us-hi-election-deepfake-bill", "instrument/us-defiance-act",
            "instrument/cn-deep-synthesis-provisions", "topic/deepfakes"} <= iris


def test_a_latin_search_matches_whole_words_only(server):
    # "NIST" appears inside "Ministry": the ministries must not be found
    assert not any("Ministry" in h["label"] for h in search(server, "NIST", limit=50))


def test_search_labels_follow_the_page_language(server):
    assert search(server, "GDPR", lang="zh")[0]["label"] == "通用数据保护条例"
    assert search(server, "GDPR", lang="en")[0]["label"] == "General Data Protection Regulation"


def test_search_page_lists_links_and_every_page_has_a_search_box(server):
    html = http.get(server("/search"), params={"q": "欧盟人工智能法"}, timeout=30).text
    assert 'href="/id/instrument/eu-ai-act"' in html
    for path in ("/", "/queries", "/page/ontology", "/page/id/instrument/eu-ai-act", "/ui"):
        assert 'action="/search"' in http.get(server(path), timeout=30).text, path


def test_an_overlong_search_is_a_400(server):
    assert http.get(server("/search.json"), params={"q": "x" * 500}, timeout=30).status_code == 400


def test_the_build_writes_the_search_index_into_the_artefact(built):
    import hashlib
    import json

    path = built.artefact.directory / "search.json"
    assert built.artefact.manifest["files"]["search.json"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    docs = json.loads(path.read_text(encoding="utf-8"))["documents"]
    ai_act = next(d for d in docs if d["iri"] == EU_AI_ACT)
    assert {"Regulation (EU) 2024/1689", "AI Act", "欧盟《人工智能法》"} <= {f["text"] for f in ai_act["fields"]}


# --- parameters picked by name ------------------------------------------------------------------------------

def timeline_csv(server, jurisdiction: str) -> requests.Response:
    return http.get(server("/queries/show-jurisdiction-timeline.csv"),
                        params={"jurisdiction": jurisdiction, "bom": "0"}, timeout=30)


@pytest.mark.parametrize("value", ["Korea", "韩国", "Republic of Korea", "KR", "kr", "jur:kr", "jurisdiction/kr",
                                   "/id/jurisdiction/kr", "https://w3id.org/aigov/id/jurisdiction/kr"])
def test_an_iri_parameter_accepts_a_name_slug_prefixed_name_or_iri(server, value):
    by_iri = timeline_csv(server, "https://w3id.org/aigov/id/jurisdiction/kr")
    r = timeline_csv(server, value)
    assert r.status_code == 200, r.text
    assert r.text == by_iri.text and "Republic of Korea" in r.text


@pytest.mark.parametrize("value", ["Atlantis", "https://w3id.org/aigov/id/jurisdiction/atlantis",
                                   "https://w3id.org/aigov/id/instrument/eu-ai-act"])
def test_a_value_that_names_no_resource_of_the_class_is_a_400_not_an_empty_table(server, value):
    r = timeline_csv(server, value)
    assert r.status_code == 400 and "jurisdiction" in r.text


def test_an_ambiguous_name_is_a_400_listing_the_candidates(server):
    r = http.get(server("/queries/show-instrument-lifecycle.csv"), params={"instrument": "Executive Order"},
                     timeout=30)
    assert r.status_code == 400
    assert "us-eo-14110" in r.text and "us-eo-14148" in r.text


def test_the_query_form_offers_the_resources_of_the_parameters_class(server):
    html = http.get(server("/queries/show-jurisdiction-timeline"), headers={"Accept": "text/html"},
                        params={"lang": "en"}, timeout=30).text
    assert 'list="options-jurisdiction"' in html and '<option value="Republic of Korea">' in html
    assert '<option value="Artificial Intelligence Act"' not in html  # an instrument is not a jurisdiction
    zh = http.get(server("/queries/show-jurisdiction-timeline"), headers={"Accept": "text/html"},
                      params={"lang": "zh"}, timeout=30).text
    assert '<option value="韩国">' in zh


# --- language ------------------------------------------------------------------------------------------------

def test_saved_queries_have_chinese_titles_and_column_headers(server):
    r = http.get(server("/queries/show-jurisdiction-timeline"), params={"lang": "zh"},
                     headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200
    assert "<h1>某一法域及其下属法域的大事时间线</h1>" in r.text and ">日期</th>" in r.text
    listing = http.get(server("/queries"), params={"lang": "zh"}, timeout=30).text
    assert "某一文件的完整生命周期" in listing


def test_the_chosen_language_is_remembered_for_the_next_page(server):
    session = requests.Session()
    first = session.get(server("/page/id/jurisdiction/kr"), params={"lang": "zh"}, timeout=30)
    assert '<html lang="zh">' in first.text
    nxt = session.get(server("/page/id/instrument/kr-ai-basic-act"), timeout=30)
    assert '<html lang="zh">' in nxt.text and "人工智能发展与建立信任基本法" in nxt.text
    back = session.get(server("/queries"), params={"lang": "en"}, timeout=30)
    assert '<html lang="en">' in back.text
    assert '<html lang="en">' in session.get(server("/"), timeout=30).text


def test_a_bad_lang_is_a_400(server):
    assert http.get(server("/queries/show-jurisdiction-timeline"), params={"lang": "fr"},
                        headers={"Accept": "text/html"}, timeout=30).status_code == 400


# --- exports -------------------------------------------------------------------------------------------------

def test_a_csv_download_has_a_bom_and_a_name_after_the_query_and_its_parameters(server):
    r = http.get(server("/queries/show-jurisdiction-timeline.csv"), params={"jurisdiction": "Korea"}, timeout=30)
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="show-jurisdiction-timeline-Korea.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "date" and any("Republic of Korea" in row for row in rows)
    tools = http.get(server("/queries/show-jurisdiction-timeline.csv"),
                         params={"jurisdiction": "Korea", "bom": "0"}, timeout=30)
    assert tools.content == r.content[3:]


def test_a_chinese_parameter_value_names_the_file_with_rfc_6266_filename_star(server):
    r = http.get(server("/queries/show-jurisdiction-timeline.csv"), params={"jurisdiction": "韩国"}, timeout=30)
    assert "filename*=UTF-8''show-jurisdiction-timeline-%E9%9F%A9%E5%9B%BD.csv" in r.headers["Content-Disposition"]


def test_csv_by_content_negotiation_stays_byte_exact_without_a_bom(server):
    r = http.get(server("/queries/show-jurisdiction-timeline"), headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200 and r.content.startswith(b"date,")


def test_plain_tsv_has_text_values_not_rdf_terms(server):
    rdf = http.get(server("/queries/show-jurisdiction-timeline.tsv"), timeout=30).text
    plain = http.get(server("/queries/show-jurisdiction-timeline.tsv"), params={"plain": "1"}, timeout=30).text
    assert "@en" in rdf and rdf.startswith("?date")
    header, *rows = plain.splitlines()
    assert header.split("\t")[0] == "date"
    assert rows and all(len(r.split("\t")) == len(header.split("\t")) for r in rows)
    assert "@en" not in plain and "<https://" not in plain and '"' not in plain


def test_query_and_resource_pages_carry_a_cite_this_line(server):
    query = http.get(server("/queries/show-jurisdiction-timeline"), headers={"Accept": "text/html"},
                         timeout=30).text
    assert 'id="cite"' in query and "中国信息通信研究院" in query and "/queries/show-jurisdiction-timeline" in query
    version = http.get(server("/health"), timeout=30).headers["X-Aigov-Version"]
    assert version in query
    resource = http.get(server("/page/id/instrument/eu-ai-act"), params={"lang": "en"}, timeout=30).text
    cite = resource[resource.index('id="cite"'):]
    assert "1.1.1" in cite and "p. 1" in cite and version in cite and "/page/id/instrument/eu-ai-act" in cite


def test_instrument_page_opens_with_an_infobox_of_dates_and_delays_in_words(server):
    en = http.get(server("/page/id/instrument/eu-ai-act"), params={"lang": "en"}, timeout=30).text
    box = en[en.index('class="infobox"'):en.index("</aside>")]
    assert "Regulation (EU) 2024/1689" in box and "European Union" in box and "in force" in box
    assert '<time datetime="2024-08-01">' in box
    assert "6 months after entry into force" in box and "P6M" not in box
    assert box.index("1.1.1") < box.index("2.1")  # sections in the report's order
    zh = http.get(server("/page/id/instrument/eu-ai-act"), params={"lang": "zh"}, timeout=30).text
    assert "生效后6个月" in zh and "2024年8月1日" in zh


def test_property_table_names_every_predicate_and_tags_languages_only_side_by_side(server):
    html = http.get(server("/page/id/section/1-1-2"), params={"lang": "en"}, timeout=30).text
    table = html[html.index('class="properties"'):]
    assert ">dcterms:" not in table and ">skos:" not in table
    assert '<span class="lang">@' not in html


def test_jurisdiction_page_has_a_timeline_instruments_by_kind_and_bodies(server):
    html = http.get(server("/page/id/jurisdiction/kr"), params={"lang": "en"}, timeout=30).text
    overview = html[html.index('class="overview"'):]
    assert "Timeline" in overview and "Instruments by kind" in overview and "Bodies" in overview
    assert "/id/instrument/kr-ai-basic-act" in overview and "/id/body/kr-national-assembly" in overview


# --- browse --------------------------------------------------------------------------------------------------

def count_on(html: str) -> int:
    import re

    return int(re.search(r'id="item-count">(\d+) /', html).group(1))


def test_home_page_counts_lead_to_lists_and_jurisdiction_names_are_links(server):
    html = http.get(server("/"), params={"lang": "en"}, timeout=30).text
    for slug in ("instruments", "bodies", "jurisdictions", "meetings"):
        assert f'href="/browse/{slug}"' in html, slug
    assert '<a href="/id/jurisdiction/us">United States of America</a>' in html


@pytest.mark.parametrize("slug", ["instruments", "bodies", "jurisdictions", "meetings", "bills"])
def test_every_list_opens_and_its_rows_link_to_pages(server, slug):
    r = http.get(server(f"/browse/{slug}"), timeout=30)
    assert r.status_code == 200 and count_on(r.text) > 0 and 'href="/id/' in r.text


def test_list_filters_narrow_by_jurisdiction_including_places_within_it_topic_and_year(server, store):
    every = count_on(http.get(server("/browse/instruments"), timeout=30).text)
    us = http.get(server("/browse/instruments"),
                      params={"jurisdiction": "https://w3id.org/aigov/id/jurisdiction/us"}, timeout=30).text
    expected = store.query("""PREFIX aigov: <https://w3id.org/aigov/ontology#>
        SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a aigov:Instrument ; aigov:jurisdiction ?j .
        ?j aigov:withinJurisdiction* <https://w3id.org/aigov/id/jurisdiction/us> }""").rows[0][0]
    assert count_on(us) == int(expected.value) < every
    assert "/id/instrument/us-ca-sb-1047" in us  # a California bill is in the US list
    deepfakes = http.get(server("/browse/instruments"),
                             params={"topic": "https://w3id.org/aigov/id/topic/deepfakes"}, timeout=30).text
    assert "/id/instrument/cn-deep-synthesis-provisions" in deepfakes and "/id/instrument/eu-gdpr" not in deepfakes
    y2024 = http.get(server("/browse/bills"), params={"year": "2024"}, timeout=30).text
    assert 0 < count_on(y2024) < count_on(http.get(server("/browse/bills"), timeout=30).text)


def test_an_unknown_list_is_a_404_and_a_bad_year_a_400(server):
    assert http.get(server("/browse/unicorns"), timeout=30).status_code == 404
    assert http.get(server("/browse/meetings"), params={"year": "soon"}, timeout=30).status_code == 400


def test_chart_elements_open_what_they_count_and_legends_use_names(server):
    home = http.get(server("/"), params={"lang": "en"}, timeout=30).text
    assert '<a href="/browse/instruments?jurisdiction=https%3A%2F%2Fw3id.org%2Faigov%2Fid%2Fjurisdiction%2Fcn&amp;year=' in home
    network = http.get(server("/queries/map-influence-network"), headers={"Accept": "text/html"}, timeout=30).text
    chart = network[network.index('id="chart"'):network.index("</figure>")]
    assert ">European Union<" in chart and ">eu<" not in chart
    assert '<a href="/id/instrument/eu-ai-act">' in chart
