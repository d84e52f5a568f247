"""Spot checks of the report's most important facts, per section, through SPARQL on the built graph.

Each expectation is read from the report (section given), not from the data: a data change that breaks a
fact the report states fails here."""
from __future__ import annotations

import pyoxigraph as ox

P = """PREFIX aigov: <https://w3id.org/aigov/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ID = "https://w3id.org/aigov/id/"


def dates(store, instrument: str) -> set[tuple[str, str]]:
    q = P + "SELECT ?type ?d WHERE { ?e aigov:concerns ?i ; a ?type ; aigov:date ?d " \
            "FILTER(?type NOT IN (aigov:LifecycleEvent, aigov:Occurrence) && STRSTARTS(STR(?type), STR(aigov:))) }"
    rows = store.query(q, bindings={"i": ox.NamedNode(ID + "instrument/" + instrument)}).rows
    return {(t.value.rpartition("#")[2], d.value) for t, d in rows}


def objects(store, subject: str, predicate: str) -> set[str]:
    rows = store.query(P + f"SELECT ?o WHERE {{ ?s {predicate} ?o }}", bindings={"s": ox.NamedNode(ID + subject)}).rows
    return {o.value.removeprefix(ID) for (o,) in rows}


def quantity(store, name: str) -> float:
    rows = store.query(P + "SELECT ?v WHERE { ?q schema:value ?v }",
                       bindings={"q": ox.NamedNode(ID + "quantity/" + name)}).rows
    return float(rows[0][0].value)


def test_eu_ai_act_dates_and_tiers(store):  # 一(一)1
    assert {("Proposal", "2021"), ("Adoption", "2024-05-21"), ("EntryIntoForce", "2024-08-01"),
            ("StartOfApplication", "2026-08-02"), ("Deadline", "2025-08-02")} <= dates(store, "eu-ai-act")
    tiers = store.query(P + f"SELECT ?t ?r WHERE {{ ?t skos:inScheme <{ID}risk-scheme/eu-ai-act> ; aigov:rank ?r }}").rows
    assert len(tiers) == 4
    delays = store.query(P + f"SELECT ?d WHERE {{ ?e aigov:concerns <{ID}instrument/eu-ai-act> ; aigov:delay ?d }}").rows
    assert {d.value for (d,) in delays} == {"P6M", "P1Y"}  # "12个月后": P12M, which the store writes as P1Y


def test_eu_ai_office_has_five_units_and_the_code_three_drafts(store):  # 一(一)2
    units = store.query(P + f"SELECT ?u WHERE {{ ?u org:unitOf <{ID}body/eu-ai-office> }}").rows
    assert len(units) == 5
    drafts = store.query(P + f"SELECT ?d WHERE {{ ?e a aigov:DraftRelease ; aigov:concerns <{ID}instrument/eu-gpai-code> ; aigov:date ?d }}").rows
    assert {d.value for (d,) in drafts} == {"2024-11", "2024-12", "2025-03"}


def test_us_eo_14110_signed_by_biden_and_revoked_in_2025(store):  # 一(二)2-3
    assert {("Signature", "2023-10"), ("Revocation", "2025-01")} <= dates(store, "us-eo-14110")
    assert "person/joe-biden" in objects(store, "instrument/us-eo-14110", "aigov:issuedBy")
    # "2025年1月,特朗普废除拜登第14110号行政令": the report names the revoker (Trump), not the revoking order
    revokers = store.query(P + f"SELECT ?a WHERE {{ ?e a aigov:Revocation ; aigov:concerns <{ID}instrument/us-eo-14110> ; "
                               "aigov:agent ?a }").rows
    assert {a.value.removeprefix(ID) for (a,) in revokers} == {"person/donald-trump"}


def test_us_omb_2025_memoranda_repeal_the_2024_pair(store):  # 一(二)3
    assert "instrument/us-omb-m-24-10" in objects(store, "instrument/us-omb-m-25-21", "aigov:repeals")
    assert "instrument/us-omb-m-24-18" in objects(store, "instrument/us-omb-m-25-22", "aigov:repeals")


def test_us_congress_and_state_statistics(store):  # 一(二)1 and footnote 8
    assert quantity(store, "us-118th-congress-bills-introduced") == 23912
    assert quantity(store, "us-118th-congress-bills-enacted") == 274
    assert quantity(store, "us-states-with-ai-legislation-2024") == 43
    assert ("Signature", "2024-05") in dates(store, "us-co-sb205")


def test_china_generative_ai_measures_issued_jointly_by_seven_departments(store):  # 一(三)2
    issuers = objects(store, "instrument/cn-generative-ai-interim-measures", "aigov:issuedBy")
    assert issuers == {"body/cn-cac", "body/cn-ndrc", "body/cn-moe", "body/cn-most", "body/cn-miit", "body/cn-mps",
                       "body/cn-nrta"}
    assert any(d.startswith("2023-07") for _, d in dates(store, "cn-generative-ai-interim-measures"))


def test_korea_japan_brazil_stages(store):  # 一(四)
    assert ("Adoption", "2024-12") in dates(store, "kr-ai-basic-act")
    # 一(四)2: "2025年5月,日本通过《人工智能相关技术研发及应用促进法》"; "2024年4月,日本总务省和经济产业省联合发布《人工智能业务指南》"
    assert ("Adoption", "2025-05") in dates(store, "jp-ai-promotion-act")
    assert "jurisdiction/jp" in objects(store, "instrument/jp-ai-promotion-act", "aigov:jurisdiction")
    assert ("Publication", "2024-04") in dates(store, "jp-ai-guidelines-for-business")
    assert objects(store, "instrument/jp-ai-guidelines-for-business", "aigov:issuedBy") == {"body/jp-mic", "body/jp-meti"}
    assert quantity(store, "kr-ai-basic-act-maximum-fine") == 30_000_000
    assert ("ChamberPassage", "2024-12") in dates(store, "br-ai-bill")
    assert "instrument/eu-ai-act" in objects(store, "instrument/br-ai-bill", "aigov:inspiredBy")


def test_bletchley_declaration(store):  # 一(五)3
    assert ("Adoption", "2023-11") in dates(store, "bletchley-declaration")
    assert quantity(store, "bletchley-declaration-signatories") == 28


def test_compute_thresholds(store):  # 二(五)
    assert quantity(store, "eu-ai-act-gpai-systemic-risk-compute-threshold") == 1e25
    assert quantity(store, "us-ca-sb-1047-covered-model-compute-threshold") == 1e26
    assert quantity(store, "us-ca-sb-1047-covered-model-cost-threshold") == 100_000_000


def test_report_statistic_and_cut_off_dates(store):  # 一 and footnote 1
    assert quantity(store, "jurisdictions-with-ai-policy-2024") == 69
    rows = store.query(P + f"SELECT ?c ?s WHERE {{ <{ID}report/caict-ai-law-policy-landscape-2025> aigov:cutOffDate ?c ; aigov:statisticsCutOffDate ?s }}").rows
    assert [(c.value, s.value) for c, s in rows] == [("2025-05-31", "2024-12-31")]


def test_every_resource_of_the_data_has_a_source_section(store):
    q = P + """SELECT DISTINCT ?s WHERE {
      GRAPH ?data { ?s a ?type }
      FILTER(STRSTARTS(STR(?s), "https://w3id.org/aigov/id/") && !STRSTARTS(STR(?s), "https://w3id.org/aigov/id/topic")
             && !STRSTARTS(STR(?s), "https://w3id.org/aigov/id/measure") && !STRSTARTS(STR(?s), "https://w3id.org/aigov/id/section")
             && !STRSTARTS(STR(?s), "https://w3id.org/aigov/id/report") && ?s != <https://w3id.org/aigov/id/topics>
             && ?s != <https://w3id.org/aigov/id/measures>)
      FILTER NOT EXISTS { ?s aigov:statedIn ?section }
    }"""
    unsourced = [s.value for (s,) in store.query(q, bindings={"data": ox.NamedNode(store.graph_iris["data"])}).rows]
    assert not unsourced, unsourced
