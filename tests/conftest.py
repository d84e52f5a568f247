"""Shared fixtures. The real repository is built once per session into a temporary instance directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from server.build import build
from server.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "report" / "ai-law-policy-landscape-2025.zh.txt"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The real ontology, graph and shapes, built once (reasoned, validated) into a temporary instance."""
    instance = tmp_path_factory.mktemp("instance")
    settings = load_settings({"root": str(ROOT), "instance": str(instance)})
    # Reuse the developer's own up-to-date build when there is one: same inputs, same code, same bytes.
    local = ROOT / "instance" / "current"
    if (local / "manifest.json").exists():
        shutil.copytree(local.resolve(), instance / local.resolve().name)
        (instance / "current").symlink_to(local.resolve().name)
    return build(settings)


@pytest.fixture(scope="session")
def store(built):
    from server.store.embedded import EmbeddedStore

    return EmbeddedStore.from_artefact(built.artefact, "https://w3id.org/aigov/")


def copy_project(dest: Path, graph_files: list[str] | None = None) -> Path:
    """A throwaway project: the real ontology and shapes, and the given graph files (all by default)."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "graph").mkdir()
    for f in graph_files if graph_files is not None else [p.name for p in (ROOT / "graph").glob("*.ttl")]:
        shutil.copy(ROOT / "graph" / f, dest / "graph" / f)
    return dest
