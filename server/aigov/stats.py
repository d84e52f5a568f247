"""`aigov stats`: what the graph holds, by class and by jurisdiction, read from the store by SPARQL."""
from __future__ import annotations

CLASS_COUNTS = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER(?g != <%(ontology)s>)
  FILTER(STRSTARTS(STR(?class), STR(aigov:)))
  OPTIONAL { ?class rdfs:label ?label FILTER(LANG(?label) = "en") }
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

JURISDICTION_COUNTS = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?j (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?i) AS ?n) WHERE {
  ?i a aigov:Instrument ; aigov:jurisdiction ?j .
  OPTIONAL { ?j rdfs:label ?label FILTER(LANG(?label) = "en") }
} GROUP BY ?j ORDER BY DESC(?n) ?j
"""


def compute_stats(store) -> dict:
    def table(query):
        return [(str(name.value if name else s.value), int(n.value)) for s, name, n in store.query(query).rows]

    return {
        "triples": store.triple_count(),
        "classes": table(CLASS_COUNTS % store.graph_iris),
        "jurisdictions": table(JURISDICTION_COUNTS),
    }
