"""Query backends behind one small protocol. Never imports Flask.

``open_store(settings)`` picks the backend: the embedded Oxigraph store loaded from the build artefact, or a
remote SPARQL 1.1 endpoint when the ``store`` setting is a URL.
"""
from __future__ import annotations

import re
from typing import Protocol

import pyoxigraph as ox

from .result import QueryResult


class Store(Protocol):
    version: str
    graph_iris: dict[str, str]

    def query(self, text: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              bindings: dict | None = None, max_rows: int | None = None, base_iri: str | None = None) -> QueryResult: ...

    def triple_count(self, graph: str | None = None) -> int: ...


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)

# What may hide the word FROM without it being a keyword: strings, IRIs and comments (matched left to right, so a
# '#' inside an IRI or a string is not a comment), and prefixed names or variables that contain it.
STRINGS_AND_IRIS = (r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                    r'|<[^<>"{}|^`\\\x00-\x20]*>')
NOT_KEYWORDS = re.compile(STRINGS_AND_IRIS + r"|#[^\n]*")
LAYOUT = re.compile(f"({STRINGS_AND_IRIS})|(?:\\s|#[^\\n]*)+")
FROM_KEYWORD = re.compile(r"(?<![\w:?$.-])FROM(?![\w:.-])", re.IGNORECASE)


def has_dataset_clause(text: str) -> bool:
    """Whether a query names its own dataset with FROM or FROM NAMED.

    FROM is a keyword only in a dataset clause, so once strings, IRIs and comments are blanked out (after
    decoding \\u escapes, which SPARQL allows anywhere) any remaining FROM token is one. The engine then takes the
    dataset from the query instead of our union default graph (SPARQL 1.1 Protocol 2.1.4)."""
    from ..federation import CODEPOINT

    decoded = CODEPOINT.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return FROM_KEYWORD.search(NOT_KEYWORDS.sub(" ", decoded)) is not None


def with_bindings(text: str, bindings: dict | None) -> str:
    """Bind variables to RDF terms with a VALUES block opening the query's WHERE clause.

    Values must be pyoxigraph terms: their N-Triples form is escaped and validated by pyoxigraph, so a value can
    never change the query's structure (unlike grlc-style text substitution). A VALUES block that opens the
    WHERE group is joined first, so the bound variables are in scope for the group's triple patterns, its
    FILTERs and its OPTIONAL conditions (not inside nested groups, which SPARQL evaluates on their own).
    pyoxigraph's ``substitutions`` would be neater but only accepts projected variables.
    """
    if not bindings:
        return text
    names = list(bindings)
    for name, term in bindings.items():
        if not name.isidentifier():
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise TypeError(f"?{name} must be bound to an IRI or a literal term, not {type(term).__name__}")
    match = WHERE_OPEN.search(text)
    if match is None:
        raise ValueError("a query with bound variables needs an explicit WHERE { ... } clause")
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bindings[n]) for n in names)}) }} "
    return text[: match.end()] + block + text[match.end():]


def normalise_query(text: str) -> str:
    """The query with comments dropped and each run of whitespace outside strings and IRIs made one space: texts
    that differ only in layout normalise alike (the result cache's key); strings and IRIs are kept as written."""
    return LAYOUT.sub(lambda m: m.group(1) or " ", text).strip()


def open_store(settings: dict) -> Store:
    if settings.get("store"):
        from .remote import RemoteStore

        return RemoteStore(settings["store"], settings["base_iri"], timeout=settings["query_timeout"])
    from ..pipeline.artefact import read_artefact
    from .embedded import EmbeddedStore

    return EmbeddedStore.from_artefact(read_artefact(settings["instance"]), settings["base_iri"])


__all__ = ["QueryResult", "Store", "has_dataset_clause", "open_store", "with_bindings"]
