"""The relation layer (issue 10): every relational sentence of the report is reviewed, and every relation
statement quotes the report verbatim, in the section it cites.

graph/relations/review.csv has one row per report sentence holding a relational cue (tests/report.py CUES):
``section,line,cues,quote,decision``. ``quote`` is a verbatim fragment of that sentence; ``decision`` is the
space-separated relation statement IRIs the sentence yields, or ``none: <reason>``.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef

from aigov.pipeline.load import load_sources

from .report import ROOT, body_lines, cue_sentences, report_text, section_text, squash

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
REVIEW = ROOT / "graph" / "relations" / "review.csv"


def review_rows() -> list[dict]:
    with REVIEW.open(encoding="utf-8", newline="") as fh:
        return [{**row, "where": f"{REVIEW.name}:{n}"} for n, row in enumerate(csv.DictReader(fh), start=2)]


@pytest.fixture(scope="module")
def data() -> Graph:
    """The graph's data as the build reads it (graph/ and its subfolders)."""
    return load_sources(ROOT).data


def test_the_review_covers_every_cue_sentence_of_the_report():
    rows = review_rows()
    missing = []
    for cs in cue_sentences(report_text()):
        covering = [r for r in rows if int(r["line"]) == cs.line and squash(r["quote"]) in squash(cs.sentence)]
        if not covering:
            missing.append(f"  line {cs.line} ({cs.section}) cues {' '.join(cs.cues)}: {cs.sentence[:60]}")
        elif not set(cs.cues) <= {c for r in covering for c in r["cues"].split()}:
            missing.append(f"  line {cs.line}: review lists cues {covering[0]['cues']!r}, the sentence has {cs.cues}")
    assert not missing, "cue sentences not reviewed in graph/relations/review.csv:\n" + "\n".join(missing)


def test_every_review_row_quotes_its_line_in_its_section():
    text = report_text()
    lines = text.splitlines()
    by_line = {n: s for n, s, _ in body_lines(text)}
    bad = [f"{r['where']}: quote not on line {r['line']}" for r in review_rows()
           if squash(r["quote"]) not in squash(lines[int(r["line"]) - 1])]
    bad += [f"{r['where']}: line {r['line']} is in section {by_line.get(int(r['line']))}, not {r['section']}"
            for r in review_rows() if by_line.get(int(r["line"])) != r["section"]]
    assert not bad, "\n".join(bad)


def test_every_review_decision_names_statements_in_the_graph_or_a_reason(data):
    bad = []
    for r in review_rows():
        decision = r["decision"].strip()
        if decision.startswith("none:"):
            if len(decision) < 12:
                bad.append(f"{r['where']}: 'none' needs a reason")
            continue
        for iri in decision.split():
            if (URIRef(iri), None, None) not in data or not (URIRef(iri), AIGOV.relationKind, None) in data:
                bad.append(f"{r['where']}: {iri} is not a relation statement in graph/")
    assert not bad, "\n".join(bad)


def test_every_relation_statement_quotes_the_report_verbatim_in_its_section(data):
    sections = section_text(report_text())
    bad = []
    for statement in data.subjects(AIGOV.relationKind, None):
        section = str(data.value(statement, AIGOV.statedIn)).rsplit("/", 1)[-1]
        quote = squash(str(data.value(statement, AIGOV.evidence)))
        if quote not in sections.get(section, ""):
            where = "in section " + section if quote in "".join(sections.values()) else "anywhere in the report"
            bad.append(f"<{statement}>: quote {quote!r} not found {where}")
    assert not bad, "\n".join(bad)
