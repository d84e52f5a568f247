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

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
          "X-Forwarded-For": "198.51.100.1"}
# Every response that writes an absolute URL of this deployment into its body or headers.
URL_BEARING = [("/sparql", "text/turtle"), ("/.well-known/void", "text/turtle"), ("/openapi.json", None),
               ("/ui/config.js", None), ("/data/id/query/instruments-influenced-by.ttl", None),
               ("/sparql", "text/html"), ("/id/instrument/eu-ai-act", "text/turtle"),
               ("/id/instrument/eu-ai-act", "text/html"), ("/ontology", "text/html")]


def _get(url: str, accept: str | None, extra: dict | None = None) -> requests.Response:
    headers = {**({"Accept": accept} if accept else {}), **(extra or {})}
    return requests.get(url, headers=headers, allow_redirects=False, timeout=30)


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
    page = requests.get(server("/sparql"), params={"query": q, "format": "html"}).text
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
            requests.get(url + "/health", timeout=1)
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
