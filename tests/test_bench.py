"""Smoke test of the benchmark (`python -m bench --smoke`): it runs end to end and writes its report and chart.

No timing is asserted: the numbers of a half-second run on a shared machine mean nothing. What is checked is
that every stage (three servers, query checks, load, overhead, start-up, synthetic scale run, build steps,
report, SVG) still works against the current code, so `make bench` does not rot between real runs.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


def _has_rdflib_endpoint() -> bool:
    try:
        import rdflib_endpoint  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def smoke(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    args = [sys.executable, "-m", "bench", "--smoke", "--out", str(out),
            "--instance", str(built.artefact.directory.parent)]
    if not _has_rdflib_endpoint():
        args.append("--no-rdflib")
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done.stderr


def test_smoke_run_writes_the_report(smoke):
    out, log = smoke
    text = out.read_text()
    for heading in ("## Targets", "## Machine", "## Query checks", "## Load",
                    "## Per-request overhead of aigov", "## Scale (synthetic graphs)", "### Build steps", "## Soak"):
        assert heading in text, f"{heading} missing from the report"
    assert "| aigov | canned | 1 |" in text and "| oxigraph | canned | 1 |" in text
    assert "**failed**" not in text, text
    # the targets a smoke run measures carry a number and a verdict, not just the row label the template writes
    table = text.split("## Targets")[1].split("##")[0].splitlines()
    rows = {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip().strip("|").split("|")] for line in table
                                              if line.startswith("| ") and not line.startswith("| target"))}
    soak = [t for t in rows if t.startswith("soak: ")]
    assert len(soak) == 4, rows
    for target in ("canned-query p50 within 2 ms of in-process pyoxigraph", "`aigov serve` ready ≤ 2 s", *soak):
        measured, verdict, _ = rows[target]
        assert any(ch.isdigit() for ch in measured) and verdict in ("**met**", "**not met**"), (target, measured)
    assert "| unexpected 5xx (500, 502, 504) | 0 |" in text and "| serving after the soak | yes |" in text
    assert "aigov: ASK, evaluated each time" in text
    chart = out.with_name("latency-vs-size.svg")
    assert chart.read_text().startswith("<svg") and "influence-chain (aigov)" in chart.read_text()


def test_smoke_run_includes_rdflib_endpoint(smoke):
    if not _has_rdflib_endpoint():
        pytest.skip("rdflib-endpoint is not installed (pip install -e '.[bench]'); the run left it out")
    out, _ = smoke
    assert "| rdflib-endpoint | canned" in out.read_text()


def _soak_result(**changes) -> dict:
    result = {"seconds": 60, "clients": 16, "hostile_clients": 2, "query_timeout": 5,
              "legitimate": {200: 1000}, "hostile": {400: 10, 403: 10, 429: 5, 503: 40}, "unexpected": {},
              "legitimate_503": 0, "unexpected_5xx": 0, "p50": 20.0, "p95": 90.0, "p99": 200.0, "pss_peak": 700,
              "pss_first_half": 600, "pss_second_half": 610, "warm_up": 10, "alive_after": True}
    return {**result, **changes}


@pytest.mark.parametrize("changes, failing", [
    ({}, set()),
    ({"legitimate": {200: 999, 503: 1}, "legitimate_503": 1, "unexpected": {("list-bills-stages", 503): 1}},
     {"soak: 0 legitimate 503s"}),
    ({"p95": 1001.0}, {"soak: legitimate p95 ≤ 1 s"}),
    ({"pss_second_half": 700}, {"soak: memory flat once warm"}),
    ({"hostile": {200: 3, 503: 40}, "unexpected": {("hostile-cartesian", 200): 3}},
     {"soak: hostile clients get 429/503 (and the designed 400/403), nothing else breaks"}),
    ({"unexpected_5xx": 1}, {"soak: hostile clients get 429/503 (and the designed 400/403), nothing else breaks"}),
    ({"alive_after": False}, {"soak: hostile clients get 429/503 (and the designed 400/403), nothing else breaks"}),
])
def test_soak_verdicts_fail_exactly_the_target_a_result_misses(changes, failing):
    from bench.soak import verdicts

    assert {target for target, _, met in verdicts(_soak_result(**changes)) if not met} == failing
