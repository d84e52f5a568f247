"""Step 4 of the build: the artefact that serving loads without re-reasoning.

Layout under the instance directory::

    current -> build-<version>/      (a symlink, switched atomically)
    build-<version>/kg.nq            sorted N-Quads: ontology, data and inferred named graphs
    build-<version>/manifest.json    version, sha256 of kg.nq, input hashes, counts, tool versions
    build-<version>/search.json      the search index (listed with its sha256 under "files")

A build writes a fresh directory and then renames a symlink over ``current``: a reader sees the old build or
the new one, never half of each, and a failed build leaves ``current`` untouched. The sha256 in the manifest
lets a reader detect a corrupted or truncated kg.nq.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from ..errors import ArtefactError

GRAPH_NAMES = ("ontology", "data", "inferred")
KEEP_BUILDS = 2


def graph_iri(base_iri: str, name: str) -> str:
    return f"{base_iri}graph/{name}"


@dataclass(frozen=True)
class Artefact:
    directory: Path
    manifest: dict

    @property
    def quads_path(self) -> Path:
        return self.directory / "kg.nq"

    @property
    def version(self) -> str:
        return self.manifest["version"]


def tool_versions() -> dict[str, str]:
    """Versions of everything that shapes the artefact besides the inputs, including our own build code."""
    versions = {name: metadata.version(name) for name in ("aigov", "rdflib", "owlrl", "pyshacl", "pycountry")}
    code = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        code.update(module.read_bytes())
    versions["build-code"] = code.hexdigest()[:16]
    return versions


def _nquads(graphs: dict[str, Graph], base_iri: str) -> bytes:
    """Deterministic N-Quads: blank nodes canonically labelled, lines sorted."""
    dataset = Dataset()
    for name, graph in graphs.items():
        if any(isinstance(term, BNode) for triple in graph for term in triple):
            graph = to_canonical_graph(graph)
        target = dataset.graph(URIRef(graph_iri(base_iri, name)))
        for t in graph:
            target.add(t)
    text = dataset.serialize(format="nquads", encoding="utf-8")
    lines = sorted(set(line for line in text.splitlines() if line.strip()))
    return b"\n".join(lines) + b"\n"


def write_artefact(instance: Path, graphs: dict[str, Graph], base_iri: str, inputs: dict[str, str],
                   extra: dict | None = None, files: dict[str, bytes] | None = None) -> Artefact:
    """Write a new build directory, then atomically point ``current`` at it. ``files`` are further derived files
    (the search index) written beside kg.nq and listed in the manifest with their sha256."""
    instance.mkdir(parents=True, exist_ok=True)
    files = files or {}
    body = _nquads(graphs, base_iri)
    sha = hashlib.sha256(body).hexdigest()
    version = sha[:12]
    manifest = {
        "version": version,
        "sha256": sha,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "base_iri": base_iri,
        "inputs": inputs,
        "graphs": {name: {"iri": graph_iri(base_iri, name), "triples": len(g)} for name, g in graphs.items()},
        "tools": tool_versions(),
        **({"files": {n: {"sha256": hashlib.sha256(b).hexdigest()} for n, b in files.items()}} if files else {}),
        **(extra or {}),
    }
    staging = instance / f".staging-{os.getpid()}-{time.time_ns()}"
    staging.mkdir()
    try:
        (staging / "kg.nq").write_bytes(body)
        for name, data in files.items():
            (staging / name).write_bytes(data)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))
        final = instance / f"build-{version}"
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    link = instance / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(final.name)
    os.replace(link, instance / "current")
    _prune(instance, keep=final)
    return Artefact(final, manifest)


def _prune(instance: Path, keep: Path) -> None:
    builds = sorted(instance.glob("build-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [b for b in builds if b != keep][KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def read_artefact(instance: Path, verify: bool = True) -> Artefact:
    """Open the current build; refuse a missing, unreadable or corrupted one with a message that says why."""
    current = instance / "current"
    manifest_path = current / "manifest.json"
    if not manifest_path.exists():
        raise ArtefactError(f"no build artefact in {instance}: run `aigov build` first")
    try:
        manifest = json.loads(manifest_path.read_text())
        sha = manifest["sha256"]
    except (ValueError, KeyError) as e:
        raise ArtefactError(f"{manifest_path} is unreadable ({e}): run `aigov build --force`") from None
    artefact = Artefact(current.resolve(), manifest)
    if verify:
        try:
            actual = hashlib.sha256(artefact.quads_path.read_bytes()).hexdigest()
        except OSError as e:
            raise ArtefactError(f"{artefact.quads_path} cannot be read ({e}): run `aigov build --force`") from None
        if actual != sha:
            raise ArtefactError(
                f"{artefact.quads_path} is corrupted (sha256 {actual[:12]}... does not match the manifest's "
                f"{sha[:12]}...): run `aigov build --force`"
            )
    return artefact
