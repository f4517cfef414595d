"""``newsgraph brief``: the cited brief of one story (or of every story) as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def brief(
    db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")] = Path("newsgraph.duckdb"),
    story: Annotated[str | None, typer.Option("--story", help="Story id; every story when left out.")] = None,
    format: Annotated[str, typer.Option("--format", help="md or html")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; stdout when left out.")] = None,
) -> None:
    """Write a brief in which every sentence cites its sources."""
    from newsgraph.archive import Archive
    from newsgraph.outputs.brief import build_brief, build_briefs, render_html, render_markdown

    if format not in ("md", "html"):
        raise typer.BadParameter(f"unknown format {format!r}; supported: md, html", param_hint="--format")
    with Archive(db, read_only=True) as archive:
        if story is not None and archive.con.execute("SELECT 1 FROM stories WHERE id = ?", [story]).fetchone() is None:
            raise typer.BadParameter(f"no story {story!r} in {db}", param_hint="--story")
        briefs = [build_brief(archive, story)] if story else build_briefs(archive)
    if not briefs:
        raise typer.BadParameter(f"{db} holds no documents", param_hint="--db")
    text = render_html(briefs) if format == "html" else render_markdown(briefs)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output} ({len(briefs)} {'brief' if len(briefs) == 1 else 'briefs'})", err=True)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
