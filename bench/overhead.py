"""Where aigov's time goes on one request, and how long it takes to start.

``per_query``: each canned query, one client, sequential, on the real build: the p50 over HTTP against the
p50 of the same call in this process without HTTP (``EmbeddedStore.query``, which materialises the result),
of the bare engine (``pyoxigraph.Store.query``, answer consumed) and of serialising the result to SPARQL JSON
(``aigov.serializers.serialize``). HTTP minus (query + serialisation) is what Flask, gunicorn, the hooks,
logging and metrics cost per request.

``fixed``: requests that do no query work: ``ASK {}`` repeated and an ASK evaluated each time, on each server, and
``/health`` on aigov.

``ready_times``: ``aigov serve`` from process start to the first 200 on /health, over several cold starts.
"""
from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .client import Connection, Endpoint
from .config import BASE_IRI
from .workloads import Query


@dataclass
class QueryOverhead:
    query: str
    http_ms: float
    embedded_ms: float  # EmbeddedStore.query in process
    engine_ms: float  # pyoxigraph Store.query, consumed
    serialize_ms: float  # QueryResult -> SPARQL JSON / Turtle bytes
    rows: int
    status: int
    http_no_evaluators_ms: float | None = None  # the diagnostic variant's HTTP p50

    @property
    def difference_ms(self) -> float:
        return self.http_ms - self.embedded_ms

    @property
    def framework_ms(self) -> float:
        return self.http_ms - self.embedded_ms - self.serialize_ms


def _p50(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _http_p50(conn: Connection, q: Query, repeats: int) -> tuple[float, int]:
    status = conn.send(q).status  # warm: connection, caches, the query's first parse
    times = []
    for _ in range(repeats):
        a = conn.send(q)
        status = a.status if a.status != 200 else status
        times.append(a.seconds * 1000)
    return statistics.median(times), status


def per_query(endpoint: Endpoint, artefact, queries: list[Query], repeats: int,
              no_evaluators: Endpoint | None = None) -> list[QueryOverhead]:
    import pyoxigraph as ox

    from aigov.serializers import serialize
    from aigov.settings import load_settings
    from aigov.store.embedded import EmbeddedStore

    store = EmbeddedStore.from_artefact(artefact, BASE_IRI)
    max_rows = load_settings({})["max_rows"]
    media = {"bindings": "application/sparql-results+json", "boolean": "application/sparql-results+json",
             "graph": "text/turtle"}
    out = []
    conn = Connection(endpoint, 60)
    other = Connection(no_evaluators, 60) if no_evaluators else None
    try:
        for q in queries:
            http, status = _http_p50(conn, q, repeats)
            http_other = _http_p50(other, q, repeats)[0] if other else None
            result = store.query(q.text, max_rows=max_rows)
            embedded = _p50(lambda: store.query(q.text, max_rows=max_rows), repeats)
            engine = _p50(lambda: sum(1 for _ in store._store.query(q.text, use_default_graph_as_union=True)),
                          repeats)
            ser = _p50(lambda: serialize(result, media[q.kind]), repeats)
            rows = len(result.rows) if result.kind == "bindings" else len(result.triples) if result.kind == "graph" else 1
            out.append(QueryOverhead(q.name, http, embedded, engine, ser, rows, status, http_other))
    finally:
        conn.close()
        if other:
            other.close()
    return out


def _fresh_ask(n: int) -> Query:
    """An ASK no server has seen; its own name, since a connection keys the form bodies it encodes by name."""
    return Query(f"ask-{n}", f'ASK {{ ?s ?p "fresh {n}" }}', "boolean")


def fixed(endpoints: list[Endpoint], aigov: Endpoint | None, repeats: int = 200) -> dict[str, float]:
    """p50 ms of requests that do (almost) no query work: ``ASK {}`` sent again and again (aigov answers the
    repeats from its result cache), and an ASK with a new literal each time, which every server evaluates."""
    ask = Query("ask", "ASK {}", "boolean")
    fresh = itertools.count()
    out = {}
    for e in endpoints:
        conn = Connection(e, 30)
        try:
            conn.send(ask)
            out[f"{e.name}: ASK {{}}, repeated"] = _p50(lambda: conn.send(ask), repeats)
            out[f"{e.name}: ASK, evaluated each time"] = _p50(lambda: conn.send(_fresh_ask(next(fresh))), repeats)
        finally:
            conn.close()
    if aigov is not None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(aigov.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

        def health():
            conn.request("GET", "/health")
            conn.getresponse().read()

        health()
        out["aigov: GET /health"] = _p50(health, repeats)
        conn.close()
    return out


def ready_times(instance: Path, logdir: Path, starts: int) -> list[float]:
    from .servers import start_aigov

    times = []
    for _ in range(starts):
        server = start_aigov(instance, logdir)
        times.append(server.ready_seconds)
        server.stop()
        time.sleep(0.5)
    return times
