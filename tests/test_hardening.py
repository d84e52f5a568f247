"""A public read-only endpoint: hostile queries time out and are stopped, SERVICE cannot reach the host's
network, results are capped visibly, oversized and garbage input get 4xx, HTML is inert, bad artefacts are refused."""
from __future__ import annotations

import string
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROOT, copy_project, evaluator_pids, is_alive, start_server, stop_server, worker_pids
from .http import TimeoutSession, http

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


LOOPBACK = ("http://127.0.0.1:9999/sparql", "http://[::1]:9999/sparql", "http://localhost:9999/sparql")


@pytest.fixture(scope="module")
def strict(built):
    """A server with tight limits: 10 s per query (room for a busy CI machine), 5 rows, 2 KiB queries; its SERVICE allow-list admits loopback
    endpoints, so that a refusal of them can only come from the address check."""
    s = start_server(built.artefact.directory.parent, {
        "AIGOV_QUERY_TIMEOUT": "10", "AIGOV_MAX_ROWS": "5", "AIGOV_MAX_QUERY_BYTES": "2048", "AIGOV_RATE_LIMIT": "0",
        "AIGOV_SERVICE_ALLOW": ",".join(LOOPBACK)})
    yield s
    stop_server(s)


@pytest.mark.parametrize("target", LOOPBACK)
def test_service_to_loopback_is_refused_by_the_address_check(strict, target):
    q = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    r = http.get(strict("/sparql"), params={"query": q})
    assert r.status_code == 400 and "resolves to a non-public address" in r.text, r.text


def test_service_hidden_behind_a_codepoint_escape_is_refused(strict):
    q = "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9999/sparql> { ?s ?p ?o } }"
    r = http.get(strict("/sparql"), params={"query": q})
    assert r.status_code == 400 and "resolves to a non-public address" in r.text, r.text


def test_service_is_refused_by_default(server):
    q = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    r = http.get(server("/sparql"), params={"query": q})
    assert r.status_code == 400 and "SERVICE (federated query) is not allowed" in r.text, r.text


def test_a_runaway_query_is_stopped_and_its_process_killed_while_others_are_served(strict):
    expected = 2 * 4  # workers x evaluators (the defaults): the zygote keeps that many query children
    deadline = time.monotonic() + 60
    while len(evaluator_pids(strict)) < expected and time.monotonic() < deadline:
        time.sleep(0.2)  # the zygote forks them after start-up
    before = evaluator_pids(strict)
    assert len(before) == expected
    outcome = {}

    def runaway():  # its own session: a requests session is not shared across threads
        r = TimeoutSession().get(strict("/sparql"), params={"query": CARTESIAN})
        outcome["status"], outcome["text"] = r.status_code, r.text

    thread = threading.Thread(target=runaway)
    thread.start()
    quick = http.get(strict("/sparql"), params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/json"}, timeout=30)
    assert quick.status_code == 200 and quick.json()["boolean"] is True
    assert thread.is_alive(), "the quick query was answered only after the runaway ended"
    thread.join()
    assert outcome["status"] == 503 and "longer than the 10 s limit and was stopped" in outcome["text"]
    deadline = time.monotonic() + 5  # the worker kills the child as it answers 503: allow it a moment
    while not (gone := {pid for pid in before if not is_alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(gone) == 1, "the evaluator that ran the runaway query should have been killed"
    deadline = time.monotonic() + 60
    while len(evaluator_pids(strict)) < len(before) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(evaluator_pids(strict)) == len(before), "a fresh evaluator should replace the killed one"


def test_the_row_cap_is_signalled(strict):
    r = http.get(strict("/sparql"), params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 5
    assert r.headers["X-Aigov-Truncated"].startswith("true")
    html = http.get(strict("/sparql"), params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "html"})
    assert 'id="truncated"' in html.text


def test_oversized_queries_and_bodies_are_413(strict):
    big = "ASK { " + "?s ?p ?o . " * 500 + "}"
    r = http.post(strict("/sparql"), data=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "the limit is 2048" in r.text
    huge = b"query=" + b"x" * (2 << 20)
    r = http.post(strict("/sparql"), data=huge, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "capacity limit" in r.text


def test_a_client_beyond_the_rate_limit_gets_429_with_retry_after(built):
    # no --workers flag: AIGOV_WORKERS=1 decides, so the one worker's bucket sees every request
    s = start_server(built.artefact.directory.parent, {"AIGOV_RATE_LIMIT": "60", "AIGOV_WORKERS": "1"}, workers=None)
    try:
        assert len(worker_pids(s)) == 1, "AIGOV_WORKERS=1 should give one gunicorn worker"
        statuses = [http.get(s("/page/id/jurisdiction/cn")) for _ in range(30)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited and int(limited[0].headers["Retry-After"]) >= 1 and "the limit is 60 per minute" in limited[0].text
        assert http.get(s("/health")).status_code == 200  # monitoring is exempt
    finally:
        stop_server(s)


def test_security_headers_on_html(server):
    r = http.get(server("/"))
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]


XSS = """@prefix aigov: <https://w3id.org/aigov/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/aigov/id/jurisdiction/xss> a aigov:Region ;
    rdfs:label "<script>alert('en')</script>"@en , "</script><script>alert('zh')</script>"@zh ;
    aigov:statedIn <https://w3id.org/aigov/id/section/2-1> .
"""


def test_data_containing_script_renders_inert(tmp_path):
    from aigov.pipeline import build
    from aigov.settings import load_settings

    project = copy_project(tmp_path / "p", ["source.ttl", "jurisdictions.ttl", "topics.ttl", "measures.ttl"])
    (project / "graph" / "xss.ttl").write_text(XSS, encoding="utf-8")
    built = build(load_settings({"root": str(project), "instance": "instance"}))
    s = start_server(built.artefact.directory.parent, {"AIGOV_ROOT": str(project)})
    try:
        for lang in ("en", "zh"):
            page = http.get(s(f"/page/id/jurisdiction/xss?lang={lang}")).text
            assert "<script>alert(" not in page
            assert "&lt;script&gt;alert(" in page
            body_scripts = page.count("<script")
            assert body_scripts == 1  # only the JSON-LD data block
        q = "SELECT ?l WHERE { <https://w3id.org/aigov/id/jurisdiction/xss> ?p ?l FILTER(isLiteral(?l)) }"
        results = http.get(s("/sparql"), params={"query": q, "format": "html"}).text
        assert "<script>alert(" not in results
    finally:
        stop_server(s)


def test_a_corrupted_artefact_is_refused_at_start_up(built, tmp_path):
    import shutil

    instance = tmp_path / "instance"
    shutil.copytree(built.artefact.directory, instance / built.artefact.directory.name)
    (instance / "current").symlink_to(built.artefact.directory.name)
    quads = instance / built.artefact.directory.name / "kg.nq"
    quads.write_bytes(quads.read_bytes()[: len(quads.read_bytes()) // 2])
    result = subprocess.run([sys.executable, "-m", "aigov", "serve", "--no-build", "--port", "1"],
                            env={"AIGOV_ROOT": str(ROOT), "AIGOV_INSTANCE": str(instance), "PATH": "/usr/bin"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "corrupted" in result.stderr


# The fuzz tests are derandomized so CI is reproducible; a wider random run (examples x10) is worth doing by
# hand after changing request handling, which is how the 500s on odd IRIs were found.
ROUTES = ["/", "/sparql", "/ui", "/queries", "/queries.json", "/queries/instruments-influenced-by",
          "/id/instrument/eu-ai-act", "/page/id/instrument/eu-ai-act", "/data/id/instrument/eu-ai-act.ttl",
          "/ontology", "/.well-known/void", "/health", "/openapi.json", "/id/query/instruments-influenced-by",
          "/graph/data", "/dumps/aigov.ttl"]
garbage = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(route=st.sampled_from(ROUTES), suffix=st.text(alphabet=string.printable, max_size=40),
       params=st.dictionaries(st.sampled_from(["query", "format", "lang", "instrument", "default-graph-uri",
                                               "entailment", "output", "x"]), garbage, max_size=3),
       accept=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
                        st.sampled_from(["text/html", "*/*;q=x", "application/json;q=2", "text/html;q=-1, */*"])),
       method=st.sampled_from(["GET", "POST"]))
def test_garbage_at_every_route_never_gets_a_5xx(server, route, suffix, params, accept, method):
    headers = {"Accept": accept.strip()} if accept and accept.strip() else {}  # requests rejects edge whitespace
    url = server(route + suffix.replace("#", "%23").replace("?", "%3F"))
    r = http.request(method, url, params=params, headers=headers, timeout=30)
    assert r.status_code < 500, f"{method} {url} {params} {headers} -> {r.status_code}: {r.text[:300]}"


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=st.binary(max_size=300), content_type=st.sampled_from(
    ["application/sparql-query", "application/x-www-form-urlencoded", "text/plain", "application/sparql-update"]))
def test_garbage_bodies_never_get_a_5xx(server, body, content_type):
    r = http.post(server("/sparql"), data=body, headers={"Content-Type": content_type}, timeout=30)
    assert r.status_code < 500, f"{content_type} {body!r} -> {r.status_code}: {r.text[:300]}"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_are_refused_with_allow(server, method):
    r = http.request(method, server("/graph/data"), data="<urn:a> <urn:b> <urn:c> .",
                         headers={"Content-Type": "application/n-triples"})
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


@pytest.mark.parametrize("path,reason", [("/id/instrument/eu-ai-act[", "Invalid IRI code point '['"),
                                         ("/page/id/x%20y", "Invalid IRI code point ' '"),
                                         ("/data/id/a%7Bb%7D.ttl", "Invalid IRI code point '{'"),
                                         ("/id/" + "a" * 600, "longer than 512 characters")])
def test_odd_iris_in_resource_paths_are_400_not_500(server, path, reason):
    # regression: hypothesis found '[' in an /id/ path reaching pyoxigraph's IRI parser as a 500
    r = http.get(server(path))
    assert r.status_code == 400 and reason in r.text, r.text


def test_a_graph_parameter_that_is_not_an_iri_is_400(server):
    r = http.get(server("/sparql"), params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400 and "IRI" in r.text
