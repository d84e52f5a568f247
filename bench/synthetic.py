"""A deterministic generator of aigov-shaped graphs at any size, written as a real build artefact.

The report's own graph is ~12k triples; the scale run asks how the same shapes behave at 10k, 100k and 1M.
The generator follows graph/README.md's rules with made-up resources:

* jurisdictions: countries, subnational jurisdictions and cities linked by ``aigov:withinJurisdiction``;
* bodies (ministries, agencies) with zh/en labels and an ``aigov:jurisdiction``;
* instruments of the specific classes (Law, Bill, ExecutiveOrder, Strategy, Guideline, Standard) with one
  ``rdfs:label`` per language (zh, en), ``aigov:jurisdiction``, one or two ``aigov:issuedBy``, a status and
  topics;
* lifecycle events (Proposal, Adoption, Publication, EntryIntoForce) ``aigov:concerns`` their instrument, with
  zh/en labels and an ``aigov:date`` at mixed precision (xsd:date, xsd:gYearMonth, xsd:gYear; some undated);
* families of up to eight instruments linked by ``aigov:inspiredBy`` / ``implements`` / ``amends`` chains, as
  an act and its implementing acts and amendments are (bounded, so transitive queries stay meaningful).

The ontology graph is the repository's own ``ontology/aigov.ttl``. The inferred graph is what the build's OWL 2
RL closure adds for these shapes (super-classes, inverses, ``influencedBy`` from its sub-properties, transitive
``withinJurisdiction``), computed directly here: owlrl itself takes minutes from 100k triples on.

``python -m bench.synthetic --triples N --instance DIR`` writes DIR/current/{kg.nq,manifest.json} with
``aigov.pipeline.artefact.write_artefact`` and prints a JSON summary. The same seed gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from .config import BASE_IRI, ROOT

AIGOV = Namespace("https://w3id.org/aigov/ontology#")

INSTRUMENT_CLASSES = {  # class -> what OWL 2 RL adds from the ontology's subClassOf axioms
    "Law": ("Legislation", "HardLawInstrument", "Instrument"),
    "Bill": ("Legislation", "Instrument"),
    "ExecutiveOrder": ("HardLawInstrument", "Instrument"),
    "Strategy": ("SoftLawInstrument", "Instrument"),
    "Guideline": ("SoftLawInstrument", "Instrument"),
    "Standard": ("SoftLawInstrument", "Instrument"),
}
EVENT_STEPS = (("Proposal", "提出", "proposal"), ("Adoption", "通过", "adoption"),
               ("Publication", "发布", "publication"), ("EntryIntoForce", "生效", "entry into force"))
RELATIONS = {"inspiredBy": "inspired", "implements": "implementedBy", "amends": "amendedBy"}
STATUSES = ("InForce", "AdoptedNotInForce", "Draft", "Pending", "Revoked")
TOPICS = ("generative-ai", "deepfakes", "copyright", "frontier-models", "data-protection", "safety",
          "transparency", "liability")
SUBJECTS_EN = ("Artificial Intelligence", "Generative AI", "Algorithmic Accountability", "Data Security",
               "Deep Synthesis", "Automated Decision-Making", "AI Safety", "Digital Services", "Frontier Models")
SUBJECTS_ZH = ("人工智能", "生成式人工智能", "算法问责", "数据安全", "深度合成", "自动化决策", "人工智能安全",
               "数字服务", "前沿模型")
FORMS = {"Law": ("Act", "法"), "Bill": ("Bill", "法案"), "ExecutiveOrder": ("Executive Order", "行政令"),
         "Strategy": ("Strategy", "战略"), "Guideline": ("Guidelines", "指南"), "Standard": ("Standard", "标准")}
TRIPLES_PER_INSTRUMENT = 30  # measured average with events, relations and inferences: sizes the side tables


@dataclass
class Synthetic:
    graphs: dict[str, Graph]
    instruments: int
    jurisdictions: int
    bodies: int
    events: int
    # IRIs the representative queries start from (they exist at every size)
    country: str = ""
    family_root: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(len(g) for g in self.graphs.values())


def _id(kind: str, slug: str) -> URIRef:
    return URIRef(f"{BASE_IRI}id/{kind}/{slug}")


def _date(rng: random.Random, year: int) -> Literal | None:
    roll = rng.random()
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if roll < 0.08:
        return None  # the report gives no date
    if roll < 0.60:
        return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)
    if roll < 0.85:
        return Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth)
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ROOT / "ontology" / "aigov.ttl", format="turtle")
    return g


def generate(target_triples: int, seed: int = 20250531, ontology: Graph | None = None) -> Synthetic:
    """About ``target_triples`` triples in all three graphs together (instruments are added until it is reached)."""
    rng = random.Random(seed)
    onto = ontology if ontology is not None else ontology_graph()
    data, inferred = Graph(), Graph()
    add, infer = data.add, inferred.add
    label = RDFS.label
    est = max(10, target_triples // TRIPLES_PER_INSTRUMENT)

    # Jurisdictions: countries, each with subnational jurisdictions, some with cities.
    countries, places = [], []
    for c in range(max(4, int(est ** 0.5 / 3))):
        country = _id("jurisdiction", f"syn-c{c}")
        countries.append(country)
        places.append(country)
        add((country, RDF.type, AIGOV.Country))
        add((country, label, Literal(f"Country {c}", lang="en")))
        add((country, label, Literal(f"国家{c}", lang="zh")))
        infer((country, RDF.type, AIGOV.Jurisdiction))
        for s in range(rng.randint(0, 4)):
            sub = _id("jurisdiction", f"syn-c{c}-s{s}")
            places.append(sub)
            add((sub, RDF.type, AIGOV.SubnationalJurisdiction))
            add((sub, label, Literal(f"State {c}.{s}", lang="en")))
            add((sub, label, Literal(f"州{c}.{s}", lang="zh")))
            add((sub, AIGOV.withinJurisdiction, country))
            infer((sub, RDF.type, AIGOV.Jurisdiction))
            infer((country, AIGOV.containsJurisdiction, sub))
            if rng.random() < 0.4:
                city = _id("jurisdiction", f"syn-c{c}-s{s}-city")
                places.append(city)
                add((city, RDF.type, AIGOV.City))
                add((city, label, Literal(f"City {c}.{s}", lang="en")))
                add((city, label, Literal(f"市{c}.{s}", lang="zh")))
                add((city, AIGOV.withinJurisdiction, sub))
                for t in (AIGOV.SubnationalJurisdiction, AIGOV.Jurisdiction):
                    infer((city, RDF.type, t))
                infer((city, AIGOV.withinJurisdiction, country))  # withinJurisdiction is transitive
                infer((sub, AIGOV.containsJurisdiction, city))
                infer((country, AIGOV.containsJurisdiction, city))

    # Bodies, each in one jurisdiction.
    bodies, bodies_in = [], {}
    for b in range(max(3, est // 8)):
        body = _id("body", f"syn-b{b}")
        place = rng.choice(places)
        kind = "Ministry" if b % 3 == 0 else "Agency"
        bodies.append((body, place))
        bodies_in.setdefault(place, []).append(body)
        add((body, RDF.type, AIGOV[kind]))
        add((body, label, Literal(f"{kind} {b}", lang="en")))
        add((body, label, Literal(f"{'部' if kind == 'Ministry' else '局'}{b}", lang="zh")))
        add((body, AIGOV.jurisdiction, place))
        for t in (AIGOV.PublicBody, AIGOV.Body):
            infer((body, RDF.type, t))

    # Instruments in families, with their events, until the target is reached.
    n = events = 0
    family: list[URIRef] = []
    family_size = 0
    best_family = (0, None)
    classes = list(INSTRUMENT_CLASSES)
    while len(onto) + len(data) + len(inferred) < target_triples or n < 2:
        if len(family) >= family_size:
            family, family_size = [], rng.randint(1, 8)
            place = rng.choice(places)
        inst = _id("instrument", f"syn-i{n}")
        cls = rng.choice(classes)
        subject = rng.randrange(len(SUBJECTS_EN))
        en_form, zh_form = FORMS[cls]
        year = rng.randint(2015, 2025)
        add((inst, RDF.type, AIGOV[cls]))
        add((inst, label, Literal(f"{SUBJECTS_EN[subject]} {en_form} No. {n}", lang="en")))
        add((inst, label, Literal(f"{SUBJECTS_ZH[subject]}{zh_form}第{n}号", lang="zh")))
        add((inst, AIGOV.jurisdiction, place))
        for sup in INSTRUMENT_CLASSES[cls]:
            infer((inst, RDF.type, AIGOV[sup]))
        local = bodies_in.get(place) or [rng.choice(bodies)[0]]
        for issuer in {rng.choice(local), *([rng.choice(bodies)[0]] if rng.random() < 0.3 else [])}:
            add((inst, AIGOV.issuedBy, issuer))
            infer((issuer, AIGOV.issued, inst))
        add((inst, AIGOV.status, AIGOV[rng.choice(STATUSES)]))
        for topic in rng.sample(TOPICS, rng.randint(1, 2)):
            add((inst, AIGOV.topic, _id("topic", topic)))
        if family:  # link to an earlier member of the family: chains, not a hairball
            target = rng.choice(family)
            relation = rng.choice(list(RELATIONS))
            add((inst, AIGOV[relation], target))
            infer((target, AIGOV[RELATIONS[relation]], inst))
            infer((inst, AIGOV.influencedBy, target))
            infer((target, AIGOV.influenced, inst))
        family.append(inst)
        if len(family) > best_family[0]:  # the largest family's root: the transitive query's start
            best_family = (len(family), family[0])
        for step, zh_step, en_step in rng.sample(EVENT_STEPS, rng.randint(1, 3)):
            event = _id("event", f"syn-i{n}-{step.lower()}")
            add((event, RDF.type, AIGOV[step]))
            add((event, AIGOV.concerns, inst))
            add((event, label, Literal(f"{en_step} of instrument {n}", lang="en")))
            add((event, label, Literal(f"第{n}号{zh_step}", lang="zh")))
            date = _date(rng, year)
            if date is not None:
                add((event, AIGOV.date, date))
            infer((event, RDF.type, AIGOV.LifecycleEvent))
            infer((inst, AIGOV.hasEvent, event))
            events += 1
        n += 1
    synthetic = Synthetic({"ontology": onto, "data": data, "inferred": inferred}, n, len(places), len(bodies),
                          events, country=str(countries[0]), family_root=str(best_family[1]))
    synthetic.counts = {name: len(g) for name, g in synthetic.graphs.items()}
    return synthetic


def write(synthetic: Synthetic, instance: Path):
    from aigov.pipeline.artefact import write_artefact

    return write_artefact(instance, synthetic.graphs, BASE_IRI, {"synthetic": "bench.synthetic"},
                          extra={"synthetic": {"instruments": synthetic.instruments, "country": synthetic.country,
                                               "family_root": synthetic.family_root}})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--instance", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20250531)
    args = parser.parse_args(argv)
    t = time.perf_counter()
    synthetic = generate(args.triples, args.seed)
    generated = time.perf_counter() - t
    t = time.perf_counter()
    artefact = write(synthetic, args.instance)
    written = time.perf_counter() - t
    print(json.dumps({"triples": synthetic.triples, "graphs": synthetic.counts, "instruments": synthetic.instruments,
                      "jurisdictions": synthetic.jurisdictions, "bodies": synthetic.bodies, "events": synthetic.events,
                      "country": synthetic.country, "family_root": synthetic.family_root,
                      "quads_path": str(artefact.quads_path), "generate_seconds": round(generated, 2),
                      "write_seconds": round(written, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
