"""Where an installed aigov finds its graph when it is not run from a checkout.

The wheel carries the built artefact and the saved queries in ``aigov/bundle/`` (written by setup.py's
``build_py``), laid out like a project root: ``bundle/instance/current/{kg.nq,manifest.json}`` and
``bundle/queries/*.rq``. A directory with ``ontology/`` in it is a checkout and wins, so editors keep
building their own sources; anywhere else the bundle is the root.
"""
from __future__ import annotations

from pathlib import Path

BUNDLE = Path(__file__).resolve().parent / "bundle"


def default_root(cwd: Path | None = None) -> Path:
    """The project root when none is given: the current directory if it is a checkout, else the bundle."""
    cwd = Path.cwd() if cwd is None else cwd
    if (cwd / "ontology").is_dir() or not (BUNDLE / "instance").is_dir():
        return cwd.resolve()
    return BUNDLE
