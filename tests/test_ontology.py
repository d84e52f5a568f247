"""Ontology hygiene: parses, reasons, every aigov term labelled and defined, nothing used undeclared."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

from aigov.pipeline.load import parse_turtle
from aigov.pipeline.reason import infer

ROOT = Path(__file__).resolve().parents[1]
AIGOV = Namespace("https://w3id.org/aigov/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

# External terms we reuse, each checked against its vocabulary's own file in shared/design/vocabularies.md.
REUSED = {
    "http://purl.org/dc/terms/": {"title", "description", "license", "creator", "publisher", "created", "issued",
                                  "source", "bibliographicCitation", "isPartOf", "hasPart", "replaces",
                                  "isReplacedBy", "coverage", "identifier", "references", "subject", "date",
                                  "isReferencedBy", "Jurisdiction", "contributor"},
    "http://www.w3.org/2004/02/skos/core#": {"Concept", "ConceptScheme", "inScheme", "topConceptOf", "prefLabel",
                                             "altLabel", "definition", "scopeNote", "editorialNote", "note",
                                             "notation", "exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                             "relatedMatch", "broader", "narrower"},
    "https://schema.org/": {"AdministrativeArea", "Country", "City", "Legislation", "Person", "CreativeWork",
                            "Report", "QuantitativeValue", "GovernmentOrganization", "Event", "containedInPlace",
                            "location", "pageStart", "domainIncludes", "rangeIncludes", "value", "unitText",
                            "currency", "legislationJurisdiction", "url", "startDate", "endDate"},
    "http://www.w3.org/ns/org#": {"Organization", "FormalOrganization", "OrganizationalUnit",
                                  "OrganizationalCollaboration", "unitOf", "subOrganizationOf", "memberOf"},
    "http://www.w3.org/ns/prov#": {"Entity", "Activity", "Agent", "wasInfluencedBy", "wasDerivedFrom",
                                   "wasAssociatedWith"},
    "http://data.europa.eu/eli/ontology#": {"Work", "LegalResource", "amends", "repeals", "jurisdiction",
                                            "ensures_implementation_of", "applies", "consolidates", "is_about",
                                            "InForce-inForce", "InForce-notInForce"},
    "http://purl.org/vocab/vann/": {"preferredNamespacePrefix", "preferredNamespaceUri"},
}
W3C_CORE = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ROOT / "ontology" / "aigov.ttl")


def declared_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.Concept,
             SKOS.ConceptScheme, AIGOV.Status, AIGOV.LegislativeStage)
    return {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}


def used_terms(graph: Graph) -> set[URIRef]:
    """Predicates and classes a graph uses (the vocabulary it speaks)."""
    return {p for p in graph.predicates()} | {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}


def test_ontology_header_has_the_publishing_metadata(ontology):
    onto = URIRef("https://w3id.org/aigov/ontology")
    DCT = Namespace("http://purl.org/dc/terms/")
    VANN = Namespace("http://purl.org/vocab/vann/")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for p in (OWL.versionIRI, OWL.versionInfo, DCT.license, DCT.creator, DCT.created, VANN.preferredNamespacePrefix,
              VANN.preferredNamespaceUri, DCT.title, DCT.description):
        assert ontology.value(onto, p) is not None, f"ontology lacks {p}"
    assert ontology.value(onto, OWL.versionIRI) != onto


def test_every_aigov_term_has_en_and_zh_labels_and_an_en_definition(ontology):
    terms = [t for t in declared_terms(ontology) if str(t).startswith(str(AIGOV))]
    assert len(terms) > 100
    for t in terms:
        labels = {l.language for l in ontology.objects(t, RDFS.label)} | {
            l.language for l in ontology.objects(t, SKOS.prefLabel)}
        assert {"en", "zh"} <= labels, f"{t} lacks an en or zh label"
        definitions = [d for d in ontology.objects(t, SKOS.definition) if isinstance(d, Literal) and d.language == "en"]
        assert definitions, f"{t} lacks an English skos:definition"


@pytest.mark.parametrize("folder", ["graph", "shapes"])
def test_every_term_used_is_declared_here_or_in_a_reused_vocabulary(ontology, folder):
    declared = declared_terms(ontology)
    graph = Graph()
    for f in sorted((ROOT / folder).glob("*.ttl")):
        parse_turtle(f, into=graph)
    undeclared = set()
    for term in used_terms(graph):
        iri = str(term)
        if iri.startswith(str(AIGOV)):
            if term not in declared:
                undeclared.add(iri)
        elif iri.startswith(W3C_CORE):
            continue
        else:
            ns, local = next(((n, iri[len(n):]) for n in REUSED if iri.startswith(n)), (None, None))
            if ns is None or local not in REUSED[ns]:
                undeclared.add(iri)
    assert not undeclared, f"terms used in {folder}/ but declared nowhere we reuse: {sorted(undeclared)}"


def test_no_owl_sameAs_to_external_iris():
    graph = Graph()
    for f in sorted((ROOT / "graph").glob("*.ttl")):
        parse_turtle(f, into=graph)
    assert not list(graph.triples((None, OWL.sameAs, None))), "use skos:exactMatch, never owl:sameAs"


def test_owl_rl_reasoning_over_the_ontology_alone_succeeds(ontology):
    inferred = infer(ontology, Graph())
    assert (AIGOV.Law, RDFS.subClassOf, AIGOV.Instrument) in inferred
