"""Serving many clients safely, against real server processes: no URL taken from an untrusted Host header,
forwarded headers believed only from trusted proxies (through a real nginx), inert links in HTML."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from .conftest import free_port, start_server, stop_server
from .http import http

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
          "X-Forwarded-For": "198.51.100.1"}
# Every response that writes an absolute URL of this deployment into its body or headers.
URL_BEARING = [("/sparql", "text/turtle"), ("/.well-known/void", "text/turtle"), ("/openapi.json", None),
               ("/ui/config.js", None), ("/data/id/query/instruments-influenced-by.ttl", None),
               ("/sparql", "text/html"), ("/id/instrument/eu-ai-act", "text/turtle"),
               ("/id/instrument/eu-ai-act", "text/html"), ("/ontology", "text/html")]


def _get(url: str, accept: str | None, extra: dict | None = None) -> requests.Response:
    headers = {**({"Accept": accept} if accept else {}), **(extra or {})}
    return http.get(url, headers=headers, allow_redirects=False, timeout=30)


@pytest.mark.parametrize("path,accept", URL_BEARING)
def test_a_forged_host_changes_no_url_in_any_body(server, path, accept):
    honest, forged = _get(server(path), accept), _get(server(path), accept, FORGED)
    assert forged.status_code == honest.status_code and forged.status_code in (200, 303)
    assert "evil.example" not in forged.text and "https://127" not in forged.text
    assert forged.content == honest.content
    assert forged.headers.get("ETag") == honest.headers.get("ETag")
    for name in ("Location", "Link", "Content-Location"):
        assert "evil.example" not in forged.headers.get(name, "")
    assert honest.status_code == 303 or server.url in honest.text  # the body does carry our own URL


def test_a_public_url_setting_names_every_absolute_url(built):
    s = start_server(built.artefact.directory.parent, {"AIGOV_PUBLIC_URL": "https://aigov.example/kg/"})
    try:
        sd = _get(s("/sparql"), "application/n-triples", FORGED).text
        assert "<https://aigov.example/kg/sparql>" in sd and "evil.example" not in sd
        assert json.loads(_get(s("/openapi.json"), None).text)["servers"][0]["url"] == "https://aigov.example/kg"
    finally:
        stop_server(s)


def test_javascript_iris_in_results_render_as_text(server):
    q = 'SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(1)") AS ?x) BIND(IRI("mailto:a@example.org") AS ?y) }'
    page = http.get(server("/sparql"), params={"query": q, "format": "html"}).text
    assert "javascript:alert(1)" in page  # shown ...
    assert 'href="javascript:' not in page.replace(" ", "")  # ... but not as a link
    assert 'href="mailto:a@example.org"' in page  # mail and web IRIs stay links


def _nginx() -> str:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    return binary


NGINX_CONF = """
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass {upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host $host;
      # as a TLS-terminating proxy would say; here nginx itself listens on plain HTTP
      proxy_set_header X-Forwarded-Proto https;
    }}
  }}
}}
"""


@pytest.fixture
def proxied(built, tmp_path):
    """nginx on a loopback port in front of `aigov serve --trusted-proxies 1`."""
    binary = _nginx()
    app = start_server(built.artefact.directory.parent, {"AIGOV_TRUSTED_PROXIES": "1"})
    port = free_port()
    (tmp_path / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp_path, port=port, upstream=app.url))
    nginx = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            http.get(url + "/health", timeout=1)
            break
        except requests.ConnectionError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                nginx.kill()
                stop_server(app)
                raise RuntimeError(f"nginx did not start: {nginx.stderr.read().decode()}")
            time.sleep(0.1)
    yield url, app
    nginx.terminate()
    nginx.wait(timeout=10)
    stop_server(app)


def _from(address: str) -> requests.Session:
    """A client whose connections leave from the given loopback address (Linux routes all of 127/8 to lo)."""
    from requests.adapters import HTTPAdapter

    class SourceAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", SourceAddress())
    return session


def _clients_logged(log: str, marker: str) -> list[str]:
    return [json.loads(line)["client"] for line in Path(log).read_text().splitlines()
            if line.startswith("{") and marker in line]


def test_forwarded_headers_are_honoured_from_a_trusted_nginx(proxied):
    url, app = proxied
    client = _from("127.0.0.5")
    # the client forges its own X-Forwarded-For; nginx appends the address it saw, and only that is believed
    sd = client.get(url + "/sparql", headers={"Host": "aigov.example", "Accept": "application/n-triples",
                                               "X-Forwarded-For": "198.51.100.1"}, timeout=30)
    assert "<https://aigov.example/sparql>" in sd.text  # the forwarded scheme and host
    r = client.get(url + "/sparql", params={"query": "ASK { <urn:proxied-marker> ?p ?o }"},
                   headers={"X-Forwarded-For": "198.51.100.1"}, timeout=30)
    assert r.status_code == 200
    time.sleep(0.2)
    assert _clients_logged(app.log, "proxied-marker") == ["127.0.0.5"]


def test_forwarded_headers_are_ignored_without_trusted_proxies(server):
    client = _from("127.0.0.6")
    sd = client.get(server("/sparql"), headers={"Accept": "application/n-triples", **FORGED}, timeout=30).text
    assert f"<{server('/sparql')}>" in sd and "evil.example" not in sd
    client.get(server("/sparql"), params={"query": "ASK { <urn:direct-marker> ?p ?o }"}, headers=FORGED, timeout=30)
    time.sleep(0.2)
    assert _clients_logged(server.log, "direct-marker") == ["127.0.0.6"]


# --- bounded resources: evaluators forked from the loaded store -------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMIT = 6.0


@pytest.fixture(scope="module")
def bounded(built):
    """A server with small limits: 6 s per query, 256 MiB per query child, 4 KiB per result."""
    s = start_server(built.artefact.directory.parent, {
        "AIGOV_QUERY_TIMEOUT": str(LIMIT), "AIGOV_EVALUATOR_MEMORY": "256", "AIGOV_MAX_RESULT_BYTES": "4096",
        "AIGOV_RATE_LIMIT": "0"})
    yield s
    stop_server(s)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _busy_children(server, within: float = 5.0) -> set[int]:
    """The server's processes burning CPU now (a query child at work): idle ones, waiting for a query, burn none."""
    def busy_in_half_a_second() -> set[int]:
        pids = _descendants(server.process.pid)
        before = {p: _cpu_ticks(p) for p in pids}
        time.sleep(0.5)
        return {p for p in pids if _alive(p) and _cpu_ticks(p) - before[p] >= 5}  # >= 0.05 s of CPU in 0.5 s

    deadline = time.monotonic() + within
    last = busy_in_half_a_second()
    while time.monotonic() < deadline:
        now = busy_in_half_a_second()
        if last & now:  # busy for a whole second: not a child warming up after start-up
            return last & now
        last = now
    return set()


def test_a_timed_out_querys_child_is_gone_within_the_limit_plus_one_second(bounded):
    import threading

    outcome = {}
    start = time.monotonic()
    thread = threading.Thread(target=lambda: outcome.update(
        r=http.get(bounded("/sparql"), params={"query": CARTESIAN}, timeout=60)))
    thread.start()
    children = _busy_children(bounded)
    assert children, "no process is evaluating the query"
    thread.join()
    assert outcome["r"].status_code == 503 and "limit" in outcome["r"].text
    while any(_alive(p) for p in children) and time.monotonic() - start < LIMIT + 1:
        time.sleep(0.05)
    assert not any(_alive(p) for p in children), f"query child still running {time.monotonic() - start:.1f} s in"


def test_a_client_that_disconnects_mid_query_frees_its_evaluator(bounded):
    import socket
    from urllib.parse import quote

    host, port = bounded.url.rsplit("/", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.sendall(f"GET /sparql?query={quote(CARTESIAN)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    children = _busy_children(bounded)
    assert children, "no process is evaluating the query"
    sock.close()
    hung_up = time.monotonic()
    while any(_alive(p) for p in children) and time.monotonic() - hung_up < LIMIT / 2:
        time.sleep(0.05)
    assert not any(_alive(p) for p in children), "the child outlived its client's connection"
    assert http.get(bounded("/sparql"), params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_one_client_flooding_queries_stalls_no_other_route(bounded):
    import threading

    flooder, other = _from("127.0.0.7"), _from("127.0.0.8")
    statuses: list[int] = []

    def hostile():
        try:
            r = flooder.get(bounded("/sparql"), params={"query": CARTESIAN}, timeout=60)
            statuses.append(r.status_code)
            if r.status_code == 503 and "limit" not in r.text:
                assert int(r.headers["Retry-After"]) >= 1
        except requests.RequestException as e:
            statuses.append(repr(e))

    paths = ("/health", "/page/id/jurisdiction/cn", "/static/style.css", "/sparql?query=ASK%20%7B%7D")
    for path in paths:  # rendered once before the flood: what is timed below is waiting, not a first render
        other.get(bounded(path), timeout=30)
    threads = [threading.Thread(target=hostile) for _ in range(24)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # every flood query has been admitted or refused by now
    took = {}
    for path in paths:
        start = time.monotonic()
        r = other.get(bounded(path), timeout=30)
        took[path] = time.monotonic() - start
        assert r.status_code == 200, (path, r.status_code, r.text[:200])
    for i in range(5):  # the other client's own ad-hoc queries all answer, not only one lucky one
        r = other.get(bounded("/sparql"), params={"query": f'ASK {{ ?s ?p "other-{i}" }}'}, timeout=30)
        assert r.status_code == 200, (i, r.status_code, r.text[:200])
    for t in threads:
        t.join()
    print("other client's answers while flooded (s):", {k: round(v, 3) for k, v in took.items()})
    assert max(took.values()) < 1, took  # the bound
    assert set(statuses) == {503}, statuses  # stopped at the limit, or refused at once: never left waiting


def test_the_doubling_concat_query_is_stopped_by_the_memory_limit(bounded):
    rounds = "".join(f" BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(20))
    query = f'SELECT (STRLEN(?s20) AS ?n) WHERE {{ BIND("{"x" * 1000}" AS ?s0){rounds} }}'
    start = time.monotonic()
    r = http.get(bounded("/sparql"), params={"query": query}, timeout=60)
    assert r.status_code == 503 and "memory" in r.text, r.text[:300]
    assert time.monotonic() - start < LIMIT  # stopped by the memory limit, not the time limit
    assert http.get(bounded("/sparql"), params={"query": "ASK {}"}, timeout=10).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "json", "ttl"])
def test_a_result_over_max_result_bytes_is_cut_to_fit_and_flagged(bounded, fmt):
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1000" if fmt == "ttl" else
             "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000")
    r = http.get(bounded("/sparql"), params={"query": query, "format": fmt}, timeout=30)
    assert r.status_code == 200 and r.headers["X-Aigov-Truncated"] == "true; max-bytes=4096"
    assert 0 < len(r.content) <= 4096 == int(r.headers["X-Aigov-Truncated"].rsplit("=", 1)[1])
    if fmt == "csv":
        import csv
        import io

        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["s", "p", "o"] and 10 < len(rows) - 1 < 1000
    elif fmt == "json":
        assert 10 < len(r.json()["results"]["bindings"]) < 1000
    else:
        from rdflib import Graph

        assert 10 < len(Graph().parse(data=r.text, format="turtle")) < 1000
    small = http.get(bounded("/sparql"), params={"query": query.replace("1000", "2"), "format": fmt})
    assert small.status_code == 200 and "X-Aigov-Truncated" not in small.headers


# --- fair scheduling by evaluation time --------------------------------------------------------------------------

def test_an_evaluation_budget_refills_with_time():
    from aigov.errors import RateLimited
    from aigov.limits import EvaluationBudgets

    budgets = EvaluationBudgets(per_minute=60)  # one second of evaluation per second
    budgets.check("a")
    budgets.charge("a", 61.5)
    with pytest.raises(RateLimited) as refused:
        budgets.check("a")
    assert refused.value.retry_after == 2  # ceil(1.5 s of debt / 1 s per s)
    budgets.check("b")  # another client is not touched
    time.sleep(1.6)
    budgets.check("a")  # the debt is paid back by waiting


def test_a_client_past_its_budget_gets_429_while_others_and_cheap_routes_are_served(built):
    s = start_server(built.artefact.directory.parent, {"AIGOV_WORKERS": "1", "AIGOV_QUERY_TIMEOUT": "1.5",
                                                       "AIGOV_CLIENT_BUDGET": "1"})
    try:
        hostile, other = _from("127.0.0.9"), _from("127.0.0.10")
        assert hostile.get(s("/sparql"), params={"query": CARTESIAN}, timeout=30).status_code == 503
        refused = hostile.get(s("/sparql"), params={"query": "ASK {}"}, timeout=30)
        assert refused.status_code == 429 and "evaluation time" in refused.text
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        for path in ("/queries/list-bills-stages", "/page/id/jurisdiction/cn", "/health"):
            assert hostile.get(s(path), timeout=30).status_code == 200, path  # not charged
        assert other.get(s("/sparql"), params={"query": "ASK {}"}, timeout=30).status_code == 200
    finally:
        stop_server(s)


# --- ad-hoc result cache -----------------------------------------------------------------------------------------

def _cache_hits(server) -> float:
    for line in http.get(server("/metrics"), timeout=10).text.splitlines():
        if line.startswith('aigov_result_cache_total{outcome="hit"}'):
            return float(line.split()[-1])
    return 0.0


@pytest.mark.parametrize("fmt", ["csv", "json", "html"])
def test_a_repeated_query_is_answered_from_the_cache_as_evaluated(server, fmt):
    marker = f"cache-{fmt}-{time.time_ns()}"  # a query no earlier test sent
    query = f'SELECT ?s ?label WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(?label != "{marker}") }} ORDER BY ?s ?label'
    relaid = query.replace(" WHERE ", "\n  # the same query, laid out differently\n  WHERE ").replace(" ORDER BY", "\nORDER  BY")
    session = requests.Session()  # one connection, so one worker (each worker keeps its own cache)
    hits = _cache_hits(server)
    if fmt == "html":  # the page shows the query as sent, so only the very same text is a hit
        relaid = query
    first = session.get(server("/sparql"), params={"query": query, "format": fmt}, timeout=30)
    again = session.get(server("/sparql"), params={"query": relaid, "format": fmt}, timeout=30)
    assert first.status_code == again.status_code == 200
    assert (first.headers["X-Aigov-Cache"], again.headers["X-Aigov-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert _cache_hits(server) >= hits + 1
    other = session.get(server("/sparql"), params={"query": query.replace(marker, marker + "x"), "format": fmt})
    assert other.headers["X-Aigov-Cache"] == "miss"  # a different literal is a different query


def test_an_update_moves_the_cache_on(built):
    s = start_server(built.artefact.directory.parent, {"AIGOV_ALLOW_UPDATE": "true", "AIGOV_UPDATE_TOKEN": "t0ken"})
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:test:cached> ?o }"

        def n():
            r = http.get(s("/sparql"), params={"query": count, "format": "json"}, timeout=30)
            return int(r.json()["results"]["bindings"][0]["n"]["value"]), r.headers["X-Aigov-Cache"]

        assert n() == (0, "miss") and n() == (0, "hit")
        r = http.post(s("/sparql"), data={"update": "INSERT DATA { <urn:a> <urn:test:cached> 1 }"},
                          headers={"Authorization": "Bearer t0ken"})
        assert r.status_code == 204
        assert n() == (1, "miss")
    finally:
        stop_server(s)


def test_stopping_the_server_leaves_no_process_behind(built):
    s = start_server(built.artefact.directory.parent)
    http.get(s("/sparql"), params={"query": "ASK {}"}, timeout=30)
    tree = _descendants(s.process.pid)
    assert len(tree) > 2  # the workers, the zygote and its query children
    stop_server(s)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in tree)


def test_a_killed_zygote_takes_its_children_along_and_is_replaced(built):
    import os
    import signal

    s = start_server(built.artefact.directory.parent)
    try:
        assert http.get(s("/health"), timeout=10).json()["evaluators"] == "running"
        # the zygote: the master's only child that has children of its own (its query children)
        children = {p: _descendants(p) for p in _descendants(s.process.pid) if p in _direct_children(s.process.pid)}
        (zygote,) = [p for p, below in children.items() if below]
        os.kill(zygote, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in children[zygote]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in children[zygote]), "query children outlived their zygote"
        close = {"Connection": "close"}  # a worker that noticed is replaced: no kept-alive connection to it
        health = requests.get(s("/health"), headers=close, timeout=10)
        assert health.status_code == 503 and health.json()["evaluators"] == "stopped"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            health = requests.get(s("/health"), headers=close, timeout=10)
            if health.status_code == 200:
                break
            time.sleep(0.2)
        assert health.json()["evaluators"] == "running", health.text
        for i in range(6):  # whichever worker takes it, every ad-hoc query is answered again
            r = requests.get(s("/sparql"), params={"query": f'ASK {{ ?s ?p "after the zygote {i}" }}'},
                             headers=close, timeout=30)
            assert r.status_code == 200, r.text[:300]
        (replacement,) = [p for p in _direct_children(s.process.pid) if _descendants(p)]
        assert replacement != zygote
    finally:
        stop_server(s)


def _direct_children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found
