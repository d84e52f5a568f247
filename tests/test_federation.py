"""The SERVICE policy's address check, as unit tests: private and link-local ranges are never contacted."""
from __future__ import annotations

import pytest

from aigov.errors import BadRequest
from aigov.federation import check_service, is_public, service_targets

ALLOWED = ("https://query.example.org/sparql",)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1",
                                     "fe80::1", "fc00::1", "0.0.0.0", "::ffff:127.0.0.1", "224.0.0.1", "100.64.0.1"])
def test_non_public_addresses_are_refused(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert is_public(address)


def query(target: str) -> str:
    return f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"


def test_service_is_refused_without_an_allow_list():
    with pytest.raises(BadRequest, match="not allowed"):
        check_service(query("<https://query.example.org/sparql>"), ())


def test_only_allowed_endpoints_that_resolve_to_public_addresses_pass():
    check_service(query("<https://query.example.org/sparql>"), ALLOWED, resolver=lambda host: ["93.184.215.14"])
    with pytest.raises(BadRequest, match="allow-list"):
        check_service(query("<https://evil.example.org/sparql>"), ALLOWED, resolver=lambda host: ["93.184.215.14"])
    with pytest.raises(BadRequest, match="non-public"):
        check_service(query("<https://query.example.org/sparql>"), ALLOWED, resolver=lambda host: ["10.0.0.5"])
    with pytest.raises(BadRequest, match="non-public"):
        check_service(query("<https://query.example.org/sparql>"), ALLOWED,
                      resolver=lambda host: ["93.184.215.14", "192.168.0.9"])
    with pytest.raises(BadRequest, match="full IRI"):
        check_service(query("?endpoint"), ALLOWED, resolver=lambda host: ["93.184.215.14"])


def test_service_hidden_by_escapes_or_case_is_found_and_words_in_literals_are_not():
    assert service_targets("select * { \\u0053ERVICE <http://x/> {} }") == ["<http://x/>"]
    assert service_targets("select * { service silent ?e {} }") == ["?e"]
    assert service_targets('SELECT * WHERE { ?s ?p "generative AI services" }') == []


def test_service_hidden_by_an_eight_digit_escape_is_found():
    assert service_targets("select * { \\U00000053ERVICE <http://x/> {} }") == ["<http://x/>"]


def test_the_refusal_says_why_and_what_to_do():
    with pytest.raises(BadRequest) as refused:
        check_service(query("<https://query.example.org/sparql>"), ())
    assert refused.value.message == ("SERVICE (federated query) is not allowed on this endpoint: it would make the server "
                                     "fetch other URLs; run federated queries from your own client")


def test_the_address_check_resolves_the_endpoint_host():
    asked = []
    check_service(query("<https://query.example.org/sparql>"), ALLOWED,
                  resolver=lambda host: asked.append(host) or ["93.184.215.14"])
    assert asked == ["query.example.org"]


@pytest.mark.parametrize("address", ["ff0e::1", "2001:db8::1"])
def test_global_multicast_and_documentation_addresses_are_refused(address):
    assert not is_public(address)


def test_resolve_uses_the_system_resolver_and_fails_closed():
    from aigov.federation import resolve

    assert "127.0.0.1" in resolve("localhost")
    assert resolve("a..b") == []  # not a valid host name: no addresses, so check_service refuses it
