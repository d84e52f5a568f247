"""The order of a benchmark run, and the one object that carries every measurement to the report.

1. Start the three servers on the current build (all stay up; an idle server costs nothing) and sample each
   one's memory for as long as it lives.
2. Check every query once on every server. The load mixes are the queries aigov and oxigraph both answer;
   rdflib-endpoint runs the part of that mix it answers, and where that is less, aigov runs the same subset too
   so the aigov/rdflib ratio compares like with like.
3. Load: for each workload and concurrency, each server in turn (interleaved, so a noisy neighbour on this shared
   machine hits all three alike rather than one).
4. Per-request overhead against in-process pyoxigraph; then stop the servers; then time aigov's cold starts.
5. The scale run in fresh processes.
6. The soak: aigov alone, legitimate and hostile clients at once (``bench.soak``).

Nothing here raises on a failing server or query: failures are recorded and reported.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import loadgen, machine, overhead, scale, servers, soak, workloads
from .config import ROOT, Config
from .procs import Memory


@dataclass
class Results:
    config: Config
    machine: dict = field(default_factory=dict)
    build: dict = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # server -> why
    server_notes: dict[str, str] = field(default_factory=dict)
    checks: dict[str, dict[str, dict[str, loadgen.Check]]] = field(default_factory=dict)  # workload -> server -> query
    mixes: dict[str, list[str]] = field(default_factory=dict)  # workload -> query names
    rdflib_mixes: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    loads: list[loadgen.LoadResult] = field(default_factory=list)
    memory: dict[str, Memory] = field(default_factory=dict)
    overhead: list[overhead.QueryOverhead] = field(default_factory=list)
    fixed: dict[str, float] = field(default_factory=dict)
    ready: list[float] = field(default_factory=list)
    scale: list[scale.SizeResult] = field(default_factory=list)
    build_steps: scale.BuildSteps | None = None
    soak: dict | None = None
    seconds: float = 0.0

    def runs(self, server: str, workload: str, concurrency: int) -> list[loadgen.LoadResult]:
        return [r for r in self.loads if (r.server, r.workload, r.concurrency) == (server, workload, concurrency)]

    def load(self, server: str, workload: str, concurrency: int) -> loadgen.LoadResult | None:
        """The first round's run (rdflib-endpoint and the runs on its subset have only that one)."""
        return next(iter(self.runs(server, workload, concurrency)), None)

    def throughput(self, server: str, workload: str, concurrency: int) -> float | None:
        """Median throughput over the rounds."""
        runs = self.runs(server, workload, concurrency)
        return statistics.median(r.throughput for r in runs) if runs else None

    def ratio(self, a: str, b: str, workload: str, concurrency: int,
              b_workload: str | None = None) -> tuple[float, float, float, int] | None:
        """aigov-style ratio a/b of throughput, paired by round (adjacent in time): (median, min, max, rounds)."""
        theirs = {r.round: r for r in self.runs(b, b_workload or workload, concurrency)}
        ratios = [r.throughput / theirs[r.round].throughput for r in self.runs(a, workload, concurrency)
                  if r.round in theirs and theirs[r.round].throughput]
        if not ratios:
            return None
        return statistics.median(ratios), min(ratios), max(ratios), len(ratios)


NO_EVALUATORS = "aigov (evaluators=0)"
NO_CACHE = "aigov (cache off)"


def _has_setting(name: str) -> bool:
    from aigov.settings import BY_NAME

    return name in BY_NAME


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _limit(queries: list, n: int | None) -> list:
    return queries if n is None else queries[:n]


def run(config: Config) -> Results:
    from aigov.pipeline.artefact import read_artefact

    started = time.monotonic()
    results = Results(config, machine=machine.describe())
    artefact = read_artefact(config.instance)
    results.build = {"version": artefact.version, "triples": sum(g["triples"] for g in artefact.manifest["graphs"].values()),
                     "graphs": {k: g["triples"] for k, g in artefact.manifest["graphs"].items()}}
    canned, results.problems = workloads.canned(ROOT)
    mixes = {"canned": _limit(canned, config.max_queries), "adhoc": _limit(workloads.adhoc(), config.max_queries)}
    by_name = {w: {q.name: q for q in qs} for w, qs in mixes.items()}

    with tempfile.TemporaryDirectory(prefix="aigov-bench-") as tmp:
        logdir = Path(tmp)
        running: dict[str, servers.Server] = {}
        starters = {"aigov": lambda: servers.start_aigov(config.instance, logdir),
                    "oxigraph": lambda: servers.start_oxigraph(artefact, logdir)}
        if config.diagnostics and _has_setting("evaluators"):
            starters[NO_EVALUATORS] = lambda: servers.start_aigov(config.instance, logdir, {"AIGOV_EVALUATORS": "0"},
                                                                  NO_EVALUATORS)
            starters[NO_CACHE] = lambda: servers.start_aigov(config.instance, logdir,
                                                             {"AIGOV_RESULT_CACHE_BYTES": "0"}, NO_CACHE)
        if config.rdflib:
            starters["rdflib-endpoint"] = lambda: servers.start_rdflib(artefact, logdir)
        else:
            results.unavailable["rdflib-endpoint"] = "left out (--no-rdflib)"
        try:
            for name, start in starters.items():
                log(f"starting {name} ...")
                try:
                    running[name] = start()
                    running[name].start_sampling()
                except servers.Unavailable as e:
                    results.unavailable[name] = str(e)
                    log(f"{name} unavailable: {e}")
            if "oxigraph" in running:
                results.server_notes["oxigraph"] = (f"loaded with `aigov.publish.publish` (Graph Store PUT) "
                                                    f"in {running['oxigraph'].load_seconds:.2f} s")

            # 2. checks
            restarts = {"rdflib-endpoint": 0}

            def restart_rdflib():
                restarts["rdflib-endpoint"] += 1
                old = running.pop("rdflib-endpoint")
                memory = old.stop(grace=0.5)
                if memory:  # keep the highest memory seen across the restarts
                    prev = results.memory.get("rdflib-endpoint")
                    results.memory["rdflib-endpoint"] = memory if not prev or memory.peak_rss_mib > prev.peak_rss_mib else prev
                running["rdflib-endpoint"] = servers.start_rdflib(artefact, logdir)
                running["rdflib-endpoint"].start_sampling()
                return running["rdflib-endpoint"].endpoint

            for workload, queries in mixes.items():
                results.checks[workload] = {}
                for name in list(running):
                    log(f"checking {len(queries)} {workload} queries on {name} ...")
                    timeout = config.rdflib_check_timeout if name == "rdflib-endpoint" else config.check_timeout
                    results.checks[workload][name] = loadgen.check(
                        running[name].endpoint, queries, timeout,
                        restart=restart_rdflib if name == "rdflib-endpoint" else None)
            if restarts["rdflib-endpoint"]:
                results.server_notes["rdflib-endpoint"] = (
                    f"restarted {restarts['rdflib-endpoint']} time(s) during the checks: a query that times out keeps "
                    "running in its single event loop and would stall every later request")

            for workload, queries in mixes.items():
                checks = results.checks[workload]
                core = [n for n in ("aigov", "oxigraph") if n in checks]
                results.mixes[workload] = [q.name for q in queries
                                           if all(checks[n][q.name].status == 200 for n in core)]
                if "rdflib-endpoint" in checks:
                    results.rdflib_mixes[workload] = [n for n in results.mixes[workload]
                                                      if checks["rdflib-endpoint"][n].status == 200]

            # 3. load, in rounds; rdflib-endpoint (and aigov on its subset) in the first round only: at ~1 req/s
            # more rounds would cost minutes and not change a ratio in the hundreds
            for round_ in range(config.rounds):
                for workload in mixes:
                    mix = [by_name[workload][n] for n in results.mixes[workload]]
                    rdflib_mix = [by_name[workload][n] for n in results.rdflib_mixes.get(workload, [])]
                    subset = "rdflib-endpoint" in running and len(rdflib_mix) < len(mix) and rdflib_mix
                    for c in config.concurrency:
                        plan = [(name, mix) for name in ("aigov", NO_EVALUATORS, NO_CACHE, "oxigraph") if name in running]
                        if round_ == 0 and "rdflib-endpoint" in running and rdflib_mix:
                            plan.append(("rdflib-endpoint", rdflib_mix))
                            if subset and "aigov" in running:
                                plan.append(("aigov", rdflib_mix))
                        for name, queries in plan:
                            label = workload if len(queries) == len(mix) else f"{workload}/rdflib-subset"
                            log(f"load {round_ + 1}/{config.rounds}: {name} {label} x{c} for {config.duration:g} s ...")
                            r = loadgen.run_load(running[name].endpoint, queries, label, c, config.duration,
                                                 config.request_timeout)
                            r.round = round_
                            results.loads.append(r)
                            log(f"      {r.throughput:.1f} req/s, p50 {r.p(50) or 0:.1f} ms, errors {dict(r.errors)}")
                            if name == "rdflib-endpoint":
                                loadgen.drain(running[name].endpoint)

            # 4. per-request overhead on the canned queries (aigov, idle otherwise)
            if "aigov" in running:
                log("per-request overhead: HTTP vs in-process ...")
                canned_mix = [by_name["canned"][n] for n in results.mixes["canned"]]
                results.overhead = overhead.per_query(running["aigov"].endpoint, artefact, canned_mix,
                                                      config.overhead_repeats,
                                                      running[NO_EVALUATORS].endpoint if NO_EVALUATORS in running
                                                      else None)
                results.fixed = overhead.fixed([s.endpoint for s in running.values()],
                                               running["aigov"].endpoint, repeats=config.fixed_repeats)
        finally:
            for name, s in list(running.items()):
                memory = s.stop()
                prev = results.memory.get(name)
                if memory and (not prev or memory.peak_rss_mib >= prev.peak_rss_mib):
                    results.memory[name] = memory

        log(f"aigov serve ready time x{config.ready_starts} ...")
        try:
            results.ready = overhead.ready_times(config.instance, logdir, config.ready_starts)
        except servers.Unavailable as e:
            results.problems.append(f"ready time: {e}")

    # 5. scale
    results.scale, results.build_steps = scale.run(config, log)
    # 6. soak
    if config.soak_seconds:
        log(f"soak: {config.soak_clients} clients for {config.soak_seconds:g} s ...")
        with tempfile.TemporaryDirectory(prefix="aigov-soak-") as tmp:
            results.soak = soak.soak(config.soak_seconds, config.soak_clients, config.soak_query_timeout, Path(tmp),
                                     config.instance)
        for target, measured, met in soak.verdicts(results.soak):
            log(f"{target}: {measured} -> {'met' if met else 'not met'}")
    results.seconds = time.monotonic() - started
    return results
