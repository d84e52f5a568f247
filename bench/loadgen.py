"""Closed-loop load: N client threads, each on its own kept-alive connection, cycling through a query mix
for a fixed wall-clock time. Reports throughput (successful requests per second), latency percentiles and
errors by HTTP status.

Closed loop (each client sends its next query when the last one is answered) measures what the server sustains
with N requests in flight, which is how a handful of notebooks or a web page's fan-out use an endpoint. Each
client connects from its own loopback address, so per-client limits see N clients. Each thread starts at a
different place in the mix, so the servers see a mix at every moment, not N copies of one query. Nothing is sent
after the deadline; requests in flight then are waited for (bounded by the timeout), and the elapsed time
includes them.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from .client import Connection, Endpoint, client_address, count_results
from .workloads import Query


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list (None when empty)."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, int(round(q / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


@dataclass
class LoadResult:
    server: str
    workload: str
    concurrency: int
    seconds: float
    ok: int
    errors: Counter = field(default_factory=Counter)  # status (0: connection error or timeout) -> count
    latencies_ms: list[float] = field(default_factory=list)  # successful requests, sorted
    round: int = 0  # which repetition of the load schedule

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float | None:
        return percentile(self.latencies_ms, q)


def run_load(endpoint: Endpoint, queries: list[Query], workload: str, concurrency: int, duration: float,
             timeout: float = 60.0) -> LoadResult:
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[Counter] = [Counter() for _ in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        conn = Connection(endpoint, timeout, client_address(1, i))
        n = len(queries)
        k = (i * n) // concurrency  # spread the clients' starting points over the mix
        barrier.wait()
        try:
            while time.perf_counter() < deadline[0]:
                answer = conn.send(queries[k % n])
                k += 1
                if answer.status == 200:
                    latencies[i].append(answer.seconds * 1000)
                else:
                    errors[i][answer.status] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    start = time.perf_counter()
    deadline[0] = start + duration
    barrier.wait()
    for t in threads:
        t.join(duration + timeout + 10)
    elapsed = time.perf_counter() - start
    all_latencies = sorted(x for per in latencies for x in per)
    total_errors = sum(errors, Counter())
    return LoadResult(endpoint.name, workload, concurrency, elapsed, len(all_latencies), total_errors,
                      all_latencies)


@dataclass
class Check:
    query: str
    status: int
    ms: float
    results: int | None
    error: str = ""


def check(endpoint: Endpoint, queries: list[Query], timeout: float,
          restart: Callable[[], Endpoint] | None = None) -> dict[str, Check]:
    """Send every query once; record status, time and result count instead of failing on the first error.

    A query that times out may still be running in the server (neither uvicorn nor pyoxigraph stops work whose
    client left), and would stall every later query: ``restart`` gives a fresh server for the rest."""
    out = {}
    conn = Connection(endpoint, timeout)
    try:
        for q in queries:
            a = conn.send(q)
            detail = a.error or ("" if a.status == 200 else a.body[:200].decode("utf-8", "replace"))
            out[q.name] = Check(q.name, a.status, a.seconds * 1000,
                                count_results(q, a.body) if a.status == 200 else None, detail)
            if a.status == 0 and restart is not None:
                conn.close()
                endpoint = restart()
                conn = Connection(endpoint, timeout)
    finally:
        conn.close()
    return out


def drain(endpoint: Endpoint, timeout: float = 180.0) -> float:
    """Wait until the server answers a trivial query quickly again (its backlog from a load run is done)."""
    start = time.perf_counter()
    probe = Query("drain", "ASK {}", "boolean")
    conn = Connection(endpoint, timeout)
    try:
        while time.perf_counter() - start < timeout:
            a = conn.send(probe)
            if a.status == 200 and a.seconds < 0.5:
                break
            time.sleep(0.2)
    finally:
        conn.close()
    return time.perf_counter() - start
