"""One contract, two stores: the embedded Oxigraph store and a real `oxigraph serve` reached over the SPARQL
1.1 Protocol (loaded with `aigov publish`, so this is also the publish round trip). Same answers, compared as
sets of rows and as isomorphic graphs."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from aigov.canned import Registry
from aigov.canned import run as run_saved
from aigov.describe import describe_triples
from aigov.store.remote import RemoteStore

from .conftest import ROOT
from .http import http

BASE = "https://w3id.org/aigov/"
AIGOV = "https://w3id.org/aigov/ontology#"


@pytest.fixture(scope="module")
def remote(oxigraph_server):
    return RemoteStore(oxigraph_server + "/query", BASE)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def any_store(request, store, remote):
    return store if request.param == "embedded" else remote


@pytest.fixture(scope="module")
def artefact(built) -> Dataset:
    """The independent expectation: the artefact's N-Quads read by rdflib, not by either store."""
    d = Dataset()
    d.parse(built.artefact.directory / "kg.nq", format="nquads")
    return d


def rows(result) -> set:
    return {tuple(str(t) if t is not None else None for t in row) for row in result.rows}


def as_rdflib(triples) -> Graph:
    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


@pytest.fixture(scope="module")
def union(artefact) -> Graph:
    """The union of the artefact's graphs, the dataset the stores' default graph is."""
    g = Graph()
    for s, p, o, _ in artefact.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def rdflib_rows(union: Graph, query: str) -> set:
    """Rows of a query answered by rdflib, in N-Triples term syntax (as str() of a pyoxigraph term)."""
    return {tuple(t.n3() if t is not None else None for t in row) for row in union.query(query)}


LABELS = (f"PREFIX aigov: <{AIGOV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?i ?l WHERE { ?i a aigov:Law ; rdfs:label ?l }")


def test_select_with_labels_in_both_languages(any_store, union):
    expected = rdflib_rows(union, LABELS)
    assert len(expected) > 20 and any('"@zh' in l for _, l in expected) and any('"@en' in l for _, l in expected)
    assert rows(any_store.query(LABELS)) == expected


def test_inferences_are_in_the_default_graph(any_store):
    q = f"PREFIX aigov: <{AIGOV}> ASK WHERE {{ <{BASE}id/jurisdiction/cn> aigov:containsJurisdiction <{BASE}id/jurisdiction/cn-wuhu> }}"
    assert any_store.query(q).boolean is True


def test_default_graph_can_be_narrowed_to_the_asserted_data(any_store):
    q = f"PREFIX aigov: <{AIGOV}> ASK WHERE {{ <{BASE}id/jurisdiction/cn> aigov:containsJurisdiction <{BASE}id/jurisdiction/cn-wuhu> }}"
    assert any_store.query(q, default_graphs=[any_store.graph_iris["data"]]).boolean is False


def test_graph_counts_agree_with_the_artefact(any_store, artefact, built):
    graphs = built.artefact.manifest["graphs"]
    assert {g["iri"] for g in graphs.values()} == set(any_store.graph_iris.values())
    for name, iri in any_store.graph_iris.items():
        expected = len(artefact.graph(URIRef(iri)))
        assert expected > 0 and any_store.triple_count(iri) == expected, name


def test_construct_matches_the_artefact(any_store, artefact):
    q = f"PREFIX aigov: <{AIGOV}> CONSTRUCT {{ ?a aigov:repeals ?b }} WHERE {{ ?a aigov:repeals ?b }}"
    expected = Graph()
    for s, p, o, _ in artefact.quads((None, URIRef(AIGOV + "repeals"), None, None)):
        expected.add((s, p, o))
    assert len(expected) > 0 and isomorphic(as_rdflib(any_store.query(q).triples), expected)


def test_describe_a_resource_is_the_same_on_both_stores(store, remote):
    iri = BASE + "id/instrument/eu-ai-act"
    mine, theirs = as_rdflib(describe_triples(store, iri)), as_rdflib(describe_triples(remote, iri))
    assert len(mine) > 10 and isomorphic(mine, theirs)
    assert (URIRef(iri), RDF.type, URIRef(AIGOV + "Law")) in mine


def test_bound_parameters_and_row_limit(any_store):
    q = f"PREFIX aigov: <{AIGOV}> SELECT ?i WHERE {{ ?i aigov:jurisdiction ?j }} ORDER BY ?i"
    result = any_store.query(q, bindings={"j": ox.NamedNode(BASE + "id/jurisdiction/eu")}, max_rows=3)
    assert len(result.rows) == 3 and result.truncated
    assert all(str(i).startswith(f"<{BASE}id/") for (i,) in result.rows)


@pytest.mark.parametrize("name", [q.name for q in Registry.load(ROOT / "queries")])
def test_saved_queries_answer_alike_on_both_stores(store, remote, name):
    """The embedded store against the other backend (oxigraph serve over HTTP); the goldens pin the embedded."""
    saved = Registry.load(ROOT / "queries").get(name)
    assert rows(run_saved(remote, saved, {}, BASE)) == rows(run_saved(store, saved, {}, BASE))


def test_syntax_errors_are_bad_requests(any_store):
    from aigov.errors import BadRequest

    with pytest.raises(BadRequest, match="(?i)syntax|parse|expected"):
        any_store.query("SELECT * WHERE { ?s ?p }")


def test_the_whole_app_serves_from_a_remote_store(built, oxigraph_server):

    from .conftest import start_server, stop_server

    server = start_server(built.artefact.directory.parent, {"AIGOV_STORE": oxigraph_server + "/query"})
    try:
        health = http.get(server("/health")).json()
        assert health["store"] == "remote" and health["triples"] > 1000
        r = http.get(server("/sparql"), params={"query": f"PREFIX aigov: <{AIGOV}> ASK {{ ?s a aigov:Law }}"},
                         headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is True
        page = http.get(server("/id/instrument/eu-ai-act"), headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Artificial Intelligence Act" in page.text
        assert http.get(server("/queries/instruments-influenced-by.csv")).text.count("\n") > 1
    finally:
        stop_server(server)
