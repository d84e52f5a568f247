"""Settings reach the real server: AIGOV_HOST, AIGOV_BASE_IRI and AIGOV_EVALUATORS (AIGOV_SERVICE_ALLOW is in
test_hardening, AIGOV_WORKERS in its rate-limit test), each checked by what the running server does."""
from __future__ import annotations

import pytest
import requests

from .conftest import evaluator_pids, start_server, stop_server, worker_pids
from .http import http

OTHER_BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def configured(built):
    """One worker bound to 127.0.0.2 only, minting IRIs under another base, with one query evaluator."""
    s = start_server(built.artefact.directory.parent, {"AIGOV_HOST": "127.0.0.2", "AIGOV_BASE_IRI": OTHER_BASE,
                                                       "AIGOV_EVALUATORS": "1", "AIGOV_RATE_LIMIT": "0"}, workers=1)
    yield s
    stop_server(s)


def test_the_server_binds_only_the_host_it_is_given(configured):
    assert configured.url.startswith("http://127.0.0.2:")
    assert http.get(configured("/health")).status_code == 200
    with pytest.raises(requests.ConnectionError):
        http.get(configured.url.replace("127.0.0.2", "127.0.0.1") + "/health", timeout=5)


def test_resource_paths_resolve_under_the_configured_base_iri(configured):
    r = http.get(configured("/data/id/jurisdiction/cn.ttl"))
    assert r.status_code == 404 and f"<{OTHER_BASE}id/jurisdiction/cn> is not in the graph" in r.text
    void = http.get(configured("/.well-known/void"), headers={"Accept": "application/n-triples"}).text
    assert f"<{OTHER_BASE}dataset>" in void


def test_each_worker_runs_the_configured_number_of_evaluators(configured):
    assert len(worker_pids(configured)) == 1
    assert len(evaluator_pids(configured)) == 1
    r = http.get(configured("/sparql"), params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
    assert r.json()["boolean"] is True
