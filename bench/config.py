"""The knobs of one run, in one place, so the report can print exactly what was measured.

Three presets: the full run (`make bench`), ``--quick`` (shorter loads and soak, no 1M-triple graph) and ``--smoke``
(the test suite's: tiny graph, half-second loads, one client, a 5 s soak), which checks that everything runs, not
how fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE_IRI = "https://w3id.org/aigov/"


@dataclass
class Config:
    mode: str = "full"
    out: Path = ROOT / "bench" / "RESULTS.md"
    svg: Path | None = None  # default: latency-vs-size.svg beside the report
    instance: Path = ROOT / "instance"
    duration: float = 8.0  # seconds of load per server x workload x concurrency
    rounds: int = 3  # the load schedule is repeated (rdflib-endpoint's runs only once): ratios are paired per round
    concurrency: tuple[int, ...] = (1, 8)
    sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    build_steps_size: int = 10_000  # owlrl and pySHACL are timed at this size only
    build_steps: bool = True
    serve_at_scale: bool = True  # also start `aigov serve` on each synthetic size (ready, memory at rest)
    overhead_repeats: int = 15  # per canned query, for the HTTP-vs-in-process p50
    ready_starts: int = 3  # `aigov serve` cold starts timed
    query_repeats: int = 7  # per representative query per size
    request_timeout: float = 60.0  # seconds; a request past it counts as an error, not a hang
    check_timeout: float = 60.0  # per query when checking aigov and oxigraph
    rdflib_check_timeout: float = 20.0  # per query on rdflib-endpoint; past it the query is left out of its mix
    fixed_repeats: int = 200  # ASK {} and /health, for the fixed per-request cost
    max_queries: int | None = None  # per workload (smoke: a few, so the test stays fast)
    rdflib: bool = True
    diagnostics: bool = True  # also run aigov with AIGOV_EVALUATORS=0 (labelled as a diagnostic, not the default)
    soak_seconds: float = 60.0  # the soak with hostile clients (0: left out)
    soak_clients: int = 16
    soak_query_timeout: float = 5.0
    seed: int = 20250531
    notes: list[str] = field(default_factory=list)

    @property
    def chart(self) -> Path:
        return self.svg or self.out.with_name("latency-vs-size.svg")

    @classmethod
    def preset(cls, mode: str, **overrides) -> "Config":
        if mode == "quick":
            base = cls(mode="quick", duration=2.0, rounds=2, sizes=(10_000, 100_000), overhead_repeats=9,
                       query_repeats=5, soak_seconds=20.0)
        elif mode == "smoke":
            base = cls(mode="smoke", duration=0.5, rounds=1, concurrency=(1,), sizes=(2_000,), build_steps_size=2_000,
                       overhead_repeats=3, ready_starts=1, query_repeats=3, request_timeout=20.0,
                       check_timeout=20.0, rdflib_check_timeout=3.0, fixed_repeats=20, max_queries=4,
                       soak_seconds=5.0, soak_clients=4, soak_query_timeout=2.0)
        else:
            base = cls()
        for k, v in overrides.items():
            if v is not None:
                setattr(base, k, v)
        return base
