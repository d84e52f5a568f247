"""The one table of prefixes: the vocabularies the graph speaks and one prefix per kind of resource we mint.

Everything that names IRIs briefly reads it: Turtle output, the published JSON-LD @context (/context.jsonld),
the service description (as SHACL prefix declarations), the query UI, the ontology page, and the SPARQL
endpoint, which accepts these prefixes in a query that does not declare them (as Wikidata's does), so
``SELECT * WHERE { inst:eu-ai-act ?p ?o }`` works as typed. A query's own PREFIX declaration wins.
The per-kind prefixes are those the Turtle files in graph/ use.
"""
from __future__ import annotations

import re

ID = "https://w3id.org/aigov/id/"

VOCABULARIES = {
    "aigov": "https://w3id.org/aigov/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "time": "http://www.w3.org/2006/time#",
    "vann": "http://purl.org/vocab/vann/",
}

# prefix -> kind: the IRI pattern https://w3id.org/aigov/id/{kind}/{slug} (graph/README.md, "IRIs").
KINDS = {
    "inst": "instrument",
    "body": "body",
    "person": "person",
    "jur": "jurisdiction",
    "event": "event",
    "meeting": "meeting",
    "action": "action",
    "quantity": "quantity",
    "measure": "measure",
    "topic": "topic",
    "principle": "principle",
    "principles": "principles",
    "tier": "risk-tier",
    "risk": "risk-scheme",
    "sec": "section",
    "report": "report",
    "query": "query",
    "place": "place",
    "rel": "relation",
}

PREFIXES = {**VOCABULARIES, **{prefix: f"{ID}{kind}/" for prefix, kind in KINDS.items()}}

# One line, so a syntax error in the query keeps its own line numbers once we take one off.
PROLOGUE = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"
_ERROR_LINE = re.compile(r"\b(at |line )(\d+)(:\d+)")


def with_known_prefixes(query: str) -> str:
    """The query with every prefix of the table declared first; the query's own declarations override them."""
    return PROLOGUE + query


def original_position(message: str) -> str:
    """Rewrite 'error at L:C' in a parser message for the query as the client wrote it (one line less)."""
    return _ERROR_LINE.sub(lambda m: f"{m.group(1)}{max(int(m.group(2)) - 1, 1)}{m.group(3)}", message, count=1)


def context_document() -> dict:
    """The JSON-LD context every JSON-LD document of the server refers to: the table's prefixes."""
    return {"@context": dict(PREFIXES)}
