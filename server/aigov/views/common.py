"""Small helpers the views share: the site's own URL and negotiated RDF responses."""
from __future__ import annotations

from flask import Response, redirect, request

from ..negotiation import EXTENSIONS, MEDIA_TYPES, choose
from ..serializers import CONTENT_TYPES, graph_bytes


def site_url() -> str:
    """This deployment's root URL (ends with /), for every absolute URL the server writes.

    Never the request's Host header, which any client can forge (and a shared cache would then keep the
    forged URL under our ETag): the ``public_url`` setting; else, behind ``trusted_proxies``, the scheme and host
    the proxy forwarded (ProxyFix has already applied them to the request); else the address we are bound to."""
    from .. import context

    settings = context().settings
    if settings["public_url"]:
        return settings["public_url"].rstrip("/") + "/"
    if settings["trusted_proxies"]:
        return request.host_url
    host = settings["host"]
    host = "localhost" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings['port']}/"


def linkable(iri: str) -> bool:
    """Only web and mail IRIs become links in HTML; javascript:, data: and the like are shown as text."""
    return iri.split(":", 1)[0].lower() in ("http", "https", "mailto") and ":" in iri


def truncation_link() -> str:
    """head.link of a SPARQL JSON result cut at the row limit: the service description's note on the limit."""
    return site_url() + "sparql#max-rows"


def truncation_links(result) -> list[str]:
    return [truncation_link()] if result.truncated else []


def context_url() -> str:
    """Where this deployment publishes the JSON-LD @context its JSON-LD documents refer to."""
    return site_url() + "context.jsonld"


def local_path(iri: str, base_iri: str) -> str | None:
    """Map a minted IRI (https://w3id.org/aigov/...) to this server's path, or None for foreign IRIs."""
    return "/" + iri[len(base_iri):] if iri.startswith(base_iri) else None


def rdf_response(triples, kind: str = "rdf", extension: str | None = None) -> Response:
    media = choose(kind, request.headers.get("Accept"), request.args.get("format"), extension)
    response = Response(graph_bytes(triples, media, context_url()), content_type=CONTENT_TYPES[media])
    response.headers["Vary"] = "Accept"
    return response


def alternates_link(path_without_ext: str, kind: str = "rdf") -> str:
    """A Link header value listing every RDF format of a document."""
    return ", ".join(f'<{path_without_ext}.{EXTENSIONS[m]}>; rel="alternate"; type="{m}"'
                     for m in MEDIA_TYPES[kind] if m in EXTENSIONS and m not in ("application/trig",
                                                                                  "application/n-quads"))


def see_other(page: str, data: str) -> Response:
    """303 See Other from an identifier to the document the client wants: the HTML page, or the RDF document
    ``data.{ext}`` in the negotiated format (the one cool-URI pattern of this server)."""
    media = choose("document", request.headers.get("Accept"), request.args.get("format"))
    response = redirect(page if media == "text/html" else f"{data}.{EXTENSIONS[media]}", code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'<{page}>; rel="alternate"; type="text/html", ' + alternates_link(data)
    return response
