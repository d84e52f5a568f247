"""One SPARQL query over HTTP on a persistent connection, as lean as the standard library allows.

The load generator shares the machine's two cores with the server it measures, so the client must cost as
little as possible per request: ``http.client`` on a kept-alive connection costs a fraction of a
``requests.Session``. Every query is sent the same way to every server: POST, form-encoded ``query=``
(SPARQL 1.1 Protocol), Accept chosen by the query's kind.
"""
from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from .workloads import Query


@dataclass(frozen=True)
class Endpoint:
    name: str
    base: str  # http://127.0.0.1:PORT
    path: str  # /sparql, /query

    @property
    def url(self) -> str:
        return self.base + self.path


@dataclass
class Answer:
    status: int  # HTTP status; 0 for a connection error or timeout
    seconds: float
    body: bytes = b""
    error: str = ""


def client_address(group: int, i: int) -> str:
    """A loopback source address for client ``i`` of a group (Linux routes all of 127/8 to lo): the server sees
    each load client as its own client, so its per-client limits apply as they would to real users."""
    return f"127.0.{group}.{i + 1}"


class Connection:
    """A kept-alive connection to one endpoint; reconnects once if the server closed an idle connection.
    ``source``: the loopback address the connection leaves from (default 127.0.0.1)."""

    def __init__(self, endpoint: Endpoint, timeout: float = 60.0, source: str | None = None):
        parts = urlsplit(endpoint.base)
        self.endpoint = endpoint
        self._host, self._port, self._timeout = parts.hostname, parts.port, timeout
        self._source = (source, 0) if source else None
        self._conn: http.client.HTTPConnection | None = None
        self._bodies: dict[str, bytes] = {}

    def _connect(self) -> http.client.HTTPConnection:
        self.close()
        self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout,
                                                source_address=self._source)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, query: Query) -> Answer:
        body = self._bodies.get(query.name)
        if body is None:
            body = self._bodies[query.name] = urlencode({"query": query.text}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": query.accept}
        for attempt in (0, 1):
            fresh = self._conn is None
            conn = self._conn or self._connect()
            start = time.perf_counter()
            try:
                conn.request("POST", self.endpoint.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                elapsed = time.perf_counter() - start
                if response.will_close:
                    self.close()
                return Answer(response.status, elapsed, data)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                self.close()
                if fresh or attempt:  # a new connection that fails is an error, not an idle close
                    return Answer(0, time.perf_counter() - start, error=type(e).__name__)
            except (OSError, http.client.HTTPException) as e:  # timeouts, refused connections
                self.close()
                return Answer(0, time.perf_counter() - start, error=type(e).__name__)
        raise AssertionError("unreachable")


def count_results(query: Query, body: bytes) -> int | None:
    """Rows of a JSON result, or triples of a Turtle graph; None if the body does not parse."""
    try:
        if query.kind == "graph":
            import pyoxigraph as ox

            return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
        doc = json.loads(body)
        if "boolean" in doc:
            return int(bool(doc["boolean"]))
        return len(doc["results"]["bindings"])
    except Exception:
        return None
