"""The three servers under test, each started on a free loopback port on the same build.

* ``aigov``: ``python -m aigov serve --no-build`` with its default settings: the thing being measured.
  Two diagnostic variants: ``aigov (evaluators=0)`` evaluates ad-hoc queries in the worker instead of in the
  killable query children, to show what that isolation costs per request; ``aigov (cache off)`` evaluates every
  query, repeats included, to show what the result cache contributes.
* ``oxigraph``: ``oxigraph serve --union-default-graph`` in memory (no ``--location``), filled with
  ``aigov.publish.publish``: the engine's own Rust server, the ceiling an embedding of pyoxigraph can reach.
* ``rdflib-endpoint``: rdflib under FastAPI/uvicorn (``bench.rdflib_server``): the obvious pure-Python choice.

Each is its own process group (``start_new_session``) so stopping one can never touch anything else. Their
output goes to log files, never to an unread pipe (aigov logs a line per query: a full pipe would stall it).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import procs
from .client import Endpoint
from .config import ROOT


class Unavailable(RuntimeError):
    """A server that cannot be started here (missing package or binary); the report says why."""


@dataclass
class Server:
    name: str
    endpoint: Endpoint
    process: subprocess.Popen
    ready_seconds: float  # process start to first 200 (for oxigraph: before publishing)
    log: Path
    load_seconds: float = 0.0  # oxigraph: the publish step
    sampler: procs.MemorySampler | None = None
    notes: list[str] = field(default_factory=list)

    def start_sampling(self) -> None:
        self.sampler = procs.MemorySampler(self.process.pid).start()

    def stop(self, grace: float = 10.0) -> procs.Memory | None:
        """Stop sampling and the process; after ``grace`` seconds it is killed (a server stuck in a query that
        nobody waits for any more would otherwise finish it before shutting down)."""
        memory = self.sampler.stop() if self.sampler else None
        procs.stop(self.process, grace)
        return memory


def _popen(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})}, cwd=ROOT, start_new_session=True)


def aigov_env(instance: Path) -> dict[str, str]:
    # aigov runs with its defaults, per-client limits included: every load client connects from its own loopback
    # address (client.client_address), so the limits see as many clients as there are.
    return {"AIGOV_ROOT": str(ROOT), "AIGOV_INSTANCE": str(instance)}


def start_aigov(instance: Path, logdir: Path, env: dict | None = None, name: str = "aigov") -> Server:
    """``aigov serve`` with its defaults; ``env`` (AIGOV_* settings) only for the labelled diagnostic variant."""
    port = procs.free_port()
    args = [sys.executable, "-m", "aigov", "serve", "--no-build", "--port", str(port)]
    log = logdir / f"aigov-{port}.log"
    started = time.monotonic()
    process = _popen(args, log, {**aigov_env(instance), **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(base + "/health", process, timeout=120)
    except RuntimeError as e:
        procs.stop(process)
        raise Unavailable(f"aigov serve did not start: {e}; log: {log.read_text()[-1500:]}") from None
    return Server(name, Endpoint(name, base, "/sparql"), process, time.monotonic() - started, log)


def start_oxigraph(artefact, logdir: Path) -> Server:
    from aigov.publish import publish

    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        raise Unavailable(f"{binary} is missing (PyPI package oxigraph, in the test extra)")
    port = procs.free_port()
    log = logdir / f"oxigraph-{port}.log"
    started = time.monotonic()
    process = _popen([str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log)
    base = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(base + "/query", process, timeout=60, params={"query": "ASK {}"})
    except RuntimeError as e:
        procs.stop(process)
        raise Unavailable(f"oxigraph serve did not start: {e}") from None
    ready = time.monotonic() - started
    t = time.monotonic()
    publish(artefact, base + "/store")
    server = Server("oxigraph", Endpoint("oxigraph", base, "/query"), process, ready, log)
    server.load_seconds = time.monotonic() - t
    return server


def start_rdflib(artefact, logdir: Path) -> Server:
    try:
        import rdflib_endpoint  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise Unavailable(f"rdflib-endpoint is not installed ({e}); install the bench extra: "
                          "pip install -e '.[bench]'") from None
    port = procs.free_port()
    log = logdir / f"rdflib-endpoint-{port}.log"
    started = time.monotonic()
    process = _popen([sys.executable, "-m", "bench.rdflib_server", "--quads", str(artefact.quads_path),
                      "--port", str(port)], log)
    base = f"http://127.0.0.1:{port}"
    try:
        procs.wait_ready(base + "/sparql", process, timeout=180, params={"query": "ASK {}"}, interval=0.1)
    except RuntimeError as e:
        procs.stop(process)
        raise Unavailable(f"rdflib-endpoint did not start: {e}; log: {log.read_text()[-1500:]}") from None
    return Server("rdflib-endpoint", Endpoint("rdflib-endpoint", base, "/sparql"), process,
                  time.monotonic() - started, log)
