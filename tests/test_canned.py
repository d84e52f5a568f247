"""Saved queries: files checked at load, parameters bound as typed terms (never spliced), the same rows from
the web API and the CLI, every format parseable, golden rows reviewed against the report."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import requests

from aigov.canned import Registry, load_query, run
from aigov.cli import main
from aigov.errors import BadRequest, DataError
from aigov.serializers import serialize

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
BASE = "https://w3id.org/aigov/"
REGISTRY = Registry.load(ROOT / "queries")
NAMES = [q.name for q in REGISTRY]


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_there_are_at_least_twenty_saved_queries_with_summary_and_description():
    assert len(REGISTRY) >= 20
    for q in REGISTRY:
        assert q.summary and q.description, q.name


@pytest.mark.parametrize("name", NAMES)
def test_every_saved_query_returns_its_golden_rows(store, name):
    golden = GOLDEN / f"{name}.csv"
    assert golden.exists(), f"tests/golden/{name}.csv is missing: review the rows against the report and add it"
    result = run(store, REGISTRY.get(name), {}, BASE)
    assert result.rows or result.triples or result.boolean, f"{name} returns nothing on the report's data"
    assert serialize(result, "text/csv").decode("utf-8") == golden.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")


def test_a_query_that_does_not_parse_fails_with_file_and_line(tmp_path):
    path = write(tmp_path, "#+ summary: s\n#+ description: d\nSELECT * WHERE {\n  ?s ?p \n}\n")
    with pytest.raises(DataError, match=r"q\.rq:\d+: SPARQL syntax error"):
        load_query(path)


def test_a_parameter_without_a_type_fails_with_file_and_line(tmp_path):
    path = write(tmp_path, "#+ summary: s\n#+ description: d\nSELECT * WHERE {\n  ?s ?p ?_thing\n}\n")
    with pytest.raises(DataError, match=r"q\.rq:4: parameter \?_thing has no type"):
        load_query(path)


def test_a_header_without_summary_fails(tmp_path):
    with pytest.raises(DataError, match="summary"):
        load_query(write(tmp_path, "#+ description: d\nSELECT * WHERE { ?s ?p ?o }\n"))


def test_a_bad_saved_query_fails_the_build(tmp_path):
    from aigov.pipeline import build
    from aigov.settings import load_settings

    from .conftest import copy_project

    project = copy_project(tmp_path / "p", ["source.ttl", "jurisdictions.ttl"])
    (project / "queries").mkdir()
    (project / "queries" / "broken.rq").write_text("#+ summary: s\n#+ description: d\nSELECT WHERE {\n")
    with pytest.raises(DataError, match="broken.rq:3"):
        build(load_settings({"root": str(project), "instance": "instance"}))


INJECTION = "x> } ; DROP ALL ; #"


def test_an_injection_attempt_in_an_iri_parameter_is_refused():
    q = REGISTRY.get("instruments-influenced-by")
    with pytest.raises(BadRequest, match="parameter 'instrument' must be an IRI"):
        q.bind({"instrument": INJECTION}, BASE)


def test_an_injection_attempt_in_a_literal_parameter_stays_one_literal(tmp_path, store):
    q = load_query(write(tmp_path, "#+ summary: s\n#+ description: d\n"
                                   "SELECT ?text WHERE { BIND(?_text_literal AS ?text) }\n"))
    result = run(store, q, {"text": INJECTION + '" . } DROP ALL #'}, BASE)
    assert [row[0].value for row in result.rows] == [INJECTION + '" . } DROP ALL #']


@pytest.mark.parametrize("args,message", [
    ({"instrument": "not an iri with spaces"}, "parameter 'instrument'"),
    ({"nonsense": "1"}, "unknown parameter"),
])
def test_bad_parameters_are_400_naming_the_parameter(server, args, message):
    r = requests.get(server("/queries/instruments-influenced-by"), params=args)
    assert r.status_code == 400 and message in r.text


def test_typed_parameters_are_validated(tmp_path):
    q = load_query(write(tmp_path, "#+ summary: s\n#+ description: d\n#+ enumerate:\n#+   - lang: [en, zh]\n"
                                   "SELECT * WHERE { ?s ?p ?_n_integer . ?s ?q ?_d_xsd_date . ?s ?r ?__lang_literal }\n"))
    with pytest.raises(BadRequest, match="'n' must be an integer"):
        q.bind({"n": "1.5", "d": "2024-01-01"}, BASE)
    with pytest.raises(BadRequest, match="'d' must be a date"):
        q.bind({"n": "1", "d": "2024-13-01"}, BASE)
    with pytest.raises(BadRequest, match="'lang' must be one of en, zh"):
        q.bind({"n": "1", "d": "2024-01-01", "lang": "fr"}, BASE)
    with pytest.raises(BadRequest, match="'n' .* is required"):
        q.bind({"d": "2024-01-01"}, BASE)
    bound = q.bind({"n": "7", "d": "2024-01-01"}, BASE)
    assert str(bound["_n_integer"]) == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert "__lang_literal" not in bound


def test_query_list_as_json_has_the_documented_fields(server):
    for r in (requests.get(server("/queries.json")),
              requests.get(server("/queries"), headers={"Accept": "application/json"})):
        listed = r.json()
        assert {q["name"] for q in listed} == set(NAMES)
        assert all({"name", "summary", "description", "tags", "parameters"} <= set(q) for q in listed)


@pytest.mark.parametrize("suffix,accept,parse", [
    (".json", None, lambda b: len(json.loads(b)["results"]["bindings"])),
    (".csv", None, lambda b: len(list(csv.reader(io.StringIO(b.decode())))) - 1),
    (".tsv", None, lambda b: len(b.decode().splitlines()) - 1),
    ("", "application/sparql-results+json", lambda b: len(json.loads(b)["results"]["bindings"])),
    ("", "text/csv", lambda b: len(list(csv.reader(io.StringIO(b.decode())))) - 1),
])
def test_every_format_of_a_saved_query_parses_to_the_same_rows(server, store, suffix, accept, parse):
    expected = len(run(store, REGISTRY.get("instruments-influenced-by"), {}, BASE).rows)
    r = requests.get(server(f"/queries/instruments-influenced-by{suffix}"), headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and parse(r.content) == expected > 0


def test_the_cli_and_the_http_api_give_the_same_rows(server, capsys):
    code = main(["query", "instruments-influenced-by", "--format", "csv"])
    assert code == 0
    cli_rows = capsys.readouterr().out
    http_rows = requests.get(server("/queries/instruments-influenced-by.csv?bom=0")).text
    assert cli_rows.replace("\r\n", "\n") == http_rows.replace("\r\n", "\n")


def test_the_cli_gives_the_same_rows_through_endpoint(server, capsys):
    assert main(["query", "instruments-influenced-by", "--format", "json"]) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert main(["query", "instruments-influenced-by", "--format", "json", "--endpoint", server("/sparql")]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote == embedded and embedded["results"]["bindings"]


def test_cli_sparql_runs_ad_hoc_queries_and_lists_queries(capsys):
    assert main(["sparql", "ASK { ?s ?p ?o }"]) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(["queries"]) == 0
    assert "instruments-influenced-by" in capsys.readouterr().out
    assert main(["query", "no-such-query"]) == 1
    assert main(["query", "instruments-influenced-by", "--param", "instrument=bad iri"]) == 2


def test_a_saved_query_is_linked_data(server):
    from rdflib import Graph, Literal, URIRef

    r = requests.get(server("/id/query/instruments-influenced-by"), headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.url.endswith("/data/id/query/instruments-influenced-by.ttl")
    g = Graph().parse(data=r.text, format="turtle")
    iri = URIRef(BASE + "id/query/instruments-influenced-by")
    assert (iri, URIRef("https://schema.org/version"), Literal(REGISTRY.get("instruments-influenced-by").version)) in g
    assert g.value(iri, URIRef("https://schema.org/text")).startswith("PREFIX")
    html = requests.get(server("/id/query/instruments-influenced-by"), headers={"Accept": "text/html"})
    assert html.url.endswith("/queries/instruments-influenced-by") and "<form" in html.text


def test_openapi_describes_every_query(server):
    doc = requests.get(server("/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    assert {f"/queries/{n}" for n in NAMES} <= set(doc["paths"])


def test_a_saved_query_may_mention_services_but_not_call_one(tmp_path):
    ok = load_query(write(tmp_path, '#+ summary: s\n#+ description: d\n'
                                    'SELECT ?l WHERE { ?s ?p ?l FILTER(CONTAINS(?l, "service")) }\n'))
    assert ok.name == "q"
    with pytest.raises(DataError, match="may not use SERVICE"):
        load_query(write(tmp_path, "#+ summary: s\n#+ description: d\n"
                                   "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"))
