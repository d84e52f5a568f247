"""What the numbers were measured on: a benchmark result without its machine and versions cannot be compared.

Read-only: /proc, ``importlib.metadata``, ``oxigraph --version`` and git commands that never write
(``--no-optional-locks``), so the report can say which commit, and whether the tree had local changes.
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from .config import ROOT

PACKAGES = ("pyoxigraph", "oxigraph", "flask", "gunicorn", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn",
            "owlrl", "pyshacl", "requests")


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def _run(args: list[str]) -> str:
    try:
        return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.rstrip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def describe() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    binary = Path(sys.executable).parent / "oxigraph"
    if binary.exists():
        versions["oxigraph (server binary)"] = _run([str(binary), "--version"]).strip().removeprefix("oxigraph ")
    mem_kib = _first("/proc/meminfo", "MemTotal").split()[0]
    commit = _run(["git", "--no-optional-locks", "rev-parse", "--short=12", "HEAD"]).strip()
    dirty = _run(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"])
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem_kib) / 1024 / 1024, 1) if mem_kib.isdigit() else "?",
        "cpu": _first("/proc/cpuinfo", "model name"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "versions": versions,
        "commit": commit or "?",
        "local_changes": [line[3:] for line in dirty.splitlines()],
    }
