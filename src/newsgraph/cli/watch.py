"""``newsgraph watch CONFIG.yaml --db FILE [--once]``: follow feeds, sitemaps and folders (docs/watch.md)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def watch(
        config: Annotated[Path, typer.Argument(help="The watch configuration (YAML; docs/watch.md).")],
        db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")] = Path("newsgraph.duckdb"),
        once: Annotated[bool, typer.Option(help="Run one round (every source polled) and exit.")] = False,
        rounds: Annotated[int | None, typer.Option(help="Stop after this many rounds.", min=1)] = None,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each request too.")] = False,
    ) -> None:
        """Poll feeds, news sitemaps and folders; ingest what is new; raise alerts. Stops on Ctrl-C / SIGTERM."""
        from newsgraph.watch import ConfigError, Watch, load_config

        logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if not verbose:
            logging.getLogger("httpx").setLevel(logging.WARNING)
        try:
            settings = load_config(config)
        except ConfigError as exc:
            typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
            raise typer.Exit(code=2) from None
        watcher = Watch(settings, db)
        watcher.install_signal_handlers()
        try:
            reports = watcher.run(once=once, max_rounds=rounds)
        finally:
            watcher.close()
        errors = sum(len(r.errors) for r in reports)
        typer.echo(f"{len(reports)} round(s): {sum(r.ingested for r in reports)} stored, "
                   f"{sum(r.alerts for r in reports)} alerts, {errors} source errors (logged above)")
