"""One table of settings. It feeds the CLI flags, the ``AIGOV_*`` environment variables and the README.

Precedence: explicit overrides (flags, test fixtures) > environment > default.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .bundle import default_root


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return f"AIGOV_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("root", "", "Project directory holding ontology/, graph/, shapes/ and queries/; empty: the current directory if it holds ontology/, else the graph bundled in the installed package."),
    Setting("instance", "instance", "Directory of the build artefact (kg.nq, manifest.json), relative to root."),
    Setting("report", "../shared/report/ai-law-policy-landscape-2025.zh.txt",
            "The source report's text, relative to root; when the file exists the build fails on a relation quote not in it."),
    Setting("base_iri", "https://w3id.org/aigov/", "Base of every IRI the graph mints; served by path on any host."),
    Setting("host", "127.0.0.1", "Address `aigov serve` binds to."),
    Setting("port", 8000, "Port `aigov serve` binds to.", int),
    Setting("workers", 2, "gunicorn worker processes for `aigov serve`.", int),
    Setting("store", "", "SPARQL endpoint URL to serve from instead of the embedded Oxigraph store."),
    Setting("query_timeout", 30.0, "Per-query time limit in seconds; an ad-hoc query past it is stopped (503).", float),
    Setting("evaluators", 4, "Ad-hoc SPARQL queries one worker evaluates at once, each in a child process forked from the loaded store (so a runaway can be killed; 0: in the worker, unkillable).", int),
    Setting("client_concurrency", 2, "Ad-hoc queries one client address may have running or waiting in one worker; more are answered 503 with Retry-After at once.", int),
    Setting("evaluator_memory", 1024, "Address space, in MiB, a query child may add to the loaded store's (RLIMIT_AS); past it the query is stopped (503). 0: no limit.", int),
    Setting("max_result_bytes", 33554432, "Largest ad-hoc result body, in bytes; a bigger result is cut to the rows that fit and flagged (X-Aigov-Truncated: max-bytes). 0: no limit.", int),
    Setting("max_query_bytes", 65536, "Largest SPARQL query accepted, in bytes (413 beyond).", int),
    Setting("service_allow", (), "Comma-separated SPARQL endpoints that SERVICE may call (public addresses only; empty: SERVICE refused).",
            lambda s: tuple(u.strip() for u in s.split(",") if u.strip())),
    Setting("allow_update", False, "Accept SPARQL Update with the bearer token AIGOV_UPDATE_TOKEN (in memory only; forces 1 worker, no evaluators).",
            lambda s: s.strip().lower() in ("1", "true", "yes", "on")),
    Setting("update_token", "", "The bearer token that authorises updates when allow_update is on; set it in the environment, not on a command line."),
    Setting("result_cache_bytes", 67108864, "Bytes of ad-hoc query answers each worker keeps to answer repeated queries without evaluating (X-Aigov-Cache: hit); 0: off.", int),
    Setting("client_budget", 60.0, "Seconds of ad-hoc query evaluation one client address may use per minute in a worker (429 with Retry-After beyond; 0: off).", float),
    Setting("rate_limit", 0, "Requests per minute one client address may make to a worker (429 beyond; 0: off, the default: client_budget limits by cost instead).", int),
    Setting("public_url", "", "Public root URL of this deployment (e.g. https://aigov.example/); every absolute URL the server writes uses it. Empty: http://host:port/ of the bound address, or the forwarded scheme and host when trusted_proxies is set; never the request's Host header."),
    Setting("trusted_proxies", 0, "Reverse proxies in front of the server whose X-Forwarded-For/-Proto/-Host are believed (werkzeug ProxyFix; 0: forwarded headers are ignored).", int),
    Setting("max_rows", 10000, "Maximum result rows returned by a SELECT; beyond it results are truncated and say so.", int),
)

BY_NAME = {s.name: s for s in SETTINGS}


def load_settings(overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Resolve every setting: overrides, then AIGOV_* variables, then defaults. Unknown overrides are an error."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = set(overrides) - set(BY_NAME)
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for s in SETTINGS:
        if s.name in overrides:
            values[s.name] = overrides[s.name]
        elif s.env in environ:
            try:
                values[s.name] = s.parse(environ[s.env])
            except ValueError as e:
                from .errors import UsageError

                raise UsageError(f"{s.env}={environ[s.env]!r}: {e}") from e
        else:
            values[s.name] = s.default
    values["root"] = Path(values["root"]).resolve() if values["root"] else default_root()
    values["instance"] = (values["root"] / values["instance"]).resolve()
    values["report"] = (values["root"] / values["report"]).resolve() if values["report"] else None
    return values
