"""Serializers (RDF, not HTTP): a QueryResult in, bytes out, one table keyed by media type.

Graphs go through pyoxigraph's own RDF serializers, except JSON-LD, which rdflib compacts with our published
context (prefixes.py): pyoxigraph writes expanded JSON-LD only. SPARQL result tables are written here, following the W3C
SPARQL 1.1 Query Results JSON, XML, CSV and TSV specifications to the letter: pyoxigraph's result serializers
only consume its one-pass iterator, and our results are materialised (row limit, truncation flag, caching).
The tests parse every format back with independent clients (rdflib, SPARQLWrapper, csv, json, xml).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .prefixes import PREFIXES, context_document
from .store.result import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SRX = "http://www.w3.org/2005/sparql-results#"



def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def results_json(result: QueryResult, links: list[str] | tuple = ()) -> bytes:
    """SPARQL 1.1 Query Results JSON; ``links`` go in head.link (the spec's place for metadata about the
    results: we use it to say in-band that the rows were cut at the row limit)."""
    head = {} if result.kind == "boolean" else {"vars": result.variables}
    if links:
        head["link"] = list(links)
    if result.kind == "boolean":
        return json.dumps({"head": head, "boolean": result.boolean}).encode()
    converted: dict = {}  # OPTIONAL-heavy results repeat terms: convert each distinct term once (~1.5x on them)

    def as_json(term) -> dict:
        out = converted.get(term)
        if out is None:
            out = converted[term] = term_json(term)
        return out

    bindings = [{v: as_json(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": head, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_term_xml(term.subject)}</subject><predicate>{_term_xml(term.predicate)}"
                f"</predicate><object>{_term_xml(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def results_xml(result: QueryResult) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SRX}">\n<head>')
    for v in result.variables:
        out.write(f"<variable name={quoteattr(v)}/>")
    out.write("</head>\n")
    if result.kind == "boolean":
        out.write(f"<boolean>{'true' if result.boolean else 'false'}</boolean>\n")
    else:
        out.write("<results>\n")
        for row in result.rows:
            out.write("<result>")
            for v, t in zip(result.variables, row):
                if t is not None:
                    out.write(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n")
    out.write("</sparql>\n")
    return out.getvalue().encode("utf-8")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return _tsv_value(term)  # a quoted triple has no lexical form: both formats write its Turtle-star form
    return term.value


def results_csv(result: QueryResult) -> bytes:
    """SPARQL 1.1 CSV: lexical forms only, RFC 4180 quoting, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "boolean":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([_csv_value(t) for t in row] for row in result.rows)
    return out.getvalue().encode("utf-8")


def _tsv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<< {_tsv_value(term.subject)} {_tsv_value(term.predicate)} {_tsv_value(term.object)} >>"
    # N-Triples syntax; TSV additionally forbids raw tabs and newlines inside literals.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def results_tsv(result: QueryResult) -> bytes:
    if result.kind == "boolean":
        return b"?_askResult\n" + (b"true\n" if result.boolean else b"false\n")
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


def graph_bytes(triples, media_type: str, context_url: str | None = None) -> bytes:
    """Serialize triples (or quads). JSON-LD is compact; with context_url its @context is that URL (the
    server's /context.jsonld), without it the context is written inline (a self-contained CLI document)."""
    fmt = RDF_FORMATS[media_type]
    if fmt == ox.RdfFormat.JSON_LD:
        return compact_jsonld(triples, context_url)
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        triples = [t if isinstance(t, ox.Quad) else ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    else:
        triples = [ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t for t in triples]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def compact_jsonld(triples, context_url: str | None) -> bytes:
    """Compact JSON-LD by rdflib's serializer with the prefix context; the triples reach rdflib as N-Triples."""
    import rdflib

    triples = [ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t for t in triples]
    rdflib.NORMALIZE_LITERALS = False  # keep lexical forms as stored ("1e25", "P12M")
    graph = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    context = context_document()["@context"]
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if context_url is not None and isinstance(document, dict):
        document["@context"] = context_url
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


SERIALIZERS: dict[str, Callable[[QueryResult], bytes]] = {
    "application/sparql-results+json": results_json,
    "application/sparql-results+xml": results_xml,
    "text/csv": results_csv,
    "text/tab-separated-values": results_tsv,
    **{media: (lambda m: lambda result: graph_bytes(result.triples, m))(media) for media in RDF_FORMATS},
}

CONTENT_TYPES = {m: f"{m}; charset=utf-8" for m in SERIALIZERS}


def serialize(result: QueryResult, media_type: str, context_url: str | None = None,
              links: list[str] | tuple = ()) -> bytes:
    """Bytes of a result in the media type; context_url for JSON-LD, links for SPARQL JSON's head.link."""
    if media_type in RDF_FORMATS:
        return graph_bytes(result.triples, media_type, context_url)
    if media_type == "application/sparql-results+json":
        return results_json(result, links)
    return SERIALIZERS[media_type](result)
