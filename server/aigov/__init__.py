"""aigov's web application. ``create_app(overrides)`` builds everything once; no module-level app.

Shared state lives in ``app.extensions["aigov"]``: the settings, the store (opened once, read-only) and the
build's version, which is also every response's validator (ETag / Last-Modified).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime

from flask import Flask, Response, g, request

from .errors import AigovError, Busy, RateLimited, Unauthorized
from .settings import load_settings
from .store import Store, open_store

log = logging.getLogger("aigov")


@dataclass
class Context:
    settings: dict
    store: Store
    built_epoch: float
    zygote: object = None
    _evaluators: object = None
    retire_worker: object = lambda: None  # under gunicorn: ask for this worker to be replaced (set by serve.py)

    def evaluators(self):
        """This process's way to killable query children (see store/evaluator.py), or None when queries run in
        the worker: a remote store (its engine has its own limits), updates allowed, or evaluators=0.

        Created lazily per process: gunicorn loads the app in the master and forks workers, and each worker
        keeps its own admission counts."""
        if self.zygote is None:
            return None
        import os

        if self._evaluators is None or self._evaluators.pid != os.getpid():
            from .store.evaluator import Evaluators

            self._evaluators = Evaluators(self.zygote, self.settings, lost=self.retire_worker)
        return self._evaluators


def context(app: Flask | None = None) -> Context:
    from flask import current_app

    return (app or current_app).extensions["aigov"]


def create_app(overrides: dict | None = None, store: Store | None = None) -> Flask:
    settings = load_settings(overrides)
    if settings["allow_update"]:
        if not settings["update_token"]:
            from .errors import UsageError

            raise UsageError("allow_update needs a bearer token in AIGOV_UPDATE_TOKEN")
        # One store must see every update: one process, queries evaluated in it.
        settings["evaluators"] = 0
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1 << 20  # SPARQL queries and forms: 1 MiB is plenty
    app.json.ensure_ascii = False
    if settings["trusted_proxies"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings["trusted_proxies"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    store = store or open_store(settings)
    app.extensions["aigov"] = Context(settings, store, _built_epoch(store))
    from .canned import Registry

    app.extensions["aigov-queries"] = Registry.load(settings["root"] / "queries")
    from .cache import ResponseCache, ResultCache

    app.extensions["aigov-cache"] = ResponseCache()
    app.extensions["aigov-results"] = ResultCache(settings["result_cache_bytes"])

    from . import i18n, limits, metrics
    from .views import register

    i18n.init_app(app)
    metrics.init_app(app)
    limits.init_app(app, settings["rate_limit"])
    app.extensions["aigov-budgets"] = limits.EvaluationBudgets(settings["client_budget"])
    register(app)
    _register_http_hooks(app)
    _register_error_handlers(app)
    _start_zygote(app.extensions["aigov"])
    return app


def _start_zygote(ctx: Context) -> None:
    """Fork the process that forks query children, now that the store is loaded (embedded store only)."""
    if getattr(ctx.store, "quads_path", None) is None:
        return
    from .views.meta import precompute

    precompute(ctx.store)  # before any fork, so every process shares the answers and the store's pages
    if ctx.settings["evaluators"] < 1:
        return
    from .store.evaluator import Zygote

    settings = ctx.settings
    # one child per query slot of every worker: admission (per worker) never lets more queries in at once
    ctx.zygote = Zygote.start(ctx.store, max(1, settings["workers"]) * settings["evaluators"],
                              settings["query_timeout"], settings["evaluator_memory"])
    if ctx.zygote is None:
        log.warning("aigov: this process already runs threads, so no query children can be forked from it: "
                    "ad-hoc queries run in the worker and cannot be stopped")


def _built_epoch(store) -> float:
    built = getattr(store, "manifest", {}).get("built")
    if not built:
        import time

        return time.time()
    from datetime import datetime, timezone

    return datetime.strptime(built, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


def etag_for(version: str) -> str:
    """One strong validator per build and representation: the build version, the URL and what was negotiated."""
    key = "\n".join((request.full_path, request.headers.get("Accept", ""), request.headers.get("Accept-Language", ""),
                     request.cookies.get("aigov_lang", "")))
    return f'"{version}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"'


def _register_http_hooks(app: Flask) -> None:
    @app.before_request
    def conditional_get():
        """Answer 304 before doing any work when the client already has this build's representation."""
        if request.method not in ("GET", "HEAD"):
            return None
        ctx = context()
        g.etag = etag_for(ctx.store.version)
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            tags = {t.strip() for t in if_none_match.split(",")}
            if g.etag in tags or "*" in tags or f"W/{g.etag}" in tags:
                return _not_modified(ctx)
            return None
        since = request.headers.get("If-Modified-Since")
        if since:
            try:
                if parsedate_to_datetime(since).timestamp() >= int(ctx.built_epoch):
                    return _not_modified(ctx)
            except (TypeError, ValueError):
                pass  # an unparseable date is ignored, as RFC 9110 says
        return None

    @app.after_request
    def common_headers(response: Response) -> Response:
        ctx = context()
        h = response.headers
        h["Access-Control-Allow-Origin"] = "*"
        h["Access-Control-Expose-Headers"] = "ETag, Link, Content-Location, X-Aigov-Truncated, X-Aigov-Version, X-Aigov-Cache"
        h["X-Aigov-Version"] = ctx.store.version
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if response.mimetype == "text/html":
            h.setdefault("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                         "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        void_link = '</.well-known/void>; rel="describedby"; type="text/turtle"'
        h["Link"] = f"{h['Link']}, {void_link}" if h.get("Link") else void_link
        if request.method in ("GET", "HEAD") and response.status_code == 200 and "etag" in g:
            h["ETag"] = g.etag
            h["Last-Modified"] = formatdate(ctx.built_epoch, usegmt=True)
            h.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
        return response


def _not_modified(ctx: Context) -> Response:
    response = Response(status=304)
    response.headers["ETag"] = g.etag
    response.headers["Last-Modified"] = formatdate(ctx.built_epoch, usegmt=True)
    return response


def _register_error_handlers(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException

    from .views.errors import error_response

    @app.errorhandler(AigovError)
    def aigov_error(e: AigovError):
        response = error_response(e.http_status, e.message)
        if isinstance(e, RateLimited):
            response.headers["Retry-After"] = str(e.retry_after)
        elif isinstance(e, Busy):  # answered at once, so a short wait is the honest hint
            response.headers["Retry-After"] = "2"
        elif isinstance(e, Unauthorized):
            response.headers["WWW-Authenticate"] = 'Bearer realm="aigov"'
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        response = error_response(e.code or 500, e.description or e.name)
        for name, value in e.get_headers():
            if name.lower() == "allow":  # RFC 9110: a 405 lists the methods the resource supports
                response.headers["Allow"] = value
        return response


from .api import dataset, query, store  # noqa: E402  the notebook API: import aigov; aigov.query(...)
