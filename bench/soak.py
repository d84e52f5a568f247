"""A bounded soak: many clients for a fixed time against the real `aigov serve` on loopback, sending the
canned-query mix with hostile queries mixed in (a cartesian product that must be stopped by the time limit,
SERVICE to loopback, an update, garbage). It reports what was served, every status, latency percentiles and
memory over time: the targets are no unexpected 5xx (500/502/504; 503 is the designed answer to a query
stopped at the limit) and memory that stays flat once warm.

    python -m bench.soak [--seconds 60] [--clients 16] [--out bench/SOAK.md]
"""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from . import procs
from .client import Connection
from .loadgen import percentile
from .servers import start_aigov
from .workloads import Query, canned

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = [
    Query("hostile-cartesian", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    Query("hostile-service-loopback", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    Query("hostile-update", "DROP ALL"),
    Query("hostile-garbage", "SELECT * WHERE { ?s ?p <x> } } } LIMIT"),
]
EXPECTED = {"hostile-cartesian": {503}, "hostile-service-loopback": {400}, "hostile-update": {403},
            "hostile-garbage": {400}}
UNEXPECTED_5XX = {500, 502, 504}


def soak(seconds: float, clients: int, query_timeout: int, logdir: Path, instance: Path = ROOT / "instance") -> dict:
    from aigov.pipeline.artefact import read_artefact

    artefact = read_artefact(instance)
    server = start_aigov(artefact.directory.parent, logdir, env={"AIGOV_QUERY_TIMEOUT": str(query_timeout)})
    mix, _ = canned(ROOT)
    # one hostile query for every eight canned ones, spread through the mix
    queries = []
    for i, q in enumerate(mix):
        queries.append(q)
        if i % 8 == 7:
            queries.append(HOSTILE[(i // 8) % len(HOSTILE)])
    statuses: Counter = Counter()
    wrong: Counter = Counter()
    latencies: list[float] = []
    timeline: list[tuple[float, float]] = []  # (seconds since start, tree RSS MiB)
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def client(i: int) -> None:
        conn = Connection(server.endpoint, timeout=query_timeout + 30)
        k = i * len(queries) // clients
        while time.monotonic() < deadline:
            q = queries[k % len(queries)]
            k += 1
            answer = conn.send(q)
            with lock:
                statuses[answer.status] += 1
                expected = EXPECTED.get(q.name, {200})
                if answer.status not in expected:
                    wrong[(q.name, answer.status)] += 1
                if answer.status == 200:
                    latencies.append(answer.seconds * 1000)
        conn.close()

    def sample_memory() -> None:
        while time.monotonic() < deadline + 1:
            rss = sum(procs.status_kib(p, "VmRSS").get("VmRSS", 0) for p in procs.descendants(server.process.pid))
            timeline.append((time.monotonic() - start, rss / 1024))
            time.sleep(1)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + query_timeout + 60)
    sampler.join(5)
    health = Connection(server.endpoint).send(Query("health-check", "ASK {}"))
    server.stop()
    latencies.sort()
    warm = [m for s, m in timeline if s >= min(10, seconds / 3)]
    return {
        "seconds": seconds, "clients": clients, "query_timeout": query_timeout, "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())), "unexpected": dict(wrong),
        "unexpected_5xx": sum(n for s, n in statuses.items() if s in UNEXPECTED_5XX),
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
        "rss_peak": max((m for _, m in timeline), default=0), "rss_warm_first": warm[0] if warm else 0,
        "rss_warm_last": warm[-1] if warm else 0, "alive_after": health.status == 200,
    }


def markdown(r: dict) -> str:
    def ms(v):
        return "-" if v is None else f"{v:.1f}"

    growth = (r["rss_warm_last"] / r["rss_warm_first"]) if r["rss_warm_first"] else 0
    lines = [
        "# aigov soak", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {r['clients']} clients for {r['seconds']:g} s "
        f"against `aigov serve` (defaults, query time limit {r['query_timeout']} s) on loopback; the canned-query mix "
        "with one hostile query in nine (cartesian product, SERVICE to loopback, DROP ALL, garbage).", "",
        "| measure | value |", "|---|---|",
        f"| requests answered | {r['requests']} |",
        f"| by status | {', '.join(f'{s}: {n}' for s, n in r['statuses'].items())} |",
        f"| unexpected 5xx (500, 502, 504) | {r['unexpected_5xx']} |",
        f"| answers other than the expected status | {sum(r['unexpected'].values())} "
        f"{'(' + ', '.join(f'{q} -> {s}: {n}' for (q, s), n in r['unexpected'].items()) + ')' if r['unexpected'] else ''} |",
        f"| latency of 200s, p50 / p95 / p99 (ms) | {ms(r['p50'])} / {ms(r['p95'])} / {ms(r['p99'])} |",
        f"| RSS of the process tree: peak | {r['rss_peak']:.0f} MiB |",
        f"| RSS once warm: first / last sample | {r['rss_warm_first']:.0f} / {r['rss_warm_last']:.0f} MiB "
        f"({growth:.2f}x) |",
        f"| serving after the soak | {'yes' if r['alive_after'] else 'NO'} |", "",
        "A 503 to a hostile cartesian query is the time limit at work (its evaluator process is killed and "
        "replaced). A 503 to a canned query (listed above, if any) means every query slot of the worker was "
        "taken, mostly by hostile queries waiting out their limit: the bounded concurrency sheds load instead "
        "of queueing without end, at the cost of those legitimate requests.", "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--query-timeout", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "SOAK.md")
    parser.add_argument("--instance", type=Path, default=ROOT / "instance", help="build to serve (default: instance/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aigov-soak-") as logdir:
        result = soak(args.seconds, args.clients, args.query_timeout, Path(logdir), args.instance)
    args.out.write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0 if result["unexpected_5xx"] == 0 and result["alive_after"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
