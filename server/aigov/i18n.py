"""The page language: chosen once, kept while the reader follows links.

``?lang=en|zh`` chooses and is remembered in a cookie; without it the cookie, then Accept-Language decide.
Templates get ``lang`` and ``T(en, zh)`` from a context processor, so every template string has both.
"""
from __future__ import annotations

from flask import Flask, request

from .errors import BadRequest

LANGUAGES = ("en", "zh")
COOKIE = "aigov_lang"


def page_language() -> str:
    requested = request.args.get("lang")
    if requested is not None:
        if requested not in LANGUAGES:
            raise BadRequest("lang must be 'en' or 'zh'")
        return requested
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES, default="en")


def lang_url(code: str) -> str:
    """This page's URL in another language: the same path and parameters, with lang= set."""
    from urllib.parse import urlencode

    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", code)]
    return request.path + "?" + urlencode(args)


def init_app(app: Flask) -> None:
    @app.context_processor
    def language_context():
        try:
            lang = page_language()
        except BadRequest:
            lang = "en"
        return {"lang": lang, "T": lambda en, zh: zh if lang == "zh" else en, "lang_url": lang_url}

    @app.after_request
    def remember_language(response):
        requested = request.args.get("lang")
        if requested in LANGUAGES and request.cookies.get(COOKIE) != requested:
            response.set_cookie(COOKIE, requested, max_age=365 * 24 * 3600, samesite="Lax")
        if response.mimetype == "text/html":
            response.vary.add("Cookie")
        return response
