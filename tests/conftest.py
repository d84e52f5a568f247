"""Shared fixtures. The real repository is built once per session into a temporary instance directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aigov.pipeline import build
from aigov.settings import load_settings

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
    from aigov.store.embedded import EmbeddedStore

    return EmbeddedStore.from_artefact(built.artefact, "https://w3id.org/aigov/")


def copy_project(dest: Path, graph_files: list[str] | None = None) -> Path:
    """A throwaway project: the real ontology and shapes, and the given graph files (all by default)."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, dest / folder)
    (dest / "graph").mkdir()
    for f in graph_files if graph_files is not None else [p.name for p in (ROOT / "graph").glob("*.ttl")]:
        shutil.copy(ROOT / "graph" / f, dest / "graph" / f)
    return dest


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real `aigov serve` process (gunicorn) on loopback."""

    def __init__(self, url: str, process, log: str | None = None):
        self.url = url
        self.process = process
        self.log = log  # the server's stderr: one JSON line per query

    def __call__(self, path: str) -> str:
        return self.url + path


def start_server(instance: Path, extra_env: dict | None = None, args: tuple = ()) -> Server:
    import os
    import subprocess
    import sys
    import time

    import requests

    import tempfile

    port = free_port()
    env = {**os.environ, "AIGOV_ROOT": str(ROOT), "AIGOV_INSTANCE": str(instance), **(extra_env or {})}
    # The server logs one line per query: write them to a file, since an undrained pipe would fill and block it.
    log = tempfile.NamedTemporaryFile(prefix="aigov-serve-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "aigov", "serve", "--no-build", "--port", str(port), "--workers", "2", *args],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aigov serve exited: {Path(log.name).read_text()}")
        try:
            if requests.get(url + "/health", timeout=1).status_code == 200:
                return Server(url, process, log.name)
        except (requests.ConnectionError, requests.Timeout):  # a loaded machine may take over 1 s to answer
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("aigov serve did not become healthy within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except Exception:
        server.process.kill()


@pytest.fixture(scope="session")
def server(built):
    """The real server process over the session's build (limits per client off: the suite is one busy client)."""
    s = start_server(built.artefact.directory.parent, {"AIGOV_RATE_LIMIT": "0", "AIGOV_CLIENT_BUDGET": "0"})
    yield s
    stop_server(s)


@pytest.fixture(scope="session")
def oxigraph_server(built):
    """A real `oxigraph serve` (in-memory, union default graph) on loopback, loaded with `aigov publish`."""
    import os
    import subprocess
    import sys
    import time

    import requests

    from aigov.publish import publish

    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        pytest.skip("the oxigraph CLI (PyPI package oxigraph) is not installed")
    port = free_port()
    process = subprocess.Popen([str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.2)
    publish(built.artefact, url + "/store")
    yield url
    process.terminate()
    process.wait(timeout=10)
