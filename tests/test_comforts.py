"""Researcher comforts, against the real server: compact JSON-LD with a published @context, per-kind prefixes
usable undeclared, prefixed names on the ontology page, resolvable ontology IRIs, truncation said in-band."""
from __future__ import annotations

import json
import re

import pytest
import requests
from rdflib import OWL, RDF, Graph, Namespace, URIRef

from .conftest import ROOT, start_server, stop_server
from .http import http

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
BASE = "https://w3id.org/aigov/"
AI_ACT = URIRef(BASE + "id/instrument/eu-ai-act")


def sparql_json(server, query: str, **kwargs) -> dict:
    response = http.post(server("/sparql"), data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_context_is_published_with_every_kind_prefix(server):
    response = http.get(server("/context.jsonld"), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    context = response.json()["@context"]
    # the prefixes the Turtle files in graph/ declare, read from the files themselves
    declared = {}
    for f in (ROOT / "graph").rglob("*.ttl"):
        declared.update(re.findall(r"@prefix (\w+): <(https://w3id\.org/aigov/id/[^>]+)>", f.read_text(encoding="utf-8")))
    assert declared and all(context.get(p) == ns for p, ns in declared.items()), declared


@pytest.mark.parametrize("path, accept", [
    ("/data/id/instrument/eu-ai-act.jsonld", None),
    ("/id/instrument/eu-ai-act", "application/ld+json"),
    ("/sparql?query=" + requests.utils.quote("CONSTRUCT { inst:eu-ai-act ?p ?o } WHERE { inst:eu-ai-act ?p ?o }"),
     "application/ld+json"),
    ("/data/ontology.jsonld", None),
])
def test_json_ld_documents_are_compact_and_refer_to_the_published_context(server, path, accept):
    headers = {"Accept": accept} if accept else {}
    response = http.get(server(path), headers=headers, timeout=30)
    assert response.status_code == 200
    document = response.json()
    assert document["@context"] == server("/context.jsonld")
    assert '"inst:eu-ai-act"' in response.text or "aigov:" in response.text  # compacted IRIs, not full ones
    # rdflib fetches the context from the server and reads the same triples as the Turtle document
    graph = Graph().parse(data=response.text, format="json-ld", publicID=server(path))
    assert len(graph) > 5
    turtle_path = path.replace(".jsonld", ".ttl") if path.endswith(".jsonld") else None
    if turtle_path:
        turtle = Graph().parse(data=http.get(server(turtle_path), timeout=30).text, format="turtle")
        assert {t for t in graph} == {t for t in turtle}


def test_the_embedded_json_ld_of_a_page_refers_to_the_context(server):
    html = http.get(server("/page/id/instrument/eu-ai-act"), timeout=30).text
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(script)["@context"] == server("/context.jsonld")


def test_a_kind_prefix_works_in_a_query_that_does_not_declare_it(server):
    result = sparql_json(server, "SELECT ?label WHERE { inst:eu-ai-act rdfs:label ?label FILTER(LANG(?label) = 'en') }")
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Artificial Intelligence Act"]


def test_a_query_may_redeclare_a_known_prefix(server):
    result = sparql_json(server, "PREFIX inst: <https://w3id.org/aigov/id/body/> ASK { inst:eu-ai-office ?p ?o }")
    assert result["boolean"] is True


def test_a_syntax_error_keeps_the_line_the_client_wrote(server):
    response = http.post(server("/sparql"), data={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }"}, timeout=30)
    assert response.status_code == 400
    assert "3:" in response.text and "4:" not in response.text.split("3:")[0][-5:]


def test_the_service_description_declares_the_prefixes(server):
    graph = Graph().parse(data=http.get(server("/sparql"), headers={"Accept": "text/turtle"}, timeout=30).text,
                          format="turtle")
    declared = {str(graph.value(d, SH.prefix)): str(graph.value(d, SH.namespace)) for d in graph.objects(None, SH.declare)}
    assert declared["inst"] == BASE + "id/instrument/"
    assert declared["jur"] == BASE + "id/jurisdiction/"
    assert declared["aigov"] == str(AIGOV)
    # and what it declares, the endpoint accepts
    for prefix in ("body", "jur", "event", "sec", "topic"):
        sparql_json(server, f"ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR({prefix}:))) }}")


def test_the_query_ui_config_has_the_kind_prefixes(server):
    body = http.get(server("/ui/config.js"), timeout=10).text
    config = json.loads(body.removeprefix("window.AIGOV_UI = ").rstrip().rstrip(";"))
    assert config["prefixes"]["inst"] == BASE + "id/instrument/"
    assert config["prefixes"]["sec"] == BASE + "id/section/"


def test_the_ontology_page_shows_every_term_as_a_prefixed_name(server):
    html = http.get(server("/page/ontology?lang=en"), timeout=30).text
    names = re.findall(r"<code>([^<]*)</code>", html) + re.findall(r'<a href="[^"]*">([^<]*)</a>', html)
    terms = [n for n in names if n and not n.startswith(("http", "/", "Turtle")) and " " not in n]
    assert "prov:Agent" in terms and "aigov:Law" in terms
    words = re.findall(r"<dd>(.*?)</dd>", html, re.S)
    for dd in words:
        for name in re.findall(r">([^<>]+)</a>", dd):
            assert ":" in name, f"bare term name {name!r} on the ontology page"
    assert "<code>inst:</code>" in html


def test_every_iri_the_ontology_names_for_itself_resolves(server):
    ontology = Graph().parse(ROOT / "ontology" / "aigov.ttl")
    onto = URIRef(BASE + "ontology")
    own = {onto, ontology.value(onto, OWL.versionIRI)} | {
        o for o in ontology.objects(onto, None) if isinstance(o, URIRef) and str(o).startswith(BASE)}
    assert URIRef(BASE + "ontology/0.2.0") in own
    for iri in own:
        path = "/" + str(iri)[len(BASE):]
        for accept in ("text/turtle", "text/html"):
            response = http.get(server(path), headers={"Accept": accept}, allow_redirects=False, timeout=30)
            assert response.status_code in (200, 303), (iri, accept, response.status_code)
            final = http.get(server(path), headers={"Accept": accept}, timeout=30)
            assert final.status_code == 200, (iri, accept)
    versioned = Graph().parse(data=http.get(server("/ontology/0.2.0"), headers={"Accept": "text/turtle"},
                                                 timeout=30).text, format="turtle")
    assert (onto, RDF.type, OWL.Ontology) in versioned


def test_an_unknown_ontology_version_is_404(server):
    assert http.get(server("/ontology/9.9.9"), timeout=10).status_code == 404


@pytest.fixture(scope="module")
def capped_server(built):
    s = start_server(built.artefact.directory.parent, {"AIGOV_RATE_LIMIT": "0", "AIGOV_MAX_ROWS": "5"})
    yield s
    stop_server(s)


def test_a_row_capped_json_result_says_so_in_head_link(capped_server):
    response = http.post(capped_server("/sparql"), data={"query": "SELECT ?s WHERE { ?s a aigov:Instrument }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.headers.get("X-Aigov-Truncated", "").startswith("true")
    body = response.json()
    assert len(body["results"]["bindings"]) == 5
    [link] = body["head"]["link"]
    assert link == capped_server("/sparql#max-rows")
    described = Graph().parse(data=http.get(link.split("#")[0], headers={"Accept": "text/turtle"}, timeout=30).text,
                              format="turtle")
    assert "5" in {str(o) for o in described.objects(URIRef(link), RDF.value)}
    uncut = http.post(capped_server("/sparql"), data={"query": "SELECT ?s WHERE { inst:eu-ai-act a ?s } LIMIT 1"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
    assert "link" not in uncut["head"]


@pytest.mark.browser
def test_a_query_typed_in_the_ui_may_use_inst_without_declaring_it(server):
    """Typed as a researcher would, with no PREFIX line at all, in headless Debian chromium."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(server("/ui"))
            page.wait_for_selector(".yasqe .CodeMirror", timeout=15000)
            page.evaluate("""() => { window.__aigovYasgui.getTab().setQuery(
                'SELECT ?date WHERE { ?e aigov:concerns inst:eu-ai-act ; a aigov:Adoption ; aigov:date ?date }'); }""")
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr table tbody tr", timeout=15000)
            assert "2024-05-21" in page.locator(".yasr table tbody").inner_text()
        finally:
            browser.close()
