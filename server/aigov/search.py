"""Ranking over the build's search index (``search.json``, made by ``aigov.pipeline.search_index``).

Loaded on first use, not at start-up. A name that equals the query (a title, an acronym, an official number)
ranks first; then names that contain it; then names sharing most of its words or Chinese bigrams. A store
without an artefact (a remote endpoint) gets the same index built from the store by SPARQL, once.
Also resolves a saved-query parameter given by name, slug or prefixed name to one IRI (``resolve``).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from .pipeline.search_index import CJK, build_documents, compact, normalise, store_triples, tokens

KIND_BONUS = {"Instrument": 6, "Body": 5, "Jurisdiction": 5, "Topic": 3, "Meeting": 2}
MIN_COVERAGE = 0.6


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    jurisdiction: str
    score: float

    def as_dict(self) -> dict:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "jurisdiction": self.jurisdiction,
                "score": round(self.score, 2)}


class SearchIndex:
    def __init__(self, documents: list[dict]):
        self.documents = documents
        self.by_iri = {d["iri"]: d for d in documents}
        self.classes = {c for d in documents for c in d["classes"]}
        for d in documents:
            for f in d["fields"]:
                f["tokenset"] = frozenset(f["tokens"])

    @classmethod
    def from_file(cls, path: Path) -> "SearchIndex":
        return cls(json.loads(path.read_text(encoding="utf-8"))["documents"])

    @classmethod
    def from_store(cls, store) -> "SearchIndex":
        return cls(build_documents(store_triples(store)))

    def search(self, text: str, lang: str = "en", limit: int = 50, classes: tuple[str, ...] = ()) -> list[Hit]:
        query, within = _query(text)
        if not query:
            return []
        query_tokens = set(tokens(text))
        scored = []
        for doc in self.documents:
            if classes and not set(classes) & set(doc["classes"]):
                continue
            score = _score(doc, query, within, query_tokens)
            if score > 0:
                scored.append((score, doc))
        scored.sort(key=lambda sd: (-sd[0], _label(sd[1], lang)))
        return [self.hit(doc, lang, score) for score, doc in scored[:limit]]

    def hit(self, doc: dict, lang: str, score: float = 0.0) -> Hit:
        kind = doc.get("kind") or {}
        jurisdiction = doc.get("jurisdiction") or {}
        return Hit(doc["iri"], _label(doc, lang), kind.get(lang) or kind.get("en") or kind.get("local", ""),
                   jurisdiction.get(lang) or jurisdiction.get("en") or "", score)

    def containing(self, text: str, classes: tuple[str, ...] = ()) -> list[dict]:
        """Documents one of whose own names holds the text ("Korea" in "Republic of Korea"): the only partial
        match a parameter may resolve to. Word overlap alone ("D" in "R&D") never names a resource."""
        query, within = _query(text)
        if len(query) < 2:
            return []
        return [d for d in self.documents if (not classes or set(classes) & set(d["classes"]))
                and any(_holds(f, query, within) for f in d["fields"] if f["field"] in ("label", "alt", "number"))]

    def exact(self, text: str, classes: tuple[str, ...] = ()) -> list[dict]:
        """Documents one of whose own names (label, alternative label, number) equals the text."""
        query = compact(text)
        return [d for d in self.documents if (not classes or set(classes) & set(d["classes"]))
                and any(f["norm"] == query for f in d["fields"] if f["field"] in ("label", "alt", "number"))]


def _label(doc: dict, lang: str) -> str:
    labels = doc["label"]
    return labels.get(lang) or labels.get("en") or labels.get("zh") or doc["iri"]


def _query(text: str) -> tuple[str, str | None]:
    """The query compacted, and for Latin text its words: Latin matches from the start of a word ("NIST" is not
    in "Ministry"), Chinese anywhere (within is None)."""
    query = compact(text)
    return query, None if CJK.search(query) else " " + normalise(text)


def _holds(field: dict, query: str, within: str | None) -> bool:
    """Whether a name field holds the query: as a substring for Chinese, from the start of a word for Latin."""
    return (query in field["norm"]) if within is None else (within in " " + field["words"])


def _score(doc: dict, query: str, within: str | None, query_tokens: set[str]) -> float:
    best = 0.0
    matched_tokens: set[str] = set()
    for f in doc["fields"]:
        norm, weight = f["norm"], f["weight"]
        if not norm:
            continue
        if norm == query:
            s = 100 * weight
        elif _holds(f, query, within):
            s = weight * (45 + 40 * len(query) / len(norm))
        else:
            s = 0.0
        common = query_tokens & f["tokenset"]
        matched_tokens |= common
        best = max(best, s)
    if query_tokens:
        coverage = len(matched_tokens) / len(query_tokens)
        if coverage >= MIN_COVERAGE:
            best = max(best, 50 * coverage ** 2)
    if best <= 0:
        return 0.0
    bonus = max((KIND_BONUS.get(c, 0) for c in doc["classes"]), default=0)
    return best + bonus


_lock = threading.Lock()
_cache: dict[str, SearchIndex] = {}


def index_for(store) -> SearchIndex:
    """This store's index: the artefact's search.json, or built from the store when there is none."""
    key = store.version
    with _lock:
        if key not in _cache:
            quads = getattr(store, "quads_path", None)
            path = Path(quads).parent / "search.json" if quads else None
            _cache.clear()
            _cache[key] = SearchIndex.from_file(path) if path and path.exists() else SearchIndex.from_store(store)
        return _cache[key]
