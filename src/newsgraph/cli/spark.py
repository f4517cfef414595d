"""``newsgraph spark ingest`` (per-document stages on Spark → Parquet) and ``newsgraph load`` (Parquet → store)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

spark_app = typer.Typer(help="Run the per-document stages on Apache Spark.", no_args_is_help=True)
console = Console()

KbOption = Annotated[list[Path] | None, typer.Option("--kb", help="Extra knowledge-base directory.")]


@spark_app.command("ingest")
def spark_ingest(
    inputs: Annotated[list[Path], typer.Argument(help="Folders, files, JSONL or Parquet of articles.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the Parquet tables.")],
    master: Annotated[str, typer.Option(help="Spark master URL.")] = "local[2]",
    meta: Annotated[Path | None, typer.Option(help="JSONL sidecar of url/title/outlet/author/published.")] = None,
    kb: KbOption = None,
) -> None:
    """Read, clean, dedupe and analyse articles on Spark; write Parquet tables in the store schema."""
    from newsgraph.settings import get_settings
    from newsgraph.spark.job import run

    settings = get_settings()
    settings.kb_dirs.extend(kb or [])
    report = run(inputs, output, master=master, meta=meta, settings=settings)
    table = Table("table", "rows", title=f"Parquet tables in {output}")
    for name, n in report.tables.items():
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"documents {report.documents} (duplicates {report.duplicates}), rejected {report.rejected}")


def load(
    directory: Annotated[Path, typer.Argument(help="Folder written by `newsgraph spark ingest`.")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")] = Path("newsgraph.duckdb"),
    kb: KbOption = None,
) -> None:
    """Insert Parquet tables into the store (skipping stored documents), then resolve across the corpus."""
    from newsgraph.archive import Archive
    from newsgraph.pipeline import finish
    from newsgraph.settings import get_settings
    from newsgraph.spark.rows import load as load_tables

    if not directory.is_dir():
        raise typer.BadParameter(f"{directory}: not a folder", param_hint="DIRECTORY")
    settings = get_settings()
    settings.kb_dirs.extend(kb or [])
    with Archive(db, settings=settings) as archive:
        report = load_tables(archive.con, directory, settings)
        finish(archive.con, archive.context)
    console.print(f"ingested {report.ingested}, duplicates {report.duplicates}, unchanged {report.unchanged}, "
                  f"rejected {report.rejected}")


def register(app: typer.Typer) -> None:
    app.add_typer(spark_app, name="spark")
    app.command("load")(load)
