"""/sparql: the SPARQL 1.1 Protocol query operation; the update operation only with --allow-update and its token.

GET ?query=, POST application/x-www-form-urlencoded, POST application/sparql-query; default-graph-uri and
named-graph-uri; results negotiated by Accept (q-values) or format=. Without a query: the Service
Description for RDF clients, the query UI for browsers.
"""
from __future__ import annotations

import re
import time

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from .. import context
from ..answer import Answer, encode
from ..cache import Tee
from ..errors import BadRequest, Busy, Forbidden, PayloadTooLarge, Unauthorized, UnsupportedMediaType
from ..federation import check_service
from ..metrics import RESULT_CACHE, log_query
from ..negotiation import wants_html
from ..prefixes import original_position, with_known_prefixes
from ..serializers import CONTENT_TYPES
from ..service import service_description
from ..store import normalise_query
from .common import context_url, rdf_response, site_url, truncation_link

bp = Blueprint("sparql", __name__)

UPDATE_WORD = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE)
UPDATE_REFUSED = "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP ...) is refused"


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the '{name}' parameter was given {len(values)} times; give it exactly once")
    return values[0] if values else None


def _body_text() -> str:
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadRequest(f"the request body is not UTF-8 ({e.reason} at byte {e.start})") from None


class UpdateRequest(Exception):
    """Raised while parsing a request that carries a SPARQL Update instead of a query."""

    def __init__(self, text: str):
        super().__init__("update")
        self.text = text


def parse_protocol_request() -> tuple[str | None, list[str], list[str]]:
    """(query, default graph IRIs, named graph IRIs) per the SPARQL 1.1 Protocol, or a 4xx error; an update
    operation raises UpdateRequest."""
    args = request.args
    if request.method in ("GET", "HEAD"):  # RFC 9110: HEAD wherever GET works
        if args.getlist("update"):
            _refuse_update()
        query = _one(args.getlist("query"), "query")
        return query, args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        _body_text()  # reject a non-UTF-8 body before the form parser guesses
        form = request.form
        updates = form.getlist("update") + args.getlist("update")
        if updates:
            raise UpdateRequest(_one(updates, "update"))
        queries = args.getlist("query") + form.getlist("query")
        if not queries:
            raise BadRequest("the form has no 'query' field (nor 'update'): send the SPARQL query as query=...")
        query = _one(queries, "query")
        return (query, form.getlist("default-graph-uri") + args.getlist("default-graph-uri"),
                form.getlist("named-graph-uri") + args.getlist("named-graph-uri"))
    if mimetype == "application/sparql-query":
        if args.getlist("query"):
            raise BadRequest("the query was given both in the body and in the 'query' parameter")
        return _body_text(), args.getlist("default-graph-uri"), args.getlist("named-graph-uri")
    if mimetype == "application/sparql-update":
        raise UpdateRequest(_body_text())
    _unsupported(mimetype)


def _refuse_update():
    raise Forbidden(UPDATE_REFUSED)


def _unsupported(mimetype: str):
    raise UnsupportedMediaType(f"unsupported Content-Type {mimetype or '(none)'!r}: POST a query as "
                               "application/x-www-form-urlencoded or application/sparql-query")


def looks_like_update(text: str) -> bool:
    """Whether a text that failed as a query parses as SPARQL Update (parse only, never executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
        return True
    except Exception:
        return False


def _graphs(default_graphs: list[str], entailment: str | None) -> list[str]:
    if entailment in (None, "", "owl-rl"):
        return default_graphs
    if entailment == "none":
        if default_graphs:
            raise BadRequest("give either default-graph-uri or entailment=none, not both")
        graphs = context().store.graph_iris
        return [graphs["ontology"], graphs["data"]]
    raise BadRequest(f"entailment must be 'owl-rl' (the default) or 'none', not {entailment!r}")


def run_query(text: str, default_graphs: list[str], named_graphs: list[str]) -> Answer:
    """Evaluate, negotiate and serialize (in a query child when there are evaluators, else here)."""
    ctx = context()
    check_service(text, ctx.settings["service_allow"])
    start = time.perf_counter()
    # relative IRIs in the query resolve against the endpoint's own URL, as the protocol allows
    options = {"default_graphs": default_graphs or None, "named_graphs": named_graphs or None,
               "max_rows": ctx.settings["max_rows"], "base_iri": site_url() + "sparql"}
    accept = request.headers.get("Accept")
    format_param = request.values.get("format") or request.values.get("output")
    max_bytes = ctx.settings["max_result_bytes"]
    # how the answer is serialized: JSON-LD refers to the published @context; a cut SPARQL JSON result says so
    # in head.link
    shape = {"context_url": context_url(), "truncation_link": truncation_link()}
    prefixed = with_known_prefixes(text)  # inst:, body:, aigov: ... work undeclared (prefixes.py)
    evaluators = ctx.evaluators()
    client = request.remote_addr or "unknown"
    budgets = current_app.extensions["aigov-budgets"]
    budgets.check(client)
    try:
        if evaluators is not None:  # charged the time its child lived, not the time it waited for a slot
            answer = evaluators.query({"text": prefixed, "options": options, "accept": accept, "format": format_param,
                                       "max_bytes": max_bytes, **shape}, client, _client_gone,
                                      charge=lambda seconds: budgets.charge(client, seconds))
        else:
            evaluated = time.perf_counter()
            try:
                answer = encode(ctx.store.query(prefixed, **options), accept, format_param, max_bytes, **shape)
            finally:
                budgets.charge(client, time.perf_counter() - evaluated)
    except Busy:
        if UPDATE_WORD.search(text) and looks_like_update(text):  # refused, busy or not
            _refuse_update()
        raise
    except BadRequest as e:
        if looks_like_update(text):
            log_query("update", "refused", text, time.perf_counter() - start)
            _refuse_update()
        log_query("invalid", "400", text, time.perf_counter() - start, error=e.message)
        raise BadRequest(original_position(e.message)) from None
    log_query(answer.kind, "truncated" if answer.truncated else "ok", text, time.perf_counter() - start,
              answer.rows)
    return answer


def run_update(text: str):
    """SPARQL Update: refused (403) unless the server runs with allow_update, and then only with the bearer
    token (compared in constant time). LOAD and SERVICE stay refused: they make the server fetch URLs."""
    import hmac

    ctx = context()
    if not ctx.settings["allow_update"] or not hasattr(ctx.store, "update"):
        _refuse_update()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("updates need 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.encode(), ctx.settings["update_token"].encode()):
        raise Forbidden("the bearer token is not valid for updates")
    if re.search(r"\bLOAD\b", text, re.IGNORECASE):
        raise BadRequest("LOAD is refused: it makes the server fetch a URL; send the data in INSERT DATA")
    check_service(text, ())
    start = time.perf_counter()
    ctx.store.update(text)
    ctx.built_epoch = time.time()
    log_query("update", "ok", text, time.perf_counter() - start)
    return Response(status=204)


def _client_gone() -> bool:
    """True once the client has closed its connection (gunicorn exposes the socket)."""
    import select
    import socket

    sock = request.environ.get("gunicorn.socket")
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql():
    if request.method == "OPTIONS":
        return _preflight()
    try:
        query, default_graphs, named_graphs = parse_protocol_request()
    except UpdateRequest as update:
        return run_update(update.text)
    if query is None:
        return _no_query()
    if not query.strip():
        raise BadRequest("the query is empty")
    limit = context().settings["max_query_bytes"]
    if len(query.encode("utf-8")) > limit:
        raise PayloadTooLarge(f"the query is {len(query.encode('utf-8'))} bytes; the limit is {limit}")
    default_graphs = _graphs(default_graphs, request.values.get("entailment"))
    cache = current_app.extensions["aigov-results"]
    accept, format_param = request.headers.get("Accept", ""), request.values.get("format") or request.values.get("output") or ""
    html = format_param == "html" or (not format_param and wants_html(accept))
    # an HTML page shows the query as sent, so it is keyed by the text itself; other answers by its normal form
    key = (context().store.version, query if html else normalise_query(query), tuple(default_graphs),
           tuple(named_graphs), site_url(), accept, format_param)
    hit = cache.get(key)
    if hit is not None:  # served without evaluating, so not charged to the client's budget
        body, meta = hit
        RESULT_CACHE.labels("hit").inc()
        log_query(meta["kind"], "cached", query, 0.0, meta["rows"])
        return _answer_response(body, meta, "hit")
    RESULT_CACHE.labels("miss").inc()
    answer = run_query(query, default_graphs, named_graphs)
    settings = context().settings
    truncated = {"rows": f"true; max-rows={settings['max_rows']}",
                 "bytes": f"true; max-bytes={settings['max_result_bytes']}"}.get(answer.truncated)
    meta = {"kind": answer.kind, "rows": answer.rows, "truncated": truncated,
            "content_type": "text/html; charset=utf-8" if answer.media == "text/html" else CONTENT_TYPES[answer.media]}
    if answer.media == "text/html":
        body = render_template("results.html", result=answer.result, query=query).encode("utf-8")
        cache.put(key, body, **meta)
        return _answer_response(body, meta, "miss")
    # streamed as the query child sends it (and kept for the cache once whole); closing the response early
    # (HEAD, client gone) stops the child
    stream = Tee(answer.stream(), cache.max_entry, lambda whole: cache.put(key, whole, **meta))
    response = _answer_response(stream, meta, "miss")
    response.headers["Content-Length"] = str(answer.length)
    return response


def _answer_response(body, meta: dict, cache: str) -> Response:
    response = Response(body, content_type=meta["content_type"])
    response.headers["Vary"] = "Accept"
    response.headers["X-Aigov-Cache"] = cache
    if meta["truncated"]:
        response.headers["X-Aigov-Truncated"] = meta["truncated"]
    return response


def _no_query():
    accept = request.headers.get("Accept")
    if request.values.get("format") is None and wants_html(accept):
        return redirect(url_for("meta.query_ui"), code=303)
    site = site_url()
    triples = service_description(context().store, site + "sparql", context().settings["base_iri"], site,
                                  max_rows=context().settings["max_rows"])
    return rdf_response(triples)


def _preflight():
    response = Response(status=204)
    h = response.headers
    h["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    h["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers", "Content-Type, Accept")
    h["Access-Control-Max-Age"] = "86400"
    return response
