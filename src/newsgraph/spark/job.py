"""The per-document stages on Apache Spark: read → clean → dedupe → nlp → extract, written as Parquet.

Usable as a library (``run``), from ``newsgraph spark ingest`` and through ``spark-submit``::

    spark-submit --master local[2] $(python -c 'import newsgraph.spark.job as j; print(j.__file__)') \\
        INPUT --output DIR

Flow: the driver lists the input files in the local ingest's order (each item gets a sequence
number ``(file, item)``); executors read and clean them and compute MinHash signatures; the driver
links exact and near duplicates in sequence order with the local rules (so the same document is
"the original" in both paths); executors analyse the fresh documents, loading spaCy and the KB once
per Python worker; every table is written sorted by sequence, so ``newsgraph load`` inserts rows in
the order a local ingest would have. Corpus-level steps are not done here: see docs/spark.md.

Fixed costs are paid once: the model is loaded in the executor's Python daemon before it forks
its workers (``newsgraph.spark.daemon``), workers are reused, and the analysis and the writing of
every table happen in one Spark job: each partition writes its own Parquet file per table
(``part-NNNNN.parquet``, in sequence order), so the output folder must be one the executors can
write (a local path in local mode, a shared file system on a cluster).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.model import Document
from newsgraph.settings import Settings, get_settings
from newsgraph.spark import rows

Seq = tuple[int, int]  # (input file number, item number inside the file): the local ingest's order
_CONTEXTS: dict[str, Any] = {}  # per Python worker: settings → Context (spaCy + KB loaded once)


@dataclass
class SparkReport:
    documents: int = 0
    duplicates: int = 0
    rejected: int = 0
    tables: dict[str, int] = field(default_factory=dict)


@dataclass
class InputPlan:
    """What the driver found: files to read (in local order), Parquet datasets, and early rejections."""

    units: list[tuple[int, str, int]] = field(default_factory=list)  # (file number, path, meta number)
    parquet: list[tuple[int, str, int]] = field(default_factory=list)
    metas: list[Any] = field(default_factory=list)
    rejected: list[tuple[Seq, RejectedInput]] = field(default_factory=list)


def session(master: str | None = "local[2]", app_name: str = "newsgraph"):
    """A small, offline Spark session: loopback only, no UI, 1g driver, few shuffle partitions.

    ``master=None`` keeps the master spark-submit was given (``local[2]`` when run without it).
    """
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[2]"
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only: no network in CI
    os.environ["PYSPARK_PYTHON"] = os.environ.get("PYSPARK_PYTHON") or sys.executable
    from pyspark.sql import SparkSession

    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    if master and master.startswith("local"):
        # The heavy work is in Python: a C1-only JIT and the serial GC halve JVM start-up on a small machine.
        builder = (builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                   .config("spark.driver.host", os.environ["SPARK_LOCAL_IP"]))
    spark = (
        builder.appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.driver.bindAddress", os.environ["SPARK_LOCAL_IP"])
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.python.worker.reuse", "true")
        .config("spark.python.daemon.module", "newsgraph.spark.daemon")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# ------------------------------------------------------------------ driver: listing inputs


def _is_parquet(path: Path) -> bool:
    if path.is_file():
        return path.suffix == ".parquet"
    files = [p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "_"))] if path.is_dir() else []
    return bool(files) and all(p.suffix == ".parquet" for p in files)


def _load_sidecar(meta: Path, plan: InputPlan, seq: int) -> Any:
    """Load a sidecar; its unreadable file or bad lines become rejections, as in the local ingest."""
    from newsgraph.ingest.meta import load_meta
    from newsgraph.ingest.readers import iter_inputs

    try:
        index = load_meta(meta)
    except RejectedInput as err:
        plan.rejected.append(((seq, 0), err))
        return None
    warnings = list(iter_inputs([], meta=index))
    plan.rejected.extend(((seq, n), err) for n, err in enumerate(warnings))
    index.warnings = []  # reported once here, not again by every worker's reader
    return index


def plan_inputs(inputs: Iterable[Path | str], meta: Path | str | None = None,
                settings: Settings | None = None) -> InputPlan:
    """Files in the order ``newsgraph ingest`` reads them (the readers' own folder walk and filters)."""
    from newsgraph.ingest.meta import SIDECAR_NAMES
    from newsgraph.ingest.readers import _is_corpus_file, _is_sidecar_of, _walk

    settings = settings or get_settings()
    plan = InputPlan()
    counter = iter(range(sys.maxsize))
    given = _load_sidecar(Path(meta), plan, next(counter)) if meta else None
    for path in map(Path, inputs):
        if _is_parquet(path):
            plan.metas.append(given)
            plan.parquet.append((next(counter), str(path), len(plan.metas) - 1))
            continue
        index = given
        if path.is_dir() and meta is None:
            found = next((path / n for n in SIDECAR_NAMES if (path / n).is_file()), None)
            index = _load_sidecar(found, plan, next(counter)) if found else None
        plan.metas.append(index)
        entries = _walk(path) if path.is_dir() else ([] if _is_sidecar_of(path, index) else [path])
        for entry in entries:
            if isinstance(entry, RejectedInput):
                plan.rejected.append(((next(counter), 0), entry))
            elif not path.is_dir() or _is_corpus_file(entry, index, settings):
                plan.units.append((next(counter), str(entry), len(plan.metas) - 1))
    return plan


# ------------------------------------------------------------------ executors


def worker_context(settings: Settings):
    """spaCy + KB, loaded once per Python worker (workers are reused across tasks)."""
    key = repr(settings)
    if key not in _CONTEXTS:
        from newsgraph.nlp.pipeline import make_context

        _CONTEXTS[key] = make_context(settings)
    return _CONTEXTS[key]


def _fingerprint(doc: Document, settings: Settings) -> tuple[bytes, list[tuple[int, int]]]:
    from newsgraph.ingest import dedup

    sig = dedup.signature(doc.text, settings)
    return sig.tobytes(), dedup.band_keys(sig, dedup.lsh_bands_for(settings))


def _found(seq: Seq, item: Any, settings: Settings) -> tuple:
    from newsgraph.pipeline import to_document

    if isinstance(item, RejectedInput):
        return seq, "rejected", item
    doc = to_document(item)
    return seq, "doc", doc, *_fingerprint(doc, settings)


def read_units(units: Iterable[tuple[int, str, int]], metas: list, settings: Settings) -> Iterator[tuple]:
    """Read and clean each file with the local readers; one record per article or rejection."""
    from newsgraph.ingest.readers import iter_inputs

    for number, path, meta in units:
        for n, item in enumerate(iter_inputs([Path(path)], meta=metas[meta], settings=settings)):
            yield _found((number, n), item, settings)


def read_records(records: Iterable[tuple[Any, int]], number: int, path: str, meta: Any,
                 settings: Settings) -> Iterator[tuple]:
    """Parquet article rows (news-please / trafilatura field names), named ``path#N`` like JSONL lines."""
    from newsgraph.ingest.jsonl import record_to_item
    from newsgraph.ingest.meta import apply_meta
    from newsgraph.ingest.readers import check_article, clean_item

    for row, index in records:
        source = f"{path}#{index + 1}"
        try:
            record = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.asDict(True).items()}
            article = apply_meta(clean_item(record_to_item(record, source, "parquet")), meta)
            check_article(article, settings)
        except RejectedInput as err:
            article = err
        except Exception as exc:  # one bad row must not sink the partition
            article = RejectedInput(source, "malformed", f"{type(exc).__name__}: {exc}")
        yield _found((number, index), article, settings)


def _analysed(seq: Seq, doc: Document, nlp_doc: Any, ctx: Any, minhash: tuple) -> Iterator[tuple]:
    from newsgraph.pipeline import analyse, time_limit

    try:
        with time_limit(ctx.settings.doc_time_limit_s, doc.source):
            analysis = analyse(doc, ctx, nlp_doc)
    except RejectedInput as err:
        yield "ingest_log", seq, 0, rows.rejection_row(err)[1]
        return
    except Exception as exc:  # a bug in one stage must not sink the partition: report it with the file
        err = RejectedInput(doc.source, "extraction_failed", f"{type(exc).__name__}: {exc}")
        yield "ingest_log", seq, 0, rows.rejection_row(err)[1]
        return
    found = [*rows.analysis_rows(analysis), *rows.minhash_rows(doc.id, *minhash)]
    for n, (table, row) in enumerate(found):
        yield table, seq, n, row


def analyse_partition(records: Iterable[tuple], settings: Settings, plan: dict[str, str]) -> Iterator[tuple]:
    """Rows of every table for one partition, in sequence order: rejections as log rows, duplicates
    as bare document rows, the rest analysed (spaCy over the partition's fresh documents in batches)."""
    pending: list[tuple] = []
    for record in records:
        seq, kind = record[0], record[1]
        original = plan.get(record[2].id) if kind == "doc" else None
        if kind == "doc" and original is None:
            pending.append(record)
            continue
        yield from _analyse_batch(pending, settings)
        pending = []
        if kind == "rejected":
            yield "ingest_log", seq, 0, rows.rejection_row(record[2])[1]
        elif original:  # "" marks the same input seen twice: stored once
            record[2].duplicate_of = original
            yield "documents", seq, 0, rows.typed("documents", rows.write.document_row(record[2]))
            yield "document_text", seq, 1, rows.typed("document_text", rows.write.text_row(record[2]))
        if len(pending) >= settings.batch_size:
            yield from _analyse_batch(pending, settings)
            pending = []
    yield from _analyse_batch(pending, settings)


def _analyse_batch(batch: list[tuple], settings: Settings) -> Iterator[tuple]:
    if not batch:
        return
    from newsgraph.pipeline import english_parses

    ctx = worker_context(settings)
    parses = english_parses(ctx.nlp, [r[2] for r in batch], settings.batch_size)
    for (seq, _, doc, signature, keys), nlp_doc in zip(batch, parses, strict=True):
        yield from _analysed(seq, doc, nlp_doc, ctx, (signature, keys))


# ------------------------------------------------------------------ driver: the job


def link_duplicates(found: Iterable[tuple], settings: Settings) -> dict[str, str]:
    """doc id → original (or "" for a repeated id), deciding in sequence order with the local rules."""
    import duckdb
    import numpy as np

    from newsgraph.store.db import migrate

    con = duckdb.connect()  # an empty store: duplicates within this batch; ``load`` checks the store's
    migrate(con)
    triage, plan, seen = rows.Triage(con, settings), {}, set()
    for _seq, doc_id, content_hash, signature, keys in found:
        if doc_id in seen:
            plan[doc_id] = ""
            continue
        seen.add(doc_id)
        original = triage.decide(doc_id, content_hash, np.frombuffer(signature, dtype=np.uint64), keys)
        if original is not None:
            plan[doc_id] = original
    con.close()
    return plan


def _read(spark, plan: InputPlan, settings: Settings):
    sc = spark.sparkContext
    metas = plan.metas
    parts = max(1, min(len(plan.units), sc.defaultParallelism))  # reading is cheap next to analysis
    found = sc.parallelize(plan.units, parts).mapPartitions(lambda it: read_units(it, metas, settings))
    for number, path, meta in plan.parquet:
        records = spark.read.parquet(path).rdd.zipWithIndex()
        index = metas[meta]
        found = found.union(records.mapPartitions(lambda it, n=number, p=path, m=index:
                                                  read_records(it, n, p, m, settings)))
    return found


def _arrow_type(duckdb_type: str):
    import pyarrow as pa

    return {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "SMALLINT": pa.int16(), "DOUBLE": pa.float64(),
            "BLOB": pa.binary()}.get(duckdb_type, pa.string())  # VARCHAR, JSON (as text), DATE (ISO text)


def write_partition(index: int, found: Iterable[tuple], output: str) -> Iterator[tuple[str, int]]:
    """One partition's rows (in sequence order) as one Parquet file per table; yields (table, rows)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    by_table: dict[str, list[tuple]] = {t: [] for t in rows.PARQUET_TABLES}
    for table, _seq, _n, row in found:
        by_table[table].append(row)
    for table, items in by_table.items():
        cols = rows.columns(table)
        schema = pa.schema([(name, _arrow_type(t)) for name, t in cols])
        data = pa.table({name: pa.array([r[i] for r in items], schema.field(name).type)
                         for i, (name, _) in enumerate(cols)}, schema=schema)
        pq.write_table(data, str(Path(output) / table / f"part-{index:05d}.parquet"))
        yield table, len(items)


def _write_tables(out, output: Path) -> dict[str, int]:
    """Analyse and write in one Spark job: every partition writes its Parquet file of each table."""
    import shutil

    for table in rows.PARQUET_TABLES:
        shutil.rmtree(output / table, ignore_errors=True)
        (output / table).mkdir(parents=True)
    target = str(output.resolve())
    counts: dict[str, int] = dict.fromkeys(rows.PARQUET_TABLES, 0)
    for table, n in out.mapPartitionsWithIndex(lambda i, it: write_partition(i, it, target)).collect():
        counts[table] += n
    return counts


def run(inputs: Iterable[Path | str], output: Path | str, master: str | None = "local[2]",
        meta: Path | str | None = None, settings: Settings | None = None, spark=None) -> SparkReport:
    """Run the per-document stages over ``inputs`` and write one Parquet directory per store table."""
    from pyspark import StorageLevel

    settings = settings or get_settings()
    output = Path(output)
    plan = plan_inputs(inputs, meta, settings)
    own = spark is None
    spark = spark or session(master)
    try:
        sc = spark.sparkContext
        found = _read(spark, plan, settings).persist(StorageLevel.MEMORY_AND_DISK)
        keys = found.filter(lambda r: r[1] == "doc").map(lambda r: (r[0], r[2].id, r[2].content_hash, r[3], r[4]))
        linked = link_duplicates(sorted(keys.collect()), settings)
        links = sc.broadcast(linked)
        early = sc.parallelize([(seq, "rejected", err) for seq, err in plan.rejected], 1)
        ordered = early.union(found).sortBy(lambda r: r[0], numPartitions=max(2, sc.defaultParallelism))
        out = ordered.mapPartitions(lambda it: analyse_partition(it, settings, links.value))
        tables = _write_tables(out, output)
        found.unpersist()
    finally:
        if own:
            spark.stop()
    duplicates = sum(1 for v in linked.values() if v)
    return SparkReport(documents=tables["documents"], duplicates=duplicates, rejected=tables["ingest_log"],
                       tables=tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsgraph-spark", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="folder, file, JSONL or Parquet of articles")
    parser.add_argument("--output", "-o", type=Path, required=True, help="folder for the Parquet tables")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[2])")
    parser.add_argument("--meta", type=Path, default=None, help="JSONL metadata sidecar")
    parser.add_argument("--kb", type=Path, action="append", default=[], help="extra knowledge-base folder")
    args = parser.parse_args(argv)
    settings = get_settings()
    settings.kb_dirs.extend(args.kb)
    report = run(args.inputs, args.output, master=args.master, meta=args.meta, settings=settings)
    print(f"documents {report.documents} (duplicates {report.duplicates}), rejected {report.rejected}; "
          f"tables in {args.output}")
    return 0


if __name__ == "__main__":
    # Run through the installed module, not this file as __main__: worker caches then live in
    # ``newsgraph.spark.job`` and survive across tasks instead of being pickled with each function.
    from newsgraph.spark.job import main as _main

    sys.exit(_main())
