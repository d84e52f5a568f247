"""Dereferencing: /id/... answers 303 to /page/... or /data/....ext by Accept; documents parse; caching works."""
from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from .http import http

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
AI_ACT = "https://w3id.org/aigov/id/instrument/eu-ai-act"
CHINA = "https://w3id.org/aigov/id/jurisdiction/cn"


@pytest.mark.parametrize("accept,target,rdflib_format", [
    ("text/turtle", "/data/id/jurisdiction/cn.ttl", "turtle"),
    ("application/ld+json", "/data/id/jurisdiction/cn.jsonld", "json-ld"),
    ("application/rdf+xml", "/data/id/jurisdiction/cn.rdf", "xml"),
    ("application/n-triples", "/data/id/jurisdiction/cn.nt", "nt"),
])
def test_id_redirects_303_to_the_data_document_in_the_negotiated_format(server, accept, target, rdflib_format):
    r = http.get(server("/id/jurisdiction/cn"), headers={"Accept": accept}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == target
    assert "Accept" in r.headers["Vary"]
    assert 'rel="alternate"' in r.headers["Link"]
    doc = http.get(server(target))
    g = Graph().parse(data=doc.content, format=rdflib_format)
    assert (URIRef(CHINA), RDF.type, AIGOV.Country) in g


def test_browsers_are_sent_to_the_html_page(server):
    r = http.get(server("/id/jurisdiction/cn"), headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                     allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/page/id/jurisdiction/cn"


def test_rdflib_dereferences_an_iri_through_the_redirect(server):
    g = Graph()  # rdflib fetches with urllib: bounded by the socket default timeout that conftest sets
    g.parse(server("/id/jurisdiction/cn"))
    assert (URIRef(CHINA), AIGOV.isoCode, None) in g


def test_data_document_includes_incoming_links(server):
    g = Graph().parse(data=http.get(server("/data/id/jurisdiction/cn.ttl")).text, format="turtle")
    assert list(g.subjects(AIGOV.jurisdiction, URIRef(CHINA))), "instruments of China should point at it"


def test_html_page_shows_labels_in_the_chosen_language_and_embeds_json_ld(server):
    zh = http.get(server("/page/id/jurisdiction/cn"), headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "<h1>中国</h1>" in zh.text and zh.headers["Content-Language"] == "zh"
    en = http.get(server("/page/id/jurisdiction/cn?lang=en"))
    assert "<h1>China</h1>" in en.text
    start = en.text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    embedded = en.text[start:en.text.index("</script>", start)]
    assert len(Graph().parse(data=embedded, format="json-ld")) > 3


def test_dates_show_at_their_precision(server):
    page = http.get(server("/page/id/event/eu-ai-act-entry-into-force")).text
    assert 'datetime="2024-08-01" data-precision="day"' in page


def test_unknown_iri_is_a_helpful_404(server):
    r = http.get(server("/id/instrument/no-such-law"), headers={"Accept": "text/html"})
    assert r.status_code == 404 and "/ui" in r.text and "<h1>404" in r.text
    r = http.get(server("/data/id/instrument/no-such-law.ttl"))
    assert r.status_code == 404 and "no-such-law> is not in the graph" in r.text


def test_ontology_iri_serves_rdf_and_html_documentation_with_term_anchors(server):
    r = http.get(server("/ontology"), headers={"Accept": "text/turtle"}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/data/ontology.ttl"
    g = Graph().parse(data=http.get(server("/data/ontology.ttl")).text, format="turtle")
    assert (URIRef("https://w3id.org/aigov/ontology"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in g
    html = http.get(server("/ontology"), headers={"Accept": "text/html"}).text
    assert 'id="Instrument"' in html and 'id="inspiredBy"' in html


def test_conditional_get_answers_304_for_the_same_build(server):
    first = http.get(server("/page/id/jurisdiction/cn"))
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = http.get(server("/page/id/jurisdiction/cn"), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    since = http.get(server("/page/id/jurisdiction/cn"), headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = http.get(server("/page/id/jurisdiction/cn"), headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_void_parses_and_its_counts_match_count_queries(server):
    r = http.get(server("/.well-known/void"), headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    VOID = Namespace("http://rdfs.org/ns/void#")
    dataset = URIRef("https://w3id.org/aigov/dataset")
    triples = int(g.value(dataset, VOID.triples))
    real = http.get(server("/sparql"), params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/json"}).json()
    assert triples == int(real["results"]["bindings"][0]["n"]["value"])
    partitions = {str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities)) for p in g.objects(dataset, VOID.classPartition)}
    q = "PREFIX aigov: <https://w3id.org/aigov/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a aigov:Instrument }"
    n = http.get(server("/sparql"), params={"query": q}, headers={"Accept": "application/json"}).json()
    assert partitions[str(AIGOV.Instrument)] == int(n["results"]["bindings"][0]["n"]["value"]) > 50
    assert set(g.objects(dataset, VOID.sparqlEndpoint)) == {URIRef(server("/sparql"))}
    assert len(set(g.objects(dataset, VOID.dataDump))) == 4  # ttl, nq, jsonld and the release .nq.gz


def test_every_response_links_to_the_void_description(server):
    r = http.get(server("/health"))
    assert '</.well-known/void>; rel="describedby"' in r.headers["Link"]


@pytest.fixture(scope="module")
def artefact_counts(built) -> tuple[int, int]:
    """(quads, distinct triples of the union) of the build's kg.nq, read by pyoxigraph's parser, not the server."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(built.artefact.quads_path), format=ox.RdfFormat.N_QUADS))
    return len(quads), len({(q.subject, q.predicate, q.object) for q in quads})


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_dumps_hold_every_triple_of_the_build(server, store, artefact_counts, ext, fmt):
    from rdflib import Dataset

    r = http.get(server(f"/dumps/aigov.{ext}"))
    assert r.status_code == 200
    d = Dataset()
    d.parse(data=r.content, format=fmt)
    quads, triples = artefact_counts
    if ext == "nq":  # the named graphs as built
        assert sum(1 for _ in d.quads()) == quads == store.triple_count()
    else:  # one graph: the union, each triple once
        assert len({(s, p, o) for s, p, o, _ in d.quads()}) == triples


def metric(text: str, name: str, **labels) -> float:
    """The sum of a metric's samples whose labels include ``labels`` (0 when there are none yet)."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())


def test_health_and_metrics_that_move(server, store):
    health = http.get(server("/health")).json()
    assert health["status"] == "ok" and health["version"] == store.version and health["triples"] == store.triple_count()
    before = http.get(server("/metrics")).text
    for _ in range(3):
        assert http.get(server("/sparql"), params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    after = http.get(server("/metrics")).text
    assert metric(after, "aigov_sparql_queries_total") >= metric(before, "aigov_sparql_queries_total") + 3
    assert metric(after, "aigov_http_requests_total", status="200") >= metric(before, "aigov_http_requests_total", status="200") + 3
    # the latency histogram: its count moves, and its +Inf bucket holds every observation
    count = metric(after, "aigov_http_request_seconds_count")
    assert count >= metric(before, "aigov_http_request_seconds_count") + 3
    assert metric(after, "aigov_http_request_seconds_bucket", le="+Inf") == count
    assert 0 < metric(after, "aigov_http_request_seconds_bucket", le="30.0") <= count


@pytest.mark.parametrize("name", ["data", "ontology", "inferred"])
def test_a_named_graph_document_holds_exactly_that_graph(server, store, name):
    r = http.get(server(f"/graph/{name}"), headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="nt")
    assert len(g) == store.triple_count(store.graph_iris[name]) > 0


def test_an_unknown_named_graph_is_a_404_listing_the_graphs(server):
    r = http.get(server("/graph/nope"))
    assert r.status_code == 404 and "there is no graph named 'nope'" in r.text and "data" in r.text


def test_void_is_also_dcat_with_one_distribution_per_dump(server):
    DCAT = Namespace("http://www.w3.org/ns/dcat#")
    g = Graph().parse(data=http.get(server("/.well-known/void"), headers={"Accept": "text/turtle"}).text, format="turtle")
    dataset = URIRef("https://w3id.org/aigov/dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in g
    from aigov.version import __version__

    downloads = {str(g.value(d, DCAT.downloadURL)): str(g.value(d, DCAT.compressFormat) or g.value(d, DCAT.mediaType))
                 for d in g.objects(dataset, DCAT.distribution)}
    assert set(downloads) == {server(f"/dumps/aigov.{ext}") for ext in ("ttl", "nq", "jsonld")} | {
        server(f"/dumps/aigov-{__version__}.nq.gz")}
    for url, media in downloads.items():  # the release dump's Content-Type is its compression format
        r = http.get(url)
        assert r.status_code == 200 and media.endswith("/" + r.headers["Content-Type"].split(";")[0])


def test_the_release_dump_is_gzipped_n_quads_with_its_checksum_and_described_in_void(server, store):
    import gzip
    import hashlib

    from rdflib import Dataset

    from aigov.version import __version__

    health = http.get(server("/health")).json()
    assert health["release"] == __version__ and health["data_version"].startswith("caict-2025/")
    body = http.get(server(f"/dumps/aigov-{__version__}.nq.gz")).content
    checksum = http.get(server(f"/dumps/aigov-{__version__}.nq.gz.sha256")).text
    assert checksum.split()[0] == hashlib.sha256(body).hexdigest()
    ds = Dataset()
    ds.parse(data=gzip.decompress(body), format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == store.triple_count()
    assert http.get(server("/dumps/aigov-0.0.1.nq.gz")).status_code == 404
    void = Graph().parse(data=http.get(server("/.well-known/void"), headers={"Accept": "text/turtle"}).text,
                         format="turtle")
    DCAT = Namespace("http://www.w3.org/ns/dcat#")
    urls = {str(u) for u in void.objects(None, DCAT.downloadURL)}
    assert server(f"/dumps/aigov-{__version__}.nq.gz") in urls
