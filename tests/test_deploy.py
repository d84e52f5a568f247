"""The public deployment, end to end (issue 14): w3id's redirect (real Apache with deploy/w3id/.htaccess as it
would be submitted) -> TLS reverse proxy (real nginx with deploy/nginx-aigov.conf) -> two `aigov serve`
replicas -> 303 -> the document. Followed with rdflib, requests and curl as a linked-data client would.

The shipped files are used as written; the test only substitutes the host names, ports and file paths that a
deployment would also change. Needs Debian's apache2, nginx, openssl and curl (.ci/run installs them).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef

from .conftest import ROOT, free_port, start_server, stop_server
from .http import http

pytestmark = pytest.mark.slow
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
AI_ACT = URIRef("https://w3id.org/aigov/id/instrument/eu-ai-act")

for tool in (APACHE, NGINX, "openssl", "curl"):
    if not (Path(tool).exists() or shutil.which(tool)):
        pytestmark = [pytest.mark.slow, pytest.mark.skip(reason=f"{tool} is not installed (.ci/run installs it)")]


def kill_tree(pid: int) -> None:
    """SIGKILL a process and all its descendants (read from /proc), as a crashed machine would."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in (children.read_text().split() if children.exists() else []):
        kill_tree(int(child))
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


@pytest.fixture(scope="module")
def chain(built):
    """Two replicas, nginx (TLS) in front, Apache playing w3id.org in front of that."""
    work = Path(tempfile.mkdtemp(prefix="aigov-deploy-"))
    os.chmod(work, 0o755)  # Apache's worker user must read the .htaccess
    instance = built.artefact.directory.parent
    replicas = [start_server(instance, {"AIGOV_RATE_LIMIT": "0", "AIGOV_TRUSTED_PROXIES": "1"}) for _ in range(2)]
    ports = [int(r.url.rsplit(":", 1)[1]) for r in replicas]
    https_port, http_port, apache_port = free_port(), free_port(), free_port()

    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)

    site = (ROOT / "deploy" / "nginx-aigov.conf").read_text()
    site = (site.replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8002", f"127.0.0.1:{ports[1]}")
            .replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl").replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("/etc/ssl/certs/aigov.example.org.pem", str(cert))
            .replace("/etc/ssl/private/aigov.example.org.key", str(key))
            .replace("/var/cache/nginx/aigov", str(work / "nginx-cache")))
    (work / "nginx.conf").write_text(
        f"daemon off;\npid {work}/nginx.pid;\nerror_log {work}/nginx-error.log;\nevents {{}}\n"
        f"http {{\n access_log {work}/nginx-access.log;\n client_body_temp_path {work}/cbt;\n"
        f" proxy_temp_path {work}/pt;\n fastcgi_temp_path {work}/ft;\n uwsgi_temp_path {work}/ut;\n"
        f" scgi_temp_path {work}/st;\n{site}\n}}\n")
    nginx = subprocess.Popen([NGINX, "-c", str(work / "nginx.conf"), "-p", str(work)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    www = work / "www" / "aigov"
    www.mkdir(parents=True)
    htaccess = (ROOT / "deploy" / "w3id" / ".htaccess").read_text()
    (www / ".htaccess").write_text(htaccess.replace("aigov.example.org", f"127.0.0.1:{https_port}"))
    for p in (work / "www", www, www / ".htaccess"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    modules = "/usr/lib/apache2/modules"
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    (work / "apache.conf").write_text(
        f"ServerRoot {work}\nServerName 127.0.0.1\nListen 127.0.0.1:{apache_port}\nPidFile {work}/apache.pid\n"
        f"ErrorLog {work}/apache-error.log\nMutex file:{work}\nDefaultRuntimeDir {work}\n{user}"
        f"LoadModule mpm_event_module {modules}/mod_mpm_event.so\n"
        f"LoadModule authz_core_module {modules}/mod_authz_core.so\n"
        f"LoadModule rewrite_module {modules}/mod_rewrite.so\n"
        f"DocumentRoot {work}/www\n<Directory {work}/www>\n  AllowOverride All\n  Require all granted\n</Directory>\n")
    apache = subprocess.Popen([APACHE, "-f", str(work / "apache.conf"), "-DFOREGROUND"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(https_port, nginx, "nginx")
        wait_for_port(apache_port, apache, "apache2")
        yield {"w3id": f"http://127.0.0.1:{apache_port}/aigov", "site": f"https://127.0.0.1:{https_port}",
               "cert": str(cert), "replicas": replicas, "https_port": https_port}
    finally:
        for p in (apache, nginx):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        for r in replicas:
            if r.process.poll() is None:
                stop_server(r)
        shutil.rmtree(work, ignore_errors=True)


def test_rdflib_follows_w3id_proxy_and_303_to_a_graph_about_the_ai_act(chain, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", chain["cert"])
    g = Graph().parse(chain["w3id"] + "/id/instrument/eu-ai-act")
    assert (AI_ACT, None, None) in g
    assert len(g) > 10


@pytest.mark.parametrize("accept,suffix,media", [
    ("text/turtle", ".ttl", "text/turtle"),
    ("application/ld+json", ".jsonld", "application/ld+json"),
    ("text/html", "", "text/html"),
])
def test_every_hop_answers_as_expected(chain, accept, suffix, media, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", chain["cert"])  # rdflib fetches the JSON-LD @context from the deployment
    response = http.get(chain["w3id"] + "/id/instrument/eu-ai-act", headers={"Accept": accept},
                            verify=chain["cert"], timeout=30)
    hops = [(r.status_code, r.headers.get("Location", "")) for r in response.history]
    assert [code for code, _ in hops] == [303, 303], hops
    assert hops[0][1] == chain["site"] + "/id/instrument/eu-ai-act"  # w3id keeps the path, hands over to TLS
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
    assert response.url.startswith(chain["site"] + ("/data/id/instrument/eu-ai-act" + suffix if suffix else "/page/id/instrument/eu-ai-act"))
    if media != "text/html":
        assert (AI_ACT, None, None) in Graph().parse(data=response.text, format="json-ld" if "json" in media else "turtle")


def test_curl_sees_the_same_chain(chain):
    out = subprocess.run(["curl", "-sS", "-L", "-o", "/dev/null", "-D", "-", "--cacert", chain["cert"],
                          "-H", "Accept: text/turtle", chain["w3id"] + "/id/instrument/eu-ai-act"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.findall(r"^HTTP/[\d.]+ (\d{3})", out, re.M) == ["303", "303", "200"]


def test_killing_a_replica_mid_run_loses_no_request(chain):
    query = chain["site"] + "/sparql"
    headers = {"Accept": "application/sparql-results+json"}
    answers, failures = [], []

    def client():
        with requests.Session() as s:
            for i in range(60):  # a distinct comment per request, so nginx's cache cannot answer for a replica
                try:
                    r = s.get(query, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {i}"}, headers=headers, verify=chain["cert"], timeout=30)
                    (answers if r.status_code == 200 else failures).append(r.text if r.status_code == 200 else r.status_code)
                except requests.RequestException as e:
                    failures.append(repr(e))

    thread = threading.Thread(target=client)
    thread.start()
    while len(answers) < 10 and thread.is_alive():
        time.sleep(0.05)
    kill_tree(chain["replicas"][0].process.pid)  # the gunicorn master, its workers and evaluators, at once
    thread.join(timeout=300)
    # nginx retries every request the dead replica had not begun to answer; the one whose answer was already
    # streaming when the replica died (at most one: there is one client) is cut, which no proxy can retry
    cut = [f for f in failures if "ChunkedEncodingError" in f or "IncompleteRead" in f]
    assert failures == cut and len(cut) <= 1, failures[:5]
    assert len(answers) + len(cut) == 60 and len(set(answers)) == 1


def test_slowloris_connections_do_not_starve_other_clients(chain):
    context = ssl.create_default_context(cafile=chain["cert"])
    held = []
    for _ in range(8):
        raw = socket.create_connection(("127.0.0.1", chain["https_port"]), timeout=10)
        conn = context.wrap_socket(raw, server_hostname="127.0.0.1")
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        held.append(conn)
    try:
        for i in range(10):
            for conn in held:
                try:
                    conn.sendall(f"X-Slow-{i}: 1\r\n".encode())
                except OSError:
                    pass  # nginx may already have timed the slow client out: that is the point
            r = http.get(chain["site"] + "/health", verify=chain["cert"], timeout=10)
            assert r.status_code == 200
            time.sleep(0.5)
    finally:
        for conn in held:
            conn.close()
