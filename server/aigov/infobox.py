"""The summary box that opens a resource page, like an encyclopedia infobox, and a jurisdiction's overview.

An analyst wants the kind, issuer, jurisdiction and status of an instrument, every dated step with its date
(at the precision the report gives) or its delay in words ("6 months after entry into force"), and where the
report says so (section and first page) -- before the full property table. Everything comes from the store by
SPARQL, so it works over the embedded and a remote store.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

PREFIXES = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

FACTS = PREFIXES + """
SELECT ?role ?value ?label WHERE {
  VALUES (?role ?p) { ("issuer" aigov:issuedBy) ("jurisdiction" aigov:jurisdiction) ("status" aigov:status)
                      ("stage" aigov:legislativeStage) ("number" aigov:officialNumber) ("topic" aigov:topic)
                      ("established by" aigov:establishedBy) }
  ?x ?p ?value .
  OPTIONAL { ?value rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) = ?lang) }
  OPTIONAL { ?value rdfs:label|skos:prefLabel ?l2 FILTER(LANG(?l2) = "en") }
  BIND(COALESCE(?l, ?l2) AS ?label)
}"""

EVENTS = PREFIXES + """
SELECT ?event ?label ?typeLabel ?date ?delay ?afterType ?afterLabel ?afterDate ?scope WHERE {
  ?event aigov:concerns ?x ; a aigov:LifecycleEvent .
  OPTIONAL { ?event rdfs:label ?l FILTER(LANG(?l) = ?lang) }
  OPTIONAL { ?event rdfs:label ?l2 FILTER(LANG(?l2) = "en") }
  BIND(COALESCE(?l, ?l2) AS ?label)
  OPTIONAL {
    ?event a ?type . ?type rdfs:label ?typeLabel
    FILTER(LANG(?typeLabel) = ?lang && STRSTARTS(STR(?type), "https://w3id.org/aigov/ontology#"))
    FILTER NOT EXISTS { ?event a ?narrower . ?narrower rdfs:subClassOf ?type FILTER(?narrower != ?type) }
  }
  OPTIONAL { ?event aigov:date ?date }
  OPTIONAL { ?event aigov:delay ?delay }
  OPTIONAL { ?event aigov:scope ?scope }
  OPTIONAL { ?event aigov:relativeTo ?after }
  OPTIONAL { ?after aigov:date ?afterDate }
  OPTIONAL { ?after rdfs:label ?afterLabel FILTER(LANG(?afterLabel) = ?lang) }
  OPTIONAL {
    ?after a ?at . ?at rdfs:label ?afterType
    FILTER(LANG(?afterType) = ?lang && STRSTARTS(STR(?at), "https://w3id.org/aigov/ontology#"))
    FILTER NOT EXISTS { ?after a ?an . ?an rdfs:subClassOf ?at FILTER(?an != ?at) }
  }
}"""

SECTIONS = PREFIXES + """
SELECT ?section ?label ?number (MAX(?p) AS ?page) WHERE {
  GRAPH ?data { ?x aigov:statedIn ?section }
  OPTIONAL { ?section rdfs:label ?label FILTER(LANG(?label) = ?lang) }
  OPTIONAL { ?section aigov:sectionNumber ?number }
  OPTIONAL { ?section dcterms:isPartOf* ?part . ?part aigov:firstPage ?p }
} GROUP BY ?section ?label ?number"""

JURISDICTION = PREFIXES + """
SELECT ?what ?item ?label ?kind ?date WHERE {
  ?place aigov:withinJurisdiction* ?x .
  {
    ?item a aigov:Instrument ; aigov:jurisdiction ?place . BIND("instrument" AS ?what)
  } UNION {
    ?item a aigov:Body ; aigov:jurisdiction ?place . BIND("body" AS ?what)
  } UNION {
    ?item a aigov:LifecycleEvent ; aigov:concerns ?i ; aigov:date ?date . ?i aigov:jurisdiction ?place .
    BIND("event" AS ?what)
  }
  OPTIONAL {
    ?item a ?k . ?k rdfs:label ?kind FILTER(?what != "event" && LANG(?kind) = ?lang && STRSTARTS(STR(?k), "https://w3id.org/aigov/ontology#"))
    FILTER NOT EXISTS { ?item a ?n . ?n rdfs:subClassOf ?k FILTER(?n != ?k) }
  }
  OPTIONAL { ?item rdfs:label ?l FILTER(LANG(?l) = ?lang) }
  OPTIONAL { ?item rdfs:label ?l2 FILTER(LANG(?l2) = "en") }
  BIND(COALESCE(?l, ?l2) AS ?label)
}"""

DURATION = re.compile(r"^P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?$")
UNITS = {"Y": ("year", "years", "年"), "M": ("month", "months", "个月"), "W": ("week", "weeks", "周"),
         "D": ("day", "days", "天")}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def duration_words(value: str, lang: str) -> str:
    """P6M -> "6 months" / "6个月"; a value that is not a plain ISO 8601 duration is shown as it is."""
    match = DURATION.match(value)
    if not match or not any(match.groupdict().values()):
        return value
    parts = []
    for unit, n in match.groupdict().items():
        if n:
            one, many, zh = UNITS[unit]
            parts.append(f"{int(n)}{zh}" if lang == "zh" else f"{int(n)} {one if int(n) == 1 else many}")
    return ("" if lang == "zh" else " ").join(parts)


def date_words(value: str, lang: str) -> str:
    """A date at its precision: 2024-08-01, "September 2024" / "2024年9月", or a year."""
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = value.split("-")
        return f"{year}年{int(month)}月" if lang == "zh" else f"{MONTHS[int(month) - 1]} {year}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and lang == "zh":
        year, month, day = value.split("-")
        return f"{year}年{int(month)}月{int(day)}日"
    if re.fullmatch(r"\d{4}", value) and lang == "zh":
        return f"{value}年"
    return value


@dataclass
class Step:
    iri: str
    label: str
    kind: str
    date: str | None = None  # the lexical value, for <time datetime>
    when: str = ""  # the date or the delay, in words
    scope: str = ""


@dataclass
class Infobox:
    facts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # role -> [(iri or value, label)]
    steps: list[Step] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.facts or self.steps or self.sections)


def _v(term) -> str | None:
    return None if term is None else term.value


def infobox(store, iri: str, lang: str) -> Infobox:
    box = Infobox()
    bind = {"x": ox.NamedNode(iri), "lang": ox.Literal(lang)}
    for role, value, label in store.query(FACTS, bindings=bind).rows:
        shown = _v(label) or value.value
        box.facts.setdefault(role.value, [])
        if (value.value, shown) not in box.facts[role.value]:
            box.facts[role.value].append((value.value if isinstance(value, ox.NamedNode) else "", shown))
    seen = set()
    for event, label, type_label, date, delay, after_type, after_label, after_date, scope in \
            store.query(EVENTS, bindings=bind).rows:
        if event.value in seen:
            continue
        seen.add(event.value)
        step = Step(event.value, _v(label) or event.value, _v(type_label) or "", _v(date), scope=_v(scope) or "")
        if date is not None:
            step.when = date_words(date.value, lang)
        elif delay is not None:
            reference = _v(after_type) or _v(after_label) or ""
            words = duration_words(delay.value, lang)
            step.when = (f"{reference}后{words}" if lang == "zh" else f"{words} after {reference}") if reference else words
            if after_date is not None:
                step.when += f" ({date_words(after_date.value, lang)})" if lang != "zh" else f"({date_words(after_date.value, lang)})"
        box.steps.append(step)
    box.steps.sort(key=lambda s: (s.date is None, s.date or "", s.label))
    rows = store.query(SECTIONS, bindings={**bind, "data": ox.NamedNode(store.graph_iris["data"])}).rows
    box.sections = sorted(({"iri": s.value, "label": _v(l) or s.value.rpartition("/")[2], "number": _v(n) or "",
                            "page": _v(p)} for s, l, n, p in rows), key=lambda d: section_order(d["iri"]))
    return box


def section_order(iri: str) -> tuple:
    """Sections in the report's order: sec:1-1-2 before sec:1-10 (numbers compared as numbers)."""
    local = iri.rpartition("/")[2]
    return tuple(int(p) if p.isdigit() else -1 if p == "preface" else 10**6 for p in local.split("-"))


def jurisdiction_overview(store, iri: str, lang: str) -> dict | None:
    """A jurisdiction's timeline, its instruments grouped by kind and its bodies (None when it has none)."""
    rows = store.query(JURISDICTION, bindings={"x": ox.NamedNode(iri), "lang": ox.Literal(lang)}).rows
    if not rows:
        return None
    instruments: dict[str, set] = {}
    bodies: set = set()
    events: set = set()
    for what, item, label, kind, date in rows:
        entry = (item.value, _v(label) or item.value)
        if what.value == "instrument":
            instruments.setdefault(_v(kind) or "", set()).add(entry)
        elif what.value == "body":
            bodies.add(entry + (_v(kind) or "",))
        else:
            events.add((date.value, date_words(date.value, lang)) + entry)
    return {"instruments": {k: sorted(v, key=lambda e: e[1]) for k, v in sorted(instruments.items())},
            "bodies": sorted(bodies, key=lambda e: e[1]),
            "timeline": sorted(events)}
