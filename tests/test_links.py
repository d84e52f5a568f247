"""External links derived by published rules at build time (server/aigov/pipeline/links.py)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDFS, Graph, Literal, Namespace, URIRef

from aigov.errors import DataError
from aigov.pipeline.links import derived_links, eurlex_url, op_country

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ID = "https://w3id.org/aigov/id/"
OP = "http://publications.europa.eu/resource/authority/country/"


def test_eurlex_page_from_celex():
    assert eurlex_url("32024R1689") == URIRef("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689")
    assert eurlex_url("32024L2853").endswith("CELEX:32024L2853")


@pytest.mark.parametrize("bad", ["2024/1689", "32024R1689; DROP", "", "Regulation (EU) 2024/1689"])
def test_something_that_is_no_celex_number_is_refused(bad):
    with pytest.raises(ValueError):
        eurlex_url(bad)


@pytest.mark.parametrize("alpha2, alpha3", [("FR", "FRA"), ("GR", "GRC"), ("GB", "GBR"), ("KR", "KOR"), ("US", "USA"),
                                            ("ZW", "ZWE")])
def test_op_country_concept_from_alpha2(alpha2, alpha3):
    assert op_country(alpha2) == URIRef(OP + alpha3)


@pytest.mark.parametrize("code", ["EU", "US-CA", "CN-HK", "XX", "fr"])
def test_no_country_concept_for_the_eu_subdivisions_or_unknown_codes(code):
    assert op_country(code) is None


def test_a_malformed_celex_in_the_data_fails_the_build_naming_the_resource():
    data = Graph()
    data.add((URIRef(ID + "instrument/x"), AIGOV.celexNumber, Literal("2024/1689")))
    with pytest.raises(DataError) as e:
        derived_links(data)
    assert "instrument/x" in e.value.message


def test_the_built_graph_links_acts_to_eurlex_and_countries_to_the_op_authority(store):
    inferred = store.graph_iris["inferred"]
    def objects(subject, predicate):
        q = f"SELECT ?o WHERE {{ GRAPH <{inferred}> {{ ?s <{predicate}> ?o }} }}"
        return {o.value for (o,) in store.query(q, bindings={"s": ox.NamedNode(ID + subject)}).rows}
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689" in objects("instrument/eu-ai-act", RDFS.seeAlso)
    assert objects("jurisdiction/fr", SKOS.exactMatch) == {OP + "FRA"}
    assert objects("jurisdiction/eu", SKOS.exactMatch) == set()
    assert objects("jurisdiction/us-ca", SKOS.exactMatch) == set()
    # every act with a CELEX number, and every country, gets its link
    celex = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/aigov/ontology#celexNumber> ?c }").rows[0][0]
    pages = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{inferred}> {{ ?s <{RDFS.seeAlso}> ?o "
                        "FILTER(STRSTARTS(STR(?o), 'https://eur-lex.europa.eu/')) } }").rows[0][0]
    assert int(celex.value) == int(pages.value) > 5


def test_nobody_types_the_derived_links_by_hand(root):
    from aigov.pipeline.load import parse_turtle

    data = Graph()
    for f in sorted((root / "graph").glob("*.ttl")):
        parse_turtle(f, into=data)
    typed = [o for o in data.objects() if str(o).startswith(("https://eur-lex.europa.eu/", OP))]
    assert not typed, f"derived at build time (pipeline/links.py), not typed: {typed[:3]}"
