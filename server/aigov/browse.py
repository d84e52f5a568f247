"""Lists to browse (instruments, bodies, jurisdictions, meetings ...) filtered by jurisdiction, kind, topic and
year: where the home page's counts lead. One SPARQL query per class and language; filtering happens here."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import NotFound

AIGOV = "https://w3id.org/aigov/ontology#"
LISTS = {  # URL slug -> class
    "instruments": "Instrument", "hard-law": "HardLawInstrument", "soft-law": "SoftLawInstrument", "bills": "Bill",
    "bodies": "Body", "jurisdictions": "Jurisdiction", "meetings": "Meeting",
}
SLUG_OF = {cls: slug for slug, cls in LISTS.items()}

ITEMS = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?label ?kind ?j ?jLabel ?within ?topic ?topicLabel ?date WHERE {
  ?item a ?class .
  OPTIONAL { ?item rdfs:label ?l FILTER(LANG(?l) = "LANG") }
  OPTIONAL { ?item rdfs:label ?l2 FILTER(LANG(?l2) = "en") }
  BIND(COALESCE(?l, ?l2) AS ?label)
  OPTIONAL {
    ?item a ?k . ?k rdfs:label ?kind FILTER(LANG(?kind) = "LANG" && STRSTARTS(STR(?k), STR(aigov:)))
    FILTER NOT EXISTS { ?item a ?n . ?n rdfs:subClassOf ?k FILTER(?n != ?k) }
  }
  OPTIONAL {
    ?item aigov:jurisdiction ?j .
    OPTIONAL { ?j rdfs:label ?jLabel FILTER(LANG(?jLabel) = "LANG") }
    OPTIONAL { ?j aigov:withinJurisdiction+ ?within }
  }
  OPTIONAL { ?item aigov:topic ?topic . OPTIONAL { ?topic rdfs:label ?topicLabel FILTER(LANG(?topicLabel) = "LANG") } }
  OPTIONAL { { ?e aigov:concerns ?item ; aigov:date ?date } UNION { ?item aigov:date ?date } }
}"""


@dataclass
class Item:
    iri: str
    label: str
    kind: str = ""
    jurisdictions: dict[str, str] = field(default_factory=dict)  # iri -> label (direct ones)
    places: set[str] = field(default_factory=set)  # direct and enclosing jurisdictions, for filtering
    topics: dict[str, str] = field(default_factory=dict)
    years: set[int] = field(default_factory=set)

    @property
    def first_year(self) -> int | None:
        return min(self.years) if self.years else None


def items(store, slug: str, lang: str) -> list[Item]:
    if slug not in LISTS:
        raise NotFound(f"there is no list {slug!r}; the lists are: {', '.join(LISTS)}")
    if lang not in ("en", "zh"):
        raise ValueError(f"unsupported language {lang!r}")
    # the language goes into the text (it is one of two fixed values): nested OPTIONALs do not see VALUES bindings
    rows = store.query(ITEMS.replace('"LANG"', f'"{lang}"'), bindings={"class": ox.NamedNode(AIGOV + LISTS[slug])}).rows
    found: dict[str, Item] = {}
    for item, label, kind, j, j_label, within, topic, topic_label, date in rows:
        if not isinstance(item, ox.NamedNode):
            continue
        it = found.setdefault(item.value, Item(item.value, label.value if label else item.value.rpartition("/")[2]))
        if kind is not None and not it.kind:
            it.kind = kind.value
        if j is not None:
            it.jurisdictions.setdefault(j.value, j_label.value if j_label else j.value.rpartition("/")[2])
            it.places.add(j.value)
        if within is not None:
            it.places.add(within.value)
        if topic is not None:
            it.topics.setdefault(topic.value, topic_label.value if topic_label else topic.value.rpartition("/")[2])
        if date is not None and date.value[:4].isdigit():
            it.years.add(int(date.value[:4]))
    if slug == "jurisdictions":
        for it in found.values():
            it.places.add(it.iri)
    return sorted(found.values(), key=lambda i: i.label.lower())


def choices(all_items: list[Item]) -> dict[str, list[tuple[str, str]]]:
    """The values each filter can take, from the list itself."""
    jurisdictions = {iri: label for it in all_items for iri, label in it.jurisdictions.items()}
    return {
        "jurisdiction": sorted(jurisdictions.items(), key=lambda kv: kv[1].lower()),
        "kind": sorted({(it.kind, it.kind) for it in all_items if it.kind}),
        "topic": sorted({kv for it in all_items for kv in it.topics.items()}, key=lambda kv: kv[1].lower()),
        "year": sorted({(str(y), str(y)) for it in all_items for y in it.years}, reverse=True),
    }


def apply_filters(all_items: list[Item], jurisdiction: str = "", kind: str = "", topic: str = "",
                  year: str = "") -> list[Item]:
    """Items matching every filter given; a jurisdiction includes the places within it (US includes California)."""
    out = all_items
    if jurisdiction:
        out = [i for i in out if jurisdiction in i.places]
    if kind:
        out = [i for i in out if i.kind == kind]
    if topic:
        out = [i for i in out if topic in i.topics]
    if year:
        out = [i for i in out if year.isdigit() and int(year) in i.years]
    return out
