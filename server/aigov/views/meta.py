"""The dataset's home page, its self-descriptions and operations endpoints:
/ · /ui · /.well-known/void · /dumps/aigov.{ttl,nq,jsonld} · /health · /metrics."""
from __future__ import annotations

import json
from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from .. import context
from ..charts import timeline_svg
from ..errors import NotFound
from ..metrics import exposition
from ..prefixes import PREFIXES, context_document
from ..serializers import CONTENT_TYPES, graph_bytes
from ..service import statistics, void_description
from ..version import __version__, data_version
from .common import context_url, rdf_response, site_url

bp = Blueprint("meta", __name__)

INSTRUMENTS_BY_YEAR = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?jurisdiction ?label (MIN(xsd:integer(SUBSTR(STR(?d), 1, 4))) AS ?year) WHERE {
  ?i a aigov:Instrument ; aigov:jurisdiction ?jurisdiction .
  ?e aigov:concerns ?i ; aigov:date ?d .
  OPTIONAL { ?jurisdiction rdfs:label ?label FILTER(LANG(?label) = ?lang) }
} GROUP BY ?i ?jurisdiction ?label"""

COUNTS_BY_CLASS = """
PREFIX aigov: <https://w3id.org/aigov/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { aigov:Instrument aigov:HardLawInstrument aigov:SoftLawInstrument aigov:Bill aigov:Body
                  aigov:Jurisdiction aigov:LifecycleEvent aigov:Meeting aigov:Quantity aigov:ReportSection }
  ?s a ?class .
  ?class rdfs:label ?label FILTER(LANG(?label) = ?lang)
} GROUP BY ?class ?label ORDER BY DESC(?n)"""


@bp.route("/")
def home():
    ctx = context()
    from ..i18n import page_language

    lang = page_language()
    model = _home_model(ctx.store, ctx.store.version, lang)
    return render_template("home.html", lang=lang, stats=statistics(ctx.store), **model)


@lru_cache(maxsize=4)
def _home_model(store, version: str, lang: str) -> dict:
    rows = store.query(INSTRUMENTS_BY_YEAR, bindings={"lang": ox.Literal(lang)}).rows
    per_jurisdiction: dict[str, int] = {}
    counts: dict[tuple[int, str], int] = {}
    iris: dict[str, str] = {}
    for j, label, year in rows:
        name = label.value if label is not None else j.value.rpartition("/")[2]
        iris[name] = j.value
        per_jurisdiction[name] = per_jurisdiction.get(name, 0) + 1
        counts[(int(year.value), name)] = counts.get((int(year.value), name), 0) + 1
    top = [name for name, _ in sorted(per_jurisdiction.items(), key=lambda kv: -kv[1])[:8]]
    other = "other" if lang == "en" else "其他"
    folded: dict[tuple[int, str], int] = {}
    for (year, name), n in counts.items():
        key = (year, name if name in top else other)
        folded[key] = folded.get(key, 0) + n
    series = top + ([other] if any(k[1] == other for k in folded) else [])
    title = "Instruments per year of first dated event, by jurisdiction" if lang == "en" else "各法域每年法律政策文件数量"
    classes = [(c.value, l.value, int(n.value)) for c, l, n in
               store.query(COUNTS_BY_CLASS, bindings={"lang": ox.Literal(lang)}).rows]
    jurisdictions = sorted(per_jurisdiction.items(), key=lambda kv: -kv[1])
    from ..browse import SLUG_OF

    base = "https://w3id.org/aigov/"
    links = {name: "/" + iri[len(base):] if iri.startswith(base) else iri for name, iri in iris.items()}
    lists = {iri: "/browse/" + SLUG_OF[iri.rpartition("#")[2]] for iri, _, _ in classes
             if iri.rpartition("#")[2] in SLUG_OF}
    from urllib.parse import urlencode

    def bar_link(year: int, name: str) -> str | None:
        if name not in iris:
            return None
        return "/browse/instruments?" + urlencode({"jurisdiction": iris[name], "year": year})

    return {"chart": timeline_svg(folded, series, title, link=bar_link), "classes": classes,
            "jurisdictions": jurisdictions,
            "jurisdiction_links": links, "class_lists": lists}


@bp.route("/ui")
def query_ui():
    return render_template("ui.html")


@bp.route("/ui/config.js")
def ui_config():
    """YASGUI's configuration as a script file (the CSP forbids inline scripts)."""
    config = {"endpoint": site_url() + "sparql", "prefixes": PREFIXES, "examples": _examples()}
    body = "window.AIGOV_UI = " + json.dumps(config, ensure_ascii=False) + ";\n"
    response = Response(body, mimetype="application/javascript")
    response.headers["Vary"] = "Accept-Language, Cookie"  # the examples' titles follow the page language
    return response


def _examples() -> list[dict]:
    from .queries import registry

    from ..i18n import page_language

    lang = page_language()
    return [{"name": q.name, "summary": q.title(lang), "query": q.text} for q in registry()]


@bp.route("/.well-known/void")
def void():
    ctx = context()
    return rdf_response(void_description(ctx.store, site_url(), ctx.settings["base_iri"]))


@bp.route("/dataset")
def dataset():
    return void()


DUMPS = {"ttl": "text/turtle", "nq": "application/n-quads", "jsonld": "application/ld+json"}


@bp.route("/dumps/aigov.<ext>")
def dump(ext: str):
    if ext not in DUMPS:
        raise NotFound(f"no dump in format {ext!r}; available: {', '.join('aigov.' + e for e in DUMPS)}")
    store = context().store
    body = _dump(store, store.version, ext, context_url())
    response = Response(body, content_type=CONTENT_TYPES[DUMPS[ext]])
    response.headers["Content-Disposition"] = f'attachment; filename="aigov-{store.version}.{ext}"'
    return response


@bp.route("/dumps/aigov-<release>.nq.gz")
def versioned_dump(release: str):
    """The release's N-Quads, gzipped (deterministic bytes: mtime 0), named after the code's semantic version."""
    body, _ = _release_dump(release, ".nq.gz")
    response = Response(body, content_type="application/gzip")
    response.headers["Content-Disposition"] = f'attachment; filename="aigov-{release}.nq.gz"'
    return response


@bp.route("/dumps/aigov-<release>.nq.gz.sha256")
def versioned_dump_checksum(release: str):
    _, digest = _release_dump(release, ".nq.gz.sha256")
    return Response(f"{digest}  aigov-{release}.nq.gz\n", content_type="text/plain; charset=utf-8")


def _release_dump(release: str, suffix: str) -> tuple[bytes, str]:
    """This server's release dump and its sha256; another release's name is a 404 naming ours."""
    if release != __version__:
        raise NotFound(f"this server publishes release {__version__}: /dumps/aigov-{__version__}{suffix}")
    return _gzipped(context().store)


def _gzipped(store) -> tuple[bytes, str]:
    return _gzip_dump(store, store.version)


@lru_cache(maxsize=2)
def _gzip_dump(store, version: str) -> tuple[bytes, str]:
    import gzip
    import hashlib

    body = gzip.compress(_dump(store, version, "nq", ""), mtime=0)  # N-Quads need no JSON-LD context
    return body, hashlib.sha256(body).hexdigest()


@lru_cache(maxsize=3)
def _dump(store, version: str, ext: str, context: str) -> bytes:
    if ext == "nq":
        rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return graph_bytes([ox.Quad(s, p, o, g) for s, p, o, g in rows], "application/n-quads")
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples
    return graph_bytes(triples, DUMPS[ext], context)


@bp.route("/context.jsonld")
def jsonld_context():
    """The JSON-LD @context every JSON-LD document of this server refers to (prefixes.py's table)."""
    body = json.dumps(context_document(), indent=2, ensure_ascii=False)
    response = Response(body, content_type="application/ld+json; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def precompute(store) -> None:
    """Compute the per-build figures (triple count, VoID statistics, home page) once, in the process that loaded
    the store, before it forks: the workers and query children inherit the answers. Computed lazily in each worker
    instead, their full scans would copy-on-write most of the store's pages into every worker (measured at 1M
    triples: +290 MiB per worker for the triple count alone)."""
    _triples(store, store.version)
    statistics(store)
    for lang in ("en", "zh"):
        _home_model(store, store.version, lang)


@bp.route("/health")
def health():
    ctx = context()
    store = ctx.store
    evaluators = ctx.evaluators()
    running = evaluators is None or evaluators.running()
    body = {"status": "ok" if running else "degraded", "version": store.version,
            "triples": _triples(store, store.version), "store": "remote" if ctx.settings.get("store") else "embedded",
            "evaluators": "in-process" if evaluators is None else "running" if running else "stopped",
            "release": __version__, "data_version": data_version(getattr(store, "manifest", {}))}
    return jsonify(body), 200 if running else 503  # the worker is being replaced, with a new zygote


@lru_cache(maxsize=4)
def _triples(store, version: str) -> int:
    """Counted once per build: the data cannot change between builds, and counting costs ~90 ms at 1M triples."""
    return store.triple_count()


@bp.route("/metrics")
def metrics():
    body, content_type = exposition()
    return Response(body, content_type=content_type)
