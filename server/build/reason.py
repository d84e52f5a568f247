"""Step 2 of the build: the OWL 2 RL closure of ontology + data, kept apart as the graph of inferences.

owlrl is the reference implementation of the OWL 2 RL rules. We keep only what it adds about our own
resources: triples about the rdf:/rdfs:/owl:/xsd: vocabularies themselves, literal subjects and reflexive
sameAs/subClassOf/subPropertyOf/equivalence triples are axiomatic noise that would only bloat the store.
"""
from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from ..errors import ReasoningError

NOISE_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
REFLEXIVE_NOISE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
# owlrl reports inconsistencies (e.g. a resource in two disjoint classes) as triples in this namespace.
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


def is_noise(s, p, o) -> bool:
    if isinstance(s, Literal):
        return True
    if isinstance(s, URIRef) and str(s).startswith(NOISE_NAMESPACES):
        return True
    if p in REFLEXIVE_NOISE and s == o:
        return True
    if p in (RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range) and o in TRIVIAL_TYPES:
        return True
    return False


def infer(ontology: Graph, data: Graph) -> Graph:
    """Return the triples that OWL 2 RL entails from ontology + data and that neither asserts."""
    closure = Graph()
    for g in (ontology, data):
        for t in g:
            closure.add(t)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    except Exception as e:  # owlrl raises plain exceptions on inconsistent input
        raise ReasoningError(f"OWL RL reasoning failed: {type(e).__name__}: {e}") from e
    errors = sorted(str(m) for m in closure.objects(None, OWLRL_ERRORS.error))
    if errors:
        raise ReasoningError("the ontology and data are inconsistent under OWL 2 RL:\n  " + "\n  ".join(errors))
    inferred = Graph()
    for t in closure:
        if t not in ontology and t not in data and not is_noise(*t):
            inferred.add(t)
    return inferred
