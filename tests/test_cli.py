"""The `aigov` command as a user runs it: every subcommand and output format, pointed explicitly at this
session's project (--root) and build (--instance), read back with independent parsers."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph
from rdflib.query import Result

from aigov.cli import main

from .conftest import ROOT, copy_project, start_server, stop_server
from .http import http

AIGOV = "https://w3id.org/aigov/ontology#"
COUNTRIES = (f"PREFIX aigov: <{AIGOV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?c ?l WHERE { ?c a aigov:Country ; rdfs:label ?l FILTER(LANG(?l) = 'en') }")
CONSTRUCT = f"PREFIX aigov: <{AIGOV}> CONSTRUCT {{ ?c a aigov:Country }} WHERE {{ ?c a aigov:Country }}"


def aigov(built, capsys, *args) -> tuple[int, str, str]:
    code = main(["--root", str(ROOT), "--instance", str(built.artefact.directory.parent), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def countries(store) -> set[tuple[str, str]]:
    return {(c.value, l.value) for c, l in store.query(COUNTRIES).rows}


def test_stats_counts_what_the_store_holds(built, store, capsys):
    code, out, _ = aigov(built, capsys, "stats")
    assert code == 0 and out.startswith(f"build {store.version}: {store.triple_count()} triples")
    instruments = store.query(f"PREFIX aigov: <{AIGOV}> SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a aigov:Instrument }}")
    table = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1] for line in out.splitlines()[1:] if line.startswith("  ")}
    assert table["instrument"] == instruments.rows[0][0].value


def test_build_writes_then_skips_an_unchanged_project(tmp_path, capsys):
    project = copy_project(tmp_path / "p", ["source.ttl", "jurisdictions.ttl"])
    args = ["--root", str(project), "build"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert first.startswith("built ") and "data" in first and (project / "instance" / "current" / "manifest.json").exists()
    version = first.split()[1].rstrip(":")
    assert main(args) == 0
    assert capsys.readouterr().out.startswith(f"up to date: build {version}")


def test_queries_json_is_the_list_the_server_serves(built, server, capsys):
    code, out, _ = aigov(built, capsys, "queries", "--json")
    assert code == 0 and json.loads(out) == http.get(server("/queries.json")).json()


def test_sparql_reads_the_query_from_a_file(built, store, tmp_path, capsys):
    path = tmp_path / "countries.rq"
    path.write_text(COUNTRIES, encoding="utf-8")
    code, out, _ = aigov(built, capsys, "sparql", "--file", str(path), "--format", "csv")
    assert code == 0
    assert {tuple(r) for r in list(csv.reader(io.StringIO(out)))[1:]} == countries(store) != set()


def test_sparql_refuses_both_a_query_and_a_file(built, tmp_path, capsys):
    path = tmp_path / "q.rq"
    path.write_text("ASK {}")
    code, _, err = aigov(built, capsys, "sparql", "ASK {}", "--file", str(path))
    assert code == 2 and "not both" in err


def test_query_with_a_parameter_answers_for_that_value(built, capsys):
    """`query -p`: the answer for the given instrument is its reviewed golden, not the default's."""
    from . import goldens
    from .test_canned import REGISTRY

    query = REGISTRY.get("show-instrument-lifecycle")
    code, out, _ = aigov(built, capsys, "query", "show-instrument-lifecycle", "-p", "instrument=instrument/kr-ai-basic-act",
                         "--format", "json")
    assert code == 0
    golden = goldens.GOLDEN / "show-instrument-lifecycle--instrument-kr-ai-basic-act.srj"
    expected = goldens.canonical(json.loads(golden.read_text(encoding="utf-8")), query)
    assert expected and goldens.canonical(json.loads(out), query) == expected
    code, out, _ = aigov(built, capsys, "query", "show-instrument-lifecycle", "--format", "json")
    assert goldens.canonical(json.loads(out), query) != expected


def parse_select(fmt: str, text: str) -> set[tuple[str, str]]:
    if fmt == "csv":
        return {tuple(r) for r in list(csv.reader(io.StringIO(text)))[1:]}
    if fmt == "tsv":
        from rdflib.util import from_n3

        return {tuple(str(from_n3(c)) for c in line.split("\t")) for line in text.splitlines()[1:]}
    if fmt in ("json", "xml"):
        return {(str(c), str(l)) for c, l in Result.parse(io.StringIO(text), format=fmt)}
    raise ValueError(fmt)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_every_result_format_carries_the_same_rows(built, store, capsys, fmt):
    code, out, _ = aigov(built, capsys, "sparql", COUNTRIES, "--format", fmt)
    assert code == 0 and parse_select(fmt, out) == countries(store)


def test_table_format_shows_every_row(built, store, capsys):
    code, out, _ = aigov(built, capsys, "sparql", COUNTRIES, "--format", "table")
    assert code == 0
    for iri, label in countries(store):
        assert label in out


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_every_graph_format_parses_to_the_same_graph(built, store, capsys, fmt, rdflib_format):
    code, out, _ = aigov(built, capsys, "sparql", CONSTRUCT, "--format", fmt)
    assert code == 0
    g = Graph().parse(data=out, format=rdflib_format)
    assert {str(s) for s in g.subjects()} == {c for c, _ in countries(store)}


def test_publish_loads_every_graph_into_a_graph_store(built, oxigraph_server, store, capsys):
    code, out, _ = aigov(built, capsys, "publish", "--to", oxigraph_server + "/store", "--user", "alice:secret")
    assert code == 0 and f"published build {store.version}" in out
    for iri in store.graph_iris.values():
        n = http.get(oxigraph_server + "/query", params={"query": f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"},
                     headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"]
        assert int(n) == store.triple_count(iri) and f"{store.triple_count(iri)} triples -> <{iri}>" in out


def test_publish_with_a_malformed_user_is_a_usage_error(built, oxigraph_server, capsys):
    code, _, err = aigov(built, capsys, "publish", "--to", oxigraph_server + "/store", "--user", "alice")
    assert code == 2 and "user:password" in err


def test_serve_without_no_build_builds_first(tmp_path):
    """A plain `aigov serve` on a project with no build: it builds, then serves that build."""
    project = copy_project(tmp_path / "p", ["source.ttl", "jurisdictions.ttl"])
    s = start_server(project / "instance", {"AIGOV_ROOT": str(project)}, build=True, workers=1)
    try:
        manifest = json.loads((project / "instance" / "current" / "manifest.json").read_text())
        assert http.get(s("/health")).json()["version"] == manifest["version"]
        r = http.get(s("/id/jurisdiction/cn"), headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and "cn" in r.text
    finally:
        stop_server(s)
