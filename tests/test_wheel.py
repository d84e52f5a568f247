"""The wheel is the product (issue 14): built from this checkout, installed into a fresh venv, used from an
empty directory with no checkout in sight, it serves and queries the whole graph the checkout builds.

Slow (a wheel build runs the pipeline, a fresh venv installs the dependencies) but part of `make test`: it is
the only test of what `pip install aigov` gives a user.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef

from .conftest import ROOT, free_port
from .http import http

pytestmark = pytest.mark.slow


def run(args, cwd, env=None, timeout=600) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin dir, an empty working directory, a clean environment) with only the wheel installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist"), str(ROOT)], cwd=tmp)
    wheel = next((tmp / "dist").glob("aigov-*.whl"))
    run([sys.executable, "-m", "venv", str(tmp / "venv")], cwd=tmp)
    bin_dir = tmp / "venv" / "bin"
    run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)], cwd=tmp)
    empty = tmp / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGOV_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return bin_dir, empty, env, wheel


def test_the_wheel_carries_the_graph_and_is_small(installed):
    *_, wheel = installed
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "aigov/bundle/instance/current/kg.nq" in names
    assert "aigov/bundle/queries/list-bills-stages.rq" in names
    assert not any(n.startswith("server/") for n in names), "the wheel must not install a top-level `server`"
    assert wheel.stat().st_size < 5_000_000


def test_an_installed_aigov_answers_a_saved_query_from_an_empty_directory(installed, store):
    bin_dir, empty, env, _ = installed
    out = run([str(bin_dir / "aigov"), "query", "list-bills-stages", "--format", "csv"], cwd=empty, env=env).stdout
    bills = set(re.findall(r"https://w3id\.org/aigov/id/instrument/[\w-]+", out))
    expected = {row[0].value for row in store.query(
        "SELECT DISTINCT ?b WHERE { ?b a <https://w3id.org/aigov/ontology#Bill> }").rows}
    assert bills == expected


def test_an_installed_aigov_serves_the_whole_graph(installed, built):
    bin_dir, empty, env, _ = installed
    port = free_port()
    server = subprocess.Popen([str(bin_dir / "aigov"), "serve", "--port", str(port)], cwd=empty, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = http.get(url + "/health", timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "aigov serve did not start"
                time.sleep(0.3)
        expected = sum(g["triples"] for g in built.artefact.manifest["graphs"].values())
        assert health.json()["triples"] == expected
        g = Graph()
        response = http.get(url + "/id/instrument/eu-ai-act", headers={"Accept": "text/turtle"}, timeout=10)
        g.parse(data=response.text, format="turtle")
        assert (URIRef("https://w3id.org/aigov/id/instrument/eu-ai-act"), None, None) in g
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_readme_python_example_runs_on_the_installed_wheel(installed):
    bin_dir, empty, env, _ = installed
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    out = run([str(bin_dir / "python"), "-c", block], cwd=empty, env=env).stdout
    assert "https://w3id.org/aigov/graph/data" in out and "SB 1047" in out


def test_an_installed_aigov_still_builds_a_checkout(installed, tmp_path):
    bin_dir, empty, env, _ = installed
    out = run([str(bin_dir / "aigov"), "--root", str(ROOT), "--instance", str(tmp_path / "instance"), "build"],
              cwd=empty, env=env).stdout
    assert out.startswith("built ")
    assert (tmp_path / "instance" / "current" / "kg.nq").exists()


def test_nothing_installs_a_top_level_server_package(installed):
    bin_dir, empty, env, _ = installed
    result = subprocess.run([str(bin_dir / "python"), "-c", "import server"], cwd=empty, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "No module named 'server'" in result.stderr
