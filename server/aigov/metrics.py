"""Prometheus counters and latency histograms, and one structured log line per query.

Under gunicorn every worker is a process; ``aigov serve`` sets PROMETHEUS_MULTIPROC_DIR so /metrics adds up
all workers (prometheus_client's multiprocess mode). Without it (tests, flask run) the default registry is used.
"""
from __future__ import annotations

import json
import logging
import os
import time

from flask import Flask, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REQUESTS = Counter("aigov_http_requests_total", "HTTP requests by endpoint and status", ["endpoint", "status"])
LATENCY = Histogram("aigov_http_request_seconds", "HTTP request latency by endpoint", ["endpoint"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
RESULT_CACHE = Counter("aigov_result_cache_total", "Ad-hoc query answers from the result cache (hit) or evaluated (miss)",
                       ["outcome"])
QUERIES = Counter("aigov_sparql_queries_total", "SPARQL queries by result kind and outcome", ["kind", "outcome"])

query_log = logging.getLogger("aigov.query")


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def observe(response):
        endpoint = request.endpoint or "unmatched"
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        REQUESTS.labels(endpoint, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(elapsed)
        return response


def log_query(kind: str, outcome: str, text: str, elapsed: float, rows: int | None = None, **extra) -> None:
    """One JSON line per query: what ran, how long, how it ended."""
    QUERIES.labels(kind, outcome).inc()
    from flask import has_request_context

    client = request.remote_addr if has_request_context() else None  # the forwarded client behind trusted proxies
    record = {"event": "query", "kind": kind, "outcome": outcome, "ms": round(elapsed * 1000, 2),
              "rows": rows, "bytes": len(text), "client": client, "query": text[:500], **extra}
    query_log.info(json.dumps(record, ensure_ascii=False))


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
