"""/search (HTML) and /search.json: the build's search index over labels, alternative titles, acronyms,
official numbers and topics, in Chinese and English (ranking in ``aigov.search``)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from .. import context
from ..errors import BadRequest
from ..i18n import page_language
from ..search import index_for
from .common import local_path

bp = Blueprint("search", __name__)

MAX_QUERY = 200


def _hits(limit: int = 50):
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        raise BadRequest(f"the search text is longer than {MAX_QUERY} characters")
    kinds = tuple(k for k in request.args.getlist("class") if k)
    lang = page_language()
    return text, lang, index_for(context().store).search(text, lang, limit, classes=kinds) if text else []


@bp.route("/search.json")
def search_json():
    try:
        limit = min(max(int(request.args.get("limit", 20)), 1), 200)
    except ValueError:
        raise BadRequest("limit must be a whole number") from None
    _, _, hits = _hits(limit)
    response = jsonify([h.as_dict() for h in hits])
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.route("/search")
def search_page():
    text, lang, hits = _hits()
    base = context().settings["base_iri"]
    rows = [(h, local_path(h.iri, base) or h.iri) for h in hits]
    return Response(render_template("search.html", q=text, rows=rows, lang=lang), mimetype="text/html")


@bp.app_context_processor
def labels_context():
    """``label_of(iri, lang)`` for templates: a graph IRI as the name a person reads (None when it has none)."""
    def label_of(iri: str, lang: str = "en") -> str | None:
        doc = index_for(context().store).by_iri.get(iri)
        return doc and (doc["label"].get(lang) or doc["label"].get("en") or doc["label"].get("zh"))

    return {"label_of": label_of}
