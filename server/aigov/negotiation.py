"""Content negotiation (HTTP, not RDF): which media type answers a request for a result of a given kind.

Order of precedence: ``format=`` parameter > file extension > Accept header (q-values honoured) > default.
An Accept header that names nothing we can produce gets 406, as the SPARQL 1.1 Protocol expects.
"""
from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import BadRequest, NotAcceptable

# One table per result kind; the first entry is the default.
MEDIA_TYPES: dict[str, list[str]] = {
    "bindings": ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "text/html", "application/json"],
    "boolean": ["application/sparql-results+json", "application/sparql-results+xml", "text/html",
                "application/json", "text/csv", "text/tab-separated-values"],
    "graph": ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
              "application/trig", "application/n-quads", "text/html", "application/json"],
    "rdf": ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
            "application/trig", "application/n-quads", "application/json"],
    "document": ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples",
                 "application/json"],
}

# format= values and file extensions, one name per media type (plus the obvious short names).
ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json", "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml", "srx": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "html": "text/html",
    "ttl": "text/turtle", "turtle": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples",
    "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "trig": "application/trig", "nq": "application/n-quads", "nquads": "application/n-quads",
}
EXTENSIONS: dict[str, str] = {"text/turtle": "ttl", "application/n-triples": "nt", "application/rdf+xml": "rdf",
                              "application/ld+json": "jsonld", "application/trig": "trig",
                              "application/n-quads": "nq", "text/html": "html", "text/csv": "csv",
                              "text/tab-separated-values": "tsv", "application/sparql-results+json": "json",
                              "application/sparql-results+xml": "xml"}

# What "json" means depends on the kind of result: SPARQL JSON for tables, JSON-LD for graphs.
JSON_BY_KIND = {"bindings": "application/sparql-results+json", "boolean": "application/sparql-results+json",
                "graph": "application/ld+json", "rdf": "application/ld+json", "document": "application/ld+json"}


def _resolve(name: str, kind: str) -> str:
    name = name.strip().lower()
    if name in ("json", "application/json"):
        return JSON_BY_KIND[kind]
    media = ALIASES.get(name, name)
    if media not in MEDIA_TYPES[kind]:
        raise BadRequest(f"format {name!r} is not available for this result; choose one of: "
                         + ", ".join(sorted({k for k, v in ALIASES.items() if v in MEDIA_TYPES[kind]})))
    return media


def choose(kind: str, accept: str | None, format_param: str | None = None, extension: str | None = None) -> str:
    """The media type to answer with, or NotAcceptable/BadRequest."""
    if format_param:
        return _resolve(format_param, kind)
    if extension:
        return _resolve(extension, kind)
    offered = MEDIA_TYPES[kind]
    if not accept or not accept.strip():
        return offered[0]
    try:
        parsed = parse_accept_header(accept, MIMEAccept)
    except ValueError:
        raise BadRequest(f"malformed Accept header: {accept[:200]!r}") from None
    if not parsed:
        raise BadRequest(f"malformed Accept header: {accept[:200]!r}")
    # Werkzeug's best_match honours q-values and wildcards; ties go to our order (the default first).
    best = parsed.best_match([m for m in offered if m != "application/json"] + ["application/json"])
    if best is None:
        raise NotAcceptable(f"none of the requested media types ({accept[:200]}) is available; "
                            f"this resource offers: {', '.join(offered)}")
    return JSON_BY_KIND[kind] if best == "application/json" else best


def wants_html(accept: str | None) -> bool:
    """A browser's Accept prefers HTML over RDF and SPARQL results."""
    if not accept:
        return False
    try:
        parsed = parse_accept_header(accept, MIMEAccept)
    except ValueError:
        return False
    html = parsed["text/html"]
    best_other = max((q for m, q in parsed if m not in ("text/html", "*/*", "application/xhtml+xml")), default=0)
    return html > 0 and html >= best_other and ("text/html" in accept or "application/xhtml+xml" in accept)
