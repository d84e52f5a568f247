"""The SPARQL 1.1 Protocol against the real server process, read back with real clients.

Test names follow the W3C protocol test suite's cases (sparql11/protocol/manifest.ttl) where one applies.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from .http import TIMEOUT, http

AIGOV = "https://w3id.org/aigov/ontology#"
COUNT_JURISDICTIONS = f"PREFIX aigov: <{AIGOV}> SELECT (COUNT(?j) AS ?n) WHERE {{ ?j a aigov:Country }}"
LABELS = (f"PREFIX aigov: <{AIGOV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?j ?label WHERE { ?j a aigov:Country ; rdfs:label ?label } ORDER BY ?j ?label")
SRX = "{http://www.w3.org/2005/sparql-results#}"


def countries(store) -> int:
    return int(store.query(COUNT_JURISDICTIONS).rows[0][0].value)


def client(server, fmt, method="GET"):
    sparql = SPARQLWrapper(server("/sparql"))
    sparql.setTimeout(TIMEOUT)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_get_and_post_form_with_sparqlwrapper_json(server, store, method):
    sparql = client(server, JSON, method)
    sparql.setQuery(COUNT_JURISDICTIONS)
    result = sparql.queryAndConvert()
    assert int(result["results"]["bindings"][0]["n"]["value"]) == countries(store) > 10


def test_query_post_direct_body(server, store):
    r = http.post(server("/sparql"), data=COUNT_JURISDICTIONS.encode(),
                      headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == countries(store)


def test_select_in_xml_csv_and_tsv_carry_the_same_rows(server):
    sparql = client(server, JSON)
    sparql.setQuery(LABELS)
    expected = [(b["j"]["value"], b["label"]["value"]) for b in sparql.queryAndConvert()["results"]["bindings"]]
    assert len(expected) > 20

    sparql.setReturnFormat(XML)
    doc = sparql.queryAndConvert()  # a minidom Document
    xml_rows = []
    for result in doc.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.nodeValue for b in result.getElementsByTagName("binding")}
        xml_rows.append((values["j"], values["label"]))
    assert xml_rows == expected

    sparql.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(sparql.queryAndConvert().decode("utf-8"))))
    assert rows[0] == ["j", "label"] and [tuple(r) for r in rows[1:]] == expected

    sparql.setReturnFormat(TSV)
    lines = sparql.queryAndConvert().decode("utf-8").splitlines()
    assert lines[0] == "?j\t?label"
    assert lines[1].split("\t")[0] == f"<{expected[0][0]}>"
    assert len(lines) - 1 == len(expected)


def test_rdflib_parses_our_json_and_xml_results(server):
    from rdflib.query import Result

    for media, fmt in (("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml")):
        r = http.get(server("/sparql"), params={"query": LABELS}, headers={"Accept": media})
        parsed = Result.parse(io.BytesIO(r.content), format=fmt)
        assert len(list(parsed)) > 20


def test_ask_in_json_and_xml(server):
    r = http.get(server("/sparql"), params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    r = http.get(server("/sparql"), params={"query": "ASK { <urn:x> <urn:y> <urn:z> }"},
                     headers={"Accept": "application/sparql-results+xml"})
    assert ET.fromstring(r.content).find(f"{SRX}boolean").text == "false"


@pytest.mark.parametrize("media,rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"), ("application/trig", "trig"), ("application/n-quads", "nquads")])
def test_construct_in_every_rdf_format(server, media, rdflib_format):
    query = f"PREFIX aigov: <{AIGOV}> CONSTRUCT {{ ?j a aigov:Country }} WHERE {{ ?j a aigov:Country }}"
    r = http.get(server("/sparql"), params={"query": query}, headers={"Accept": media})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media)
    g = Graph()
    g.parse(data=r.content, format=rdflib_format)
    assert len(g) > 20


def test_accept_q_values_choose_the_preferred_format(server):
    r = http.get(server("/sparql"), params={"query": "ASK {}"},
                     headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml"})
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert r.headers["Vary"] == "Accept"


def test_format_parameter_overrides_accept_for_browsers(server):
    r = http.get(server("/sparql"), params={"query": "ASK {}", "format": "csv"}, headers={"Accept": "text/html"})
    assert r.headers["Content-Type"].startswith("text/csv")


def test_unsatisfiable_accept_is_406(server):
    r = http.get(server("/sparql"), params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "image/png" in r.text


def test_bad_query_syntax_is_400_with_the_parser_position(server):
    r = http.get(server("/sparql"), params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "1:" in r.text and "syntax" in r.text.lower()


def test_query_given_twice_is_400(server):
    r = http.get(server("/sparql") + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400 and "exactly once" in r.text
    r = http.post(server("/sparql") + "?query=ASK%7B%7D", data="ASK {}",
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "both in the body and in the 'query' parameter" in r.text


@pytest.mark.parametrize("body,content_type", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
    ("update=INSERT%20DATA%20%7B%20%3Curn%3Aa%3E%20%3Curn%3Ab%3E%20%3Curn%3Ac%3E%20%7D",
     "application/x-www-form-urlencoded"),
    ("DROP ALL", "application/sparql-query")])
def test_updates_are_refused_with_403(server, body, content_type):
    r = http.post(server("/sparql"), data=body, headers={"Content-Type": content_type})
    assert r.status_code == 403 and "read-only" in r.text


def test_unsupported_content_type_is_415(server):
    r = http.post(server("/sparql"), data="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "unsupported Content-Type 'text/plain'" in r.text


def test_non_utf8_body_is_400(server):
    r = http.post(server("/sparql"), data=b"ASK { \xff\xfe }", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.text


def test_cors_on_responses_and_preflight(server):
    r = http.get(server("/sparql"), params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = http.options(server("/sparql"), headers={"Origin": "https://example.org",
                                                     "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code == 204
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_default_graph_uri_narrows_to_asserted_data(server, store):
    inferred_only = (f"PREFIX aigov: <{AIGOV}> ASK {{ <https://w3id.org/aigov/id/jurisdiction/cn> "
                     "aigov:containsJurisdiction <https://w3id.org/aigov/id/jurisdiction/cn-wuhu> }")
    union = http.get(server("/sparql"), params={"query": inferred_only}, headers={"Accept": "application/json"})
    assert union.json()["boolean"] is True
    data_only = http.get(server("/sparql"), params={"query": inferred_only,
                                                        "default-graph-uri": store.graph_iris["data"]},
                             headers={"Accept": "application/json"})
    assert data_only.json()["boolean"] is False
    no_entailment = http.get(server("/sparql"), params={"query": inferred_only, "entailment": "none"},
                                 headers={"Accept": "application/json"})
    assert no_entailment.json()["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(server, store):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = http.get(server("/sparql"), params={"query": query, "named-graph-uri": store.graph_iris["ontology"]},
                     headers={"Accept": "application/json"})
    graphs = {b["g"]["value"] for b in r.json()["results"]["bindings"]}
    assert graphs == {store.graph_iris["ontology"]}


def test_service_description_parses_and_states_the_truth(server, store):
    r = http.get(server("/sparql"), headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    SD = "http://www.w3.org/ns/sparql-service-description#"
    rows = g.query(f"""PREFIX sd: <{SD}> PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?name ?n WHERE {{ ?s sd:defaultDataset/sd:namedGraph ?ng . ?ng sd:name ?name ; sd:graph/void:triples ?n }}""")
    counts = {str(name): int(n) for name, n in rows}
    assert set(counts) == set(store.graph_iris.values())
    for name, iri in store.graph_iris.items():
        real = http.get(server("/sparql"), params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"},
                            headers={"Accept": "application/json"}).json()
        assert counts[iri] == int(real["results"]["bindings"][0]["n"]["value"])
    from rdflib import URIRef

    assert set(g.objects(None, URIRef(SD + "endpoint"))) == {URIRef(server("/sparql"))}
    assert URIRef(SD + "SPARQL11Query") in set(g.objects(None, URIRef(SD + "supportedLanguage")))


def test_service_description_in_json_ld(server):
    r = http.get(server("/sparql"), headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=r.text, format="json-ld")) > 10


def test_browser_without_query_goes_to_the_ui(server):
    r = http.get(server("/sparql"), headers={"Accept": "text/html,application/xhtml+xml"}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/ui")


def test_head_answers_like_get_without_a_body(server):
    params = {"query": LABELS}
    headers = {"Accept": "text/csv"}
    get = http.get(server("/sparql"), params=params, headers=headers)
    head = http.head(server("/sparql"), params=params, headers=headers)
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.content == b""


def test_form_post_without_query_is_400_naming_it(server, store):
    r = http.post(server("/sparql"), data={"default-graph-uri": store.graph_iris["data"]},
                      headers={"Accept": "text/turtle"})
    assert r.status_code == 400 and "'query'" in r.text


def test_relative_iris_resolve_against_the_endpoint_url(server):
    # the W3C protocol suite's CONSTRUCT with relative IRIs: the endpoint URL is the base
    r = http.get(server("/sparql"), params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    (s, p, o), = Graph().parse(data=r.text, format="nt")
    assert (str(s), str(p), int(o)) == (server("/s"), server("/p"), 1)


def _count(server, query, **params):
    r = http.get(server("/sparql"), params={"query": query, **params}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_from_in_the_query_defines_the_default_graph(server, store):
    ontology, data = store.graph_iris["ontology"], store.graph_iris["data"]
    union = _count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    in_ontology = _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}")
    assert in_ontology == store.triple_count(ontology) < union
    # the protocol's default-graph-uri overrides the query's FROM
    overridden = _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}",
                        **{"default-graph-uri": data})
    assert overridden == store.triple_count(data)


def test_from_named_in_the_query_defines_the_named_graphs(server, store):
    ontology, data = store.graph_iris["ontology"], store.graph_iris["data"]
    query = f"SELECT DISTINCT ?g FROM NAMED <{ontology}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"

    def graphs(**params):
        r = http.get(server("/sparql"), params={"query": query, **params}, headers={"Accept": "application/json"})
        return {b["g"]["value"] for b in r.json()["results"]["bindings"]}

    assert graphs() == {ontology}
    assert graphs(**{"named-graph-uri": data}) == {data}


def test_the_word_from_in_strings_iris_and_comments_is_not_a_dataset_clause(server):
    union = _count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    sneaky = ('PREFIX from: <urn:from#> SELECT (COUNT(*) AS ?n) # FROM <urn:x>\n'
              'WHERE { ?s ?p ?o FILTER(?o != "FROM <urn:y>" && ?p != <urn:FROM> && ?p != from:from) }')
    assert _count(server, sneaky) == union
