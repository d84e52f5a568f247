"""An evaluated query as the client asked for it: negotiated, serialized, and bounded in bytes.

Runs where the query ran (in a query child, or in the worker when there is none) and never imports Flask.
A body over ``max_result_bytes`` is cut to the rows (or triples) that fit and flagged, like the row cap, so a
client always gets a well-formed answer and ``X-Aigov-Truncated`` says which limit cut it. HTML is rendered by
the worker from the result, cut to the rows whose SPARQL JSON fits the same limit.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from .negotiation import choose
from .serializers import serialize
from .store.result import QueryResult

# the format whose size stands in for an HTML table's
HTML_PROXY = {"bindings": "application/sparql-results+json", "boolean": "application/sparql-results+json",
              "graph": "application/n-triples"}


@dataclass
class Answer:
    kind: str
    media: str
    truncated: str | None  # None, "rows" (max_rows) or "bytes" (max_result_bytes)
    rows: int | None
    length: int
    result: QueryResult | None = None  # HTML: the worker renders it
    body: bytes = b""
    chunks: Iterable[bytes] | None = None  # the body in pieces, as a query child sends it

    def stream(self) -> Iterable[bytes]:
        return self.chunks if self.chunks is not None else [self.body]


def _items(result: QueryResult) -> list:
    return result.triples if result.kind == "graph" else result.rows


def _cut(result: QueryResult, n: int) -> QueryResult:
    if result.kind == "graph":
        return replace(result, triples=result.triples[:n], truncated=True)
    return replace(result, rows=result.rows[:n], truncated=True)


def fit(result: QueryResult, media: str, max_bytes: int, context_url: str | None = None,
        truncation_link: str | None = None) -> tuple[bytes, QueryResult, str | None]:
    """Serialize, dropping trailing rows until the body fits in max_bytes (0: no limit). JSON-LD refers to
    context_url; a cut SPARQL JSON result carries truncation_link in head.link."""
    def body_of(r: QueryResult) -> bytes:
        return serialize(r, media, context_url, [truncation_link] if r.truncated and truncation_link else [])

    body = body_of(result)
    cut = "rows" if result.truncated else None
    while max_bytes and len(body) > max_bytes and _items(result):
        n = len(_items(result))
        result = _cut(result, min(n - 1, int(n * max_bytes / len(body) * 0.95)))
        body = body_of(result)
        cut = "bytes"
    return body, result, cut


def encode(result: QueryResult, accept: str | None, format_param: str | None, max_bytes: int,
           context_url: str | None = None, truncation_link: str | None = None) -> Answer:
    media = choose(result.kind, accept, format_param)
    rows = None if result.kind == "boolean" else len(_items(result))
    if media == "text/html":
        _, result, cut = fit(result, HTML_PROXY[result.kind], max_bytes)
        return Answer(result.kind, media, cut, len(_items(result)) if rows is not None else None, 0, result=result)
    body, result, cut = fit(result, media, max_bytes, context_url, truncation_link)
    return Answer(result.kind, media, cut, len(_items(result)) if rows is not None else None, len(body), body=body)
