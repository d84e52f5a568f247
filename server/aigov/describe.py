"""What the server says about one resource: its RDF description and the model of its HTML page.

Both come from the store by SPARQL, so they work the same over the embedded and a remote store.
The description holds every triple with the resource as subject (asserted and inferred) and the asserted
triples that point at it, so a crawler sees incoming links (events, amendments) too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import NotFound
from .glossary import predicate_label

DESCRIBE = """
CONSTRUCT { ?x ?p ?o . ?s ?q ?x } WHERE {
  { ?x ?p ?o } UNION { GRAPH ?data { ?s ?q ?x } }
}"""

PAGE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?dir ?p ?v ?g ?pLabel ?vLabel WHERE {
  { GRAPH ?g { ?x ?p ?v } BIND("out" AS ?dir) }
  UNION
  { GRAPH ?g { ?v ?p ?x } BIND("in" AS ?dir) }
  OPTIONAL { ?p rdfs:label ?pl FILTER(LANGMATCHES(LANG(?pl), ?lang)) }
  OPTIONAL { ?p rdfs:label ?pl2 FILTER(LANGMATCHES(LANG(?pl2), "en")) }
  BIND(COALESCE(?pl, ?pl2) AS ?pLabel)
  OPTIONAL { ?v rdfs:label ?vl FILTER(LANGMATCHES(LANG(?vl), ?lang)) }
  OPTIONAL { ?v skos:prefLabel ?vl2 FILTER(LANGMATCHES(LANG(?vl2), ?lang)) }
  OPTIONAL { ?v rdfs:label ?vl3 FILTER(LANGMATCHES(LANG(?vl3), "en")) }
  BIND(COALESCE(?vl, ?vl2, ?vl3) AS ?vLabel)
}"""

# The resource's relation statements, both directions: an incoming relation is read from the resource, by the
# inverse property's label where there is one (implemented by), the relation's own otherwise (similar to).
RELATIONS = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?statement ?direction ?kind ?reading ?readingLabel ?other ?otherLabel ?section ?sectionLabel ?quote ?mode WHERE {
  {
    ?x aigov:qualifiedRelation ?statement .
    ?statement aigov:relationKind ?kind ; aigov:relationTarget ?other .
    BIND("out" AS ?direction) BIND(?kind AS ?reading)
  } UNION {
    ?other aigov:qualifiedRelation ?statement .
    ?statement aigov:relationKind ?kind ; aigov:relationTarget ?x .
    OPTIONAL { ?kind owl:inverseOf ?inverse FILTER(?inverse != ?kind) }
    BIND("in" AS ?direction) BIND(COALESCE(?inverse, ?kind) AS ?reading)
  }
  ?statement aigov:statedIn ?section ; aigov:evidence ?quote .
  OPTIONAL { ?statement aigov:statedAs ?mode }
  OPTIONAL { ?reading rdfs:label ?rl FILTER(LANGMATCHES(LANG(?rl), ?lang)) }
  OPTIONAL { ?reading rdfs:label ?rl2 FILTER(LANGMATCHES(LANG(?rl2), "en")) }
  BIND(COALESCE(?rl, ?rl2) AS ?readingLabel)
  OPTIONAL { ?other rdfs:label ?ol FILTER(LANGMATCHES(LANG(?ol), ?lang)) }
  OPTIONAL { ?other rdfs:label ?ol2 FILTER(LANGMATCHES(LANG(?ol2), "en")) }
  BIND(COALESCE(?ol, ?ol2) AS ?otherLabel)
  OPTIONAL { ?section rdfs:label ?sl FILTER(LANGMATCHES(LANG(?sl), ?lang)) }
  BIND(COALESCE(?sl, STR(?section)) AS ?sectionLabel)
}"""
LIKENESS = "https://w3id.org/aigov/ontology#LikenessComparison"

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATE_TYPES = {"http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#gYearMonth",
              "http://www.w3.org/2001/XMLSchema#gYear"}


def compact(iri: str) -> str:
    """prefix:local for IRIs in a well-known namespace, the IRI itself otherwise."""
    from .serializers import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def describe_triples(store, iri: str) -> list:
    """Every triple about ``iri``; NotFound when the graph knows nothing of it."""
    result = store.query(DESCRIBE, bindings={"x": ox.NamedNode(iri), "data": ox.NamedNode(store.graph_iris["data"])})
    if not result.triples:
        raise NotFound(f"<{iri}> is not in the graph")
    return result.triples


def graph_triples(store, name: str) -> list:
    iri = store.graph_iris[name]
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                       bindings={"g": ox.NamedNode(iri)}).triples


@dataclass
class Value:
    term: object
    label: str | None
    inferred: bool

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, ox.NamedNode)

    @property
    def text(self) -> str:
        if self.label:
            return self.label
        if isinstance(self.term, ox.NamedNode):
            return compact(self.term.value)
        return self.term.value if hasattr(self.term, "value") else str(self.term)

    @property
    def language(self) -> str | None:
        return getattr(self.term, "language", None)

    @property
    def datatype(self) -> str | None:
        dt = getattr(self.term, "datatype", None)
        return dt.value if dt is not None and not self.language else None

    @property
    def precision(self) -> str | None:
        """day, month or year for dates, so a page shows 2024-09 as a month, not as 2024-09-01."""
        return {"http://www.w3.org/2001/XMLSchema#date": "day",
                "http://www.w3.org/2001/XMLSchema#gYearMonth": "month",
                "http://www.w3.org/2001/XMLSchema#gYear": "year"}.get(self.datatype or "")


@dataclass
class Row:
    predicate: str
    label: str
    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """One relation statement as the resource's page shows it: read from the resource, with its evidence."""
    statement: str
    direction: str  # "out": the resource is the statement's subject; "in": its target
    kind: str  # the relation property the statement sources
    label: str  # the relation as read from the resource (the inverse's label for "in")
    other: str
    other_label: str
    section: str
    section_label: str
    quote: str
    likeness: bool


@dataclass
class Page:
    iri: str
    labels: dict[str, str]
    types: list[Value]
    outgoing: list[Row]
    incoming: list[Row]
    relations: list[Relation] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.labels.get("zh") or self.iri


def _report_order(value: "Value") -> tuple:
    """Report sections in the report's order (一(二) before 一(十), 1-2 before 1-10); other values by text."""
    iri = value.term.value if value.is_iri else ""
    if "/id/section/" not in iri:
        return ()
    from .infobox import section_order

    return section_order(iri)


def page_model(store, iri: str, lang: str) -> Page:
    result = store.query(PAGE, bindings={"x": ox.NamedNode(iri), "lang": ox.Literal(lang)})
    if not result.rows:
        raise NotFound(f"<{iri}> is not in the graph")
    inferred_graph = store.graph_iris["inferred"]
    labels: dict[str, str] = {}
    types: dict[str, Value] = {}
    rows: dict[tuple[str, str], Row] = {}
    seen: set = set()
    # asserted rows first, so a triple both asserted and inferred shows as asserted
    ordered_rows = sorted(result.rows, key=lambda r: r[3] is not None and r[3].value == inferred_graph)
    for direction, p, v, g, p_label, v_label in ordered_rows:
        is_inferred = g is not None and g.value == inferred_graph
        if direction.value == "in" and is_inferred:
            continue  # incoming links: what editors asserted; inferred inverses already show as outgoing
        if direction.value == "out" and p.value in (RDFS_LABEL, SKOS_PREFLABEL) and isinstance(v, ox.Literal):
            labels.setdefault(v.language or "", v.value)
        key = (direction.value, p.value, str(v))
        if key in seen:
            # the same triple asserted and inferred: show it once, as asserted
            continue
        seen.add(key)
        value = Value(v, v_label.value if v_label is not None else None, is_inferred)
        if direction.value == "out" and p.value == RDF_TYPE:
            types.setdefault(v.value, value)
            continue
        row = rows.setdefault((direction.value, p.value), Row(p.value, p_label.value if p_label else
                                                              predicate_label(p.value, lang) or compact(p.value)))
        row.values.append(value)
    for row in rows.values():
        row.values.sort(key=lambda x: (x.inferred, _report_order(x), x.text))
    ordered = sorted(rows.items(), key=lambda kv: kv[1].label.lower())
    return Page(
        iri=iri,
        labels=labels,
        types=sorted(types.values(), key=lambda x: (x.inferred, x.text)),
        outgoing=[r for (d, _), r in ordered if d == "out"],
        incoming=[r for (d, _), r in ordered if d == "in"],
        relations=relations_of(store, iri, lang),
    )


def relations_of(store, iri: str, lang: str) -> list[Relation]:
    """The resource's relation statements, one per statement, outgoing first, then by relation and other end."""
    result = store.query(RELATIONS, bindings={"x": ox.NamedNode(iri), "lang": ox.Literal(lang)})
    found: dict[str, Relation] = {}
    for statement, direction, kind, reading, label, other, other_label, section, section_label, quote, mode in result.rows:
        found.setdefault(statement.value, Relation(
            statement.value, direction.value, kind.value, label.value if label else compact(reading.value),
            other.value, other_label.value if other_label else compact(other.value), section.value,
            section_label.value, quote.value, mode is not None and mode.value == LIKENESS))
    return sorted(found.values(), key=lambda r: (r.direction != "out", r.label, r.other_label, r.statement))
