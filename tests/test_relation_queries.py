"""The relation queries (issue 10) on a small fixture graph, independent of how much relation data graph/ holds.

tests/data/relations.ttl: A inspiredBy B, B similarTo C (a likeness), C implements D, E revisionOf D, F amends D,
G derivedFrom C (so G reaches D through C), G replaces and repeals H, A establishes an office, D has a dated
Revision event. Each query is run through aigov.canned.run, as the web API and the CLI run it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from aigov.canned import Registry, run
from aigov.charts import chart_for

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = Registry.load(ROOT / "queries")
BASE = "https://w3id.org/aigov/"
INST = BASE + "id/instrument/"
AIGOV = "https://w3id.org/aigov/ontology#"


def rows(store, name: str, **args) -> list[dict]:
    result = run(store, REGISTRY.get(name), args, BASE)
    return [{v: (t.value if t is not None else None) for v, t in zip(result.variables, row)} for row in result.rows]


def links(store, instrument: str) -> dict[tuple[str, str, str], dict]:
    found = rows(store, "instruments-influenced-by", instrument=INST + instrument)
    return {(r["source"].rpartition("/")[2], r["relation"].rpartition("#")[2], r["target"].rpartition("/")[2]): r
            for r in found}


def test_influenced_by_gives_each_direct_link_its_kind_quote_and_section(relations_store):
    found = links(relations_store, "fixture-d")
    implements = found[("fixture-c", "implements", "fixture-d")]
    assert implements["link"] == "direct"
    assert implements["quote"] == "旨在落实第14110号行政令"
    assert implements["section"] == BASE + "id/section/1-2-2"
    assert implements["statedAs"] == "stated explicitly"
    assert found[("fixture-f", "amends", "fixture-d")]["link"] == "direct"
    assert found[("fixture-e", "revisionOf", "fixture-d")]["link"] == "direct"


def test_influenced_by_marks_a_link_that_reaches_the_instrument_through_another_as_via_chain(relations_store):
    found = links(relations_store, "fixture-d")
    chain = found[("fixture-g", "derivedFrom", "fixture-c")]
    assert chain["link"] == "via chain"
    assert chain["quote"] == "同时保留了第 14110号行政令中关于首席人工智能官"


def test_a_revision_is_listed_once_by_its_own_kind_not_again_as_derived_from(relations_store):
    found = links(relations_store, "fixture-d")
    assert ("fixture-e", "derivedFrom", "fixture-d") not in found


def test_influenced_by_lists_a_likeness_as_a_likeness_with_its_quote(relations_store):
    found = links(relations_store, "fixture-b")
    likeness = found[("fixture-c", "similarTo", "fixture-b")]  # stated from B's side; similarTo is symmetric
    assert likeness["link"] == "likeness"
    assert likeness["statedAs"] == "stated as a likeness"
    assert likeness["quote"] == "同样采用了基于风险的监管框架"
    assert found[("fixture-a", "inspiredBy", "fixture-b")]["link"] == "direct"


def test_influenced_by_never_follows_a_likeness_to_an_instrument_beyond_it(relations_store):
    # A is inspired by B, and B is only likened to C: A has no link to C, and nothing reaches D through B.
    assert {k[0] for k in links(relations_store, "fixture-c")} == {"fixture-b", "fixture-g"}
    assert not {"fixture-a", "fixture-b"} & {k[0] for k in links(relations_store, "fixture-d")}


def test_the_influence_chart_draws_likenesses_dashed_and_names_every_kind_in_its_legend(relations_store):
    for instrument, kinds in (("fixture-b", {"inspired by", "similar to"}),
                              ("fixture-d", {"implements", "amends", "revision of", "derived from"})):
        result = run(relations_store, REGISTRY.get("instruments-influenced-by"), {"instrument": INST + instrument}, BASE)
        svg = chart_for("network", result)
        for kind in kinds:
            assert f'class="legend-kind" data-relation="{kind}"' in svg
        dashed = [part for part in svg.split("<line ") if "stroke-dasharray" in part and 'class="edge"' in part]
        assert [('data-relation="similar to"' in d) for d in dashed] == (
            [True] if "similar to" in kinds else []), "only likeness edges are dashed"
        colours = {part.split('stroke="')[1].split('"')[0] for part in svg.split("<line ") if 'class="edge"' in part}
        assert len(colours) == len(kinds), "each kind has its own colour"


def test_list_amendments_dates_each_change_at_the_reports_precision(relations_store):
    found = {(r["instrument"].rpartition("/")[2], r["change"].rpartition("#")[2],
              (r["other"] or "").rpartition("/")[2]): r for r in rows(relations_store, "list-amendments")}
    assert found[("fixture-f", "amends", "fixture-d")]["date"] == "2023-11"
    assert found[("fixture-e", "revisionOf", "fixture-d")]["date"] == "2024-12"
    repeal = found[("fixture-g", "repeals", "fixture-h")]
    assert (repeal["date"], repeal["endedOn"]) == ("2025-04", "2025-04")
    assert found[("fixture-g", "replaces", "fixture-h")]["quote"] == "并对应废除了拜登政府期间发布的关于"
    assert ("fixture-c", "implements", "fixture-d") not in found, "implementing is not changing"


def test_list_amendments_lists_a_dated_revision_that_names_no_new_document(relations_store):
    revision = [r for r in rows(relations_store, "list-amendments") if r["change"] == AIGOV + "Revision"]
    assert [(r["instrument"], r["date"], r["other"], r["revisionEvent"]) for r in revision] == [
        (INST + "fixture-d", "2024-05", None, BASE + "id/event/fixture-d-revision-2024")]


def test_list_relation_evidence_gives_both_directions_read_from_the_instrument(relations_store):
    found = {(r["direction"], r["relationLabel"], r["other"].rpartition("/")[2]): r
             for r in rows(relations_store, "list-relation-evidence", instrument=INST + "fixture-c")}
    assert set(found) == {("outgoing", "implements", "fixture-d"), ("incoming", "has derivative", "fixture-g"),
                          ("incoming", "similar to", "fixture-b")}
    assert found[("incoming", "similar to", "fixture-b")]["statedAs"] == "stated as a likeness"
    assert found[("outgoing", "implements", "fixture-d")]["statement"] == BASE + "id/relation/fixture-c--implements--fixture-d"


def test_list_relation_evidence_includes_bodies_an_instrument_establishes(relations_store):
    found = rows(relations_store, "list-relation-evidence", instrument=INST + "fixture-a")
    assert {(r["relationLabel"], r["otherLabel"], r["quote"]) for r in found} == {
        ("inspired by", "Test Law B", "部分参考了欧盟的风险分级思路"),
        ("establishes", "Test Office", "欧盟委员会成立人工智能办公室")}


@pytest.mark.parametrize("name,args", [("trace-instrument-relations", {"instrument": INST + "fixture-d"}),
                                       ("map-influence-network", {})])
def test_other_relation_queries_carry_the_statement_quote(relations_store, name, args):
    found = rows(relations_store, name, **args)
    revision = [r for r in found if (r.get("relation") or "").endswith(("#revisionOf", "#revisedAs"))]
    assert revision and revision[0]["quote"] == "基于对2024年11月初稿的反馈意见进行了修订"
    assert not [r for r in found if r.get("relation", "").endswith("#derivedFrom") and "fixture-e" in str(r)]
