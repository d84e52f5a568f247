"""A saved query as linked data: its text, parameters, tags and version, so a result can cite its question."""
from __future__ import annotations

import pyoxigraph as ox

from .service import Builder

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
SH = "http://www.w3.org/ns/shacl#"


def query_triples(query, base_iri: str, site: str) -> list[ox.Triple]:
    b = Builder()
    iri = f"{base_iri}id/query/{query.name}"
    b.add(iri, RDF + "type", SH + "SPARQLExecutable")
    b.add(iri, RDF + "type", SCHEMA + "SoftwareSourceCode")
    b.add(iri, RDFS + "label", ox.Literal(query.summary, language="en"))
    b.add(iri, DCT + "description", ox.Literal(query.description, language="en"))
    b.add(iri, SCHEMA + "programmingLanguage", ox.Literal("SPARQL 1.1"))
    b.add(iri, SCHEMA + "text", ox.Literal(query.text))
    b.add(iri, SCHEMA + "version", ox.Literal(query.version))
    b.add(iri, SCHEMA + "url", f"{site}queries/{query.name}")
    for tag in query.tags:
        b.add(iri, SCHEMA + "keywords", ox.Literal(tag))
    for p in query.parameters:
        param = f"{iri}#parameter-{p.name}"
        b.add(iri, SH + "parameter", param)
        b.add(param, RDF + "type", SH + "Parameter")
        b.add(param, SH + "name", ox.Literal(p.name))
        b.add(param, SH + "path", f"urn:sparql-variable:{p.variable}")
        b.add(param, SH + "optional", not (p.required and p.default is None))
        b.add(param, RDFS + "comment", ox.Literal(f"type {p.type}", language="en"))
        if p.default is not None:
            b.add(param, SH + "defaultValue", ox.Literal(p.default))
    return b.triples
