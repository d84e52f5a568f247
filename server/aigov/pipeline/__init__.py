"""The build: Turtle in, artefact out (load -> reason -> validate -> artefact). Never imports Flask."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArtefactError, NotConformant
from .artefact import Artefact, read_artefact, tool_versions, write_artefact
from .load import Sources, hash_inputs, load_sources
from .reason import infer
from .search_index import build_documents, index_bytes, rdflib_triples
from .validate import Report, check_files, validate_graph


@dataclass
class BuildResult:
    artefact: Artefact
    skipped: bool
    report: Report | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _load_and_validate(root: Path, timings: dict[str, float]) -> tuple[Sources, Report]:
    """Steps 1 and 3, shared by `aigov validate` and the build: parse everything, then validate."""
    t = time.perf_counter()
    sources = load_sources(root)
    check_queries(root)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    report = validate_graph(sources.ontology + sources.data, sources.shapes, check_files(root))
    timings["validate"] = time.perf_counter() - t
    return sources, report


def check(root: Path) -> tuple[Report, dict[str, float]]:
    """Parse and validate without reasoning or writing: what `aigov validate` runs."""
    timings: dict[str, float] = {}
    _, report = _load_and_validate(root, timings)
    return report, timings


def check_queries(root: Path) -> int:
    """Load every saved query (parse, typed parameters); a bad one fails the build with file:line."""
    from ..canned import Registry

    return len(Registry.load(root / "queries"))


def up_to_date(instance: Path, root: Path) -> Artefact | None:
    """The current artefact if it was built from exactly these inputs with these tools, else None."""
    try:
        artefact = read_artefact(instance)
    except ArtefactError:
        return None
    manifest = artefact.manifest
    if manifest.get("inputs") == hash_inputs(root) and manifest.get("tools") == tool_versions():
        return artefact
    return None


def build(settings: dict, force: bool = False) -> BuildResult:
    """Build the artefact unless it is up to date. On any failure the previous artefact stays current."""
    root, instance, base = settings["root"], settings["instance"], settings["base_iri"]
    if not force and (current := up_to_date(instance, root)) is not None:
        return BuildResult(current, skipped=True)
    timings: dict[str, float] = {}
    sources, report = _load_and_validate(root, timings)
    if not report.conforms:
        raise NotConformant(f"the data does not conform to the shapes: {report.summary()}", report)
    t = time.perf_counter()
    inferred = infer(sources.ontology, sources.data)
    timings["reason"] = time.perf_counter() - t
    t = time.perf_counter()
    graphs = {"ontology": sources.ontology, "data": sources.data, "inferred": inferred}
    search = index_bytes(build_documents(rdflib_triples(graphs.values())))
    artefact = write_artefact(instance, graphs, base, sources.hashes,
                              extra={"shacl": {"conforms": True, "results": len(report.results)}},
                              files={"search.json": search})
    timings["write"] = time.perf_counter() - t
    return BuildResult(artefact, skipped=False, report=report, timings=timings)
