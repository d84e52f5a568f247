"""An OpenAPI 3 description of the saved-query API, generated from the queries' decorators."""
from __future__ import annotations

from .version import __version__

SCHEMA_TYPES = {"iri": {"type": "string", "format": "iri"}, "integer": {"type": "integer"},
                "decimal": {"type": "number"}, "boolean": {"type": "boolean"},
                "xsd_date": {"type": "string", "format": "date"},
                "xsd_gYear": {"type": "string", "pattern": "^[0-9]{4}$"}, "literal": {"type": "string", "maxLength": 500}}

SPARQL_JSON = {
    "type": "object", "required": ["head"],
    "properties": {"head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}},
}
ERROR = {"description": "A parameter is missing, unknown or of the wrong type (the message names it).",
         "content": {"text/plain": {"schema": {"type": "string"}}}}


def _parameter(p, members=None) -> dict:
    schema = dict(SCHEMA_TYPES[p.type])
    if p.enum:
        schema = {"type": "string", "enum": list(p.enum)}
    iris = members(p) if members and p.type == "iri" else None
    if iris:
        # the canonical values; a name, slug or prefixed name naming one of them is accepted too
        schema = {"type": "string", "enum": sorted(set(iris) | ({p.default} if p.default else set()))}
    if p.default is not None:
        schema["default"] = p.default
    optional = not (p.required and p.default is None)
    out = {"name": p.name, "in": "query", "required": not optional, "schema": schema,
           "description": f"{p.type} value bound to ?{p.variable}" + ("; empty means the default" if optional else "")
                          + ("; an IRI of the listed resources, or a name, slug or prefixed name naming exactly one"
                             if iris else "")}
    if optional:
        out["allowEmptyValue"] = True  # the HTML form sends empty fields; empty means "use the default"
    return out


def openapi_document(registry, server_url: str, members=None) -> dict:
    """``members(parameter)`` lists the IRIs an IRI parameter may take (the resources of its class)."""
    paths = {
        "/queries.json": {"get": {
            "operationId": "listQueries", "summary": "List the saved queries",
            "responses": {"200": {"description": "Every saved query with its parameters",
                                  "content": {"application/json": {"schema": {"type": "array", "items": {
                                      "type": "object", "required": ["name", "summary", "description", "tags",
                                                                     "parameters"]}}}}}}}},
    }
    for q in registry:
        content = ({"text/turtle": {"schema": {"type": "string"}}, "application/ld+json": {"schema": {}}}
                   if q.kind == "graph" else
                   {"application/sparql-results+json": {"schema": SPARQL_JSON},
                    "text/csv": {"schema": {"type": "string"}},
                    "text/tab-separated-values": {"schema": {"type": "string"}}})
        paths[f"/queries/{q.name}"] = {"get": {
            "operationId": q.name.replace("-", "_"), "summary": q.summary, "description": q.description,
            "tags": list(q.tags), "parameters": [_parameter(p, members) for p in q.parameters],
            "responses": {"200": {"description": "The query's results", "content": content}, "400": ERROR,
                          "406": {"description": "No acceptable format",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}},
                          "429": {"description": "Too many requests from this client; see Retry-After",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}},
                          "503": {"description": "The query ran past the time limit, or the server is busy",
                                  "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
    return {"openapi": "3.0.3",
            "info": {"title": "aigov saved queries", "version": __version__,
                     "description": "Saved SPARQL questions over the AI governance knowledge graph "
                                    "(source: CAICT, 来源:中国信息通信研究院)."},
            "servers": [{"url": server_url.rstrip("/")}], "paths": paths}
