"""Dates at the report's precision get comparable bounds (server/aigov/pipeline/dates.py).

Unit tests pin the calendar (leap years, month ends, year-only dates); the build tests prove that a date
which is no date fails with file:line; the query test asks the real server for "every event in 2024" with
the bounds and compares with the events the asserted literals date in 2024, read with rdflib."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDFS, XSD, Graph, Literal, Namespace, URIRef

from aigov.errors import DataError
from aigov.pipeline.dates import END_PROPERTIES, START_PROPERTIES, InvalidDate, bounds, check_dates
from aigov.pipeline.load import parse_turtle

from .conftest import ROOT, copy_project
from .http import http

AIGOV = Namespace("https://w3id.org/aigov/ontology#")


def month(text: str) -> Literal:
    return Literal(text, datatype=XSD.gYearMonth)


@pytest.mark.parametrize("text, last", [
    ("2024-02", date(2024, 2, 29)),  # divisible by 4
    ("2023-02", date(2023, 2, 28)),
    ("1900-02", date(1900, 2, 28)),  # divisible by 100, not by 400
    ("2000-02", date(2000, 2, 29)),  # divisible by 400
    ("2024-04", date(2024, 4, 30)),
    ("2024-05", date(2024, 5, 31)),
    ("2024-12", date(2024, 12, 31)),
])
def test_a_month_runs_from_its_first_to_its_last_day(text, last):
    b = bounds(month(text))
    assert b.earliest == date(last.year, last.month, 1)
    assert b.latest == last
    assert b.precision == AIGOV.MonthPrecision


def test_a_year_runs_from_january_first_to_december_thirty_first():
    b = bounds(Literal("2024", datatype=XSD.gYear))
    assert (b.earliest, b.latest, b.precision) == (date(2024, 1, 1), date(2024, 12, 31), AIGOV.YearPrecision)


def test_a_day_is_its_own_earliest_and_latest_date():
    b = bounds(Literal("2024-02-29", datatype=XSD.date))
    assert (b.earliest, b.latest, b.precision) == (date(2024, 2, 29), date(2024, 2, 29), AIGOV.DayPrecision)


@pytest.mark.parametrize("text, datatype", [
    ("2024-02-30", XSD.date), ("2023-02-29", XSD.date), ("2024-04-31", XSD.date), ("2024-13", XSD.gYearMonth),
    ("2024-00", XSD.gYearMonth), ("2024-5", XSD.gYearMonth), ("24", XSD.gYear), ("2024-05-21Z", XSD.date),
    ("2024-05", XSD.date), ("0000", XSD.gYear),
])
def test_a_literal_that_is_no_date_at_its_precision_is_refused(text, datatype):
    with pytest.raises(InvalidDate):
        bounds(Literal(text, datatype=datatype, normalize=False))


def test_check_dates_names_the_file_and_line_of_an_impossible_date(tmp_path):
    f = tmp_path / "bad.ttl"
    f.write_text('@prefix aigov: <https://w3id.org/aigov/ontology#> .\n'
                 '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n'
                 '<urn:x:e> aigov:date "2024-13"^^xsd:gYearMonth .\n')
    with pytest.raises(DataError) as e:
        check_dates(parse_turtle(f), [f])
    assert f"{f}:4:" in e.value.message and "2024-13" in e.value.message


def test_aigov_validate_fails_on_february_thirtieth_with_file_and_line(tmp_path):
    project = copy_project(tmp_path)
    target = project / "graph" / "eu.ttl"
    lines = target.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if '"2024-08-01"^^xsd:date' in line)
    lines[number - 1] = lines[number - 1].replace("2024-08-01", "2024-02-30")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project / "queries").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    run = subprocess.run([sys.executable, "-m", "aigov", "--root", str(project), "validate"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode != 0
    assert f"eu.ttl:{number}:" in run.stderr + run.stdout, run.stderr + run.stdout


def test_every_date_valued_property_in_the_data_is_bounded_or_already_a_day():
    """A new property holding gYear/gYearMonth literals would escape the bounds: it must join dates.py's table."""
    data, ontology = Graph(), parse_turtle(ROOT / "ontology" / "aigov.ttl")
    for f in sorted((ROOT / "graph").glob("*.ttl")):
        parse_turtle(f, into=data)
    bounded = set(START_PROPERTIES) | set(END_PROPERTIES)
    for _, p, o in data:
        if isinstance(o, Literal) and o.datatype in (XSD.date, XSD.gYearMonth, XSD.gYear) and p not in bounded:
            assert (p, RDFS.range, XSD.date) in ontology and o.datatype == XSD.date, f"{p} holds {o.n3()} unbounded"


def test_bounds_land_in_the_inferred_graph_for_every_stated_date(store):
    graph = store.graph_iris["inferred"]
    rows = store.query(f"""PREFIX aigov: <https://w3id.org/aigov/ontology#>
        SELECT ?s WHERE {{ {{ ?s aigov:date ?d }} UNION {{ ?s aigov:referenceDate ?d }}
          FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s aigov:earliestDate ?a ; aigov:latestDate ?b ; aigov:datePrecision ?p }} }} }}""").rows
    assert rows == [], f"dated resources without bounds: {[r[0].value for r in rows][:5]}"


def test_every_event_in_2024_is_found_with_the_bounds(server):
    """The research question that found 2 of 75 events when it filtered aigov:date against an xsd:date."""
    data = Graph()
    for f in sorted((ROOT / "graph").glob("*.ttl")):
        parse_turtle(f, into=data)
    # Independent of the bounds: the year is the first four characters of every xsd date form.
    expected = {str(s) for s, d in data.subject_objects(AIGOV.date) if str(d)[:4] == "2024"}
    assert len(expected) > 50  # the report dates dozens of events in 2024
    query = """PREFIX aigov: <https://w3id.org/aigov/ontology#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?event WHERE {
          ?event a aigov:Occurrence ; aigov:earliestDate ?from ; aigov:latestDate ?to .
          FILTER(?from >= "2024-01-01"^^xsd:date && ?to <= "2024-12-31"^^xsd:date)
        }"""
    response = http.post(server("/sparql"), data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    found = {b["event"]["value"] for b in response.json()["results"]["bindings"]}
    assert found == expected, f"missing {sorted(expected - found)[:5]}, extra {sorted(found - expected)[:5]}"


def saved_rows(server, name: str, **params) -> list[dict]:
    response = http.get(server(f"/queries/{name}"), params=params,
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_a_delay_is_shown_as_the_report_states_it_and_counts_only_once_it_has_surely_passed(server):
    """The report: entry into force 2024-08-01, prohibitions apply "6个月后". 2024-08-01 + 6 months is 2025-02-01,
    but the Act's prohibitions apply from 2 February 2025: the naive date must not appear, as a value or a count."""
    def prohibitions(day):
        return [r for r in saved_rows(server, "list-instruments-in-force-on-date", date=day)
                if r.get("scope", "").startswith("prohibitions")]
    assert prohibitions("2025-01-31") == []
    assert prohibitions("2025-02-01") == []
    [row] = prohibitions("2025-02-02")
    assert row["since"] == "P6M after 2024-08-01"
    everything = saved_rows(server, "list-instruments-in-force-on-date", date="2030-01-01")
    assert not any(r["since"] in ("2025-02-01", "2025-08-01") for r in everything)


@pytest.mark.parametrize("jurisdiction", ["cn", "us", "eu"])
def test_a_timeline_runs_in_order_of_the_first_then_the_last_day_a_date_can_mean(server, jurisdiction):
    rows = saved_rows(server, "show-jurisdiction-timeline", jurisdiction=f"https://w3id.org/aigov/id/jurisdiction/{jurisdiction}")
    assert len(rows) > 10
    def interval(text: str) -> tuple[str, str]:  # ISO text padded by hand: "2024" -> 2024-01-01 .. 2024-12-31
        first = (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]
        last = text + "-12-31" if len(text) == 4 else text + "-31" if len(text) == 7 else text
        return first, last  # a month's last day as "-31" still sorts in the same place among real dates
    keys = [interval(r["date"]) for r in rows]
    assert keys == sorted(keys)


def test_nobody_types_the_bounds_by_hand():
    data = Graph()
    for f in sorted((ROOT / "graph").glob("*.ttl")):
        parse_turtle(f, into=data)
    for p in (AIGOV.earliestDate, AIGOV.latestDate, AIGOV.datePrecision):
        assert not list(data.triples((None, p, None))), f"{p} is computed by the build; remove it from graph/"
