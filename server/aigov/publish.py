"""`aigov publish --to URL`: load the built artefact into another SPARQL store with the SPARQL 1.1 Graph Store
HTTP Protocol, one named graph at a time, each replacing the graph of the same name (PUT ?graph=IRI).

URL is the store's Graph Store endpoint: Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/ds/data``,
Virtuoso ``http://host:8890/sparql-graph-crud-auth`` (digest auth through ``--user``).
"""
from __future__ import annotations

import pyoxigraph as ox
import requests

from .pipeline.artefact import Artefact
from .errors import UpstreamError


def graphs_of(artefact: Artefact) -> dict[str, bytes]:
    """N-Triples of each named graph in the artefact."""
    by_graph: dict[str, list] = {}
    for quad in ox.parse(path=str(artefact.quads_path), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return {g: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) for g, triples in by_graph.items()}


def publish(artefact: Artefact, to: str, auth=None, timeout: float = 120.0) -> dict[str, int]:
    """PUT every named graph; return the number of triples sent per graph IRI."""
    sent = {}
    for graph, body in graphs_of(artefact).items():
        try:
            r = requests.put(to, params={"graph": graph}, data=body, auth=auth, timeout=timeout,
                             headers={"Content-Type": "application/n-triples"})
        except requests.RequestException as e:
            raise UpstreamError(f"cannot reach {to}: {e}") from None
        if r.status_code not in (200, 201, 204):
            raise UpstreamError(f"{to} refused graph <{graph}>: {r.status_code} {r.text[:300]}")
        sent[graph] = body.count(b"\n")
    return sent
