"""Query backends behind one small protocol. Never imports Flask.

``open_store(settings)`` picks the backend: the embedded Oxigraph store loaded from the build artefact, or a
remote SPARQL 1.1 endpoint when the ``store`` setting is a URL.
"""
from __future__ import annotations

from typing import Protocol

from .result import QueryResult


class Store(Protocol):
    version: str
    graph_iris: dict[str, str]

    def query(self, text: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              bindings: dict | None = None, max_rows: int | None = None) -> QueryResult: ...

    def triple_count(self, graph: str | None = None) -> int: ...


def open_store(settings: dict) -> Store:
    if settings.get("store"):
        from .remote import RemoteStore

        return RemoteStore(settings["store"], settings["base_iri"], timeout=settings["query_timeout"])
    from ..build.artefact import read_artefact
    from .embedded import EmbeddedStore

    return EmbeddedStore.from_artefact(read_artefact(settings["instance"]), settings["base_iri"])


__all__ = ["QueryResult", "Store", "open_store"]
