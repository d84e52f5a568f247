"""The scale run: synthetic graphs of growing size, loaded by raw pyoxigraph and by aigov, then queried.

For each size, ``bench.synthetic`` writes a real artefact (in its own process, so the generator's rdflib graphs
never inflate this one), then ``bench.probe`` loads it twice, each time in a fresh process: once with raw
``pyoxigraph`` bulk_load, once the way ``aigov serve`` does. Each probe then times three representative queries.

The build's own steps (OWL 2 RL reasoning with owlrl, SHACL validation with pySHACL and the repository's
shapes) are timed at the smallest size only: owlrl takes minutes from ~100k triples on, which is why the build
reasons over the report's ~6k asserted triples only and the scale run writes its inferences directly.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import ROOT, Config
from .workloads import PREFIXES, Query


def scale_queries(country: str, family_root: str) -> list[Query]:
    return [
        Query("instruments-of-country", PREFIXES + f"""
SELECT ?instrument ?label (MIN(STR(?date)) AS ?first) WHERE {{
  ?place aigov:withinJurisdiction* <{country}> .
  ?instrument aigov:jurisdiction ?place ; rdfs:label ?label FILTER(LANG(?label) = "en")
  ?event aigov:concerns ?instrument ; aigov:date ?date .
}} GROUP BY ?instrument ?label ORDER BY ?first ?label"""),
        Query("influence-chain", PREFIXES + f"""
SELECT ?later ?label WHERE {{
  ?later aigov:influencedBy+ <{family_root}> ; rdfs:label ?label FILTER(LANG(?label) = "en")
}} ORDER BY ?label"""),
        Query("count-jurisdiction-year", PREFIXES + """
SELECT ?jurisdiction ?year (COUNT(DISTINCT ?instrument) AS ?n) WHERE {
  ?instrument aigov:jurisdiction ?jurisdiction .
  ?event aigov:concerns ?instrument ; aigov:date ?date .
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
} GROUP BY ?jurisdiction ?year ORDER BY ?jurisdiction ?year"""),
    ]


@dataclass
class SizeResult:
    target: int
    triples: int = 0
    instruments: int = 0
    generate_seconds: float = 0.0
    raw: dict = field(default_factory=dict)  # the probe's JSON
    aigov: dict = field(default_factory=dict)
    served: Served | None = None
    error: str = ""


@dataclass
class Served:
    """``aigov serve`` itself on the synthetic artefact: start-up, first ad-hoc answer, memory at rest."""
    ready_seconds: float = 0.0
    first_query_seconds: float = 0.0  # the first /sparql answer, sent the moment /health first answered 200
    health_ms: float = 0.0  # p50 of GET /health once settled
    peak_rss_mib: float = 0.0
    peak_pss_mib: float = 0.0
    processes: int = 0
    error: str = ""


@dataclass
class BuildSteps:
    triples: int
    data_triples: int
    reason_seconds: float = 0.0
    inferred_triples: int = 0
    validate_seconds: float = 0.0
    shacl_results: int = 0
    error: str = ""


def _run_json(args: list[str], timeout: float) -> dict:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_size(target: int, config: Config, workdir: Path) -> SizeResult:
    result = SizeResult(target)
    instance = workdir / f"syn-{target}"
    try:
        t = time.perf_counter()
        summary = _run_json(["-m", "bench.synthetic", "--triples", str(target), "--instance", str(instance),
                             "--seed", str(config.seed)], timeout=1800)
        result.generate_seconds = time.perf_counter() - t
        result.triples, result.instruments = summary["triples"], summary["instruments"]
        queries = workdir / f"queries-{target}.json"
        queries.write_text(json.dumps([{"name": q.name, "text": q.text}
                                       for q in scale_queries(summary["country"], summary["family_root"])]))
        for mode in ("raw", "aigov"):
            setattr(result, mode, _run_json(["-m", "bench.probe", "--mode", mode, "--instance", str(instance),
                                             "--queries", str(queries), "--repeats", str(config.query_repeats)],
                                            timeout=1800))
        if config.serve_at_scale:
            result.served = serve(instance, workdir, scale_queries(summary["country"], summary["family_root"])[1])
    except Exception as e:  # one size failing must not lose the others
        result.error = f"{type(e).__name__}: {e}"[:500]
    finally:
        import shutil

        shutil.rmtree(instance, ignore_errors=True)
    return result


def serve(instance: Path, logdir: Path, query: Query, settle_timeout: float = 120.0) -> Served:
    """Start ``aigov serve`` (defaults) on ``instance``; wait for a first ad-hoc answer and for memory to settle.

    The store is loaded once, in the master, and shared copy-on-write with the workers, the zygote and its query
    children; each query child copies the pages its queries write to. How much that adds up to is measured here
    (PSS of the whole tree, after queries have reached both workers' children), not inferred."""
    import http.client
    import statistics
    from urllib.parse import urlsplit

    from . import procs, servers
    from .client import Connection

    served = Served()
    try:
        server = servers.start_aigov(instance, logdir)
    except servers.Unavailable as e:
        served.error = str(e)[:300]
        return served
    sampler = procs.MemorySampler(server.process.pid, interval=0.25).start()
    try:
        served.ready_seconds = server.ready_seconds
        conn = Connection(server.endpoint, settle_timeout)
        t = time.perf_counter()
        answer = conn.send(query)
        served.first_query_seconds = time.perf_counter() - t
        if answer.status != 200:
            served.error = f"first /sparql query: {answer.status or answer.error}"
        for _ in range(6):  # reach both workers' evaluators
            conn.close()
            conn.send(query)
        conn.close()
        deadline, last, stable_since = time.monotonic() + settle_timeout, -1.0, time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - stable_since < 2.0:
            time.sleep(0.25)
            now = sampler.memory.peak_rss_mib
            if now > last * 1.01:
                last, stable_since = now, time.monotonic()
        parts = urlsplit(server.endpoint.base)
        h = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        times = []
        for _ in range(9):
            t = time.perf_counter()
            h.request("GET", "/health")
            h.getresponse().read()
            times.append((time.perf_counter() - t) * 1000)
        h.close()
        served.health_ms = statistics.median(times)
    except Exception as e:
        served.error = f"{type(e).__name__}: {e}"[:300]
    finally:
        memory = sampler.stop()
        server.stop()
    served.peak_rss_mib, served.peak_pss_mib, served.processes = memory.peak_rss_mib, memory.peak_pss_mib, memory.processes
    return served


def build_steps(target: int, seed: int) -> BuildSteps:
    """Time the build's reasoning and validation on a synthetic graph (in this process: it is small)."""
    from rdflib import Graph

    from aigov.pipeline.load import parse_turtle
    from aigov.pipeline.reason import infer
    from aigov.pipeline.validate import check_files, validate_graph

    from .synthetic import generate

    synthetic = generate(target, seed)
    onto, data = synthetic.graphs["ontology"], synthetic.graphs["data"]
    steps = BuildSteps(len(onto) + len(data), len(data))
    try:
        t = time.perf_counter()
        inferred = infer(onto, data)
        steps.reason_seconds = time.perf_counter() - t
        steps.inferred_triples = len(inferred)
        shapes = Graph()
        for f in sorted((ROOT / "shapes").rglob("*.ttl")):
            parse_turtle(f, into=shapes)
        t = time.perf_counter()
        report = validate_graph(onto + data, shapes, check_files(ROOT))
        steps.validate_seconds = time.perf_counter() - t
        steps.shacl_results = len(report.results)
    except Exception as e:
        steps.error = f"{type(e).__name__}: {e}"[:500]
    return steps


def run(config: Config, log=print) -> tuple[list[SizeResult], BuildSteps | None]:
    results = []
    with tempfile.TemporaryDirectory(prefix="aigov-bench-scale-") as tmp:
        for size in config.sizes:
            log(f"scale: {size:,} triples ...")
            r = run_size(size, config, Path(tmp))
            log(f"scale: {size:,}: " + (r.error or f"{r.triples:,} triples, raw load {r.raw['load_seconds']:.2f} s, "
                                        f"aigov load {r.aigov['load_seconds']:.2f} s"))
            results.append(r)
    steps = None
    if config.build_steps:
        log(f"build steps at {config.build_steps_size:,} triples (owlrl, pySHACL) ...")
        steps = build_steps(config.build_steps_size, config.seed)
        log(f"build steps: reason {steps.reason_seconds:.1f} s, validate {steps.validate_seconds:.1f} s {steps.error}")
    return results, steps
