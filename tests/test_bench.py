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
                    "## Per-request overhead of aigov", "## Scale (synthetic graphs)", "### Build steps"):
        assert heading in text, f"{heading} missing from the report"
    assert "| aigov | canned | 1 |" in text and "| oxigraph | canned | 1 |" in text
    assert "**failed**" not in text, text
    # the targets a smoke run measures carry a number and a verdict, not just the row label the template writes
    table = text.split("## Targets")[1].split("##")[0].splitlines()
    rows = {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip().strip("|").split("|")] for line in table
                                              if line.startswith("| ") and not line.startswith("| target"))}
    for target in ("canned-query p50 within 2 ms of in-process pyoxigraph", "`aigov serve` ready ≤ 2 s"):
        measured, verdict, _ = rows[target]
        assert any(ch.isdigit() for ch in measured) and verdict in ("**met**", "**not met**"), (target, measured)
    chart = out.with_name("latency-vs-size.svg")
    assert chart.read_text().startswith("<svg") and "influence-chain (aigov)" in chart.read_text()


def test_smoke_run_includes_rdflib_endpoint(smoke):
    if not _has_rdflib_endpoint():
        pytest.skip("rdflib-endpoint is not installed (pip install -e '.[bench]'); the run left it out")
    out, _ = smoke
    assert "| rdflib-endpoint | canned" in out.read_text()


def test_a_short_soak_runs_with_no_unexpected_5xx_and_the_server_still_serving(built, tmp_path):
    from bench.soak import main as soak_main

    out = tmp_path / "SOAK.md"
    code = soak_main(["--seconds", "6", "--clients", "4", "--query-timeout", "2", "--out", str(out),
                      "--instance", str(built.artefact.directory.parent)])
    text = out.read_text(encoding="utf-8")
    assert "| unexpected 5xx (500, 502, 504) | 0 |" in text
    assert "| serving after the soak | yes |" in text
    assert code == 0
