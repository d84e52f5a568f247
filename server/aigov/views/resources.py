"""Dereferenceable IRIs: /id/... and /ontology answer 303 See Other to a document about the resource,
/page/... (HTML) or /data/....{ttl,jsonld,rdf,nt} (RDF), chosen by Accept (or format=). One pattern everywhere:
the identifier names the thing, the documents describe it (the Cool URIs / Pubby / DBpedia pattern)."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from .. import context
from ..charts import neighbourhood_svg
from ..describe import compact, describe_triples, graph_triples, page_model
from ..errors import BadRequest, NotFound
from ..negotiation import ALIASES
from ..prefixes import PREFIXES
from ..serializers import graph_bytes
from .common import alternates_link, context_url, local_path, rdf_response, see_other

bp = Blueprint("resources", __name__)

MAX_IRI_PATH = 512
ONTOLOGY = "ontology"


def _iri(local: str) -> str:
    if len(local) > MAX_IRI_PATH:
        raise BadRequest(f"the resource path is longer than {MAX_IRI_PATH} characters")
    iri = context().settings["base_iri"] + local
    try:
        ox.NamedNode(iri)  # pyoxigraph's RFC 3987 check: '[' outside a host, spaces, controls ...
    except ValueError as e:
        raise BadRequest(f"the resource path is not part of a valid IRI: {e}") from None
    return iri


def _exists(iri: str) -> bool:
    store = context().store
    return store.query("ASK WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": ox.NamedNode(iri)}).boolean


@bp.route("/id/<path:local>")
def identifier(local: str):
    iri = _iri("id/" + local)
    if not _exists(iri):
        raise NotFound(f"<{iri}> is not in the graph: see /queries, the query UI at /ui or the home page /")
    return see_other(f"/page/id/{local}", f"/data/id/{local}")


@bp.route("/ontology")
def ontology():
    return see_other(f"/page/{ONTOLOGY}", f"/data/{ONTOLOGY}")


@bp.route("/ontology/<path:version>")
def ontology_version(version: str):
    """A version IRI the ontology states (owl:versionIRI, e.g. /ontology/0.2.0): the same documents as /ontology."""
    store = context().store
    iri = _iri(f"{ONTOLOGY}/{version}")
    stated = store.query("ASK WHERE { ?ontology <http://www.w3.org/2002/07/owl#versionIRI> ?v }",
                         bindings={"v": ox.NamedNode(iri)}).boolean
    if not stated:
        raise NotFound(f"<{iri}> is not a version of the ontology served here: see /ontology")
    return see_other(f"/page/{ONTOLOGY}", f"/data/{ONTOLOGY}")


@bp.route("/page/<path:local>")
def page(local: str):
    ctx = context()
    lang = _page_language()
    if local == ONTOLOGY:
        return _ontology_page(lang)
    iri = _iri(local)

    def render() -> tuple[bytes]:
        model = page_model(ctx.store, iri, lang)
        jsonld = graph_bytes(describe_triples(ctx.store, iri), "application/ld+json", context_url()).decode("utf-8")
        box, overview, cite = _summary(ctx.store, iri, model, lang)
        return (render_template("page.html", page=model, lang=lang, local=local, jsonld=_script_safe(jsonld),
                                base_iri=ctx.settings["base_iri"], local_path=local_path, box=box,
                                overview=overview, cite=cite,
                                diagram=_neighbourhood(model, lang, ctx.settings["base_iri"])).encode("utf-8"),)

    key = (ctx.store.version, "page", iri, lang, context_url())
    (body,) = current_app.extensions["aigov-cache"].get_or_compute(key, render)
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept-Language"
    response.headers["Content-Language"] = lang
    response.headers["Link"] = alternates_link(f"/data/{local}")
    return response


def _summary(store, iri: str, model, lang: str):
    """The infobox, a jurisdiction's overview and the "cite this" line of a resource page."""
    from ..infobox import infobox, jurisdiction_overview
    from .queries import citation

    box = infobox(store, iri, lang)
    is_jurisdiction = any(t.term.value == "https://w3id.org/aigov/ontology#Jurisdiction" for t in model.types)
    overview = jurisdiction_overview(store, iri, lang) if is_jurisdiction else None
    return box, overview, {**citation(), "sections": box.sections[:3]}


@bp.route("/data/<path:local>")
def data(local: str):
    stem, dot, ext = local.rpartition(".")
    if dot and ext in ALIASES:
        local, extension = stem, ext
    else:
        extension = None
    if local == ONTOLOGY:
        triples = graph_triples(context().store, "ontology")
    else:
        triples = describe_triples(context().store, _iri(local))
    response = rdf_response(triples, extension=extension)
    response.headers["Link"] = f'<{context().settings["base_iri"]}{local}>; rel="describes", ' + alternates_link(
        f"/data/{local}")
    return response


@bp.route("/graph/<name>")
def named_graph(name: str):
    store = context().store
    if name not in store.graph_iris:
        raise NotFound(f"there is no graph named {name!r}; the graphs are: {', '.join(store.graph_iris)}")
    return rdf_response(graph_triples(store, name))


def _neighbourhood(model, lang: str, base_iri: str) -> str | None:
    """The SVG of the resource's one-hop neighbourhood by relation kind, or None when the report relates it to nothing."""
    if not model.relations:
        return None
    title = ("Relations of " if lang == "en" else "关系:") + model.title(lang)
    return neighbourhood_svg(model.title(lang), [(r.direction, r.label, r.other, r.other_label, r.likeness)
                                                 for r in model.relations],
                             lambda iri: local_path(iri, base_iri), title)


def _page_language() -> str:
    from ..i18n import page_language

    return page_language()


def _script_safe(text: str) -> str:
    """JSON inside <script>: with <, > and & as JSON escapes nothing can close the element or open a comment."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


ONTOLOGY_TERMS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?kind ?label ?definition
  (GROUP_CONCAT(DISTINCT STR(?super); SEPARATOR=" ") AS ?supers)
  (GROUP_CONCAT(DISTINCT STR(?domain); SEPARATOR=" ") AS ?domains)
  (GROUP_CONCAT(DISTINCT STR(?range); SEPARATOR=" ") AS ?ranges)
WHERE {
  GRAPH ?g { ?term rdfs:isDefinedBy <https://w3id.org/aigov/ontology> ; a ?kind ; rdfs:label ?label }
  FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty) && LANG(?label) = ?lang)
  OPTIONAL { GRAPH ?g { ?term skos:definition ?definition FILTER(LANG(?definition) = "en") } }
  OPTIONAL { GRAPH ?g { ?term rdfs:subClassOf|rdfs:subPropertyOf ?super } }
  OPTIONAL { GRAPH ?g { ?term rdfs:domain ?domain } }
  OPTIONAL { GRAPH ?g { ?term rdfs:range ?range } }
} GROUP BY ?term ?kind ?label ?definition ORDER BY ?kind ?term"""


def _linked(iris) -> list[dict]:
    """Space-separated IRIs as prefixed names (prov:Agent, never a bare Agent) with where each links to."""
    own = "https://w3id.org/aigov/ontology#"
    return [{"name": compact(i), "href": "#" + i[len(own):] if i.startswith(own) else i}
            for i in (iris.value.split() if iris else [])]


def _ontology_page(lang: str):
    store = context().store
    rows = store.query(ONTOLOGY_TERMS, bindings={"g": ox.NamedNode(store.graph_iris["ontology"]),
                                                 "lang": ox.Literal(lang)}).rows
    terms = [{"iri": t.value, "anchor": t.value.rpartition("#")[2], "name": compact(t.value),
              "kind": k.value.rpartition("#")[2], "label": l.value, "definition": d.value if d else "",
              "supers": _linked(s), "domains": _linked(dm), "ranges": _linked(r)} for t, k, l, d, s, dm, r in rows]
    body = render_template("ontology.html", terms=terms, lang=lang, prefixes=PREFIXES)
    response = Response(body, mimetype="text/html")
    response.headers["Vary"] = "Accept-Language"
    response.headers["Link"] = alternates_link("/data/ontology")
    return response
