"""Relation quotes are checked against the report's text at build time when it is at hand (setting ``report``),
and skipped with one warning when it is not (the wheel carries no report)."""
from __future__ import annotations

import pytest
from rdflib import Graph

from aigov.errors import NotConformant
from aigov.pipeline import build, check
from aigov.pipeline.load import parse_turtle
from aigov.pipeline.locate import SubjectIndex
from aigov.pipeline.quotes import check_quotes
from aigov.settings import load_settings

from .conftest import REPORT, relations_project

STATEMENTS = """@prefix aigov: <https://w3id.org/aigov/ontology#> .
@prefix rel: <https://w3id.org/aigov/id/relation/> .

rel:found a aigov:RelationStatement ;
    aigov:evidence "丙丁戊己庚辛"@zh .

rel:missing a aigov:RelationStatement ;
    aigov:evidence "庚辛甲乙丙丁"@zh .
"""


@pytest.fixture
def statements(tmp_path) -> tuple[Graph, SubjectIndex]:
    path = tmp_path / "statements.ttl"
    path.write_text(STATEMENTS, encoding="utf-8")
    return parse_turtle(path), SubjectIndex.of_files([path], tmp_path)


def test_a_quote_is_found_across_the_reports_line_breaks_and_spaces(tmp_path, statements):
    report = tmp_path / "report.txt"
    report.write_text("甲乙丙 丁\n戊己庚辛壬癸\n", encoding="utf-8")
    results = check_quotes(statements[0], report, statements[1])
    assert [(r.severity, r.focus, r.where) for r in results] == [("Violation", "rel:missing", "statements.ttl:7")]
    assert results[0].shape == "check:relation-quote-in-report" and results[0].value == "庚辛甲乙丙丁"


def test_without_the_report_the_check_warns_once_and_fails_nothing(tmp_path, statements):
    results = check_quotes(statements[0], tmp_path / "absent.txt", statements[1])
    assert [r.severity for r in results] == ["Warning"] and "absent.txt" in results[0].focus


def test_a_build_without_the_report_goes_on_with_one_warning(tmp_path):
    project = relations_project(tmp_path)
    report, _ = check(project, tmp_path / "no-report.txt")
    assert report.conforms
    assert [r.severity for r in report.results if r.shape == "check:relation-quote-in-report"] == ["Warning"]


def test_the_report_setting_defaults_to_the_shared_report_beside_the_project(tmp_path):
    settings = load_settings({"root": str(tmp_path / "project")}, environ={})
    assert settings["report"] == tmp_path / "shared" / "report" / "ai-law-policy-landscape-2025.zh.txt"
    assert load_settings({"root": str(tmp_path)}, environ={"AIGOV_REPORT": "/elsewhere/r.txt"})["report"].name == "r.txt"


@pytest.mark.skipif(not REPORT.exists(), reason="the source report (../shared/report/) is not beside the project")
def test_a_relation_quote_not_in_the_report_fails_the_build_naming_file_and_line(tmp_path):
    project = relations_project(tmp_path)
    path = project / "graph" / "relations.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"部分参考了欧盟的风险分级思路"@zh', '"完全照搬了欧盟的风险分级思路"@zh'), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if l.startswith("rel:fixture-a--inspiredBy--fixture-b "))
    with pytest.raises(NotConformant) as failure:
        build(load_settings({"root": str(project), "instance": "instance", "report": str(REPORT)}))
    assert (f"graph/relations.ttl:{line}: Violation: rel:fixture-a--inspiredBy--fixture-b aigov:evidence: "
            "The quote is not in the report's text") in failure.value.message
