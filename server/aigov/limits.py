"""Per-client limits, in each worker process: a budget of query evaluation time, and an optional request count.

What a client costs the server is the time its ad-hoc queries hold an evaluator, not how many requests it sends:
a conformance run of hundreds of quick queries costs less than one cartesian product. So the main limit is
``EvaluationBudgets``: each client address has ``client_budget`` seconds of evaluation per minute (a bucket of
seconds refilled continuously, WDQS's anchor being 60 s per 60 s); a query is charged the time it held its
evaluator, and a client in debt gets 429 with the Retry-After that clears the debt. Pages, static files, saved
queries and cached results never evaluate an ad-hoc query, so they are never charged. The request-count limit
(``rate_limit``, off by default) remains as a blunt guard for deployments that want one.

Each gunicorn worker keeps its own buckets, so the effective limits are up to workers x the setting; that is the
price of needing no shared state. /health and /metrics are exempt from the request count.
"""
from __future__ import annotations

import math
import threading
import time

from flask import Flask, request

from .errors import RateLimited

EXEMPT = {"/health", "/metrics"}
MAX_CLIENTS = 10000


class TokenBuckets:
    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = max(10.0, per_minute / 6.0)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token; return 0 when allowed, else the seconds until one is available."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1 - tokens) / self.rate
            if len(self._buckets) > MAX_CLIENTS:  # forget the idlest clients rather than grow without bound
                for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1][1])[: MAX_CLIENTS // 10]:
                    del self._buckets[key]
        return wait


def init_app(app: Flask, per_minute: int) -> None:
    if per_minute <= 0:
        return
    buckets = TokenBuckets(per_minute)

    @app.before_request
    def rate_limit():
        if request.path in EXEMPT:
            return None
        wait = buckets.take(request.remote_addr or "unknown")
        if wait:
            raise RateLimited(f"too many requests from {request.remote_addr}: the limit is {per_minute} per minute; "
                              f"retry in {math.ceil(wait)} s", math.ceil(wait))
        return None


class EvaluationBudgets:
    """Seconds of evaluation per client: ``per_minute`` seconds refilled each minute, at most that many banked."""

    def __init__(self, per_minute: float):
        self.capacity = per_minute
        self.rate = per_minute / 60.0
        self._balances: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _balance(self, client: str, now: float) -> float:
        seconds, last = self._balances.get(client, (self.capacity, now))
        return min(self.capacity, seconds + (now - last) * self.rate)

    def check(self, client: str) -> None:
        """RateLimited while the client's balance is negative."""
        if self.capacity <= 0:
            return
        with self._lock:
            balance = self._balance(client, time.monotonic())
        if balance < 0:
            wait = math.ceil(-balance / self.rate)
            raise RateLimited(f"{client} has used its {self.capacity:g} s of query evaluation time per minute; "
                              f"retry in {wait} s (saved queries under /queries and pages are not charged)", wait)

    def charge(self, client: str, seconds: float) -> None:
        if self.capacity <= 0:
            return
        now = time.monotonic()
        with self._lock:
            self._balances[client] = (self._balance(client, now) - seconds, now)
            if len(self._balances) > MAX_CLIENTS:  # forget the longest-idle clients rather than grow without bound
                for key, _ in sorted(self._balances.items(), key=lambda kv: kv[1][1])[: MAX_CLIENTS // 10]:
                    del self._balances[key]
