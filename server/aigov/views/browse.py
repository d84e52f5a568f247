"""/browse/<list>: instruments, bodies, jurisdictions, meetings ... with filters in the URL (no JavaScript)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from .. import context
from ..browse import LISTS, apply_filters, choices, items
from ..errors import BadRequest
from ..i18n import page_language
from .common import local_path

bp = Blueprint("browse", __name__)
TITLES = {"instruments": ("Instruments", "法律政策文件"), "hard-law": ("Hard law", "硬法"), "soft-law": ("Soft law", "软法"),
          "bills": ("Bills", "法案"), "bodies": ("Bodies", "机构"), "jurisdictions": ("Jurisdictions", "法域"),
          "meetings": ("Meetings", "会议")}
FILTERS = ("jurisdiction", "kind", "topic", "year")


@bp.route("/browse")
def lists():
    lang = page_language()
    return Response(render_template("browse.html", slug=None, lists=TITLES, lang=lang), mimetype="text/html")


@bp.route("/browse/<slug>")
def browse(slug: str):
    ctx = context()
    lang = page_language()
    cache = current_app.extensions["aigov-cache"]
    (all_items,) = cache.get_or_compute((ctx.store.version, "browse", slug, lang),
                                        lambda: (items(ctx.store, slug, lang),))
    chosen = {f: request.args.get(f, "") for f in FILTERS}
    if len(chosen["year"]) > 4 or (chosen["year"] and not chosen["year"].isdigit()):
        raise BadRequest("year must be a year such as 2024")
    shown = apply_filters(all_items, **chosen)
    base = ctx.settings["base_iri"]
    return Response(render_template("browse.html", slug=slug, lists=TITLES, lang=lang, items=shown,
                                    total=len(all_items), options=choices(all_items), chosen=chosen,
                                    href=lambda iri: local_path(iri, base) or iri), mimetype="text/html")
