"""SERVICE (federated query) policy: refused unless the endpoint is on an explicit allow-list, and never to
loopback, private, link-local or otherwise non-public addresses, checked after DNS resolution.

SPARQL allows \\u escapes anywhere in a query, so they are decoded before looking. The engine resolves the host
again when it connects; the check narrows, but cannot fully close, a DNS-rebinding window, which is why the
allow-list is the primary control and is empty by default.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from .errors import BadRequest

SERVICE_CLAUSE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(<[^>\s]*>|\?\w+|\$\w+|[A-Za-z_][\w.-]*:\S*|:\S*)",
                            re.IGNORECASE)
CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def service_targets(text: str) -> list[str]:
    decoded = CODEPOINT.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return SERVICE_CLAUSE.findall(decoded)


def is_public(address: str) -> bool:
    """Only globally routable unicast addresses may be reached."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private
                                 or ip.is_reserved or ip.is_unspecified)


def resolve(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (socket.gaierror, UnicodeError):
        return []


def check_service(text: str, allow: tuple[str, ...], resolver=resolve) -> None:
    """Raise BadRequest unless every SERVICE in the query targets an allowed endpoint with public addresses."""
    for target in service_targets(text):
        if not allow:
            raise BadRequest("SERVICE (federated query) is not allowed on this endpoint: it would make the server "
                             "fetch other URLs; run federated queries from your own client")
        if not target.startswith("<"):
            raise BadRequest(f"SERVICE {target}: name the endpoint with a full IRI from the allow-list")
        url = target[1:-1]
        if url not in allow:
            raise BadRequest(f"SERVICE <{url}> is not on this endpoint's allow-list")
        host = urlsplit(url).hostname or ""
        addresses = resolver(host)
        if not addresses or not all(is_public(a) for a in addresses):
            raise BadRequest(f"SERVICE <{url}> resolves to a non-public address and is refused")
