"""The mention index (graph/mentions/*.csv) ties every 《...》 title the report prints, per section, to the
resource it names: mentions, not strings (《个人信息保护法》 is China's, Korea's or Japan's law by paragraph)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import RDFS, SKOS, Graph, URIRef

from aigov.pipeline.load import load_sources

from .report import ROOT, body_lines, report_text

TITLE = re.compile(r"《([^》]*)》")


def normalise(title: str) -> str:
    """PDF line breaks leave stray spaces inside titles; the index records titles without them."""
    return re.sub(r"\s+", "", title)


def report_mentions(text: str) -> set[tuple[str, str]]:
    """(section, title) for every 《...》 in the report body, the section being the most specific heading."""
    return {(section, normalise(t)) for _, section, line in body_lines(text) for t in TITLE.findall(line)}


def index_rows() -> list[dict]:
    rows = []
    for f in sorted((ROOT / "graph" / "mentions").glob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                rows.append({**row, "where": f"{f.name}:{n}"})
    return rows


@pytest.fixture(scope="module")
def data() -> Graph:
    """The graph's data as the build reads it (graph/ and its subfolders)."""
    return load_sources(ROOT).data


def test_every_index_row_names_a_resource_carrying_that_title(data):
    rows = index_rows()
    assert len(rows) > 100
    problems = []
    for row in rows:
        iri = URIRef(row["iri"])
        titles = {normalise(str(l)) for p in (RDFS.label, SKOS.altLabel) for l in data.objects(iri, p)
                  if getattr(l, "language", None) == "zh"}
        if not titles:
            problems.append(f"{row['where']}: <{iri}> has no zh label (not in the graph?)")
        elif normalise(row["title"]) not in titles:
            problems.append(f"{row['where']}: <{iri}> has no zh label or altLabel {row['title']!r}")
    assert not problems, "\n".join(problems)


def test_index_sections_exist(data):
    sections = {str(s).rsplit("/", 1)[1] for s in data.subjects(
        URIRef("https://w3id.org/aigov/ontology#sectionNumber"), None)}
    bad = [f"{r['where']}: section {r['section']!r}" for r in index_rows() if r["section"] not in sections]
    assert not bad, "\n".join(bad)


def test_every_title_the_report_prints_is_in_the_index():
    indexed = {(r["section"], normalise(r["title"])) for r in index_rows()}
    mentions = report_mentions(report_text())
    assert len({t for _, t in mentions}) >= 125
    missing = sorted(mentions - indexed)
    assert not missing, "report mentions missing from graph/mentions/*.csv:\n" + "\n".join(
        f"  {s}: 《{t}》" for s, t in missing)


def test_a_missing_report_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    """The one check against the source must not skip silently where it is expected to run (CI)."""
    from . import report

    monkeypatch.setattr(report, "REPORT", tmp_path / "absent.txt")
    monkeypatch.setenv("CI", "true")
    try:  # a skip raised here must fail this test, not skip it
        report.report_text()
    except pytest.fail.Exception as failed:
        assert "source report is missing" in str(failed)
    except pytest.skip.Exception:
        pytest.fail("with CI set, a missing report skipped instead of failing")
    else:
        pytest.fail("with CI set, a missing report did not fail")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        report.report_text()
