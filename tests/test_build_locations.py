"""A build that fails on the data names the file and line to fix (issue 10): every SHACL or check result carries
the place where its focus node is first written as a subject in graph/**.ttl."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from aigov.cli import main
from aigov.errors import NotConformant
from aigov.pipeline import build
from aigov.pipeline.locate import SubjectIndex
from aigov.settings import load_settings

from .conftest import ROOT, relations_project

PREFIXES = """@prefix aigov: <https://w3id.org/aigov/ontology#> .
@prefix inst: <https://w3id.org/aigov/id/instrument/> .
@prefix rel: <https://w3id.org/aigov/id/relation/> .
@prefix sec: <https://w3id.org/aigov/id/section/> .
"""


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


def failed_build(project: Path) -> str:
    with pytest.raises(NotConformant) as failure:
        build(load_settings({"root": str(project), "instance": "instance"}))
    return failure.value.message


def test_an_edge_without_its_relation_statement_fails_the_build_naming_file_and_line(tmp_path):
    extra = PREFIXES + "\n# an edge added without its statement\ninst:fixture-h\n    aigov:inspiredBy inst:fixture-d .\n"
    project = relations_project(tmp_path, {"more.ttl": extra})
    message = failed_build(project)
    place = f"graph/more.ttl:{line_of(extra, 'inst:fixture-h')}"  # more.ttl sorts before relations.ttl
    assert re.search(re.escape(place) + r": Violation: .*fixture-h.*no aigov:qualifiedRelation statement", message), message


def test_a_relation_to_the_wrong_class_fails_the_build_naming_file_and_line(tmp_path):
    extra = PREFIXES + """
inst:fixture-z a aigov:Law ;
    aigov:establishes inst:fixture-d ;
    aigov:qualifiedRelation rel:fixture-z--establishes--fixture-d .

rel:fixture-z--establishes--fixture-d a aigov:RelationStatement ;
    aigov:relationKind aigov:establishes ; aigov:relationTarget inst:fixture-d ; aigov:statedIn sec:1-1-2 ;
    aigov:evidence "欧盟委员会成立人工智能办公室"@zh ; aigov:statedAs aigov:ExplicitStatement .
"""
    project = relations_project(tmp_path, {"more.ttl": extra})
    message = failed_build(project)
    assert re.search(r"graph/more\.ttl:6: Violation: inst:fixture-z: aigov:establishes.*must point at an aigov:Body"
                     r".*\[aigovsh:BodyRelation-target\]", message), message


def test_a_broken_statement_is_placed_at_its_own_line(tmp_path):
    project = relations_project(tmp_path)
    text = (project / "graph" / "relations.ttl").read_text(encoding="utf-8")
    (project / "graph" / "relations.ttl").write_text(
        text.replace('"旨在落实第14110号行政令"@zh', '"落实"@zh'), encoding="utf-8")
    message = failed_build(project)
    place = f"graph/relations.ttl:{line_of(text, 'rel:fixture-c--implements--fixture-d ')}"
    assert re.search(re.escape(place) + r": Violation: .*\[aigovsh:RelationStatement-evidence\]", message), message


def test_aigov_validate_prints_file_and_line_for_each_violation(tmp_path, capsys):
    extra = PREFIXES + "inst:fixture-h aigov:implements inst:fixture-d .\n"
    project = relations_project(tmp_path, {"more.ttl": extra})
    assert main(["--root", str(project), "validate"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^graph/more\.ttl:5: Violation: inst:fixture-h", out, re.MULTILINE), out


def test_the_subject_index_reads_prefixed_names_and_iris_at_line_start_only(tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text("@prefix ex: <https://example.org/> .\nPREFIX : <https://example.org/default/>\n\n"
                 "ex:a a ex:Thing ;\n    ex:p ex:b .\n<https://example.org/c> ex:p ex:a .\n"
                 ":d ex:p ex:b .\nex:a ex:q 1 .\nex:v1.2 ex:p ex:b .\n", encoding="utf-8")
    index = SubjectIndex.of_files([f], tmp_path)
    from rdflib import URIRef

    assert index(URIRef("https://example.org/a")) == "x.ttl:4"  # the first statement, not the later one
    assert index(URIRef("https://example.org/c")) == "x.ttl:6"
    assert index(URIRef("https://example.org/default/d")) == "x.ttl:7"
    assert index(URIRef("https://example.org/v1.2")) == "x.ttl:9"
    assert index(URIRef("https://example.org/b")) == ""  # only ever an object


def test_a_resource_is_placed_in_its_home_file_before_a_subfolder_that_adds_to_it(tmp_path):
    project = relations_project(tmp_path)
    (project / "graph" / "relations").mkdir()
    (project / "graph" / "relations" / "more.ttl").write_text(
        PREFIXES + "inst:fixture-h aigov:implements inst:fixture-d .\n", encoding="utf-8")
    message = failed_build(project)
    home = f"graph/relations.ttl:{line_of((project / 'graph' / 'relations.ttl').read_text(), 'inst:fixture-h ')}"
    assert re.search(re.escape(home) + r": Violation: inst:fixture-h: Edge .*implements", message), message
