"""The one result type every store returns, with explicit fields (no iteration magic).

Terms are pyoxigraph terms whichever store produced them: the embedded store yields them directly and the
remote store parses the endpoint's response with pyoxigraph's own result and RDF parsers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class QueryResult:
    kind: Literal["bindings", "boolean", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # bindings: one tuple of terms (or None) per solution
    boolean: bool | None = None  # boolean: the ASK answer
    triples: list = field(default_factory=list)  # graph: pyoxigraph Triples
    truncated: bool = False  # True when rows or triples were cut at the row limit
    elapsed: float = 0.0
