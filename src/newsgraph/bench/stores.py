"""Stores for the bench: real ingests (timed) and large stores cloned from a small real one.

Cloning: the corpus-level stages read only the per-document tables, so a store of N documents is
made from a seed store of a few hundred really-analysed articles by copying its per-document rows
N/K times in DuckDB SQL. Copy ``c`` gets ids suffixed ``~c``, publication dates moved ``c × SHIFT_DAYS``
days on (beyond the story window, so each copy forms stories of its own), LSH band keys salted, and
the names of entities without a KB id extended with a letter code (so every copy brings new people,
ships, units...; KB entities — countries, known ships — repeat across copies as they do in news).
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsgraph.ingest import dedup
from newsgraph.pipeline import IN_FLIGHT, Ingestor
from newsgraph.store import db, search

SHIFT_DAYS = 73  # more than twice the 30-day story window (shift_days() widens it for a wider window)
_ENT = r"(ent_[0-9a-f]{16})"


# -- real ingests --------------------------------------------------------------------------------
class _EveryDocument(Ingestor):
    """The real ingest path with the duplicate decision taken out (MinHash still computed), so a
    text repeated for a throughput run is analysed every time instead of being linked to its first copy."""

    def _triage(self, doc, fresh: list) -> None:
        sig = dedup.signature(doc.text, self.settings)
        fresh.append((doc, (sig.tobytes(), dedup.band_keys(sig, dedup.lsh_bands_for(self.settings)))))


class SampleRepeat:
    """The sample corpus read ``reps`` times (each pass read and cleaned again), enough for ``min_words``."""

    def __init__(self, sample_dir: Path, min_words: int) -> None:
        from newsgraph.ingest.readers import RawArticle, iter_inputs

        self.sample_dir = sample_dir
        once = [a for a in iter_inputs([sample_dir], meta=sample_dir / "meta.jsonl") if isinstance(a, RawArticle)]
        per_pass = sum(len(a.text.split()) for a in once)
        self.reps = max(1, math.ceil(min_words / per_pass))
        self.docs = len(once) * self.reps
        self.words = per_pass * self.reps
        self._texts = [a.text for a in once] * self.reps

    def texts(self) -> list[str]:
        return self._texts

    def ingest(self, store: Path, ctx, n_process: int | None = None) -> dict[str, Any]:
        import os

        from newsgraph.ingest.readers import RawArticle, iter_inputs

        for stale in (store, store.with_name(store.name + ".wal")):  # a WAL alone does not open
            stale.unlink(missing_ok=True)
        con = db.connect(store)
        try:
            ingestor = _EveryDocument(con, ctx, n_process)
            cpu = os.times()
            began = time.perf_counter()
            for rep in range(self.reps):
                items = [dataclasses.replace(a, source=f"{a.source}@{rep}")
                         for a in iter_inputs([self.sample_dir], meta=self.sample_dir / "meta.jsonl")
                         if isinstance(a, RawArticle)]
                for start in range(0, len(items), ctx.settings.batch_size):
                    ingestor._submit(items[start:start + ctx.settings.batch_size])  # as Ingestor.run does
                    ingestor._drain(IN_FLIGHT)
            ingestor._drain(0)
            ingestor.close()  # reaps the workers: their CPU time is counted
            result = {"per_document_s": time.perf_counter() - began, "ingested": ingestor.report.ingested,
                      "n_process": ingestor.pool.n_process, "cpu_s": cpu_seconds(cpu)}
        finally:
            con.close()
        return result


def cpu_seconds(since) -> float:
    """CPU seconds (user + system) of this process and its reaped children since ``os.times()`` ``since``."""
    import os

    now = os.times()
    return round(sum(getattr(now, k) - getattr(since, k)
                     for k in ("user", "system", "children_user", "children_system")), 2)


def ingest_paths(store: Path, paths: list[Path], ctx, resolve: bool = True) -> dict[str, Any]:
    """The real ``Ingestor`` over ``paths`` into ``store`` (created if missing), then resolution and search."""
    con = db.connect(store)
    try:
        ingestor = Ingestor(con, ctx)
        began = time.perf_counter()
        report = ingestor.run(paths)
        result: dict[str, Any] = {"per_document_s": round(time.perf_counter() - began, 2),
                                  "ingested": report.ingested, "duplicates": report.duplicates,
                                  "rejected": len(report.rejected), "words": report.words}
        if resolve:
            result.update(_finish(con, ctx))
        result["total_s"] = round(result["per_document_s"] + result.get("resolve_s", 0)
                                  + result.get("search_index_s", 0) + result.get("views_s", 0), 2)
    finally:
        con.close()
    return result


def _finish(con, ctx) -> dict[str, Any]:
    """``pipeline.finish`` with a clock on each corpus-level step and on the search index."""
    from newsgraph import views
    from newsgraph.resolve import resolve_all

    steps: dict[str, float] = {}
    began = time.perf_counter()
    resolve_all(con, ctx, steps)
    resolved = time.perf_counter()
    search.update_index(con)
    indexed = time.perf_counter()
    view_steps: dict[str, float] = {}
    views.refresh(con, view_steps)
    return {"resolve_s": round(resolved - began, 2), "resolve_steps": {k: round(v, 3) for k, v in steps.items()},
            "search_index_s": round(indexed - resolved, 2), "views_s": round(time.perf_counter() - indexed, 2),
            "view_steps": {k: round(v, 3) for k, v in view_steps.items()}}


def stored_texts(store: Path) -> list[str]:
    """Texts of the analysed (non-duplicate) documents of a store."""
    con = db.connect(store, read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT text FROM documents WHERE duplicate_of IS NULL ORDER BY id").fetchall()]
    finally:
        con.close()


# -- cloned stores -------------------------------------------------------------------------------
def letters(n: int) -> str:
    """0 → "", 1 → "a", 26 → "z", 27 → "aa": a name extension that keeps one-word names one word."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(97 + rest) + out
    return out


_CLONE_SQL = {
    "documents": (
        "id, source, url, title, outlet, author, published, published_basis, language, text, removed, "
        "duplicate_of, content_hash, format, words",
        "s.id || p.sfx, s.source || p.sfx, s.url, s.title, s.outlet, s.author, s.published + CAST(p.shift AS INTEGER), "
        "s.published_basis, s.language, s.text, s.removed, s.duplicate_of || p.sfx, s.content_hash || p.sfx, "
        "s.format, s.words",
        "id",
    ),
    "local_entities": (
        "id, doc, name, type, aliases, kb_ids, attributes",
        "s.id || p.sfx, s.doc || p.sfx, CASE WHEN {plain} THEN s.name || p.tag ELSE s.name END, s.type, "
        "CASE WHEN {plain} THEN regexp_replace(s.aliases, '\"([^\"]+)\"', '\"\\1' || p.tag || '\"', 'g') "
        "ELSE s.aliases END, s.kb_ids, s.attributes",
        "doc",
    ),
    "mentions": ('doc, start, "end", text, label, local_entity, kb_id, source',
                 's.doc || p.sfx, s.start, s."end", s.text, s.label, s.local_entity || p.sfx, s.kb_id, s.source',
                 "doc"),
    "times": ('doc, start, "end", text, value, kind, iv_start, iv_end, granularity, basis, modifier, duration',
              's.doc || p.sfx, s.start, s."end", s.text, s.value, s.kind, s.iv_start, s.iv_end, s.granularity, '
              's.basis, s.modifier, s.duration', "doc"),
    "quantities": ('doc, start, "end", text, value, high, unit, bound, kind, attribute',
                   's.doc || p.sfx, s.start, s."end", s.text, s.value, s.high, s.unit, s.bound, s.kind, s.attribute',
                   "doc"),
    "quotes": ('id, doc, start, "end", text, speaker_local, speaker_name, cue, method, speaker_start, speaker_end',
               's.id || p.sfx, s.doc || p.sfx, s.start, s."end", s.text, s.speaker_local || p.sfx, s.speaker_name, '
               's.cue, s.method, s.speaker_start, s.speaker_end', "doc"),
    "attributions": ("id, doc, kind, statement_type, cue_start, cue_end, cue_text, content, content_start, "
                     "source_start, source_end, source_text, speaker_local, speaker_name, quote",
                     "s.id || p.sfx, s.doc || p.sfx, s.kind, s.statement_type, s.cue_start, s.cue_end, s.cue_text, "
                     "s.content, s.content_start, s.source_start, s.source_end, s.source_text, "
                     "s.speaker_local || p.sfx, s.speaker_name, s.quote || p.sfx", "doc"),
    "event_mentions": (
        "id, doc, type, plover, modality, summary, participants, location, date, quantities, trigger, "
        "trigger_start, trigger_end, trigger_text, sent_start, sent_end, sentence",
        f"s.id || p.sfx, s.doc || p.sfx, s.type, s.plover, s.modality, s.summary, "
        f"regexp_replace(s.participants, '{_ENT}', '\\1' || p.sfx, 'g'), s.location, s.date, s.quantities, "
        "s.trigger, s.trigger_start, s.trigger_end, s.trigger_text, s.sent_start, s.sent_end, s.sentence",
        "doc",
    ),
    "claim_values": (
        'id, doc, subject, subject_name, attribute, value, normalized, modality, published, start, "end", text',
        f"s.id || p.sfx, s.doc || p.sfx, regexp_replace(s.subject, '{_ENT}', '\\1' || p.sfx), s.subject_name, "
        f"s.attribute, s.value, regexp_replace(s.normalized, '{_ENT}', '\\1' || p.sfx, 'g'), s.modality, "
        "strftime(try_cast(s.published AS DATE) + CAST(p.shift AS INTEGER), '%Y-%m-%d'), s.start, s.\"end\", s.text",
        "doc",
    ),
    "claim_value_context": (
        "claim_value, doc, basis, context_start, context_end, context_text, speaker_local, speaker_name, attribution",
        "s.claim_value || p.sfx, s.doc || p.sfx, s.basis, s.context_start, s.context_end, s.context_text, "
        "s.speaker_local || p.sfx, s.speaker_name, s.attribution || p.sfx",
        "doc",
    ),
    "doc_minhash": ("doc, signature", "s.doc || p.sfx, s.signature", "doc"),
    "publication_dates": ("doc, source, confidence, evidence, warnings",
                          "s.doc || p.sfx, s.source, s.confidence, s.evidence, s.warnings", "doc"),
    "lsh_bands": ("band, key, doc", "s.band, xor(s.key, p.salt), s.doc || p.sfx", "doc"),
}
_PLAIN = "(s.kb_ids IS NULL OR s.kb_ids = '{}')"


def shift_days(window_days: int) -> int:
    """Days between two copies' dates: beyond twice the story window, so each copy forms stories of its own."""
    return max(SHIFT_DAYS, 2 * window_days + 13)


def clone_store(seed: Path, target: Path, size: int) -> int:
    """Fill a fresh store at ``target`` with ``size`` documents cloned from ``seed``; returns the count."""
    from newsgraph.settings import get_settings

    shift = shift_days(get_settings().story_window_days)
    target.unlink(missing_ok=True)
    con = db.connect(target)
    try:
        con.execute(f"ATTACH '{seed}' AS seed (READ_ONLY)")
        docs = [r[0] for r in con.execute("SELECT id FROM seed.documents ORDER BY id").fetchall()]
        copies = math.ceil(size / len(docs))
        picked = [(doc, c) for c in range(copies) for doc in docs][:size]
        con.register("_pick", pa.table({
            "doc": [d for d, _ in picked],
            "sfx": [f"~{c}" if c else "" for _, c in picked],
            "tag": [letters(c) for _, c in picked],
            "shift": [c * shift for _, c in picked],
            "salt": [c * 1_000_003 for _, c in picked],
        }))
        con.execute("CREATE TEMP TABLE pick AS SELECT * FROM _pick")
        con.unregister("_pick")
        with db.transaction(con):
            for table, (columns, select, key) in _CLONE_SQL.items():
                con.execute(f"INSERT INTO {table} ({columns}) SELECT {select.replace('{plain}', _PLAIN)} "
                            f"FROM seed.{table} s JOIN pick p ON p.doc = s.{key}")
        con.execute("DETACH seed")
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def build_and_resolve(seed: Path, target: Path, size: int) -> dict[str, Any]:
    """Clone, then time each corpus-level step and the search index; peak RSS of this process."""
    import resource

    from newsgraph.stages import Context

    began = time.perf_counter()
    docs = clone_store(seed, target, size)
    cloned_s = time.perf_counter() - began
    con = db.connect(target)
    try:
        finished = _finish(con, Context())  # resolution reads settings only: no spaCy
        con.execute("CHECKPOINT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "local_entities", "entities", "stories", "events", "claims")}
    finally:
        con.close()
    mb = target.stat().st_size / 2**20
    return {"docs": docs, "clone_s": round(cloned_s, 2), "timings": finished["resolve_steps"]
            | {"search_index": finished["search_index_s"], "views": finished["views_s"]},
            "resolve_s": finished["resolve_s"] + finished["search_index_s"] + finished["views_s"],
            "counts": counts, "db_mb": round(mb, 1), "db_mb_per_1k_docs": round(mb * 1000 / docs, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _child(seed: Path, target: Path, size: int, queue) -> None:
    try:
        queue.put(build_and_resolve(seed, target, size))
    except BaseException as exc:  # report to the parent instead of dying silently
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def build_and_resolve_in_child(seed: Path, target: Path, size: int, timeout_s: float | None = None) -> dict:
    """``build_and_resolve`` in a fresh (spawned) process, so its peak RSS is its own; killed after ``timeout_s``."""
    import queue as queues

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(seed, target, size, queue))
    proc.start()
    try:
        result = queue.get(timeout=timeout_s)
    except queues.Empty:
        proc.kill()
        proc.join()
        raise TimeoutError(f"clone of {size} docs: not resolved within {timeout_s:.0f} s") from None
    proc.join()
    if "error" in result:
        raise RuntimeError(f"clone of {size} docs: {result['error']}")
    return result


def count_documents(store: Path) -> int:
    con = db.connect(store, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
