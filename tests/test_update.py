"""SPARQL Update is off by default; with --allow-update it needs the bearer token, never fetches URLs, and
changes the served data's version (so ETags and caches move on)."""
from __future__ import annotations

import pytest

from .conftest import start_server, stop_server
from .http import http

INSERT = "INSERT DATA { GRAPH <https://w3id.org/aigov/graph/data> { <urn:test:x> <urn:test:p> \"added\" } }"
ASK = "ASK { <urn:test:x> <urn:test:p> \"added\" }"


@pytest.fixture(scope="module")
def writable(built):
    s = start_server(built.artefact.directory.parent, {"AIGOV_ALLOW_UPDATE": "true", "AIGOV_UPDATE_TOKEN": "s3cret",
                                                       "AIGOV_RATE_LIMIT": "0"})
    yield s
    stop_server(s)


def ask(server) -> bool:
    return http.get(server("/sparql"), params={"query": ASK}, headers={"Accept": "application/json"}).json()["boolean"]


def test_updates_without_a_token_are_401_and_with_a_wrong_one_403(writable):
    r = http.post(writable("/sparql"), data=INSERT, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    r = http.post(writable("/sparql"), data=INSERT, headers={"Content-Type": "application/sparql-update",
                                                                 "Authorization": "Bearer wrong"})
    assert r.status_code == 403 and "token" in r.text.lower()
    assert ask(writable) is False


def test_an_authorised_update_is_applied_and_moves_the_version(writable):
    before = http.get(writable("/health")).json()["version"]
    r = http.post(writable("/sparql"), data={"update": INSERT}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    assert ask(writable) is True
    assert http.get(writable("/health")).json()["version"] != before


@pytest.mark.parametrize("update,reason", [
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD is refused"),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
     "SERVICE (federated query) is not allowed")])
def test_updates_that_would_fetch_urls_are_refused_even_with_the_token(writable, update, reason):
    r = http.post(writable("/sparql"), data=update, headers={"Content-Type": "application/sparql-update",
                                                                 "Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and reason in r.text, r.text


def test_allow_update_without_a_token_refuses_to_start():
    from aigov import create_app
    from aigov.errors import UsageError

    with pytest.raises(UsageError, match="AIGOV_UPDATE_TOKEN"):
        create_app({"allow_update": True, "update_token": ""})


def test_an_update_changes_etags_so_cached_pages_are_refetched(writable):
    page = "/page/id/jurisdiction/cn"
    before = http.get(writable(page))
    assert http.get(writable(page), headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    r = http.post(writable("/sparql"), data={"update": "INSERT DATA { GRAPH <https://w3id.org/aigov/graph/data> "
                                                       "{ <urn:test:etag> <urn:test:p> 1 } }"},
                  headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    after = http.get(writable(page), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
