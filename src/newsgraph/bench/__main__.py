"""``python -m newsgraph.bench [--shared DIR] [--n 10000] [--big] [--only NAME...] [--quick]``."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsgraph.bench import new_bench, run_bench, write_results
from newsgraph.bench.measures import MEASURES

console = Console()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.bench", description=__doc__)
    parser.add_argument("--shared", type=Path, default=None, help="the shared folder (benchmarks/ inside)")
    parser.add_argument("--n", type=int, default=10_000, help="synthetic corpus size (default 10000)")
    parser.add_argument("--big", action="store_true", help="also grow to 10 × n (100k by default)")
    parser.add_argument("--only", nargs="+", choices=sorted(MEASURES), default=[], help="run only these")
    parser.add_argument("--quick", action="store_true", help="smoke test: n=200, small repeats")
    parser.add_argument("--output", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--workdir", type=Path, default=None, help="where the stores go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--watch-duration", type=float, default=None,
                        help="seconds of the watch soak (default 3600; --quick 30)")
    return parser


def _headline(result: dict) -> str:
    if "headline" in result:
        return str(result["headline"])
    if "error" in result or "skipped" in result:
        return str(result.get("error") or result.get("skipped"))[:200]
    parts = []
    for name, sub in result.items():  # the quality evals: one line per scorer
        if isinstance(sub, dict):
            parts.append(f"{name}: {_short(sub)}")
    return "\n".join(parts)


def _short(sub: dict) -> str:
    if "skipped" in sub or "error" in sub:
        return str(sub.get("skipped") or sub.get("error"))[:120]
    numbers = {k: v for k, v in _flat(sub).items() if isinstance(v, float) and k.split(".")[-1] in
               ("f1", "accuracy", "conll", "conll_f1", "value_f1", "strict_f1", "relaxed_f1", "event_accuracy")}
    shown = list(numbers.items())[:6]
    return ", ".join(f"{k} {v}" for k, v in shown) or "done (see results.json)"


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def _status(result: dict) -> str:
    return "[red]failed" if "error" in result else "[yellow]skipped" if "skipped" in result else "[green]ok"


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    shared = args.shared if args.shared and args.shared.is_dir() else None
    if args.shared and shared is None:
        console.print(f"[yellow]{args.shared} not found: the quality evals are skipped")
    bench = new_bench(shared, args.n, args.big, args.quick, args.workdir)
    if args.watch_duration is not None:
        bench.watch_duration = args.watch_duration
    console.print(f"newsgraph bench: n={bench.n}{' (quick)' if bench.quick else ''}, work folder {bench.workdir}")
    results = run_bench(bench, args.only,
                        report=lambda name, r: console.print(f"{name}: {_status(r)}[/] {r['seconds']}s"))
    table = Table(title=f"newsgraph bench ({results['date']}, {results['machine'].get('cpu')}, "
                        f"{results['machine']['cores']} cores)")
    for column in ("measure", "status", "seconds", "result"):
        table.add_column(column)
    for name, result in results["measures"].items():
        table.add_row(name, _status(result), str(result["seconds"]), _headline(result))
    console.print(table)
    console.print(f"wrote {write_results(results, args.output)}")
    if not args.keep and args.workdir is None:
        shutil.rmtree(bench.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
