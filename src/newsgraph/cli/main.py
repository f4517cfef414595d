"""The ``newsgraph`` command: argument parsing and printing only; the work is done by the library."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from newsgraph.cli.evals import eval_app

app = typer.Typer(help="newsgraph: turn a pile of news articles into a sourced model of what happened.",
                  no_args_is_help=True, add_completion=False)
app.add_typer(eval_app, name="eval")
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB store file.")]


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=False)


def _summary_table(report) -> Table:
    table = Table(title="Ingest summary")
    table.add_column("outcome")
    table.add_column("count", justify="right")
    table.add_row("ingested", str(report.ingested))
    table.add_row("duplicate (linked to original)", str(report.duplicates))
    table.add_row("unchanged (already stored)", str(report.unchanged))
    if report.partial:
        table.add_row("kept with isolated failures (ingest_log 'partial')", str(report.partial))
    for reason, n in sorted(report.reasons().items()):
        table.add_row(f"rejected: {reason}", str(n))
    return table


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (searched recursively).")],
    db: DbOption = Path("newsgraph.duckdb"),
    meta: Annotated[Path | None, typer.Option(help="JSONL sidecar of url/title/outlet/author/published.")] = None,
    kb: Annotated[list[Path] | None, typer.Option("--kb", help="Extra knowledge-base directory.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input is rejected.")] = False,
) -> None:
    """Read, clean, dedupe, analyse and store articles."""
    from newsgraph.archive import Archive
    from newsgraph.settings import get_settings

    settings = get_settings()
    settings.kb_dirs.extend(kb or [])
    with Archive(db, settings=settings) as archive, _progress() as bar:
        task = bar.add_task("loading models", total=None)
        archive.context  # noqa: B018  (load models before the clock of the first batch starts)
        bar.update(task, description="ingesting")
        report = archive.ingest(paths, meta=meta, progress=lambda n: bar.advance(task, n))
        bar.update(task, description="done", total=bar.tasks[0].completed)
    console.print(_summary_table(report))
    for err in report.rejected:  # one line each, never wrapped, so it can be grepped
        err_console.print(f"[yellow]rejected[/] {escape(str(err))}", soft_wrap=True)
    if strict and report.rejected:
        raise typer.Exit(code=1)


@app.command()
def export(
    db: DbOption = Path("newsgraph.duckdb"),
    format: Annotated[str, typer.Option("--format", help="json, or another registered export format")] = "json",
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("export.json"),
) -> None:
    """Export the store: json (the documented contract, docs/export-schema.md) or another format."""
    from newsgraph.archive import Archive
    from newsgraph.outputs.formats import EXPORTERS

    if format not in EXPORTERS:
        raise typer.BadParameter(f"unknown format {format!r}; supported: {', '.join(sorted(EXPORTERS))}",
                                 param_hint="--format")
    with Archive(db, read_only=True) as archive:
        written = EXPORTERS[format](archive, output)
    console.print(f"wrote {written}")


@app.command()
def search(query: str, db: DbOption = Path("newsgraph.duckdb"), limit: int = 10) -> None:
    """Full-text search over the stored documents."""
    from newsgraph.archive import Archive

    with Archive(db, read_only=True) as archive:
        hits = archive.search(query, limit=limit)
    table = Table("score", "published", "outlet", "title")
    for hit in hits:
        table.add_row(f"{hit['score']:.2f}", str(hit["published"] or ""), hit["outlet"] or "", hit["title"] or "")
    console.print(table)


@app.command()
def overview(db: DbOption = Path("newsgraph.duckdb"), as_json: bool = False) -> None:
    """Counts and the most mentioned entities."""
    from newsgraph.archive import Archive

    with Archive(db, read_only=True) as archive:
        data = archive.overview()
    if as_json:
        console.print_json(json.dumps(data))
        return
    counts = Table("table", "rows", title="Store")
    for name, n in data["counts"].items():
        counts.add_row(name, str(n))
    top = Table("entity", "type", "mentions", title="Most mentioned")
    for row in data["top_entities"]:
        top.add_row(row["name"], row["type"], str(row["mentions"]))
    console.print(counts, top)


# Commands that live in their own modules (cli/<name>.py, each with ``register(app)``).
PLUGIN_COMMANDS = ("brief", "relations", "serve", "spark", "watch")
for _name in PLUGIN_COMMANDS:
    try:
        _module = importlib.import_module(f"newsgraph.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a face still being written: leave it out, never crash the CLI
        if _exc.name != f"newsgraph.cli.{_name}":
            raise
    else:
        _module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
