"""Relation statements quote the report verbatim: checked at build time whenever the report's text is at hand.

A checkout keeps the report beside the project (setting ``report``); the wheel does not ship it, so without the
file the check is skipped with one warning in the validation report, and the build goes on. Whitespace is
ignored on both sides: the report is converted from PDF and its line breaks leave stray spaces.
"""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from .validate import Result

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
RULE = "check:relation-quote-in-report"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_quotes(data: Graph, report: Path | None, locate) -> list[Result]:
    """One Violation per relation statement whose aigov:evidence is not in the report's text."""
    if report is None or not Path(report).is_file():
        return [Result("Warning", RULE, str(report), "", "the report's text is not there, so relation quotes were not "
                       "checked against it (setting report, AIGOV_REPORT)")]
    text = squash(Path(report).read_text(encoding="utf-8"))
    results = []
    for statement in sorted(set(data.subjects(RDF.type, AIGOV.RelationStatement))):
        for quote in data.objects(statement, AIGOV.evidence):
            if squash(str(quote)) not in text:
                results.append(Result("Violation", RULE, data.namespace_manager.normalizeUri(statement), "aigov:evidence",
                                      "The quote is not in the report's text (whitespace ignored).", str(quote),
                                      where=locate(statement)))
    return results
