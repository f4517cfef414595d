"""One function per measurement. Each takes the ``Bench`` (settings and shared state) and returns a dict.

The dicts are what ``bench/results.json`` holds; ``headline`` (a short line) is what the table prints.
docs/performance.md explains every figure and how it is measured.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.bench import stores, synthetic
from newsgraph.settings import SAMPLE_DIR, get_settings

# scorer module → its folder under benchmarks/ ("" = the benchmarks folder itself: plover's GOLD_FILE
# already names its sub-folder).
EVALS = {
    "article_extraction": "article-extraction",
    "tempeval3": "tempeval3",
    "plover": "",
    "meantime": "meantime",
    "event_dates": "meantime",
    "ecbplus": "ecbplus",
    "polnear": "polnear-dev",
}


@dataclass
class Bench:
    """What every measurement may read: the run's sizes, a work folder, and results shared between them."""

    workdir: Path
    shared: Path | None = None
    n: int = 10_000
    big: bool = False
    quick: bool = False
    seed: int = 17
    sample_words: int = 200_000  # throughput: sample texts repeated to at least this many words
    seed_docs: int = 300  # synthetic articles really ingested (throughput at N, and the rows cloned)
    new_docs: int = 100  # incremental ingest
    requests: int = 200  # API latency, per endpoint
    restarts: int = 10  # API: server starts, each timed to its first story page
    spark_docs: int = 3000  # Spark speedup corpus (synthetic)
    growth_budget_s: float = 900  # growth: a larger store is only built if its predicted time fits
    watch_interval: float = 60.0  # watch latency: the poll interval
    watch_feeds: int = 100  # watch soak: feeds polled
    watch_duration: float = 3600.0  # watch soak: seconds
    watch_kill_runs: int = 10
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def quick_run(cls, workdir: Path, shared: Path | None = None) -> Bench:
        return cls(workdir, shared, n=200, quick=True, sample_words=3_000, seed_docs=20, new_docs=5, requests=20,
                   growth_budget_s=300, watch_interval=5.0, watch_feeds=5, watch_duration=30.0, watch_kill_runs=2, restarts=2,
                   spark_docs=20)

    def context(self):
        if "ctx" not in self.state:
            from newsgraph.nlp.pipeline import make_context

            self.state["ctx"] = make_context()
        return self.state["ctx"]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- 1. quality evals ------------------------------------------------------------------------
def quality(bench: Bench) -> dict[str, Any]:
    """Every ``newsgraph.eval.<name>.evaluate`` that exists, on its folder of ../shared/benchmarks."""
    root = bench.shared / "benchmarks" if bench.shared else None
    if root is None or not root.is_dir():
        return {"skipped": f"no benchmarks folder ({root})"}
    results: dict[str, Any] = {}
    for name, folder in EVALS.items():
        results[name] = _one_eval(name, root / folder if folder else root, bench.quick)
    return results


def _one_eval(name: str, folder: Path, quick: bool) -> dict[str, Any]:
    if importlib.util.find_spec(f"newsgraph.eval.{name}") is None:
        return {"skipped": f"newsgraph.eval.{name} not written yet"}
    if not folder.is_dir():
        return {"skipped": f"{folder} missing"}
    kwargs = {"limit": 3} if quick and name in ("tempeval3", "plover") else {}
    if quick and name not in ("tempeval3", "plover"):
        return {"skipped": "--quick runs only the evals that take a limit"}
    began = time.perf_counter()
    try:
        result = importlib.import_module(f"newsgraph.eval.{name}").evaluate(folder, **kwargs)
    except Exception as exc:  # one broken scorer must not hide the others
        return {"error": f"{type(exc).__name__}: {exc}"}
    result = dict(result)
    result.pop("errors", None)  # error listings belong to `newsgraph eval`, not to the bench summary
    result["bench_seconds"] = round(time.perf_counter() - began, 1)
    return result


# -- 2. throughput -----------------------------------------------------------------------------
def throughput_sample(bench: Bench) -> dict[str, Any]:
    """Full per-document pipeline vs raw spaCy over the sample texts repeated to ``sample_words`` words."""
    from newsgraph.bench.stores import SampleRepeat

    repeat = SampleRepeat(SAMPLE_DIR, bench.sample_words)
    n_process = bench.context().settings.n_process
    raw, raw_cpu = raw_spacy_seconds(repeat.texts(), n_process)
    full = repeat.ingest(bench.workdir / "throughput-sample.duckdb", bench.context(), n_process)
    return _throughput_result(repeat.docs, repeat.words, raw, full) | {
        "n_process": n_process, "raw_spacy_cpu_s": raw_cpu, "pipeline_cpu_s": full["cpu_s"],
        "cpu_ratio": round(raw_cpu / full["cpu_s"], 3) if full["cpu_s"] else None}


def scaling(bench: Bench) -> dict[str, Any]:
    """The pipeline with ``n_process`` = 2 against 1 on the same sample texts (issue 14: ≥ 1.7)."""
    from newsgraph.bench.stores import SampleRepeat

    repeat = SampleRepeat(SAMPLE_DIR, bench.sample_words // 2)
    runs = {n: repeat.ingest(bench.workdir / f"scaling-{n}.duckdb", bench.context(), n) for n in (1, 2)}
    speedup = runs[1]["per_document_s"] / runs[2]["per_document_s"]
    return {"words": repeat.words, "docs": repeat.docs,
            "seconds": {f"n_process={n}": round(r["per_document_s"], 1) for n, r in runs.items()},
            "cpu_s": {f"n_process={n}": r["cpu_s"] for n, r in runs.items()},
            "speedup": round(speedup, 2), "speedup_goal": 1.7,
            "headline": f"n_process=2 ÷ 1: ×{speedup:.2f} (goal ≥ 1.7)"}


def throughput_synthetic(bench: Bench) -> dict[str, Any]:
    """The same comparison on the first ``seed_docs`` articles of the N-article synthetic corpus.

    These articles go through the real ``Ingestor`` (reading, dedup included); the store they
    leave is the seed that the growth, incremental and API measurements stores.
    """
    from newsgraph.bench.stores import ingest_paths

    corpus = synthetic.write_jsonl(bench.workdir / "synthetic-seed.jsonl", bench.seed_docs, bench.seed,
                                   slots=synthetic.slots_for(bench.n))
    store = bench.workdir / "seed.duckdb"
    full = ingest_paths(store, [corpus], bench.context(), resolve=False)
    texts = stores.stored_texts(store)
    raw, _ = raw_spacy_seconds(texts, bench.context().settings.n_process)
    bench.state["seed_store"] = store
    result = _throughput_result(len(texts), sum(len(t.split()) for t in texts), raw, full)
    result.update(corpus_docs=bench.n, analysed_docs=len(texts), duplicates=full["duplicates"],
                  rejected=full["rejected"],
                  note=f"first {bench.seed_docs} of the {bench.n}-article synthetic corpus really ingested")
    return result


def raw_spacy_seconds(texts: list[str], n_process: int | None = None) -> tuple[float, float]:
    """Plain model pipeline (all its default components, no KB ruler, no stages), same batching and processes.

    Returns wall seconds and CPU seconds (this process and its worker processes)."""
    import os

    import spacy

    from newsgraph.bench.stores import cpu_seconds

    settings = get_settings()
    nlp = spacy.load(settings.spacy_model)
    cpu = os.times()
    began = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=n_process or settings.n_process):
        pass
    return time.perf_counter() - began, cpu_seconds(cpu)


def _throughput_result(docs: int, words: int, raw_s: float, full: dict[str, Any]) -> dict[str, Any]:
    per_doc_s = full["per_document_s"]
    ratio = raw_s / per_doc_s if per_doc_s else None
    return {
        "docs": docs,
        "words": words,
        "raw_spacy_s": round(raw_s, 1),
        "raw_spacy_words_per_s": round(words / raw_s),
        "pipeline_s": round(per_doc_s, 1),
        "pipeline_docs_per_s": round(docs / per_doc_s, 2),
        "pipeline_words_per_s": round(words / per_doc_s),
        "resolve_s": full.get("resolve_s"),
        "resolve_steps": full.get("resolve_steps"),
        "search_index_s": full.get("search_index_s"),
        "ratio": round(ratio, 3) if ratio else None,
        "ratio_goal": 0.8,
        "headline": f"{words / per_doc_s:,.0f} w/s vs raw spaCy {words / raw_s:,.0f} w/s: ratio {ratio:.2f} (goal ≥ 0.8)",
    }


# -- 4/5. memory, size and growth --------------------------------------------------------------
def growth(bench: Bench) -> dict[str, Any]:
    """Corpus-level stage times on cloned stores of growing size, each built and resolved in a fresh process."""
    seed = bench.state.get("seed_store")
    if seed is None:
        return {"error": "needs throughput_synthetic (the seed store) first"}
    sizes = [max(bench.seed_docs, bench.n // 10), bench.n] + ([bench.n * 10] if bench.big else [])
    runs: dict[int, dict[str, Any]] = {}
    skipped = {}
    began = time.perf_counter()
    for size in sizes:
        left = bench.growth_budget_s - (time.perf_counter() - began)
        predicted = _predicted_s(runs, size)
        if predicted > left:
            skipped[size] = f"predicted {predicted:.0f} s (exponent ≥ 1 from the last size) > {left:.0f} s left"
            continue
        try:
            runs[size] = stores.build_and_resolve_in_child(seed, bench.workdir / f"clone-{size}.duckdb", size,
                                                           timeout_s=max(left, 60))
        except TimeoutError as exc:
            skipped[size] = str(exc)
        bench.state["store_at_n"] = bench.workdir / f"clone-{size}.duckdb"
    if len(runs) < 2:
        return {"runs": {str(k): v for k, v in runs.items()}, "skipped_sizes": skipped,
                "error": "fewer than two sizes resolved within the budget: no exponent"}
    return _growth_result(runs) | {"skipped_sizes": skipped}


def _predicted_s(runs: dict[int, dict[str, Any]], size: int) -> float:
    """Time for ``size`` docs if the last measured size's time grew at least linearly."""
    if not runs:
        return 0.0
    last = max(runs)
    total = runs[last]["resolve_s"] + runs[last]["clone_s"]
    return total * (size / runs[last]["docs"]) ** max(1.0, _worst(runs))


def _worst(runs: dict[int, dict[str, Any]]) -> float:
    if len(runs) < 2:
        return 1.0
    exps = _growth_result(runs)["exponents"]
    return max(exps.values(), default=1.0)


def _growth_result(runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    sizes = sorted(runs)
    small, large = sizes[-2], sizes[-1]
    exponents = {}
    for step, t_large in runs[large]["timings"].items():
        t_small = runs[small]["timings"].get(step)
        if t_small and t_large and t_small > 0.05:
            exponents[step] = round(math.log(t_large / t_small) / math.log(runs[large]["docs"] / runs[small]["docs"]), 2)
    worst = max(exponents.values(), default=None)
    label = f"{runs[small]['docs']}→{runs[large]['docs']} docs"
    peak = runs[large]["peak_rss_mb"]
    return {
        "runs": {str(k): v for k, v in runs.items()},
        "exponents": exponents,
        "exponent_between": label,
        "worst_exponent": worst,
        "exponent_goal": 1.1,
        "peak_rss_goal_mb": 2048,
        "stories_exponent": exponents.get("stories"),  # stories and topics (issue 11: goal ≤ 1.1)
        "stories_exponent_goal": 1.1,
        "peak_rss_mb_at_largest": peak,
        "db_mb_per_1k_docs": runs[large]["db_mb_per_1k_docs"],
        "headline": f"growth exponent {label}: worst {worst} ({_worst_step(exponents)}); "
                    f"peak RSS {peak:,.0f} MB; {runs[large]['db_mb_per_1k_docs']} MB per 1k docs",
    }


def _worst_step(exponents: dict[str, float]) -> str:
    return max(exponents, key=exponents.get) if exponents else "-"


# -- 6. incremental ingest ---------------------------------------------------------------------
def incremental(bench: Bench) -> dict[str, Any]:
    """Adding new articles to the N-document store vs ingesting them into an empty store."""
    from newsgraph.bench.stores import ingest_paths

    big = bench.state.get("store_at_n")
    if big is None or not Path(big).exists():
        return {"error": "needs growth (a cloned store) first"}
    docs_in_store = stores.count_documents(big)
    corpus = synthetic.write_jsonl(bench.workdir / "synthetic-new.jsonl", bench.new_docs, bench.seed,
                                   start=bench.n, slots=synthetic.slots_for(bench.n))
    target = bench.workdir / "incremental.duckdb"
    shutil.copy(big, target)
    into_big = ingest_paths(target, [corpus], bench.context(), resolve=True)
    empty = bench.workdir / "incremental-empty.duckdb"
    empty.unlink(missing_ok=True)
    into_empty = ingest_paths(empty, [corpus], bench.context(), resolve=True)
    ratio = into_big["total_s"] / into_empty["total_s"]
    stories_s = (into_big.get("resolve_steps") or {}).get("stories")
    return {
        "stories_s": stories_s,  # the story and topic step of this increment (issue 11: no slower than before)
        "new_docs": bench.new_docs,
        "store_docs": docs_in_store,
        "into_store": into_big,
        "into_empty": into_empty,
        "ratio": round(ratio, 2),
        "ratio_goal": 1.2,
        "headline": f"{bench.new_docs} new docs: {into_big['total_s']:.1f}s into {docs_in_store} docs vs "
                    f"{into_empty['total_s']:.1f}s into empty (×{ratio:.2f}, goal ≤ 1.2); stories step {stories_s}s",
    }


# -- 7. API latency ---------------------------------------------------------------------------
def api_latency(bench: Bench) -> dict[str, Any]:
    """p50/p95 of story, entity and search requests against ``newsgraph serve`` on the N-document store."""
    if importlib.util.find_spec("newsgraph.api") is None:
        return {"skipped": "newsgraph.api is not importable yet"}
    store = bench.state.get("store_at_n")
    if store is None:
        return {"error": "needs growth (the N-document store) first"}
    from newsgraph.bench.api import measure_latency

    return measure_latency(Path(store), bench.requests, free_port(), restarts=bench.restarts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 1), "p95_ms": round(pick(0.95) * 1000, 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1), "n": len(ordered)}


# -- 8. Spark ---------------------------------------------------------------------------------
def spark(bench: Bench) -> dict[str, Any]:
    """local[1] vs local[2] wall time of the per-document stages over the same synthetic articles."""
    if importlib.util.find_spec("newsgraph.spark") is None or importlib.util.find_spec("newsgraph.spark.job") is None:
        return {"skipped": "newsgraph.spark.job is not importable yet"}
    corpus = synthetic.write_jsonl(bench.workdir / "synthetic-spark.jsonl", bench.spark_docs, bench.seed,
                                   slots=synthetic.slots_for(bench.n))
    times = {}
    for cores in (1, 2):
        out = bench.workdir / f"spark-{cores}"
        shutil.rmtree(out, ignore_errors=True)
        began = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "newsgraph.spark.job", str(corpus), "--output", str(out),
                               "--master", f"local[{cores}]"], capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            return {"error": f"newsgraph.spark.job failed: {proc.stderr[-600:]}"}
        times[cores] = time.perf_counter() - began
    speedup = times[1] / times[2]
    return {"wall_s": {f"local[{k}]": round(v, 1) for k, v in times.items()}, "speedup": round(speedup, 2),
            "speedup_goal": 1.7, "docs": bench.spark_docs,
            "note": "wall time of `python -m newsgraph.spark.job` (JVM start and Parquet writing included)",
            "headline": f"local[2] speedup ×{speedup:.2f} over local[1] on {bench.spark_docs} articles (goal ≥ 1.7)"}


# -- 9. writing: one transaction per document against one per batch ------------------------------
def writes(bench: Bench) -> dict[str, Any]:
    """The same analysed documents written one per transaction (before issue 14) and 32 per transaction."""
    import dataclasses

    from newsgraph.ingest.readers import RawArticle, iter_inputs
    from newsgraph.pipeline import analyse, to_document
    from newsgraph.store import db, write

    ctx = bench.context()
    once = [a for a in iter_inputs([SAMPLE_DIR], meta=SAMPLE_DIR / "meta.jsonl") if isinstance(a, RawArticle)]
    docs = [to_document(dataclasses.replace(a, source=f"{a.source}@{r}")) for r in range(5) for a in once]
    analyses = [analyse(d, ctx, nd) for d, nd in zip(docs, ctx.nlp.pipe(d.text for d in docs), strict=True)]
    result: dict[str, Any] = {"docs": len(analyses)}
    for mode in ("per_document", "batch"):
        store = bench.workdir / f"writes-{mode}.duckdb"
        store.unlink(missing_ok=True)
        con = db.connect(store)
        began = time.perf_counter()
        if mode == "per_document":
            for a in analyses:
                write.write_analysis(con, a)
        else:
            rows = [write.analysis_rows(a) for a in analyses]
            for start in range(0, len(rows), 32):
                write.write_batch(con, rows[start:start + 32])
        result[f"{mode}_ms_per_doc"] = round((time.perf_counter() - began) * 1000 / len(analyses), 1)
        con.close()
    result["headline"] = (f"{result['per_document_ms_per_doc']} ms/doc one transaction each, "
                          f"{result['batch_ms_per_doc']} ms/doc in batches of 32")
    return result


# -- 9. watch ----------------------------------------------------------------------------------
def watch_latency(bench: Bench) -> dict[str, Any]:
    """A new feed item → its webhook alert, polling every ``watch_interval`` s over the N-document store."""
    from newsgraph.bench import watch

    store = bench.state.get("store_at_n")
    if store is None:
        return {"error": "needs growth (the N-document store) first"}
    return watch.latency(bench.workdir / "watch-latency", Path(store), interval=bench.watch_interval)


def watch_soak(bench: Bench) -> dict[str, Any]:
    """``watch_feeds`` feeds polled every 5 s for ``watch_duration`` s: memory, lost items, duplicate alerts."""
    from newsgraph.bench import watch

    return watch.soak(bench.workdir / "watch-soak", feeds=bench.watch_feeds, duration=bench.watch_duration)


def watch_kill(bench: Bench) -> dict[str, Any]:
    """The watch killed with SIGKILL at random moments ``watch_kill_runs`` times."""
    from newsgraph.bench import watch

    return watch.kill_runs(bench.workdir / "watch-kill", runs=bench.watch_kill_runs)


def attribution_share(bench: Bench) -> dict[str, Any]:
    from newsgraph.bench.stage_share import attribution_share as measure

    return measure(bench)


MEASURES = {
    "quality": quality,
    "attribution_share": attribution_share,
    "throughput_sample": throughput_sample,
    "throughput_synthetic": throughput_synthetic,
    "scaling": scaling,
    "growth": growth,
    "incremental": incremental,
    "api_latency": api_latency,
    "spark": spark,
    "watch_latency": watch_latency,
    "watch_soak": watch_soak,
    "watch_kill": watch_kill,
    "writes": writes,
}


def dump(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=1, default=str)
