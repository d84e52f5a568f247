"""A saved-query IRI parameter given the way a person gives it: a full IRI, a path (jurisdiction/kr), a slug
(kr, eu-ai-act), a prefixed name (jur:kr, inst:eu-ai-act) or an unambiguous name ("Korea", "韩国", "GDPR").

A value that names nothing, or several things, is a 400 naming the candidates: an unmatched value must never
quietly give an empty table. The parameter's class comes from its name (``?_jurisdiction_iri`` -> aigov:
Jurisdiction) when the ontology has such a class, and narrows the candidates.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import BadRequest
from .search import SearchIndex, index_for

ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(//|[^/]*$)")
PREFIXED = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s/:][^\s:]*)$")
MAX_CANDIDATES = 8


def parameter_class(name: str, index: SearchIndex) -> str | None:
    """aigov:Jurisdiction for a parameter named 'jurisdiction', if the graph has members of that class."""
    cls = name[:1].upper() + name[1:]
    return cls if cls in index.classes else None


def resolve(value: str, name: str, store, base_iri: str) -> ox.NamedNode:
    index = index_for(store)
    cls = parameter_class(name, index)
    classes = (cls,) if cls else ()
    text = value.strip()
    what = f"a {cls.lower()}" if cls else "a resource"

    def fits(iri: str) -> bool:
        doc = index.by_iri.get(iri)
        return doc is not None and (not cls or cls in doc["classes"])

    def one(iris: list[str], how: str) -> ox.NamedNode | None:
        unique = sorted(set(iris))
        if len(unique) == 1:
            return ox.NamedNode(unique[0])
        if len(unique) > 1:
            raise BadRequest(f"parameter {name!r}: {text!r} {how} {len(unique)} resources; give one of: "
                             + _list(index, unique))
        return None

    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if PREFIXED.match(text) and not text.lower().startswith(("http:", "https:", "urn:")):
        found = _prefixed(index, text, base_iri, fits)
        if found is not None:
            return found
    if ABSOLUTE.match(text):
        if fits(text) or (not cls and _exists(store, text)):
            return _node(text, name)
        raise BadRequest(f"parameter {name!r}: <{text}> is not {what} in the graph" + _suggest(index, text, classes))
    path = text.strip("/").removeprefix("page/").removeprefix("id/")
    if "/" in path:
        iri = f"{base_iri}id/{path}"
        if fits(iri) or (not cls and _exists(store, iri)):
            return _node(iri, name)
    found = one([d["iri"] for d in index.documents if d["iri"].endswith("/" + path) and fits(d["iri"])], "is the slug of")
    if found is not None:
        return found
    found = one([d["iri"] for d in index.exact(text, classes)], "is the name of")
    if found is not None:
        return found
    # a part of a name ("Korea" for "Republic of Korea"), if it names exactly one resource of the class
    named = [d["iri"] for d in index.containing(text, classes)]
    found = one(named, "matches")
    if found is not None:
        return found
    raise BadRequest(f"parameter {name!r}: no {what[2:] if what.startswith('a ') else what} is named {text!r}"
                     + _suggest(index, text, classes))


def _prefixed(index: SearchIndex, text: str, base_iri: str, fits) -> ox.NamedNode | None:
    from .serializers import PREFIXES

    m = PREFIXED.match(text)
    prefix, local = m["prefix"], m["local"]
    if prefix in PREFIXES:
        iri = PREFIXES[prefix] + local
        return ox.NamedNode(iri) if fits(iri) or iri in index.by_iri else None
    # the Turtle files' prefixes: inst: -> id/instrument/, jur: -> id/jurisdiction/, body: -> id/body/ ...
    matches = sorted(d["iri"] for d in index.documents
                     if d["iri"].startswith(base_iri + "id/") and d["iri"].endswith("/" + local) and fits(d["iri"])
                     and d["iri"][len(base_iri) + 3:].split("/", 1)[0].startswith(prefix))
    return ox.NamedNode(matches[0]) if len(matches) == 1 else None


def _node(iri: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise BadRequest(f"parameter {name!r}: {iri[:100]!r} is not an IRI") from None


def _exists(store, iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return store.query("ASK WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": node}).boolean


def _list(index: SearchIndex, iris: list[str]) -> str:
    shown = [f"{index.hit(index.by_iri[i], 'en').label} <{i}>" if i in index.by_iri else f"<{i}>"
             for i in iris[:MAX_CANDIDATES]]
    more = f" (and {len(iris) - MAX_CANDIDATES} more)" if len(iris) > MAX_CANDIDATES else ""
    return "; ".join(shown) + more


def _suggest(index: SearchIndex, text: str, classes: tuple[str, ...]) -> str:
    hits = index.search(text, limit=MAX_CANDIDATES, classes=classes)
    if not hits:
        return "; see /search to find it"
    return "; did you mean: " + _list(index, [h.iri for h in hits])
