"""Step 1 of the build: parse the Turtle sources into three graphs (ontology, data, shapes).

A parse error names the file and the line, so an editor can jump straight to it. Run as
``python -m aigov.pipeline.load FILE...`` to check files without building.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from ..errors import DataError

SOURCE_DIRS = {"ontology": "ontology", "data": "graph", "shapes": "shapes"}


@dataclass
class Sources:
    """The parsed inputs, one rdflib Graph per kind, plus the sha256 of every file read."""

    ontology: Graph = field(default_factory=Graph)
    data: Graph = field(default_factory=Graph)
    shapes: Graph = field(default_factory=Graph)
    hashes: dict[str, str] = field(default_factory=dict)


def source_files(root: Path) -> dict[str, list[Path]]:
    """Every Turtle file the build reads, by kind, in a stable order."""
    return {kind: sorted((root / folder).rglob("*.ttl")) for kind, folder in SOURCE_DIRS.items()}


def hash_inputs(root: Path, extra: list[Path] = ()) -> dict[str, str]:
    """sha256 of each input, keyed by its path relative to root: the build's cache key."""
    files = [f for fs in source_files(root).values() for f in fs] + sorted((root / "queries").rglob("*.rq")) + list(extra)
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(files)}


def parse_turtle(path: Path, into: Graph | None = None) -> Graph:
    """Parse one Turtle file; raise DataError naming file:line on bad syntax."""
    graph = Graph() if into is None else into
    # Keep every literal exactly as written: rdflib would otherwise normalise "2024-05-21Z"^^xsd:date to
    # "2024-05-21" and hide the time zone from the shapes that forbid one. Set on every call because
    # pySHACL resets this global to True when it finishes.
    rdflib.NORMALIZE_LITERALS = False
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as e:
        raise DataError(f"{path}:{e.lines + 1}: {e._why}") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 ({e.reason})") from None
    except Exception as e:  # rdflib raises assorted errors for bad IRIs, prefixes, literals
        raise DataError(f"{path}: {type(e).__name__}: {e}") from None
    return graph


def load_sources(root: Path) -> Sources:
    sources = Sources(hashes=hash_inputs(root))
    for kind, files in source_files(root).items():
        target = getattr(sources, kind)
        for f in files:
            parse_turtle(f, into=target)
    for g in (sources.ontology, sources.data, sources.shapes):
        g.bind("aigov", "https://w3id.org/aigov/ontology#")
    return sources


if __name__ == "__main__":  # pragma: no cover - convenience for data editors
    status = 0
    for arg in sys.argv[1:]:
        try:
            print(f"{arg}: {len(parse_turtle(Path(arg)))} triples")
        except DataError as e:
            print(e.message, file=sys.stderr)
            status = 2
    sys.exit(status)
