"""The two workloads, as plain SPARQL text that every server can run unchanged.

*canned*: every saved query in ``queries/*.rq`` bound with its declared defaults, exactly as aigov binds them
(``Registry`` + ``with_bindings``: a VALUES block, no text substitution), so the three servers see the same
query text, and aigov's own endpoint is measured on the queries its users actually click.

*adhoc*: what a researcher types into the query box: a transitive influence chain, counts per jurisdiction per
year, an OPTIONAL-heavy record of one instrument, a label search, a GRAPH query on the asserted data, and a
CONSTRUCT. They deliberately use only SPARQL 1.1 that rdflib also implements.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import BASE_IRI

ACCEPT = {"bindings": "application/sparql-results+json", "boolean": "application/sparql-results+json",
          "graph": "text/turtle"}

PREFIXES = """PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    kind: str = "bindings"  # "bindings", "boolean" or "graph" (CONSTRUCT/DESCRIBE)

    @property
    def accept(self) -> str:
        return ACCEPT[self.kind]


def canned(root: Path, base_iri: str = BASE_IRI) -> tuple[list[Query], list[str]]:
    """(queries, problems): every saved query with its defaults bound; one that cannot be bound is reported."""
    from aigov.canned import Registry
    from aigov.store import with_bindings

    queries, problems = [], []
    for q in Registry.load(root / "queries"):
        try:
            queries.append(Query(q.name, with_bindings(q.text, q.bind({}, base_iri)), q.kind))
        except Exception as e:  # e.g. a required parameter without a default
            problems.append(f"{q.name}: cannot bind defaults ({type(e).__name__}: {e})")
    return queries, problems


def adhoc(base_iri: str = BASE_IRI) -> list[Query]:
    act = f"<{base_iri}id/instrument/eu-ai-act>"
    data_graph = f"<{base_iri}graph/data>"
    return [
        Query("influence-chains", PREFIXES + f"""
SELECT ?later ?laterLabel ?earlier ?earlierLabel WHERE {{
  ?later aigov:influencedBy+ ?earlier .
  ?later a aigov:Instrument ; rdfs:label ?laterLabel FILTER(LANG(?laterLabel) = "en")
  ?earlier rdfs:label ?earlierLabel FILTER(LANG(?earlierLabel) = "en")
}} ORDER BY ?earlierLabel ?laterLabel"""),
        Query("count-jurisdiction-year", PREFIXES + """
SELECT ?jurisdiction ?year (COUNT(DISTINCT ?instrument) AS ?instruments) WHERE {
  ?instrument a aigov:Instrument ; aigov:jurisdiction ?j .
  ?j rdfs:label ?jurisdiction FILTER(LANG(?jurisdiction) = "en")
  ?event aigov:concerns ?instrument ; aigov:date ?date .
  BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
} GROUP BY ?jurisdiction ?year ORDER BY ?jurisdiction ?year"""),
        Query("instrument-detail", PREFIXES + f"""
SELECT ?en ?zh ?type ?status ?number ?jurisdiction ?issuer ?event ?eventType ?date ?topic WHERE {{
  VALUES ?i {{ {act} }}
  ?i rdfs:label ?en FILTER(LANG(?en) = "en")
  OPTIONAL {{ ?i rdfs:label ?zh FILTER(LANG(?zh) = "zh") }}
  OPTIONAL {{ ?i a ?type }}
  OPTIONAL {{ ?i aigov:status ?status }}
  OPTIONAL {{ ?i aigov:officialNumber ?number }}
  OPTIONAL {{ ?i aigov:jurisdiction ?jurisdiction }}
  OPTIONAL {{ ?i aigov:issuedBy ?issuer }}
  OPTIONAL {{ ?event aigov:concerns ?i ; a ?eventType . OPTIONAL {{ ?event aigov:date ?date }} }}
  OPTIONAL {{ ?i aigov:topic ?topic }}
}}"""),
        Query("label-search", PREFIXES + """
SELECT DISTINCT ?s ?label WHERE {
  { ?s rdfs:label ?label } UNION { ?s skos:altLabel ?label }
  FILTER(CONTAINS(LCASE(STR(?label)), "intelligence") || REGEX(STR(?label), "人工智能"))
} ORDER BY ?label LIMIT 200"""),
        Query("data-graph-classes", f"""
SELECT ?class (COUNT(?s) AS ?n) WHERE {{
  GRAPH {data_graph} {{ ?s a ?class }}
}} GROUP BY ?class ORDER BY DESC(?n) ?class"""),
        Query("construct-laws", PREFIXES + """
CONSTRUCT { ?i a aigov:Law ; rdfs:label ?label ; aigov:jurisdiction ?j ; aigov:status ?status }
WHERE {
  ?i a aigov:Law ; rdfs:label ?label .
  OPTIONAL { ?i aigov:jurisdiction ?j }
  OPTIONAL { ?i aigov:status ?status }
}""", kind="graph"),
    ]
