"""The build: Turtle in, artefact out (load -> validate -> reason + derive -> artefact). Never imports Flask.

The inferred graph holds what the build adds to the asserted data: the OWL 2 RL closure (reason.py) and what
published rules derive from it (dates.py: comparable date bounds; links.py: EUR-Lex pages, EU country authority
concepts)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArtefactError, NotConformant
from .artefact import Artefact, read_artefact, tool_versions, write_artefact
from .dates import check_dates, date_bounds
from .links import derived_links
from .load import Sources, hash_inputs, load_sources, source_files
from .locate import SubjectIndex
from .quotes import check_quotes
from .reason import infer
from .search_index import build_documents, index_bytes, rdflib_triples
from .validate import Report, check_files, validate_graph


@dataclass
class BuildResult:
    artefact: Artefact
    skipped: bool
    report: Report | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _load_and_validate(root: Path, timings: dict[str, float], report_text: Path | None) -> tuple[Sources, Report]:
    """Steps 1 and 3, shared by `aigov validate` and the build: parse everything, then validate (shapes, checks,
    and relation quotes against the report's text when it is at hand)."""
    t = time.perf_counter()
    sources = load_sources(root)
    files = source_files(root)
    check_dates(sources.ontology + sources.data, files["ontology"] + files["data"])
    check_queries(root)
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    # a resource's home file (graph/*.ttl) before the files of subfolders that add to it (graph/relations/)
    homes_first = sorted(files["data"], key=lambda f: (len(f.relative_to(root).parts), f))
    locate = SubjectIndex.of_files(homes_first + files["ontology"], root)
    asserted = sources.ontology + sources.data
    report = validate_graph(asserted, sources.shapes, check_files(root), locate)
    report.results.extend(check_quotes(asserted, report_text, locate))
    report.results.sort(key=lambda r: (r.severity != "Violation", r.focus, r.path, r.message))
    timings["validate"] = time.perf_counter() - t
    return sources, report


def check(root: Path, report_text: Path | None = None) -> tuple[Report, dict[str, float]]:
    """Parse and validate without reasoning or writing: what `aigov validate` runs."""
    timings: dict[str, float] = {}
    _, report = _load_and_validate(root, timings, report_text)
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
    sources, report = _load_and_validate(root, timings, settings.get("report"))
    if not report.conforms:
        raise NotConformant(f"the data does not conform to the shapes: {report.summary()}"
                            + "".join(f"\n  {r}" for r in report.violations), report)
    t = time.perf_counter()
    inferred = infer(sources.ontology, sources.data)
    inferred += date_bounds(sources.data)
    inferred += derived_links(sources.data)
    timings["reason"] = time.perf_counter() - t
    t = time.perf_counter()
    graphs = {"ontology": sources.ontology, "data": sources.data, "inferred": inferred}
    search = index_bytes(build_documents(rdflib_triples(graphs.values())))
    artefact = write_artefact(instance, graphs, base, sources.hashes,
                              extra={"shacl": {"conforms": True, "results": len(report.results)}},
                              files={"search.json": search})
    timings["write"] = time.perf_counter() - t
    return BuildResult(artefact, skipped=False, report=report, timings=timings)
