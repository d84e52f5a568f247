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


AXIOMS = (RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.equivalentProperty)


def reasoning_input(ontology: Graph, data: Graph) -> Graph:
    """ontology + data without the literal-valued triples no axiom can touch (labels, definitions, quotes, notes).

    About 40% of the triples are such annotations; owlrl's time grows with the graph it closes, and for these
    triples no OWL 2 RL rule can fire beyond the literal-subject noise we drop anyway (their predicates have no
    domain, range, super- or equivalent property or inverse). tests/test_reason.py proves the inferred graph is
    the same as owlrl's over everything, on the real data."""
    constrained = {p for p in ontology.subjects() if any((p, a, None) in ontology for a in AXIOMS)}
    constrained |= set(ontology.objects(None, RDFS.subPropertyOf)) | set(ontology.objects(None, OWL.equivalentProperty))
    constrained.add(RDF.type)
    closure = Graph()
    for g in (ontology, data):
        for t in g:
            if isinstance(t[2], Literal) and t[1] not in constrained:
                continue
            closure.add(t)
    return closure


def infer(ontology: Graph, data: Graph, slim: bool = True) -> Graph:
    """Return the triples that OWL 2 RL entails from ontology + data and that neither asserts."""
    if slim:
        closure = reasoning_input(ontology, data)
    else:
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
