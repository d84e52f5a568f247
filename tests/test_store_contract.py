"""One contract, two stores: the embedded Oxigraph store and a real `oxigraph serve` reached over the SPARQL
1.1 Protocol (loaded with `aigov publish`, so this is also the publish round trip). Same answers, compared as
sets of rows and as isomorphic graphs."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from aigov.canned import Registry
from aigov.canned import run as run_saved
from aigov.describe import describe_triples
from aigov.store.remote import RemoteStore

from .conftest import ROOT

BASE = "https://w3id.org/aigov/"
AIGOV = "https://w3id.org/aigov/ontology#"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def any_store(request, store, oxigraph_server):
    if request.param == "embedded":
        return store
    return RemoteStore(oxigraph_server + "/query", BASE)


def rows(result) -> set:
    return {tuple(str(t) if t is not None else None for t in row) for row in result.rows}


def as_rdflib(triples) -> Graph:
    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def test_select_with_labels_in_both_languages(any_store, store):
    q = f"PREFIX aigov: <{AIGOV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
        "SELECT ?i ?l WHERE { ?i a aigov:Law ; rdfs:label ?l }"
    assert rows(any_store.query(q)) == rows(store.query(q)) and len(rows(store.query(q))) > 20


def test_inferences_are_in_the_default_graph(any_store):
    q = f"PREFIX aigov: <{AIGOV}> ASK WHERE {{ <{BASE}id/jurisdiction/cn> aigov:containsJurisdiction <{BASE}id/jurisdiction/cn-wuhu> }}"
    assert any_store.query(q).boolean is True


def test_default_graph_can_be_narrowed_to_the_asserted_data(any_store):
    q = f"PREFIX aigov: <{AIGOV}> ASK WHERE {{ <{BASE}id/jurisdiction/cn> aigov:containsJurisdiction <{BASE}id/jurisdiction/cn-wuhu> }}"
    assert any_store.query(q, default_graphs=[any_store.graph_iris["data"]]).boolean is False


def test_graph_counts_agree(any_store, store):
    for name, iri in store.graph_iris.items():
        assert any_store.triple_count(iri) == store.triple_count(iri) > 0


def test_construct_is_isomorphic(any_store, store):
    q = f"PREFIX aigov: <{AIGOV}> CONSTRUCT {{ ?a aigov:repeals ?b }} WHERE {{ ?a aigov:repeals ?b }}"
    mine, theirs = as_rdflib(store.query(q).triples), as_rdflib(any_store.query(q).triples)
    assert len(mine) > 0 and isomorphic(mine, theirs)


def test_describe_a_resource_is_isomorphic(any_store, store):
    iri = BASE + "id/instrument/eu-ai-act"
    assert isomorphic(as_rdflib(describe_triples(any_store, iri)), as_rdflib(describe_triples(store, iri)))


def test_bound_parameters_and_row_limit(any_store):
    q = f"PREFIX aigov: <{AIGOV}> SELECT ?i WHERE {{ ?i aigov:jurisdiction ?j }} ORDER BY ?i"
    result = any_store.query(q, bindings={"j": ox.NamedNode(BASE + "id/jurisdiction/eu")}, max_rows=3)
    assert len(result.rows) == 3 and result.truncated


@pytest.mark.parametrize("name", [q.name for q in Registry.load(ROOT / "queries")])
def test_saved_queries_answer_alike(any_store, store, name):
    saved = Registry.load(ROOT / "queries").get(name)
    assert rows(run_saved(any_store, saved, {}, BASE)) == rows(run_saved(store, saved, {}, BASE))


def test_syntax_errors_are_bad_requests(any_store):
    from aigov.errors import BadRequest

    with pytest.raises(BadRequest):
        any_store.query("SELECT * WHERE { ?s ?p }")


def test_the_whole_app_serves_from_a_remote_store(built, oxigraph_server):
    import requests

    from .conftest import start_server, stop_server

    server = start_server(built.artefact.directory.parent, {"AIGOV_STORE": oxigraph_server + "/query"})
    try:
        health = requests.get(server("/health")).json()
        assert health["store"] == "remote" and health["triples"] > 1000
        r = requests.get(server("/sparql"), params={"query": f"PREFIX aigov: <{AIGOV}> ASK {{ ?s a aigov:Law }}"},
                         headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is True
        page = requests.get(server("/id/instrument/eu-ai-act"), headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Artificial Intelligence Act" in page.text
        assert requests.get(server("/queries/instruments-influenced-by.csv")).text.count("\n") > 1
    finally:
        stop_server(server)
