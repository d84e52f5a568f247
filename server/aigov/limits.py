"""Per-client rate limiting: a token bucket per client address, in each worker process.

Each gunicorn worker keeps its own buckets, so the effective limit is up to workers x rate_limit; that is the
price of needing no shared state, and it still stops one client from monopolising the endpoint.
/health and /metrics are exempt so monitoring keeps working under load.
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
