"""The `aigov` command: a thin skin over library calls. ``main(argv) -> int``.

Exit codes: 0 ok; 1 not conformant or not found; 2 usage, parse or runtime error.
"""
from __future__ import annotations

import sys

import click

from .errors import AigovError, NotConformant
from .settings import load_settings


def _settings(ctx: click.Context, **overrides) -> dict:
    return load_settings({**ctx.obj, **overrides})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", default=None, help="Project directory (ontology/, graph/, shapes/, queries/). Env: AIGOV_ROOT.")
@click.option("--instance", default=None, help="Artefact directory, relative to root. Env: AIGOV_INSTANCE.")
@click.pass_context
def cli(ctx: click.Context, root: str | None, instance: str | None) -> None:
    """aigov: the AI governance knowledge graph (build, validate, serve, query)."""
    ctx.obj = {"root": root, "instance": instance}


@cli.command()
@click.option("--force", is_flag=True, help="Rebuild even if no input changed.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> None:
    """Parse, validate, reason and write the artefact (skipped when no input changed)."""
    from .pipeline import build as run_build

    result = run_build(_settings(ctx), force=force)
    m = result.artefact.manifest
    if result.skipped:
        click.echo(f"up to date: build {m['version']} ({m['built']})")
    else:
        steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        click.echo(f"built {m['version']}: {steps}")
        if result.report and result.report.results:
            click.echo(f"SHACL {result.report.summary()}")
            for r in result.report.results:
                click.echo(f"  {r}")
    for name, g in m["graphs"].items():
        click.echo(f"  {name:9} {g['triples']:>7} triples  <{g['iri']}>")


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Parse and SHACL-validate the sources; print every result. Exit 1 on any violation."""
    from .pipeline import check

    settings = _settings(ctx)
    report, timings = check(settings["root"], settings["report"])
    for r in report.results:
        click.echo(str(r))
    click.echo(f"{report.summary()} ({', '.join(f'{k} {v:.1f}s' for k, v in timings.items())})")
    if not report.conforms:
        raise NotConformant(report.summary(), report)


@cli.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Counts per class and per jurisdiction in the built graph."""
    from .pipeline.artefact import read_artefact
    from .stats import compute_stats
    from .store.embedded import EmbeddedStore

    settings = _settings(ctx)
    store = EmbeddedStore.from_artefact(read_artefact(settings["instance"]), settings["base_iri"])
    result = compute_stats(store)
    click.echo(f"build {store.version}: {result['triples']} triples")
    click.echo("\nclass                               instances")
    for label, n in result["classes"]:
        click.echo(f"  {label:34} {n:>6}")
    click.echo("\njurisdiction                        instruments")
    for label, n in result["jurisdictions"]:
        click.echo(f"  {label:34} {n:>6}")


def _open(settings: dict, endpoint: str | None):
    """The store a query command talks to: a SPARQL endpoint when given, else the embedded build."""
    from .store import open_store

    if endpoint:
        settings = {**settings, "store": endpoint}
    return open_store(settings)


def _registry(settings: dict):
    from .canned import Registry

    return Registry.load(settings["root"] / "queries")


def _print_result(result, fmt: str) -> None:
    from .serializers import serialize
    from .tables import text_table

    if fmt == "table":
        click.echo(text_table(result))
        return
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/sparql-results+json",
             "xml": "application/sparql-results+xml", "ttl": "text/turtle", "nt": "application/n-triples",
             "jsonld": "application/ld+json"}[fmt]
    if result.kind == "graph" and media.startswith(("text/csv", "text/tab", "application/sparql")):
        media = "text/turtle"
    click.echo(serialize(result, media).decode("utf-8"), nl=False)
    if result.truncated:
        click.echo(f"warning: results truncated at {len(result.rows)} rows", err=True)


FORMATS = click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"])


@cli.command("queries")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON, as /queries.json does.")
@click.pass_context
def list_queries(ctx: click.Context, as_json: bool) -> None:
    """List the saved queries with their parameters."""
    import json

    registry = _registry(_settings(ctx))
    if as_json:
        click.echo(json.dumps([q.as_dict() for q in registry], ensure_ascii=False, indent=2))
        return
    for q in registry:
        params = " ".join(f"{p.name}={p.default}" if p.default else f"{p.name}:{p.type}" for p in q.parameters)
        click.echo(f"{q.name}\n    {q.summary}" + (f"\n    parameters: {params}" if params else ""))


@cli.command("query")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter value (repeatable).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--endpoint", default=None, help="Run against this SPARQL endpoint instead of the embedded build.")
@click.pass_context
def query_command(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, endpoint: str | None) -> None:
    """Run the saved query NAME (see `aigov queries`)."""
    from .canned import run
    from .errors import UsageError

    settings = _settings(ctx)
    args = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--param expects KEY=VALUE, not {item!r}")
        args[key] = value
    saved = _registry(settings).get(name)
    with _progress(f"running {name}"):
        result = run(_open(settings, endpoint), saved, args, settings["base_iri"], settings["max_rows"])
    _print_result(result, fmt)


@cli.command("sparql")
@click.argument("query", required=False)
@click.option("--file", "-f", "path", type=click.Path(exists=True, dir_okay=False), help="Read the query from a file ('-' for stdin).")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--endpoint", default=None, help="Run against this SPARQL endpoint instead of the embedded build.")
@click.pass_context
def sparql_command(ctx: click.Context, query: str | None, path: str | None, fmt: str, endpoint: str | None) -> None:
    """Run an ad hoc SPARQL query given as QUERY or --file; inst:, aigov: ... need no PREFIX line."""
    from pathlib import Path

    from .errors import UsageError

    if (query is None) == (path is None):
        raise UsageError("give the query as an argument or with --file, not both")
    text = query if path is None else Path(path).read_text(encoding="utf-8")
    settings = _settings(ctx)
    from .errors import BadRequest
    from .prefixes import original_position, with_known_prefixes

    with _progress("querying"):
        try:  # the same predefined prefixes as /sparql (inst:, aigov: ...)
            result = _open(settings, endpoint).query(with_known_prefixes(text), max_rows=settings["max_rows"])
        except BadRequest as e:
            raise BadRequest(original_position(e.message)) from None
    _print_result(result, fmt)


class _progress:
    """A one-line spinner on stderr for commands that may take a while (only on a terminal)."""

    def __init__(self, label: str):
        self.label = label
        self.thread = None

    def __enter__(self):
        import threading

        if sys.stderr.isatty():
            self.stop = threading.Event()
            self.thread = threading.Thread(target=self._spin, daemon=True)
            self.thread.start()
        return self

    def _spin(self):
        import itertools

        for ch in itertools.cycle("|/-\\"):
            if self.stop.wait(0.1):
                break
            sys.stderr.write(f"\r{self.label} {ch}")
            sys.stderr.flush()
        sys.stderr.write("\r" + " " * (len(self.label) + 2) + "\r")

    def __exit__(self, *exc):
        if self.thread:
            self.stop.set()
            self.thread.join()
        return False


@cli.command()
@click.option("--to", "to", required=True, help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store.")
@click.option("--user", default=None, help="user:password for stores that need authentication (digest).")
@click.pass_context
def publish(ctx: click.Context, to: str, user: str | None) -> None:
    """Load the built artefact into a remote store, replacing each named graph (SPARQL 1.1 Graph Store Protocol)."""
    from requests.auth import HTTPDigestAuth

    from .pipeline.artefact import read_artefact
    from .publish import publish as run_publish

    from .errors import UsageError

    if user is not None and ":" not in user:
        raise UsageError("--user expects user:password")
    auth = HTTPDigestAuth(*user.split(":", 1)) if user else None
    artefact = read_artefact(_settings(ctx)["instance"])
    for graph, n in run_publish(artefact, to, auth).items():
        click.echo(f"  {n:>7} triples -> <{graph}>")
    click.echo(f"published build {artefact.version} to {to}")


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1). Env: AIGOV_HOST.")
@click.option("--port", type=int, default=None, help="Port to bind (default 8000). Env: AIGOV_PORT.")
@click.option("--workers", type=int, default=None, help="gunicorn worker processes (default 2). Env: AIGOV_WORKERS.")
@click.option("--store", default=None, help="Serve a remote SPARQL endpoint instead of the build. Env: AIGOV_STORE.")
@click.option("--no-build", is_flag=True, help="Serve the current artefact without checking the sources first.")
@click.option("--allow-update", is_flag=True, default=None,
              help="Accept SPARQL Update with the bearer token in AIGOV_UPDATE_TOKEN (in memory; one worker).")
@click.pass_context
def serve(ctx: click.Context, host, port, workers, store, no_build: bool, allow_update) -> None:
    """Serve the SPARQL endpoint, linked-data pages and query UI (builds first if a source changed)."""
    from .serve import serve as run_server

    settings = _settings(ctx, host=host, port=port, workers=workers, store=store, allow_update=allow_update)
    if not no_build and not settings["store"] and (settings["root"] / "ontology").is_dir():
        from .pipeline import build as run_build

        result = run_build(settings)
        click.echo(("up to date: build " if result.skipped else "built ") + result.artefact.version, err=True)
    if not _is_loopback(settings["host"]):
        click.echo(f"warning: serving on {settings['host']}, a non-loopback address: gunicorn has no header-read "
                   "timeout, so put aigov behind a reverse proxy such as nginx (see README, Deploying)", err=True)
    run_server(settings)


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="aigov", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 2
    except NotConformant as e:
        click.echo(f"error: {e.message}", err=True)
        return e.exit_code
    except AigovError as e:
        click.echo(f"error: {e.message}", err=True)
        return e.exit_code
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
