"""Saved queries over HTTP: /queries (list), /queries/<name>[.json|.csv|.tsv|.ttl|.jsonld] (run),
/openapi.json (generated from the decorators), /id/query/<name> (the query as linked data)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from .. import context
from ..canned import Registry, run
from ..i18n import page_language
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
    response = Response(render_template("queries.html", queries=list(registry())), mimetype="text/html")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
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
    # A download a person asked for by link (.csv or format=csv) opens in Excel: UTF-8 with a BOM unless bom=0.
    # Content negotiation by Accept alone stays the byte-exact SPARQL CSV for tools.
    bom = media == "text/csv" and (extension or request.args.get("format")) and args.get("bom") != "0"
    plain = media == "text/tab-separated-values" and args.get("plain") == "1"
    lang = page_language() if media == "text/html" else ""
    key = (ctx.store.version, saved.name, tuple(sorted(args.items())), media, lang, bool(bom), plain, context_url())
    body, content_type, truncated = cache().get_or_compute(key, lambda: _render(saved, args, media, lang, plain))
    if bom:
        body = "\ufeff".encode("utf-8") + body
    response = Response(body, content_type=content_type)
    if media in ("text/csv", "text/tab-separated-values") and (extension or request.args.get("format")):
        response.headers["Content-Disposition"] = download_disposition(saved, args, "csv" if media == "text/csv" else "tsv")
    if truncated:
        response.headers["X-Aigov-Truncated"] = f"true; max-rows={ctx.settings['max_rows']}"
    response.headers["Vary"] = "Accept, Accept-Language, Cookie" if media == "text/html" else "Accept"
    response.headers["Link"] = f'</id/query/{saved.name}>; rel="describedby"'
    return response


def download_disposition(saved, args: dict, ext: str) -> str:
    """attachment; filename="<query>-<value>-<value>.csv": downloads named after the question and its parameters
    (an IRI by its last segment), with an RFC 6266 filename* for values that are not ASCII."""
    import re
    from urllib.parse import quote

    parts = [saved.name]
    for p in saved.parameters:
        value = args.get(p.name)
        if value:
            parts.append(value.rstrip("/").rpartition("/")[2].rpartition(":")[2] or value)
    stem = re.sub(r"[^\w.-]+", "-", "-".join(parts)).strip("-")[:150]
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or saved.name
    disposition = f'attachment; filename="{ascii_stem}.{ext}"'
    if ascii_stem != stem:
        disposition += f"; filename*=UTF-8''{quote(stem)}.{ext}"
    return disposition


def cache():
    """This process's response cache (created with the app)."""
    return current_app.extensions["aigov-cache"]


def _render(saved, args: dict, media: str, lang: str = "en", plain: bool = False) -> tuple[bytes, str, bool]:
    """Run a saved query and render it: (body, content type, truncated)."""
    import time

    ctx = context()
    start = time.perf_counter()
    result = run(ctx.store, saved, args, ctx.settings["base_iri"], ctx.settings["max_rows"])
    log_query(result.kind, "ok", saved.text, time.perf_counter() - start, len(result.rows), saved=saved.name)
    if media == "text/html":
        body = render_template("query.html", query=saved, result=result, lang=lang,
                               form=parameter_form(saved, args, lang), cite=citation(),
                               chart=chart_for(saved.chart, result, *_chart_names(lang)),
                               args=request.args).encode("utf-8")
        return body, "text/html; charset=utf-8", result.truncated
    if plain:
        return plain_tsv(result), CONTENT_TYPES[media], result.truncated
    return serialize(result, media, context_url(), truncation_links(result)), CONTENT_TYPES[media], result.truncated


def _chart_names(lang: str):
    """Names for chart legends and links for chart nodes: the graph's own labels and pages."""
    from ..search import index_for

    index = index_for(context().store)
    base = context().settings["base_iri"]

    def name_of(iri: str) -> str | None:
        doc = index.by_iri.get(iri)
        return doc and index.hit(doc, lang).label

    def href(iri: str) -> str | None:
        return "/" + iri[len(base):] if iri.startswith(base) else None

    return name_of, href


def parameter_form(saved, args: dict, lang: str) -> list[dict]:
    """Each parameter's field: its current value as a person reads it (an IRI as its label) and, for IRI
    parameters, the resources of its class to pick from (a datalist, so typing filters it)."""
    from ..resolve import parameter_class
    from ..search import index_for

    index = index_for(context().store)
    fields = []
    for p in saved.parameters:
        value = args.get(p.name) or p.default or ""
        options = []
        if p.type == "iri":
            cls = parameter_class(p.name, index)
            docs = [d for d in index.documents if cls is None or cls in d["classes"]] if cls else []
            labels = [index.hit(d, lang).label for d in docs]
            ambiguous = {l for l in labels if labels.count(l) > 1}
            options = sorted(({"value": label if label not in ambiguous else d["iri"],
                               "label": " · ".join(x for x in (index.hit(d, lang).kind,
                                                               index.hit(d, lang).jurisdiction) if x)}
                              for d, label in zip(docs, labels)), key=lambda o: o["value"].lower())
            if value in index.by_iri:
                shown = index.hit(index.by_iri[value], lang).label
                value = shown if shown not in ambiguous else value
        fields.append({"p": p, "value": value, "options": options})
    return fields


def citation() -> dict:
    """What a "cite this" line needs besides the page's own section: the build version and this URL."""
    import datetime

    return {"version": context().store.version, "url": request.url,
            "accessed": datetime.datetime.now(datetime.timezone.utc).date().isoformat()}


def plain_tsv(result) -> bytes:
    """Tab-separated plain text for spreadsheets: values as written (no quotes, language tags or <IRIs>), a
    header of bare variable names; tabs and line breaks inside a value become spaces."""
    def text(term) -> str:
        if term is None:
            return ""
        return " ".join(str(getattr(term, "value", term)).split())

    if result.kind == "boolean":
        return ("answer\n" + ("true" if result.boolean else "false") + "\n").encode("utf-8")
    if result.kind == "graph":
        header, rows = ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        header, rows = result.variables, result.rows
    lines = ["\t".join(header)] + ["\t".join(text(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


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
    from ..resolve import parameter_class
    from ..search import index_for

    index = index_for(context().store)

    def members(p) -> list[str]:
        cls = parameter_class(p.name, index)
        return [d["iri"] for d in index.documents if cls is None or cls in d["classes"]]

    return jsonify(openapi_document(registry(), site_url(), members))
