"""The search index, built once at build time into the artefact (``search.json`` beside ``kg.nq``).

A search box must answer "欧盟人工智能法", "AI Act", "14110" or "deepfake" at once, without a search server.
The graph is small (a few thousand labelled resources), so the index is a list of documents, each with its
names already normalised and split into tokens: Latin words, and Chinese as character bigrams (Chinese has no
spaces, so "人工智能法" must match "欧盟人工智能法" by its pieces). Ranking lives in ``aigov.search``; this module
only decides what each resource is called. Never imports Flask.

Every name carries a weight: titles and official numbers count most, then alternative titles and acronyms,
then topics and jurisdiction (so "deepfake" finds the rules whose topic is deepfakes, and "欧盟" + title finds
the EU's act).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
AIGOV = "https://w3id.org/aigov/ontology#"
ONTOLOGY = "https://w3id.org/aigov/ontology"

# predicate -> (field name, weight)
NAME_FIELDS = {
    RDFS + "label": ("label", 1.0),
    SKOS + "prefLabel": ("label", 1.0),
    AIGOV + "officialNumber": ("number", 1.0),
    AIGOV + "celexNumber": ("number", 0.9),
    SKOS + "notation": ("number", 0.9),
    AIGOV + "isoCode": ("number", 0.9),
    SKOS + "altLabel": ("alt", 0.9),
}
LINKED_FIELDS = {AIGOV + "topic": ("topic", 0.6), AIGOV + "jurisdiction": ("jurisdiction", 0.35)}
PREDICATES = [RDF_TYPE, RDFS + "subClassOf", *NAME_FIELDS, *LINKED_FIELDS]
FORMAT_VERSION = 1

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[a-z0-9]+")
DROP = re.compile(r"[《》〈〉「」『』“”\"'‘’()()\[\]【】,,、。.:::;;·\-–—_/\\\s]+")


def normalise(text: str) -> str:
    """Compare names as a reader would: full-width forms folded, case and punctuation (《》, spaces) ignored."""
    return DROP.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def compact(text: str) -> str:
    """A normalised name without spaces, so "SB 1047", "SB1047" and "sb-1047" are one string."""
    return normalise(text).replace(" ", "")


def tokens(text: str) -> list[str]:
    """Latin words and Chinese character bigrams (a single character when a Chinese run is one character)."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out = LATIN.findall(norm)
    for run in CJK.findall(norm):
        out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
    return out


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def _field(field: str, text: str, lang: str, weight: float) -> dict:
    return {"field": field, "text": text, "lang": lang, "weight": weight, "words": normalise(text),
            "norm": compact(text), "tokens": sorted(set(tokens(text)))}


def build_documents(triples: Iterable[tuple[str, str, object]]) -> list[dict]:
    """Documents from (subject, predicate, object) triples, each object either an IRI string or a
    (text, language) pair for a literal. Only IRI subjects with a label outside the ontology are indexed."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    names: dict[str, list[tuple[str, str, float, str]]] = defaultdict(list)  # iri -> (field, text, weight, lang)
    types: dict[str, set[str]] = defaultdict(set)
    links: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    supers: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == RDF_TYPE and isinstance(o, str):
            types[s].add(o)
        elif p == RDFS + "subClassOf" and isinstance(o, str):
            supers[s].add(o)
        elif p in NAME_FIELDS and isinstance(o, tuple):
            text, lang = o
            field, weight = NAME_FIELDS[p]
            names[s].append((field, text, weight, lang or ""))
            if p == RDFS + "label" and lang in ("en", "zh"):
                labels[s].setdefault(lang, text)
        elif p in LINKED_FIELDS and isinstance(o, str):
            field, weight = LINKED_FIELDS[p]
            links[s].append((field, o, weight))

    def ancestors(cls: str) -> set[str]:
        seen, todo = set(), [cls]
        while todo:
            for parent in supers.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    docs = []
    for iri in sorted(labels):
        if iri.startswith(ONTOLOGY) or not iri.startswith("http"):
            continue
        classes = {c for c in types.get(iri, ()) if c.startswith(AIGOV) or c.startswith(SKOS)}
        implied = set().union(*(ancestors(c) for c in classes)) if classes else set()
        specific = sorted(c for c in classes if c not in implied)
        kind = specific[0] if specific else None
        fields = []
        for field, text, weight, lang in names[iri]:
            fields.append(_field(field, text, lang, weight))
        jurisdiction = None
        for field, target, weight in links.get(iri, ()):
            if field == "jurisdiction" and jurisdiction is None:
                jurisdiction = {"iri": target, **labels.get(target, {})}
            for lang, text in labels.get(target, {}).items():
                fields.append(_field(field, text, lang, weight))
        docs.append({
            "iri": iri,
            "label": dict(labels[iri]),
            "kind": kind and {"iri": kind, "local": _local(kind), **labels.get(kind, {})},
            "classes": sorted(_local(c) for c in classes | implied if c.startswith(AIGOV)),
            "jurisdiction": jurisdiction,
            "fields": fields,
        })
    return docs


def index_bytes(docs: list[dict]) -> bytes:
    return json.dumps({"format": FORMAT_VERSION, "documents": docs}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def rdflib_triples(graphs) -> Iterable[tuple[str, str, object]]:
    """The triples ``build_documents`` reads, from the build's rdflib graphs."""
    from rdflib import Literal, URIRef

    wanted = {URIRef(p) for p in PREDICATES}
    for graph in graphs:
        for p in wanted:
            for s, _, o in graph.triples((None, p, None)):
                if not isinstance(s, URIRef):
                    continue
                if isinstance(o, Literal):
                    yield str(s), str(p), (str(o), o.language)
                elif isinstance(o, URIRef):
                    yield str(s), str(p), str(o)


def store_triples(store) -> Iterable[tuple[str, str, object]]:
    """The same triples from any store (a remote endpoint has no artefact file to read)."""
    import pyoxigraph as ox

    values = " ".join(f"<{p}>" for p in PREDICATES)
    result = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?s)) }}")
    for s, p, o in result.rows:
        if isinstance(o, ox.Literal):
            yield s.value, p.value, (o.value, o.language)
        elif isinstance(o, ox.NamedNode):
            yield s.value, p.value, o.value
