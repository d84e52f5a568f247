"""The Python API for notebooks: the graph as a pyoxigraph store, as an rdflib Dataset, and saved queries as rows.

Everything reads the artefact `aigov serve` serves: the checkout's ``instance/`` when run from a checkout, else
the graph bundled in the installed wheel (see ``aigov.bundle``). The loaded store is cached per build version,
so re-running a notebook cell does not reload the graph; a new build is picked up on the next call.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .canned import Registry, run
from .pipeline.artefact import read_artefact
from .settings import load_settings
from .store.embedded import EmbeddedStore


class Rows(list):
    """A saved query's answer: a list of ``{variable: value}`` dicts (IRIs as str, literals as Python values)."""

    def __init__(self, rows, variables):
        super().__init__(rows)
        self.variables = list(variables)

    def to_dataframe(self):
        """The rows as a pandas DataFrame, one column per variable (needs pandas, which aigov does not require)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
        return pandas.DataFrame(list(self), columns=self.variables)


@lru_cache(maxsize=4)
def _load(instance: str, version: str, base_iri: str) -> EmbeddedStore:
    return EmbeddedStore.from_artefact(read_artefact(Path(instance)), base_iri)


def _embedded(root=None, instance=None) -> tuple[EmbeddedStore, dict]:
    settings = load_settings({"root": root, "instance": instance})
    version = read_artefact(settings["instance"], verify=False).version
    return _load(str(settings["instance"]), version, settings["base_iri"]), settings


def store(root=None, instance=None) -> ox.Store:
    """The whole graph (ontology, data and inferred named graphs) as a read-only-by-convention pyoxigraph Store."""
    return _embedded(root, instance)[0].engine


def dataset(root=None, instance=None) -> rdflib.Dataset:
    """The whole graph as an rdflib Dataset with its named graphs (``<base>graph/data`` and so on)."""
    settings = load_settings({"root": root, "instance": instance})
    ds = rdflib.Dataset()
    ds.parse(read_artefact(settings["instance"]).quads_path, format="nquads")
    return ds


def _python(term):
    """A pyoxigraph term as a plain Python value: IRIs as str, literals converted by rdflib's datatype map."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.language:
            return term.value
        return rdflib.Literal(term.value, datatype=term.datatype.value).toPython()
    return term.value


def query(name: str, root=None, instance=None, **params) -> Rows:
    """Run the saved query ``name`` with its parameters as keyword arguments; rows as dicts."""
    embedded, settings = _embedded(root, instance)
    saved = Registry.load(settings["root"] / "queries").get(name)
    result = run(embedded, saved, {k: str(v) for k, v in params.items()}, settings["base_iri"])
    return Rows(({v: _python(t) for v, t in zip(result.variables, row)} for row in result.rows), result.variables)
