"""One blueprint per surface. Each view parses the request, calls the store, negotiates and serializes."""
from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from . import browse, meta, queries, resources, search, sparql

    from .common import linkable

    for module in (sparql, queries, resources, meta, search, browse):
        app.register_blueprint(module.bp)
    app.jinja_env.tests["linkable"] = linkable
