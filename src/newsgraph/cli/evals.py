"""``newsgraph eval ...``: one command per public benchmark; each prints JSON and can save it."""


import importlib
import json
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="Score newsgraph against public gold data (read from ../shared/benchmarks).",
                       no_args_is_help=True)

# command name → module under newsgraph.eval exposing evaluate(bench_dir) -> dict
SCORERS = {
    "article-extraction": "article_extraction",
    "tempeval3": "tempeval3",
    "plover": "plover",
    "meantime": "meantime",
    "ecbplus": "ecbplus",
    "event-dates": "event_dates",
    "languages": "languages",  # the article-extraction folder: pages + our own items, docs/languages.md
    "polnear": "polnear",
}

OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Also write the JSON result here.")]


def _run(module: str, bench_dir: Path, output: Path | None) -> None:
    if not bench_dir.is_dir():
        raise typer.BadParameter(f"{bench_dir}: not a directory", param_hint="BENCH_DIR")
    scorer = importlib.import_module(f"newsgraph.eval.{module}")
    result = scorer.evaluate(bench_dir)
    text = json.dumps(result, indent=1, default=str)
    typer.echo(text)
    for line in result.get("headline", []):  # the scorer's one-line summaries, after the JSON
        typer.echo(line)
    if output:
        output.write_text(text, encoding="utf-8")


def _register(name: str, module: str) -> None:
    def command(
        bench_dir: Annotated[Path, typer.Argument(help=f"The {name} benchmark folder.")],
        output: OutputOption = None,
    ) -> None:
        _run(module, bench_dir, output)

    command.__doc__ = f"Score against the {name} gold data."
    eval_app.command(name)(command)


for _name, _module in SCORERS.items():
    _register(_name, _module)


@eval_app.command("stories")
def stories(
    folder: Annotated[Path, typer.Argument(help="A folder of .txt articles; the gold group is the file name "
                                                "up to its first '.'.")],
    sidecar: Annotated[Path | None, typer.Option(help="JSONL keyed by 'file': story / topic gold, metadata.")] = None,
    store: Annotated[Path | None, typer.Option(help="Keep the analysed store here (reused when it exists).")] = None,
    output: OutputOption = None,
) -> None:
    """Score stories and topics on any folder of articles: pairwise P/R/F1, B³ F1, cluster counts."""
    from newsgraph.eval.stories_dir import evaluate

    if not folder.is_dir():
        raise typer.BadParameter(f"{folder}: not a directory", param_hint="FOLDER")
    try:
        result = evaluate(folder, sidecar=sidecar, store=store)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="FOLDER") from exc
    text = json.dumps(result, indent=1, default=str)
    typer.echo(text)
    if output:
        output.write_text(text, encoding="utf-8")
