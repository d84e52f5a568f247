"""Saved queries: files checked at load, parameters bound as typed terms (never spliced), the same rows from
the web API and the CLI, every format parseable, golden rows reviewed against the report."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aigov.canned import Registry, load_query, run
from aigov.cli import main
from aigov.errors import BadRequest, DataError
from aigov.serializers import serialize

from . import goldens
from .http import http

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


GOLDEN_CASES = goldens.cases(REGISTRY)


@pytest.mark.parametrize("name,args,path", GOLDEN_CASES, ids=[p.stem for _, _, p in GOLDEN_CASES])
def test_every_saved_query_returns_its_golden_rows(store, name, args, path):
    """Rows, term kinds, datatypes and language tags as reviewed (tests/golden/REVIEW.md); `make goldens` to redo."""
    assert path.exists(), f"tests/golden/{path.name} is missing: run `make goldens`, review the rows against the report"
    query = REGISTRY.get(name)
    expected = goldens.canonical(json.loads(path.read_text(encoding="utf-8")), query)
    actual = goldens.canonical(goldens.answer(store, query, args), query)
    assert expected, f"{path.name} holds no rows: a golden must show the query answering on the report's data"
    if actual != expected:
        missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
        pytest.fail(f"{path.name}: rows differ from the reviewed golden\n  missing: " + "\n  missing: ".join(missing)
                    + "\n  unexpected: " + "\n  unexpected: ".join(extra))


PARAMETER_CASES = [(n, a, p) for n, a, p in GOLDEN_CASES if a]


@pytest.mark.parametrize("name,args,path", PARAMETER_CASES, ids=[p.stem for _, _, p in PARAMETER_CASES])
def test_saved_queries_with_parameters_over_http_answer_their_goldens(server, name, args, path):
    r = http.get(server(f"/queries/{name}.json"), params=args)
    assert r.status_code == 200, r.text
    query = REGISTRY.get(name)
    assert goldens.canonical(r.json(), query) == goldens.canonical(json.loads(path.read_text(encoding="utf-8")), query)


def test_goldens_are_sparql_json_that_rdflib_reads_and_none_is_stale():
    from rdflib.query import Result

    expected = {p for _, _, p in GOLDEN_CASES}
    assert set(GOLDEN.glob("*.srj")) == expected and not list(GOLDEN.glob("*.csv"))
    for path in expected:
        parsed = Result.parse(io.BytesIO(path.read_bytes()), format="json")
        assert parsed.type in ("SELECT", "ASK"), path.name
    assert (GOLDEN / "REVIEW.md").exists()


def test_group_concat_cells_compare_with_their_parts_sorted():
    query = REGISTRY.get("list-generative-ai-rules")
    assert goldens.concatenated(query) == {"jurisdiction": "; ", "issuedBy": "; "}
    one = {"issuedBy": {"type": "literal", "value": "b; a"}}
    other = {"issuedBy": {"type": "literal", "value": "a; b"}}
    seps = goldens.concatenated(query)
    assert goldens.canonical_row(one, seps) == goldens.canonical_row(other, seps)
    assert goldens.canonical_row({"x": {"type": "literal", "value": "b; a"}}, seps) != \
        goldens.canonical_row({"x": {"type": "literal", "value": "a; b"}}, seps)


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
    r = http.get(server("/queries/instruments-influenced-by"), params=args)
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
    for r in (http.get(server("/queries.json")),
              http.get(server("/queries"), headers={"Accept": "application/json"})):
        listed = r.json()
        assert {q["name"] for q in listed} == set(NAMES)
        assert all({"name", "summary", "description", "tags", "parameters"} <= set(q) for q in listed)


def json_rows(body: bytes) -> list[tuple]:
    doc = json.loads(body)
    return [tuple(b.get(v, {}).get("value", "") for v in doc["head"]["vars"]) for b in doc["results"]["bindings"]]


def csv_rows(body: bytes) -> list[tuple]:
    return [tuple(r) for r in list(csv.reader(io.StringIO(body.decode("utf-8"))))[1:]]


def tsv_rows(body: bytes) -> list[tuple]:
    """TSV cells are terms in SPARQL syntax (<iri>, "literal"@lang); read back to plain values with rdflib."""
    from rdflib.util import from_n3

    return [tuple(str(from_n3(c)) if c else "" for c in line.split("\t")) for line in body.decode("utf-8").splitlines()[1:]]


def plain(term) -> str:
    return "" if term is None else term.value


@pytest.mark.parametrize("suffix,accept,parse", [
    (".json", None, json_rows), (".csv", None, csv_rows), (".tsv", None, tsv_rows),
    ("", "application/sparql-results+json", json_rows), ("", "text/csv", csv_rows),
])
def test_every_format_of_a_saved_query_parses_to_the_same_rows(server, store, suffix, accept, parse):
    expected = sorted(tuple(plain(t) for t in row) for row in run(store, REGISTRY.get("instruments-influenced-by"), {}, BASE).rows)
    r = http.get(server(f"/queries/instruments-influenced-by{suffix}"), headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and expected and sorted(parse(r.content)) == expected


def cli(built, *args) -> list[str]:
    """The CLI pointed explicitly at this session's project and build, not at ./instance of the working directory."""
    return ["--root", str(ROOT), "--instance", str(built.artefact.directory.parent), *args]


def test_the_cli_and_the_http_api_give_the_same_rows(server, built, capsys):
    code = main(cli(built, "query", "instruments-influenced-by", "--format", "csv"))
    assert code == 0
    cli_rows = capsys.readouterr().out
    http_rows = http.get(server("/queries/instruments-influenced-by.csv?bom=0")).text
    assert sorted(csv_rows(cli_rows.encode())) == sorted(csv_rows(http_rows.encode())) and csv_rows(http_rows.encode())


def test_the_cli_gives_the_same_rows_through_endpoint(server, built, capsys):
    assert main(cli(built, "query", "instruments-influenced-by", "--format", "json")) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert main(cli(built, "query", "instruments-influenced-by", "--format", "json", "--endpoint", server("/sparql"))) == 0
    remote = json.loads(capsys.readouterr().out)
    assert remote == embedded and embedded["results"]["bindings"]


def test_cli_sparql_runs_ad_hoc_queries_and_lists_queries(built, capsys):
    assert main(cli(built, "sparql", "ASK { ?s ?p ?o }")) == 0
    assert capsys.readouterr().out.strip() == "true"
    assert main(cli(built, "queries")) == 0
    assert "instruments-influenced-by" in capsys.readouterr().out
    assert main(cli(built, "query", "no-such-query")) == 1
    assert "no saved query named 'no-such-query'" in capsys.readouterr().err
    assert main(cli(built, "query", "instruments-influenced-by", "--param", "instrument=bad iri")) == 2
    assert "parameter 'instrument': no instrument is named 'bad iri'" in capsys.readouterr().err


def test_a_saved_query_is_linked_data(server):
    from rdflib import Graph, Literal, URIRef

    r = http.get(server("/id/query/instruments-influenced-by"), headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.url.endswith("/data/id/query/instruments-influenced-by.ttl")
    g = Graph().parse(data=r.text, format="turtle")
    iri = URIRef(BASE + "id/query/instruments-influenced-by")
    assert (iri, URIRef("https://schema.org/version"), Literal(REGISTRY.get("instruments-influenced-by").version)) in g
    assert g.value(iri, URIRef("https://schema.org/text")).startswith("PREFIX")
    html = http.get(server("/id/query/instruments-influenced-by"), headers={"Accept": "text/html"})
    assert html.url.endswith("/queries/instruments-influenced-by") and "<form" in html.text


def test_openapi_describes_every_query(server):
    doc = http.get(server("/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    assert {f"/queries/{n}" for n in NAMES} <= set(doc["paths"])


def test_a_saved_query_may_mention_services_but_not_call_one(tmp_path):
    ok = load_query(write(tmp_path, '#+ summary: s\n#+ description: d\n'
                                    'SELECT ?l WHERE { ?s ?p ?l FILTER(CONTAINS(?l, "service")) }\n'))
    assert ok.name == "q"
    with pytest.raises(DataError, match="may not use SERVICE"):
        load_query(write(tmp_path, "#+ summary: s\n#+ description: d\n"
                                   "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n"))
