"""Ad-hoc queries in processes that can be stopped.

pyoxigraph has no timeout or cancel API and releases the GIL while it evaluates, so a thread can notice a
query's time is up but cannot stop the work, which would keep burning a core. Each gunicorn worker therefore
keeps a small pool of evaluator processes (spawned, each loading the artefact's N-Quads: a few MB for our
data) and sends every ad-hoc SPARQL query to one of them. When a query runs past the limit, or its client
hangs up, the evaluator is killed and a fresh one is spawned in the background; other clients are served by
the rest of the pool meanwhile. Saved queries and page queries, which are ours and fast, run in-process.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time

from ..errors import AigovError, BadRequest, Busy, QueryTimeout

POLL = 0.1


def _evaluate(conn, quads_path: str) -> None:
    """Evaluator process: load the store once, then answer (text, options) messages until the pipe closes."""
    import pyoxigraph as ox

    from .embedded import EmbeddedStore

    store = ox.Store()
    store.bulk_load(path=quads_path, format=ox.RdfFormat.N_QUADS)
    embedded = EmbeddedStore(store, "evaluator", {})
    conn.send(("ready", None))
    while True:
        try:
            text, options = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", embedded.query(text, **options)))
        except AigovError as e:
            conn.send(("error", (type(e).__name__, e.message)))
        except Exception as e:  # never let a bad query take the evaluator down silently
            conn.send(("error", ("BadRequest", f"query evaluation failed: {type(e).__name__}: {e}")))


class _Evaluator:
    def __init__(self, ctx, quads_path: str):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_evaluate, args=(child, quads_path), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        try:
            if not self.ready and self.conn.poll(timeout):
                kind, _ = self.conn.recv()
                self.ready = kind == "ready"
        except (EOFError, OSError):  # the evaluator died while starting
            self.ready = False
        return self.ready

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class EvaluatorPool:
    def __init__(self, quads_path: str, size: int, timeout: float, wait: float = 5.0):
        self._ctx = multiprocessing.get_context("spawn")
        self.quads_path = quads_path
        self.size, self.timeout, self.wait = size, timeout, wait
        self.pid = os.getpid()
        self._idle: queue.Queue[_Evaluator] = queue.Queue()
        for _ in range(size):
            self._idle.put(_Evaluator(self._ctx, quads_path))

    def _replace(self) -> None:
        threading.Thread(target=lambda: self._idle.put(_Evaluator(self._ctx, self.quads_path)),
                         daemon=True).start()

    def query(self, text: str, options: dict, cancelled=lambda: False):
        # The limit counts from the request, so time spent waiting for a free evaluator counts too.
        deadline = time.monotonic() + self.timeout
        try:
            evaluator = self._idle.get(timeout=min(self.wait, self.timeout))
        except queue.Empty:
            raise Busy(f"all {self.size} query slots of this worker are busy; retry in a few seconds") from None
        if not evaluator.wait_ready(max(deadline - time.monotonic(), 0.01)):
            evaluator.kill()
            self._replace()
            raise Busy("the query evaluator is still starting; retry in a few seconds")
        evaluator.conn.send((text, options))
        while True:
            if evaluator.conn.poll(POLL):
                try:
                    kind, payload = evaluator.conn.recv()
                except (EOFError, OSError):
                    evaluator.kill()
                    self._replace()
                    raise BadRequest("the query crashed its evaluator") from None
                self._idle.put(evaluator)
                if kind == "ok":
                    return payload
                name, message = payload
                raise {"BadRequest": BadRequest}.get(name, BadRequest)(message)
            if time.monotonic() > deadline or cancelled():
                evaluator.kill()
                self._replace()
                if cancelled():
                    raise BadRequest("the client closed the connection; the query was stopped")
                raise QueryTimeout(f"the query ran longer than the {self.timeout:g} s limit and was stopped; "
                                   "narrow it (LIMIT, more specific patterns) or run it on a copy of the data "
                                   "(see /dumps)")

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
