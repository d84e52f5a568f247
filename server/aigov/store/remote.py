"""A remote SPARQL 1.1 endpoint as a store, through SPARQLWrapper (the same results as the embedded store).

Responses are parsed with pyoxigraph's own parsers (SPARQL JSON results, N-Triples), so every store hands
the views the same pyoxigraph terms. Named graphs follow our IRI convention (<base>graph/{name}); the default
graph is whatever the endpoint makes it (Oxigraph: use --union-default-graph; Virtuoso: all graphs).
"""
from __future__ import annotations

import hashlib
import time
from urllib.error import HTTPError, URLError

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from ..errors import BadRequest, UpstreamError
from . import with_bindings
from .result import QueryResult

GRAPH_NAMES = ("ontology", "data", "inferred")


class RemoteStore:
    def __init__(self, endpoint: str, base_iri: str, timeout: float = 30.0):
        self.endpoint = endpoint
        self.timeout = timeout
        self.graph_iris = {name: f"{base_iri}graph/{name}" for name in GRAPH_NAMES}
        self.manifest: dict = {}
        self.version = "remote-" + hashlib.sha256(f"{endpoint}{time.time()}".encode()).hexdigest()[:8]

    def _client(self, text: str, default_graphs, named_graphs) -> SPARQLWrapper:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setQuery(text)
        for g in default_graphs or ():
            client.addDefaultGraph(g)
        for g in named_graphs or ():
            client.addNamedGraph(g)
        return client

    def query(self, text, default_graphs=None, named_graphs=None, bindings=None, max_rows=None,
              base_iri=None) -> QueryResult:
        from .embedded import to_result

        text = with_bindings(text, bindings)
        if base_iri:  # on the first line, so the endpoint's error positions still match the client's lines
            text = f"BASE <{ox.NamedNode(base_iri).value}> {text}"
        start = time.perf_counter()
        client = self._client(text, default_graphs, named_graphs)
        graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
        if graph_query:
            client.setOnlyConneg(True)
            client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
        else:
            client.setReturnFormat(JSON)
        try:
            response = client.query().response
            body = response.read()
            content_type = response.headers.get("Content-Type", "")
        except QueryBadFormed as e:
            raise BadRequest(f"SPARQL syntax error (from {self.endpoint}): {e}") from None
        except HTTPError as e:
            detail = e.read()[:500].decode("utf-8", "replace")
            if 400 <= e.code < 500:
                raise BadRequest(f"the endpoint refused the query ({e.code}): {detail}") from None
            raise UpstreamError(f"{self.endpoint} answered {e.code}: {detail}") from None
        except (URLError, SPARQLWrapperException, OSError) as e:
            raise UpstreamError(f"{self.endpoint} did not answer: {e}") from None
        if graph_query:
            fmt = ox.RdfFormat.TURTLE if "turtle" in content_type else ox.RdfFormat.N_TRIPLES
            answer = ox.parse(body, format=fmt)
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in answer]
            return to_result(iter(triples), max_rows, start)
        return to_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), max_rows, start)

    def triple_count(self, graph: str | None = None) -> int:
        query = ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" if graph is None else
                 f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ox.NamedNode(graph).value}> {{ ?s ?p ?o }} }}")
        rows = self.query(query).rows
        return int(rows[0][0].value) if rows else 0
