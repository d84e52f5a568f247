"""The default store: pyoxigraph in memory, bulk-loaded from the artefact's N-Quads.

The default graph of a query is the union of the named graphs (ontology, data, inferred), so entailments are
on by default; ``default_graphs`` narrows it (the protocol's ``default-graph-uri``), e.g. to the asserted data.
A query's own FROM / FROM NAMED define its dataset unless the protocol's graph parameters are given, which then
override them (SPARQL 1.1 Protocol 2.1.4).
"""
from __future__ import annotations

import time
from itertools import islice

import pyoxigraph as ox

from ..pipeline.artefact import Artefact
from ..errors import BadRequest
from . import has_dataset_clause, with_bindings
from .result import QueryResult


class EmbeddedStore:
    def __init__(self, store: ox.Store, version: str, graph_iris: dict[str, str], manifest: dict | None = None,
                 quads_path: str | None = None):
        self._store = store
        self.quads_path = quads_path
        self.version = version
        self.graph_iris = graph_iris
        self.manifest = manifest or {}

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph Store itself, for callers (the notebook API) that want the engine's own interface."""
        return self._store

    @classmethod
    def from_artefact(cls, artefact: Artefact, base_iri: str) -> "EmbeddedStore":
        store = ox.Store()
        store.bulk_load(path=str(artefact.quads_path), format=ox.RdfFormat.N_QUADS)
        graphs = {name: g["iri"] for name, g in artefact.manifest["graphs"].items()}
        return cls(store, artefact.version, graphs, artefact.manifest, str(artefact.quads_path))

    def query(self, text, default_graphs=None, named_graphs=None, bindings=None, max_rows=None,
              base_iri=None) -> QueryResult:
        options = {"base_iri": base_iri} if base_iri else {}
        try:
            if default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            elif named_graphs or not has_dataset_clause(text):
                options["use_default_graph_as_union"] = True
            if named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        except ValueError as e:
            raise BadRequest(f"default-graph-uri / named-graph-uri must be IRIs: {e}") from None
        start = time.perf_counter()
        try:
            answer = self._store.query(with_bindings(text, bindings), **options)
        except SyntaxError as e:
            raise BadRequest(f"SPARQL syntax error: {e}") from None
        except (ValueError, TypeError) as e:
            raise BadRequest(f"SPARQL error: {e}") from None
        return to_result(answer, max_rows, start)

    def update(self, text: str) -> None:
        """Apply a SPARQL Update in memory (the build's artefact is untouched) and give the data a new version,
        so validators and caches keyed by it move on."""
        try:
            self._store.update(text)
        except SyntaxError as e:
            raise BadRequest(f"SPARQL Update syntax error: {e}") from None
        except (ValueError, OSError) as e:
            raise BadRequest(f"SPARQL Update failed: {e}") from None
        self.updates = getattr(self, "updates", 0) + 1
        self.version = f"{self.version.split('+')[0]}+{self.updates}"

    def triple_count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def to_result(answer, max_rows: int | None, start: float) -> QueryResult:
    """Materialise a pyoxigraph answer into a QueryResult, stopping one past the row limit to detect truncation."""
    try:
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("boolean", boolean=bool(answer), elapsed=time.perf_counter() - start)
        limit = None if max_rows is None else max_rows + 1
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [tuple(solution) for solution in islice(answer, limit)]
            truncated = max_rows is not None and len(rows) > max_rows
            return QueryResult("bindings", variables=variables, rows=rows[:max_rows] if truncated else rows,
                               truncated=truncated, elapsed=time.perf_counter() - start)
        triples = list(islice(answer, limit))
        truncated = max_rows is not None and len(triples) > max_rows
        return QueryResult("graph", triples=triples[:max_rows] if truncated else triples, truncated=truncated,
                           elapsed=time.perf_counter() - start)
    except (ValueError, TypeError, OSError) as e:  # evaluation errors surface while iterating
        raise BadRequest(f"SPARQL evaluation error: {e}") from None
