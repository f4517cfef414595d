"""``newsgraph relations``: monthly PLOVER event counts and a cooperation–conflict score per pair of states."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer

_CSV_FIELDS = ("pair", "month", "plover", "quad", "cooperative", "conflictual", "weight", "score", "month_score",
               "events")


def _table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("pair", "month", "PLOVER", "quad", "coop.", "confl.", "score", "month score",
                  title="Country-pair relations")
    for r in rows:
        table.add_row(r["pair"], r["month"], r["plover"], (r["quad"] or "").replace("_cooperation", " coop.").replace("_conflict", " confl."),
                      str(r["cooperative"]), str(r["conflictual"]), f"{r['score']:+.1f}", f"{r['month_score']:+.2f}")
    Console().print(table)


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow(r | {"events": " ".join(r["events"])})
    return buffer.getvalue()


def relations(
    db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")] = Path("newsgraph.duckdb"),
    pair: Annotated[str | None, typer.Option("--pair", help="Two ISO3 codes, e.g. ITA-JPN.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
) -> None:
    """Relations between pairs of states, month by month (weights: kb/plover.yaml, docs/brief.md)."""
    from newsgraph.archive import Archive
    from newsgraph.outputs.relations import country_pair_relations, normalise_pair

    if format not in ("table", "json", "csv"):
        raise typer.BadParameter(f"unknown format {format!r}; supported: table, json, csv", param_hint="--format")
    if pair is not None:
        try:
            pair = normalise_pair(pair)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--pair") from exc
    with Archive(db, read_only=True) as archive:
        rows = country_pair_relations(archive.con, pair=pair)
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif format == "csv":
        typer.echo(_csv(rows), nl=False)
    else:
        _table(rows)


def register(app: typer.Typer) -> None:
    app.command("relations")(relations)
