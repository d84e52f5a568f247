"""Saved queries over HTTP: /queries (list), /queries/<name>[.json|.csv|.tsv|.ttl|.jsonld] (run),
/openapi.json (generated from the decorators), /id/query/<name> (the query as linked data)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from .. import context
from ..canned import Registry, run
from ..charts import chart_for
from ..metrics import log_query
from ..negotiation import choose, wants_html
from ..openapi import openapi_document
from ..query_rdf import query_triples
from ..serializers import CONTENT_TYPES, serialize
from .common import context_url, rdf_response, see_other, site_url, truncation_links

bp = Blueprint("queries", __name__)


def registry() -> Registry:
    return current_app.extensions["aigov-queries"]


@bp.route("/queries")
@bp.route("/queries.json", defaults={"as_json": True})
def index(as_json: bool = False):
    queries = [q.as_dict() for q in registry()]
    if as_json or not wants_html(request.headers.get("Accept")) and "json" in request.headers.get("Accept", ""):
        response = jsonify(queries)
        response.headers["Vary"] = "Accept"
        return response
    response = Response(render_template("queries.html", queries=queries), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/queries/<name>")
def run_query(name: str):
    stem, dot, ext = name.rpartition(".")
    extension = ext if dot else None
    saved = registry().get(stem if dot else name)
    ctx = context()
    args = {k: v for k, v in request.args.items() if k not in ("format",)}
    kind = "bindings" if saved.kind == "boolean" else saved.kind
    media = choose(kind, request.headers.get("Accept"), request.args.get("format"), extension)
    key = (ctx.store.version, saved.name, tuple(sorted(args.items())), media, context_url())
    body, content_type, truncated = cache().get_or_compute(key, lambda: _render(saved, args, media))
    response = Response(body, content_type=content_type)
    if media == "text/csv":
        response.headers["Content-Disposition"] = f'attachment; filename="{saved.name}.csv"'
    if truncated:
        response.headers["X-Aigov-Truncated"] = f"true; max-rows={ctx.settings['max_rows']}"
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'</id/query/{saved.name}>; rel="describedby"'
    return response


def cache():
    """This process's response cache (created with the app)."""
    return current_app.extensions["aigov-cache"]


def _render(saved, args: dict, media: str) -> tuple[bytes, str, bool]:
    """Run a saved query and render it: (body, content type, truncated)."""
    import time

    ctx = context()
    start = time.perf_counter()
    result = run(ctx.store, saved, args, ctx.settings["base_iri"], ctx.settings["max_rows"])
    log_query(result.kind, "ok", saved.text, time.perf_counter() - start, len(result.rows), saved=saved.name)
    if media == "text/html":
        values = {p.name: args.get(p.name) or p.default or "" for p in saved.parameters}
        body = render_template("query.html", query=saved, result=result, values=values,
                               chart=chart_for(saved.chart, result), args=request.args).encode("utf-8")
        return body, "text/html; charset=utf-8", result.truncated
    return serialize(result, media, context_url(), truncation_links(result)), CONTENT_TYPES[media], result.truncated


@bp.route("/id/query/<name>")
def query_identifier(name: str):
    saved = registry().get(name)
    return see_other(f"/queries/{saved.name}", f"/data/id/query/{saved.name}")


@bp.route("/data/id/query/<name>")
def query_data(name: str):
    stem, dot, ext = name.rpartition(".")
    saved = registry().get(stem if dot else name)
    return rdf_response(query_triples(saved, context().settings["base_iri"], site_url()), extension=ext if dot else None)


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(registry(), site_url()))
