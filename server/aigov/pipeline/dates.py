"""Build step: comparable bounds for dates the report gives at day, month or year precision.

The report dates most things to the month ("2024-05") or the year ("2024"), and the graph keeps them so, as
xsd:gYearMonth / xsd:gYear. SPARQL cannot compare those with an xsd:date (a filter on them is a type error,
and the row silently drops out), so the build adds to each dated resource the first and last day its date can
mean, as xsd:date, and the precision as a concept: the EDTF reading of a reduced-precision date as an interval,
and Wikidata's time-with-precision (11 day, 10 month, 9 year). The asserted literal stays as the report gives it.

Rule, per resource: ``aigov:earliestDate`` is the first day of its aigov:date (aigov:referenceDate for a
number); ``aigov:latestDate`` is the last day of its aigov:endDate if it has one, else of that same date;
``aigov:datePrecision`` is the precision of aigov:date / aigov:referenceDate. Other date-valued properties
(the report's aigov:cutOffDate, the ontology's dcterms dates) have range xsd:date: already comparable, so they
get no bounds, but their literals are checked like every other.

A date that is not a date at its precision (2024-02-30, 2024-13) fails the build naming file and line.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import XSD, Graph, Literal, Namespace, URIRef

from ..errors import DataError

AIGOV = Namespace("https://w3id.org/aigov/ontology#")

# The properties whose values the report gives at its own precision (see the module docstring).
START_PROPERTIES = (AIGOV.date, AIGOV.referenceDate)
END_PROPERTIES = (AIGOV.endDate,)

PRECISION = {XSD.date: AIGOV.DayPrecision, XSD.gYearMonth: AIGOV.MonthPrecision, XSD.gYear: AIGOV.YearPrecision}
# The lexical forms we accept: four-digit years, no time zone (the shapes forbid one), no sign.
LEXICAL = {
    XSD.date: re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    XSD.gYearMonth: re.compile(r"(\d{4})-(\d{2})"),
    XSD.gYear: re.compile(r"(\d{4})"),
}


class InvalidDate(ValueError):
    """A date literal that names no day, month or year of the calendar."""


@dataclass(frozen=True)
class Bounds:
    earliest: date
    latest: date
    precision: URIRef


def bounds(literal: Literal) -> Bounds:
    """The first and last day a day-, month- or year-precision literal can mean.

    >>> bounds(Literal("2024-02", datatype=XSD.gYearMonth)).latest
    datetime.date(2024, 2, 29)
    """
    pattern = LEXICAL.get(literal.datatype)
    if pattern is None:
        raise InvalidDate(f"{literal.n3()} is not an xsd:date, xsd:gYearMonth or xsd:gYear")
    match = pattern.fullmatch(str(literal))
    if match is None:
        raise InvalidDate(f"{literal.n3()} is not a valid {_name(literal.datatype)} (expected {_form(literal.datatype)})")
    year, month, day = _parts(match.groups())
    try:
        if literal.datatype == XSD.date:
            first = last = date(year, month, day)
        elif literal.datatype == XSD.gYearMonth:
            first = date(year, month, 1)
            last = date(year, month, calendar.monthrange(year, month)[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except ValueError as e:
        raise InvalidDate(f"{literal.n3()} is not a valid {_name(literal.datatype)}: {e}") from None
    return Bounds(first, last, PRECISION[literal.datatype])


def _parts(groups: tuple[str, ...]) -> tuple[int, int | None, int | None]:
    numbers = [int(g) for g in groups] + [None] * (3 - len(groups))
    return numbers[0], numbers[1], numbers[2]


def _name(datatype: URIRef) -> str:
    return "xsd:" + str(datatype).rsplit("#", 1)[-1]


def _form(datatype: URIRef) -> str:
    return {XSD.date: "YYYY-MM-DD", XSD.gYearMonth: "YYYY-MM", XSD.gYear: "YYYY"}[datatype]


def date_literals(graph: Graph):
    """Every (subject, predicate, literal) whose literal is typed xsd:date, xsd:gYearMonth or xsd:gYear."""
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in PRECISION:
            yield s, p, o


def check_dates(graph: Graph, files: list[Path]) -> int:
    """Fail with file:line on the first date literal that is not a date at its precision; return how many."""
    count = 0
    for _, _, literal in sorted(date_literals(graph)):
        try:
            bounds(literal)
        except InvalidDate as e:
            raise DataError(f"{locate(literal, files)}: {e}") from None
        count += 1
    return count


def locate(literal: Literal, files: list[Path]) -> str:
    """file:line of the first line writing this literal (rdflib keeps no line numbers once parsed)."""
    local = str(literal.datatype).rsplit("#", 1)[-1]
    written = (f'"{literal}"^^xsd:{local}', f'"{literal}"^^<{literal.datatype}>')
    for f in files:
        for number, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
            if any(w in line for w in written):
                return f"{f}:{number}"
    return "(data)"


def date_bounds(data: Graph) -> Graph:
    """aigov:earliestDate, aigov:latestDate and aigov:datePrecision for every resource with a stated date."""
    derived = Graph()
    for p in START_PROPERTIES:
        for s, start in data.subject_objects(p):
            if not isinstance(start, Literal) or start.datatype not in PRECISION:
                continue  # the shapes report a wrongly typed date; nothing to bound
            first = bounds(start)
            last = first
            for end in (o for q in END_PROPERTIES for o in data.objects(s, q)):
                if isinstance(end, Literal) and end.datatype in PRECISION:
                    last = bounds(end)
            derived.add((s, AIGOV.earliestDate, Literal(first.earliest.isoformat(), datatype=XSD.date)))
            derived.add((s, AIGOV.latestDate, Literal(last.latest.isoformat(), datatype=XSD.date)))
            derived.add((s, AIGOV.datePrecision, first.precision))
    return derived
