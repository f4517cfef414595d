"""The local pipeline: read → clean → dedupe → nlp → extract → store → resolve.

The ingesting process reads, cleans and deduplicates a batch of ``Settings.batch_size``
inputs, hands the fresh documents to the analysis workers (``newsgraph.workers``: spaCy and
every registered stage, in ``Settings.n_process`` processes) and, while they work on the next
batches, writes each finished batch in one transaction (one Arrow insert per table). Errors
are caught at the boundary of each document, reported, and the batch goes on.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from newsgraph.errors import RejectedInput
from newsgraph.extract.guard import sentence_guard
from newsgraph.ingest import dedup, published
from newsgraph.ingest.limits import time_limit
from newsgraph.ingest.readers import RawArticle, iter_inputs
from newsgraph.lang.detect import resolve_language
from newsgraph.lang.plan import needs_english_parse, plan_for, stage_functions
from newsgraph.lang.scripts import count_units
from newsgraph.model import Analysis, Document, content_hash, stable_id
from newsgraph.settings import Settings
from newsgraph.stages import Context
from newsgraph.store import write
from newsgraph.workers import make_pool

__all__ = ["IngestReport", "Ingestor", "analyse", "analyse_documents", "assign_language", "english_parses", "finish",
           "prepare_workers", "time_limit", "to_document"]

MinHash = tuple[bytes, list[tuple[int, int]]]


@dataclass
class IngestReport:
    ingested: int = 0
    duplicates: int = 0
    unchanged: int = 0
    partial: int = 0  # stored, but some stage failed on some sentence (ingest_log status 'partial')
    rejected: list[RejectedInput] = field(default_factory=list)
    words: int = 0

    def reasons(self) -> Counter[str]:
        return Counter(r.reason for r in self.rejected)


def assign_language(doc: Document) -> Document:
    """Fill a document's language (with confidence and basis) where nobody set it yet."""
    if doc.language is None or doc.language_basis is None:
        guess = resolve_language(doc.language, doc.text, doc.title)
        doc.language, doc.language_confidence, doc.language_basis = guess.code, guess.confidence, guess.basis
    return doc


def to_document(raw: RawArticle) -> Document:
    """The record of one read article, dated on the best evidence there is (``ingest.published``)."""
    body_hash = content_hash(raw.text)
    language = resolve_language(raw.language, raw.text, raw.title)
    doc = Document(
        id=stable_id("doc", raw.source, body_hash),
        source=raw.source,
        text=raw.text,
        title=raw.title,
        outlet=raw.outlet,
        author=raw.author,
        published=raw.published,
        published_basis=raw.published_basis if raw.published else None,
        language=language.code,
        language_confidence=language.confidence,
        language_basis=language.basis,
        charset=raw.charset,
        encoding_issue=raw.encoding_issue,
        url=raw.url,
        removed=list(raw.removed),
        format=raw.format,
        content_hash=body_hash,
    )
    published.apply(doc)
    return doc


def analyse(document: Document, ctx: Context, nlp_doc: object | None = None) -> Analysis:
    """Run the per-document stages that the document's language plan names (``lang.plan``).

    Only an English document is parsed by the English model; ``nlp_doc`` is its parse when the
    caller batched it (``nlp.pipe``), and is ignored for any other language.
    """
    analysis = Analysis(document=assign_language(document))
    plan = plan_for(document.language)
    if plan.english_model:
        analysis.nlp = nlp_doc if nlp_doc is not None else ctx.nlp(document.text)
    for name, run in stage_functions(plan):
        with sentence_guard(analysis, name):  # one failing stage loses its own records, not the document
            run(analysis, ctx)
    analysis.nlp = None
    return analysis


def english_parses(nlp, docs: list[Document], batch_size: int) -> Iterator[object | None]:
    """The English model's parse of each English document (batched), None for every other language."""
    english = [doc.text for doc in docs if needs_english_parse(assign_language(doc).language)]
    parsed = iter(nlp.pipe(english, batch_size=batch_size)) if english else iter(())
    for doc in docs:
        yield next(parsed) if needs_english_parse(doc.language) else None


@dataclass
class Analysed:
    """One document's outcome: its rows (stored) or why it was rejected."""

    doc: Document
    rows: dict[str, list[list[Any]]] | None = None
    words: int = 0
    partial: bool = False
    rejected: tuple[str, str, str] | None = None  # (path, reason, detail): exceptions pickle poorly


def analyse_documents(docs: list[tuple[Document, MinHash | None]], ctx: Context) -> list[Analysed]:
    """What one worker does with a chunk: spaCy over the texts, every stage on each document, store rows.

    Rejections (timeout, a stage bug that escaped its guard) are outcomes, not errors: the batch goes on.
    """
    parses = english_parses(ctx.nlp, [doc for doc, _ in docs], ctx.settings.batch_size)
    out = []
    for (doc, minhash), nlp_doc in zip(docs, parses, strict=True):
        try:
            with time_limit(ctx.settings.doc_time_limit_s, doc.source):
                analysis = analyse(doc, ctx, nlp_doc)
        except RejectedInput as err:
            out.append(Analysed(doc, rejected=(err.path, err.reason, err.detail)))
            continue
        except Exception as exc:  # a bug in one stage must not sink the batch: report it with the file
            out.append(Analysed(doc, rejected=(doc.source, "extraction_failed", f"{type(exc).__name__}: {exc}")))
            continue
        out.append(Analysed(doc, write.analysis_rows(analysis, minhash), count_units(doc.text), bool(analysis.failures)))
    return out


def prepare_workers(items: list[tuple[Document, MinHash | None]], ctx: Context) -> None:
    """Before the workers fork: every one-off table of the stages, for English and the languages of the
    first documents (``warmup.warm``); a language seen only later is loaded by the workers that meet it."""
    from newsgraph.warmup import warm

    warm(ctx, sorted({doc.language for doc, _ in items if doc.language}))


def _batches(items: Iterable[RawArticle | RejectedInput], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


IN_FLIGHT = 2  # read batches analysed ahead of the one being written: the workers never wait for a write


@dataclass
class _Batch:
    """Documents handed to the workers, and the duplicates that wait for their originals."""

    futures: list[Future]
    duplicates: list[Document]


class Ingestor:
    """Ingests inputs into one store; reusable across calls (the Spark loader and the server use it too).

    ``n_process`` (default ``Settings.n_process``, else the number of cores) analysis processes;
    call ``close()`` (``run`` does) to stop them.
    """

    def __init__(self, con, ctx: Context, n_process: int | None = None) -> None:
        self.con = con
        self.ctx = ctx
        self.settings: Settings = ctx.settings
        self.finder = dedup.DuplicateFinder(con, self.settings)
        self.report = IngestReport()
        self.pool = make_pool(ctx, analyse_documents, n_process, prepare=prepare_workers)
        self._duplicates: list[Document] = []  # found in the current batch, written after their originals
        self._inflight: deque[_Batch] = deque()
        self._pending: set[str] = set()  # ids handed to the workers and not written yet

    def run(self, paths: list[Path], meta: dict | None = None, progress=None) -> IngestReport:
        return self.run_items(iter_inputs(paths, meta=meta, settings=self.settings), progress)

    def run_items(self, items: Iterable[RawArticle | RejectedInput], progress=None) -> IngestReport:
        """Ingest articles already read and cleaned (``newsgraph watch`` hands fetched pages in here)."""
        try:
            for batch in _batches(items, self.settings.batch_size):
                self._submit(batch)
                self._drain(IN_FLIGHT)
                if progress is not None:
                    progress(len(batch))
            self._drain(0)
        finally:
            self.close()
        return self.report

    def close(self) -> None:
        """Stop the analysis workers (a later batch starts them again)."""
        self.pool.close()

    def _reject(self, err: RejectedInput) -> None:
        self.report.rejected.append(err)
        write.log_rejection(self.con, err.path, err.reason, err.detail)

    def _ingest_batch(self, batch: list[RawArticle | RejectedInput]) -> None:
        """One batch analysed and written before returning."""
        self._submit(batch)
        self._drain(0)

    def _submit(self, batch: list[RawArticle | RejectedInput]) -> None:
        queue: list[Document] = []
        for item in batch:
            if isinstance(item, RejectedInput):
                self._reject(item)
            else:
                queue.append(to_document(item))
        self._submit_documents(queue)

    def _submit_documents(self, docs: list[Document]) -> None:
        fresh: list[tuple[Document, tuple]] = []
        self._duplicates = []
        for doc in docs:
            self._triage(doc, fresh)
        self._pending.update(doc.id for doc, _ in fresh)
        futures = [self.pool.submit(chunk) for chunk in self.pool.chunks(fresh)]
        self._inflight.append(_Batch(futures, self._duplicates))

    def _drain(self, keep: int) -> None:
        while len(self._inflight) > keep:
            self._complete(self._inflight.popleft())

    def _triage(self, doc: Document, fresh: list) -> None:
        """Skip what is stored, set duplicates aside for their original, queue the rest for analysis."""
        if doc.id in self._pending or write.document_exists(self.con, doc.id):
            self.report.unchanged += 1
            return
        original = self.finder.exact(doc.content_hash)
        sig = keys = None
        if original is None or original == doc.id:  # never its own duplicate
            sig = dedup.signature(doc.text, self.settings)
            keys = dedup.band_keys(sig, dedup.lsh_bands_for(self.settings))
            original, _ = self.finder.near(sig, keys)
        if original is not None and original != doc.id:
            doc.duplicate_of = original
            self._duplicates.append(doc)
            return
        self.finder.remember(doc.id, doc.content_hash, sig, keys)
        fresh.append((doc, (sig.tobytes(), keys)))

    def _complete(self, batch: _Batch) -> None:
        """Write one batch (its analysed documents, then the duplicates whose original is stored) at once.

        A duplicate is written in its original's transaction or a later one: a kill can never leave
        a link to a document that is not there (a rerun would then take the original for a copy).
        Duplicates whose original was rejected are analysed themselves, in a new batch.
        """
        rows, stored = [], set()
        for done in (a for future in batch.futures for a in future.result()):
            self._pending.discard(done.doc.id)
            if done.rejected is not None:
                self.finder.forget(done.doc.id)  # not stored, so no later copy may point to it
                self._reject(RejectedInput(*done.rejected))
                continue
            rows.append(done.rows)
            stored.add(done.doc.id)
            self.report.ingested += 1
            self.report.partial += done.partial
            self.report.words += done.words
        orphans = []
        for doc in batch.duplicates:
            if doc.duplicate_of in stored or write.document_exists(self.con, doc.duplicate_of):
                rows.append(write.analysis_rows(Analysis(document=doc)))
                self.report.duplicates += 1
            else:
                doc.duplicate_of = None
                orphans.append(doc)
        orphans += self._write(rows, {doc.id: doc for doc in batch.duplicates})
        if orphans:
            self._submit_documents(orphans)

    def _write(self, rows: list[write.Rows], duplicates: dict[str, Document]) -> list[Document]:
        """Write a batch at once; when the store refuses it, write its documents one by one so that one
        document's rows never cost the others theirs. A document the store refuses alone is rejected
        (``store_failed``, naming its file and the store's reason); a duplicate whose original was
        refused is returned, to be analysed on its own."""
        try:
            write.write_batch(self.con, rows)
            return []
        except duckdb.Error:
            pass
        refused: set[str] = set()
        orphans = []
        for one in rows:
            doc_id, source, duplicate_of = write.document_keys(one)
            if duplicate_of in refused:
                duplicates[doc_id].duplicate_of = None
                orphans.append(duplicates[doc_id])
                self.report.duplicates -= 1
                continue
            try:
                write.write_batch(self.con, [one])
            except duckdb.Error as exc:
                refused.add(doc_id)
                self.finder.forget(doc_id)
                if duplicate_of is None:
                    self.report.ingested -= 1
                else:
                    self.report.duplicates -= 1
                self._reject(RejectedInput(source, "store_failed", f"{type(exc).__name__}: {exc}"))
        return orphans


def finish(con, ctx: Context) -> None:
    """Corpus-level steps after an ingest: resolution, the search index, the read views."""
    from newsgraph import views
    from newsgraph.resolve import resolve_all
    from newsgraph.store import search

    resolve_all(con, ctx)
    search.update_index(con)
    views.refresh(con)
