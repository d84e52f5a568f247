"""Each shape catches its bad fixture, and says which rule fired; the good fixture raises nothing.

Warnings count as firing (the severity is the shape's business). Fixtures live in tests/shapes/: ``valid.ttl``,
``<ShapeLocalName>-invalid-NN.ttl`` for SHACL shapes and ``check-<name>-invalid-NN.ttl`` for the SPARQL checks in
queries/checks/<name>-violation.rq, each invalid file starting with ``# Invalid: why``. They are validated
together with the real ontology, shapes and checks.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from aigov.pipeline.load import parse_turtle
from aigov.pipeline.validate import check_files, validate_graph

HERE = Path(__file__).parent / "shapes"
ROOT = Path(__file__).resolve().parents[1]
SHAPES_NS = "https://w3id.org/aigov/shapes#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ROOT / "ontology" / "aigov.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for f in sorted((ROOT / "shapes").glob("*.ttl")):
        parse_turtle(f, into=g)
    return g


def shape_names(shapes: Graph) -> set[str]:
    """Every named shape that carries a constraint (named property shapes and node shapes)."""
    from rdflib import RDF, Namespace

    SH = Namespace("http://www.w3.org/ns/shacl#")
    named = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    constraint_keys = {SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.pattern, SH["or"], SH.languageIn,
                       SH.uniqueLang, SH.sparql, SH.qualifiedMinCount, SH.maxLength, SH.node}
    return {str(s)[len(SHAPES_NS):] for s in named if str(s).startswith(SHAPES_NS)
            and any(p in constraint_keys for p in shapes.predicates(s))}


INVALID = sorted(HERE.glob("*-invalid-*.ttl"))
CHECKS = check_files(ROOT)


def expected_rule(fixture: Path) -> str:
    prefix = fixture.stem.split("-invalid-")[0]
    return f"check:{prefix[len('check-'):]}" if prefix.startswith("check-") else f"aigovsh:{prefix}"


def test_valid_fixture_raises_nothing(ontology, shapes):
    report = validate_graph(ontology + parse_turtle(HERE / "valid.ttl"), shapes, CHECKS)
    assert report.results == [], "\n".join(map(str, report.results))


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_shape_catches_its_bad_fixture(fixture: Path, ontology, shapes):
    first_line = fixture.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# Invalid: "), f"{fixture.name} must say why it is invalid on line 1"
    expected = expected_rule(fixture)
    report = validate_graph(ontology + parse_turtle(fixture), shapes, CHECKS)
    fired = {r.shape for r in report.results}
    assert expected in fired, f"{expected} did not fire; got: " + "\n".join(map(str, report.results))


def test_every_shape_and_check_has_a_bad_fixture(shapes):
    covered = {expected_rule(f) for f in INVALID}
    rules = {f"aigovsh:{s}" for s in shape_names(shapes) - {"PartialDate"}}  # PartialDate fires via Occurrence-date
    rules |= {f"check:{c.name.removesuffix('-violation.rq')}" for c in CHECKS}
    assert len(CHECKS) >= 3
    missing = rules - covered
    assert not missing, f"shapes or checks without an invalid fixture: {sorted(missing)}"


def test_the_repository_data_conforms(root):
    from aigov.pipeline import check

    report, _ = check(root)
    assert report.conforms, "\n".join(map(str, report.violations))
