"""The self-descriptions (RDF, not HTTP): the SPARQL 1.1 Service Description and the VoID/DCAT dataset.

Every count in them comes from a SPARQL query against the same store, so they state the truth by
construction (and the tests check them against independent COUNT queries).
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .prefixes import PREFIXES
from .version import __version__, data_version

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FOAF = "http://xmlns.com/foaf/0.1/"
FORMATS = "http://www.w3.org/ns/formats/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"

RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads"]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
REPORT = "https://w3id.org/aigov/id/report/caict-ai-law-policy-landscape-2025"
EXAMPLES = ["id/instrument/eu-ai-act", "id/instrument/us-eo-14110", "id/jurisdiction/cn", "id/body/eu-ai-office"]
VOCABULARIES = ["https://w3id.org/aigov/ontology#", "http://data.europa.eu/eli/ontology#", "https://schema.org/",
                "http://www.w3.org/ns/org#", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/",
                "http://www.w3.org/ns/prov#"]


class Builder:
    """A tiny triple builder so the descriptions read like the Turtle they become."""

    def __init__(self):
        self.triples: list[ox.Triple] = []
        self._bnodes = 0

    def node(self) -> ox.BlankNode:
        self._bnodes += 1
        return ox.BlankNode(f"n{self._bnodes}")

    def add(self, s, p: str, o) -> None:
        if isinstance(o, str):
            o = ox.NamedNode(o)
        elif isinstance(o, bool):
            o = ox.Literal("true" if o else "false", datatype=ox.NamedNode(XSD + "boolean"))
        elif isinstance(o, int):
            o = ox.Literal(str(o), datatype=ox.NamedNode(XSD + "integer"))
        self.triples.append(ox.Triple(ox.NamedNode(s) if isinstance(s, str) else s, ox.NamedNode(p), o))


def count(store, query: str, **bindings) -> int:
    rows = store.query(query, bindings={k: ox.NamedNode(v) for k, v in bindings.items()}).rows
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


UNION_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPH_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
CLASS_PARTITIONS = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER(isIRI(?class)) }
GROUP BY ?class ORDER BY ?class"""
PROPERTY_PARTITIONS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"


@lru_cache(maxsize=8)
def _statistics(store, version: str) -> dict:
    """Counts for the descriptions, computed once per build (the version is the cache key)."""
    return {
        "triples": count(store, UNION_TRIPLES),
        "subjects": count(store, DISTINCT_SUBJECTS),
        "graphs": {name: count(store, GRAPH_TRIPLES, g=iri) for name, iri in store.graph_iris.items()},
        "classes": [(c.value, int(n.value)) for c, n in store.query(CLASS_PARTITIONS).rows],
        "properties": [(p.value, int(n.value)) for p, n in store.query(PROPERTY_PARTITIONS).rows],
    }


def statistics(store) -> dict:
    return _statistics(store, store.version)


def service_description(store, endpoint: str, base_iri: str, site: str, max_rows: int | None = None) -> list[ox.Triple]:
    b = Builder()
    service = endpoint + "#service"
    if max_rows is not None:
        # what head.link of a truncated SPARQL JSON result points to
        limit = endpoint + "#max-rows"
        b.add(service, RDFS + "seeAlso", limit)
        b.add(limit, RDFS + "label", ox.Literal("row limit", language="en"))
        b.add(limit, RDF + "value", max_rows)
        b.add(limit, RDFS + "comment", ox.Literal(
            f"A SELECT or CONSTRUCT result is cut at {max_rows} rows; a cut result says so in the "
            "X-Aigov-Truncated header and, in SPARQL JSON, with a link to this note in head.link. Page through "
            "longer results with ORDER BY, LIMIT and OFFSET.", language="en"))
    b.add(service, RDF + "type", SD + "Service")
    b.add(service, SD + "endpoint", endpoint)
    b.add(service, SD + "supportedLanguage", SD + "SPARQL11Query")
    for fmt in RESULT_FORMATS:
        b.add(service, SD + "resultFormat", FORMATS + fmt)
    b.add(service, SD + "feature", SD + "UnionDefaultGraph")
    b.add(service, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/OWL-RDF-Based")
    b.add(service, SD + "defaultSupportedEntailmentProfile", "http://www.w3.org/ns/owl-profile/RL")
    b.add(service, RDFS + "comment", ox.Literal(
        "The default graph is the union of the ontology, the asserted data and their OWL 2 RL closure, so "
        "entailment is on by default. Turn it off by naming graphs with default-graph-uri (e.g. the data graph "
        "alone), or with the parameter entailment=none (ontology + data, no inferences).", language="en"))
    declare_prefixes(b, service)
    stats = statistics(store)
    dataset = b.node()
    b.add(service, SD + "defaultDataset", dataset)
    b.add(dataset, RDF + "type", SD + "Dataset")
    b.add(dataset, DCT + "source", site + ".well-known/void")
    default_graph = b.node()
    b.add(dataset, SD + "defaultGraph", default_graph)
    b.add(default_graph, RDF + "type", SD + "Graph")
    b.add(default_graph, VOID + "triples", stats["triples"])
    for name, iri in store.graph_iris.items():
        named = b.node()
        graph = b.node()
        b.add(dataset, SD + "namedGraph", named)
        b.add(named, RDF + "type", SD + "NamedGraph")
        b.add(named, SD + "name", iri)
        b.add(named, SD + "graph", graph)
        b.add(graph, RDF + "type", SD + "Graph")
        b.add(graph, VOID + "triples", stats["graphs"][name])
    return b.triples


def declare_prefixes(b: Builder, service: str) -> None:
    """The prefixes a query may use undeclared (prefixes.py), as SHACL prefix declarations: SPARQL 1.1 Service
    Description has no term for them, and sh:declare / sh:prefix / sh:namespace is the W3C vocabulary for it."""
    b.add(service, RDFS + "comment", ox.Literal(
        "Queries may use the prefixes declared with sh:declare without a PREFIX line (inst:eu-ai-act, "
        "aigov:Law ...); a PREFIX line in the query overrides them.", language="en"))
    for prefix, namespace in PREFIXES.items():
        declaration = b.node()
        b.add(service, SH + "declare", declaration)
        b.add(declaration, RDF + "type", SH + "PrefixDeclaration")
        b.add(declaration, SH + "prefix", ox.Literal(prefix))
        b.add(declaration, SH + "namespace", ox.Literal(namespace, datatype=ox.NamedNode(XSD + "anyURI")))


def void_description(store, site: str, base_iri: str) -> list[ox.Triple]:
    """VoID and DCAT for the dataset; IRIs of the dataset are under base_iri, links to services under site."""
    b = Builder()
    stats = statistics(store)
    ds = base_iri + "dataset"
    b.add(ds, RDF + "type", VOID + "Dataset")
    b.add(ds, RDF + "type", DCAT + "Dataset")
    b.add(ds, DCT + "title", ox.Literal("aigov: the AI governance knowledge graph", language="en"))
    b.add(ds, DCT + "title", ox.Literal("人工智能治理知识图谱", language="zh"))
    b.add(ds, DCT + "description", ox.Literal(
        "AI laws and policies worldwide as linked data, from the CAICT report 人工智能法律政策图景研究报告(2025年). "
        "来源:中国信息通信研究院.", language="en"))
    b.add(ds, DCT + "license", LICENSE)
    b.add(ds, DCT + "source", REPORT)
    b.add(ds, DCT + "modified", ox.Literal(getattr(store, "manifest", {}).get("built", "")[:10] or "1970-01-01",
                                          datatype=ox.NamedNode(XSD + "date")))
    b.add(ds, VOID + "sparqlEndpoint", site + "sparql")
    b.add(ds, VOID + "uriSpace", ox.Literal(base_iri + "id/"))
    b.add(ds, VOID + "triples", stats["triples"])
    b.add(ds, VOID + "distinctSubjects", stats["subjects"])
    b.add(ds, VOID + "classes", len(stats["classes"]))
    b.add(ds, VOID + "properties", len(stats["properties"]))
    for vocabulary in VOCABULARIES:
        b.add(ds, VOID + "vocabulary", vocabulary)
    for example in EXAMPLES:
        b.add(ds, VOID + "exampleResource", base_iri + example)
    for ext, media in (("ttl", "text/turtle"), ("nq", "application/n-quads"), ("jsonld", "application/ld+json")):
        dump = f"{site}dumps/aigov.{ext}"
        b.add(ds, VOID + "dataDump", dump)
        dist = b.node()
        b.add(ds, DCAT + "distribution", dist)
        b.add(dist, RDF + "type", DCAT + "Distribution")
        b.add(dist, DCAT + "downloadURL", dump)
        b.add(dist, DCAT + "mediaType", f"https://www.iana.org/assignments/media-types/{media}")
        b.add(dist, DCT + "license", LICENSE)
    release = f"{site}dumps/aigov-{__version__}.nq.gz"
    b.add(ds, DCAT + "version", ox.Literal(__version__))
    b.add(ds, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(data_version(getattr(store, "manifest", {}))))
    b.add(ds, VOID + "dataDump", release)
    dist = b.node()
    b.add(ds, DCAT + "distribution", dist)
    b.add(dist, RDF + "type", DCAT + "Distribution")
    b.add(dist, DCAT + "downloadURL", release)
    b.add(dist, DCAT + "mediaType", "https://www.iana.org/assignments/media-types/application/n-quads")
    b.add(dist, DCAT + "compressFormat", "https://www.iana.org/assignments/media-types/application/gzip")
    b.add(dist, DCT + "license", LICENSE)
    b.add(dist, DCAT + "version", ox.Literal(__version__))
    b.add(dist, RDFS + "seeAlso", release + ".sha256")
    for name, iri in store.graph_iris.items():
        subset = f"{base_iri}dataset/{name}"
        b.add(ds, VOID + "subset", subset)
        b.add(subset, RDF + "type", VOID + "Dataset")
        b.add(subset, "http://www.w3.org/ns/sparql-service-description#name", iri)
        b.add(subset, VOID + "triples", stats["graphs"][name])
    for cls, n in stats["classes"]:
        part = b.node()
        b.add(ds, VOID + "classPartition", part)
        b.add(part, VOID + "class", cls)
        b.add(part, VOID + "entities", n)
    for prop, n in stats["properties"]:
        part = b.node()
        b.add(ds, VOID + "propertyPartition", part)
        b.add(part, VOID + "property", prop)
        b.add(part, VOID + "triples", n)
    return b.triples
