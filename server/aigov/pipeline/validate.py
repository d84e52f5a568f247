"""Step 3 of the build: SHACL validation of the asserted graph (ontology + data) with pySHACL, plus the
``queries/checks/*-violation.rq`` SPARQL checks run on Oxigraph (each must return no rows).

Shapes check what editors wrote, not what the reasoner derived: OWL RL would make a city part of its country's
country too and break counting shapes. SHACL's own class targeting follows the ontology's rdfs:subClassOf, so
`sh:targetClass aigov:Instrument` still reaches an `aigov:Law`. Only sh:Violation results fail a build;
warnings and infos are reported. Each result names the file:line where its focus node is written (``locate``),
so a failed build points the editor at the statement to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF

from ..errors import DataError

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    severity: str
    shape: str
    focus: str
    path: str
    message: str
    value: str = ""
    where: str = ""  # file:line of the focus node's first statement, when it is written in a source file

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        place = f"{self.where}: " if self.where else ""
        return f"{place}{self.severity}: {self.focus}{path}: {self.message}{value} [{self.shape}]"


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        counts = {}
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        if not counts:
            return "conforms: no SHACL results"
        return ("conforms" if self.conforms else "does NOT conform") + ": " + ", ".join(
            f"{n} {k.lower()}{'s' if n != 1 else ''}" for k, n in sorted(counts.items())
        )


def _english_message(report: Graph, node) -> str:
    """Prefer the @en message; SPARQL-constraint messages come back untagged."""
    messages = list(report.objects(node, SH.resultMessage))
    for m in messages:
        if isinstance(m, Literal) and m.language == "en":
            return str(m)
    untagged = [str(m) for m in messages if not (isinstance(m, Literal) and m.language)]
    ascii_first = sorted(untagged, key=lambda s: not s.isascii())
    return (ascii_first or [str(m) for m in messages] or [""])[0]


def _short(graph: Graph, term) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term) if not isinstance(term, Literal) else str(term)
    except Exception:
        return str(term)


def _nowhere(term) -> str:
    return ""


def run_checks(data: Graph, checks: list, locate=_nowhere) -> list[Result]:
    """Run SPARQL checks (``?this ?message`` per violation) on an Oxigraph copy of ``data``.

    These hold the rules core SHACL cannot express; on pyoxigraph they take milliseconds where pySHACL's
    SHACL-SPARQL took most of the build's time."""
    import pyoxigraph as ox

    if not checks:
        return []
    store = ox.Store()
    store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    results = []
    for path in checks:
        answer = store.query(path.read_text(encoding="utf-8"))
        columns = [v.value for v in answer.variables]
        for row in answer:
            values = dict(zip(columns, row))
            focus = values.get("this")
            results.append(Result(
                severity="Violation", shape=f"check:{path.name.removesuffix('-violation.rq')}",
                focus=_short(data, _to_rdflib(focus)), path="",
                message=values["message"].value if values.get("message") is not None else path.stem,
                value=_short(data, _to_rdflib(values.get("value"))), where=locate(focus)))
    return results


def _to_rdflib(term):
    from rdflib import URIRef

    if term is None:
        return None
    return URIRef(term.value) if type(term).__name__ == "NamedNode" else Literal(term.value)


def check_files(root) -> list:
    from pathlib import Path

    return sorted((Path(root) / "queries" / "checks").glob("*-violation.rq"))


def validate_graph(data: Graph, shapes: Graph, checks: list = (), locate=_nowhere) -> Report:
    """Validate ``data`` (which should include the ontology) against ``shapes`` and the SPARQL ``checks``;
    ``locate(focus term) -> "file:line"`` places each result (pipeline.locate.SubjectIndex)."""
    _conforms, report_graph, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        meta_shacl=True,
        allow_warnings=True,
    )
    if not isinstance(report_graph, Graph):  # pySHACL's ValidationFailure: the shapes themselves are broken
        raise DataError(f"the SHACL shapes are invalid: {_text}")
    results = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = SEVERITY.get(report_graph.value(node, SH.resultSeverity), "Violation")
        path = report_graph.value(node, SH.resultPath)
        results.append(
            Result(
                severity=severity,
                shape=_short(shapes, report_graph.value(node, SH.sourceShape)),
                focus=_short(data, report_graph.value(node, SH.focusNode)),
                path="" if isinstance(path, BNode) else _short(data, path),
                message=_english_message(report_graph, node),
                value=_short(data, report_graph.value(node, SH.value)),
                where=locate(report_graph.value(node, SH.focusNode)),
            )
        )
    results.extend(run_checks(data, list(checks), locate))
    results.sort(key=lambda r: (r.severity != "Violation", r.focus, r.path, r.message))
    return Report(results)
