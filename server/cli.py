"""The `aigov` command: a thin skin over library calls. ``main(argv) -> int``.

Exit codes: 0 ok; 1 not conformant or not found; 2 usage, parse or runtime error.
"""
from __future__ import annotations

import sys

import click

from .errors import AigovError, NotConformant
from .settings import SETTINGS, load_settings


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
    from .build import build as run_build

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
    from .build import check

    settings = _settings(ctx)
    report, timings = check(settings["root"])
    for r in report.results:
        click.echo(str(r))
    click.echo(f"{report.summary()} ({', '.join(f'{k} {v:.1f}s' for k, v in timings.items())})")
    if not report.conforms:
        raise NotConformant(report.summary(), report)


@cli.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Counts per class and per jurisdiction in the built graph."""
    from .build.artefact import read_artefact
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


@cli.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1). Env: AIGOV_HOST.")
@click.option("--port", type=int, default=None, help="Port to bind (default 8000). Env: AIGOV_PORT.")
@click.option("--workers", type=int, default=None, help="gunicorn worker processes (default 2). Env: AIGOV_WORKERS.")
@click.option("--store", default=None, help="Serve a remote SPARQL endpoint instead of the build. Env: AIGOV_STORE.")
@click.option("--no-build", is_flag=True, help="Serve the current artefact without checking the sources first.")
@click.pass_context
def serve(ctx: click.Context, host, port, workers, store, no_build: bool) -> None:
    """Serve the SPARQL endpoint, linked-data pages and query UI (builds first if a source changed)."""
    from .serve import serve as run_server

    settings = _settings(ctx, host=host, port=port, workers=workers, store=store)
    if not no_build and not settings["store"] and (settings["root"] / "ontology").is_dir():
        from .build import build as run_build

        result = run_build(settings)
        click.echo(("up to date: build " if result.skipped else "built ") + result.artefact.version, err=True)
    run_server(settings)


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
