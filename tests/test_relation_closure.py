"""Transitive closure must not turn a comparison into an influence claim (issue 10).

tests/data/relations.ttl holds a chain that mixes kinds: A inspiredBy B, B similarTo C, C implements D. The
ontology puts inspiredBy and implements under the transitive aigov:influencedBy and keeps similarTo out of it,
so the real reasoner must give A influencedBy B and C influencedBy D, and nothing across the likeness.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from aigov.canned import Registry, run
from aigov.pipeline.load import parse_turtle
from aigov.pipeline.reason import infer

ROOT = Path(__file__).resolve().parents[1]
AIGOV = Namespace("https://w3id.org/aigov/ontology#")
INST = Namespace("https://w3id.org/aigov/id/instrument/")
PROV = Namespace("http://www.w3.org/ns/prov#")
A, B, C, D = INST["fixture-a"], INST["fixture-b"], INST["fixture-c"], INST["fixture-d"]


@pytest.fixture(scope="module")
def closure() -> Graph:
    ontology = parse_turtle(ROOT / "ontology" / "aigov.ttl")
    data = parse_turtle(Path(__file__).parent / "data" / "relations.ttl")
    return ontology + data + infer(ontology, data)


def test_the_fixture_chain_mixes_influence_and_likeness(closure):
    assert (A, AIGOV.inspiredBy, B) in closure and (B, AIGOV.similarTo, C) in closure
    assert (C, AIGOV.implements, D) in closure


def test_influence_is_entailed_along_influence_links(closure):
    assert (A, AIGOV.influencedBy, B) in closure
    assert (C, AIGOV.influencedBy, D) in closure
    assert (A, PROV.wasInfluencedBy, B) in closure


@pytest.mark.parametrize("subject,target", [(A, C), (A, D), (B, C), (B, D), (C, B)],
                         ids=["A-C", "A-D", "B-C", "B-D", "C-B"])
def test_influence_never_crosses_a_likeness(closure, subject, target):
    assert (subject, AIGOV.influencedBy, target) not in closure
    assert (subject, PROV.wasInfluencedBy, target) not in closure


def test_a_likeness_stays_a_symmetric_comparison(closure):
    assert (C, AIGOV.similarTo, B) in closure
    assert (A, AIGOV.similarTo, C) not in closure


def test_the_saved_query_labels_the_likeness_row_as_a_likeness(relations_store):
    query = Registry.load(ROOT / "queries").get("instruments-influenced-by")
    result = run(relations_store, query, {"instrument": str(B)}, "https://w3id.org/aigov/")
    col = {v: i for i, v in enumerate(result.variables)}
    kinds = {(r[col["source"]].value, r[col["relation"]].value): r[col["link"]].value for r in result.rows}
    assert kinds == {(str(A), str(AIGOV.inspiredBy)): "direct", (str(C), str(AIGOV.similarTo)): "likeness"}
