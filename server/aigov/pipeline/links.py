"""Build step: external links that follow from identifiers the graph holds, by a published rule.

Only rules whose output is certain go here; nobody types the links. Each rule is one function:

* EUR-Lex page of an EU act from its CELEX number (EUR-Lex's documented link form
  ``https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}``): a document about the act, so
  ``rdfs:seeAlso``.
* EU Publications Office country authority concept from the ISO 3166-1 alpha-2 code (``aigov:isoCode``): the
  authority's codes are ISO 3166-1 alpha-3, and alpha-2 -> alpha-3 is read from pycountry (Debian's iso-codes
  data, which follows ISO 3166-1). The concept is the same country as ours, so ``skos:exactMatch``. The EU
  (``EU``, an ISO-reserved alpha-2 with no alpha-3) and subdivisions (``US-CA``) get none.

Not derived, for want of a certain rule or of data: Federal Register pages need the FR document number, which
an executive order number does not give; congress.gov bill pages need the Congress, which the graph does not
hold for its bills. ELI IRIs are already asserted (aigov:eli).
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pycountry
from rdflib import RDFS, Graph, Literal, Namespace, URIRef

from ..errors import DataError

AIGOV = Namespace("https://w3id.org/aigov/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OP_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
# CELEX: sector (digit, C or E), year, one or two letters for the document type, a number, optional suffix.
CELEX = re.compile(r"[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:\(\d{2}\))?")


def eurlex_url(celex: str) -> URIRef:
    """EUR-Lex's page for the act with this CELEX number."""
    if not CELEX.fullmatch(celex):
        raise ValueError(f"{celex!r} is not a CELEX number (e.g. 32024R1689)")
    return URIRef(f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{quote(celex, safe='()')}")


def op_country(iso_code: str) -> URIRef | None:
    """The Publications Office country concept for an ISO 3166-1 alpha-2 code, None for anything else."""
    if not re.fullmatch(r"[A-Z]{2}", iso_code):
        return None  # a subdivision (US-CA) or not a code
    country = pycountry.countries.get(alpha_2=iso_code)
    return URIRef(OP_COUNTRY + country.alpha_3) if country is not None else None


def derived_links(data: Graph) -> Graph:
    """rdfs:seeAlso and skos:exactMatch links the rules above derive from the asserted data."""
    links = Graph()
    for act, celex in data.subject_objects(AIGOV.celexNumber):
        try:
            links.add((act, RDFS.seeAlso, eurlex_url(str(celex))))
        except ValueError as e:
            raise DataError(f"<{act}> aigov:celexNumber: {e}") from None
    for place, code in data.subject_objects(AIGOV.isoCode):
        if isinstance(code, Literal) and (concept := op_country(str(code))) is not None:
            links.add((place, SKOS.exactMatch, concept))
    return links
