"""Shared fixtures. The real repository is built once per session into a temporary instance directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aigov.pipeline import build
from aigov.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "report" / "ai-law-policy-landscape-2025.zh.txt"


@pytest.fixture(scope="session", autouse=True)
def socket_timeout():
    """Clients that open their own sockets (rdflib fetching an IRI, urllib) time out instead of hanging."""
    import socket

    from .http import TIMEOUT

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(TIMEOUT)
    yield
    socket.setdefaulttimeout(previous)


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


RELATIONS_FIXTURE = Path(__file__).parent / "data" / "relations.ttl"


def relations_project(dest: Path, extra: dict[str, str] | None = None) -> Path:
    """A small project for the relation layer: the real ontology, shapes and queries, the report's sections
    (graph/source.ttl) and tests/data/relations.ttl, plus ``extra`` graph files (name -> Turtle text)."""
    copy_project(dest, ["source.ttl"])
    shutil.copytree(ROOT / "queries", dest / "queries")
    shutil.copy(RELATIONS_FIXTURE, dest / "graph" / "relations.ttl")
    for name, text in (extra or {}).items():
        (dest / "graph" / name).write_text(text, encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def relations_built(tmp_path_factory):
    """tests/data/relations.ttl built for real (validated, its quotes checked against the report when it is
    beside the project, reasoned) in its own small project."""
    project = relations_project(tmp_path_factory.mktemp("relations"))
    return build(load_settings({"root": str(project), "instance": "instance", "report": str(REPORT)}))


@pytest.fixture(scope="session")
def relations_store(relations_built):
    from aigov.store.embedded import EmbeddedStore

    return EmbeddedStore.from_artefact(relations_built.artefact, "https://w3id.org/aigov/")


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


def start_server(instance: Path, extra_env: dict | None = None, args: tuple = (), workers: int | None = 2,
                 build: bool = False) -> Server:
    """Start `aigov serve` on a free port. ``workers=None`` passes no --workers flag (AIGOV_WORKERS decides);
    ``build=True`` drops --no-build so the command checks the sources first, as a plain `aigov serve` does."""
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
        [sys.executable, "-m", "aigov", "serve", *([] if build else ["--no-build"]), "--port", str(port),
         *([] if workers is None else ["--workers", str(workers)]), *args],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{(extra_env or {}).get('AIGOV_HOST', '127.0.0.1')}:{port}"
    deadline = time.monotonic() + (180 if build else 60)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aigov serve exited: {Path(log.name).read_text()}")
        try:
            if requests.get(url + "/health", timeout=5).status_code == 200:
                return Server(url, process, log.name)
        except requests.RequestException:  # not listening yet, or too busy starting to answer in time
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("aigov serve did not become healthy in time")


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
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=5)
            break
        except (requests.ConnectionError, requests.Timeout):  # a loaded machine may answer slowly at first
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.2)
    publish(built.artefact, url + "/store")
    yield url
    process.terminate()
    process.wait(timeout=10)


def child_pids(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux /proc), for checking what a server really runs."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return {c for c in found if is_alive(c)}


def is_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a killed process not yet reaped is gone for us)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _zygote(server: Server) -> int | None:
    """The evaluators' zygote: the gunicorn master's one child that has children (its query children)."""
    with_children = [c for c in child_pids(server.process.pid) if child_pids(c)]
    return with_children[0] if len(with_children) == 1 else None


def worker_pids(server: Server) -> set[int]:
    """The server's gunicorn workers: the master's children other than the zygote."""
    return child_pids(server.process.pid) - {_zygote(server)}


def evaluator_pids(server: Server) -> set[int]:
    """The server's live query children, forked by the zygote (store/evaluator.py): `workers x evaluators` of them."""
    zygote = _zygote(server)
    return child_pids(zygote) if zygote else set()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (the browser tests skip where it is absent)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()
