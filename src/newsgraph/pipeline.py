"""The local pipeline: read → clean → dedupe → nlp → extract → store → resolve.

Each document is analysed by the registered stages and written in its own
transaction; errors are caught at the boundary of each document, reported, and
the batch goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
from newsgraph.store import db, write

__all__ = ["IngestReport", "Ingestor", "analyse", "assign_language", "english_parses", "finish", "time_limit", "to_document"]


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


def _batches(items: Iterable[RawArticle | RejectedInput], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Ingestor:
    """Ingests inputs into one store; reusable across calls (the Spark loader and the server use it too)."""

    def __init__(self, con, ctx: Context) -> None:
        self.con = con
        self.ctx = ctx
        self.settings: Settings = ctx.settings
        self.finder = dedup.DuplicateFinder(con, self.settings)
        self.report = IngestReport()
        self._duplicates: list[Document] = []  # found in the current batch, written after their originals

    def run(self, paths: list[Path], meta: dict | None = None, progress=None) -> IngestReport:
        items = iter_inputs(paths, meta=meta, settings=self.settings)
        for batch in _batches(items, self.settings.batch_size):
            self._ingest_batch(batch)
            if progress is not None:
                progress(len(batch))
        return self.report

    def run_items(self, items: Iterable[RawArticle | RejectedInput], progress=None) -> IngestReport:
        """Ingest articles already read and cleaned (``newsgraph watch`` hands fetched pages in here)."""
        for batch in _batches(items, self.settings.batch_size):
            self._ingest_batch(batch)
            if progress is not None:
                progress(len(batch))
        return self.report

    def _reject(self, err: RejectedInput) -> None:
        self.report.rejected.append(err)
        write.log_rejection(self.con, err.path, err.reason, err.detail)

    def _ingest_batch(self, batch: list[RawArticle | RejectedInput]) -> None:
        queue: list[Document] = []
        for item in batch:
            if isinstance(item, RejectedInput):
                self._reject(item)
            else:
                queue.append(to_document(item))
        while queue:  # a copy whose original was rejected is triaged again, and may become the original
            fresh: list[tuple[Document, tuple]] = []
            self._duplicates = []
            for doc in queue:
                self._triage(doc, fresh)
            for (doc, minhash), nlp_doc in zip(fresh, self._parses([doc for doc, _ in fresh]), strict=True):
                self._analyse_and_store(doc, nlp_doc, minhash)
            queue = self._store_duplicates()

    def _parses(self, docs: list[Document]) -> Iterator[object | None]:
        return english_parses(self.ctx.nlp, docs, self.settings.batch_size)

    def _triage(self, doc: Document, fresh: list) -> None:
        """Skip what is stored, set duplicates aside for their original, queue the rest for analysis."""
        if write.document_exists(self.con, doc.id):
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

    def _store_duplicates(self) -> list[Document]:
        """Link duplicates whose original is stored; return the others (their original was rejected).

        Written only after the original's own transaction: a kill in between must never leave a
        link to a document that is not there (a rerun would then take the original for a copy).
        """
        orphans = []
        for doc in self._duplicates:
            if write.document_exists(self.con, doc.duplicate_of):
                write.write_analysis(self.con, Analysis(document=doc))
                self.report.duplicates += 1
            else:
                doc.duplicate_of = None
                orphans.append(doc)
        return orphans

    def _analyse_and_store(self, doc: Document, nlp_doc: object, minhash: tuple) -> None:
        try:
            with time_limit(self.settings.doc_time_limit_s, doc.source):
                analysis = analyse(doc, self.ctx, nlp_doc)
        except RejectedInput as err:
            self.finder.forget(doc.id)  # not stored, so no later copy may point to it
            self._reject(err)
            return
        except Exception as exc:  # a bug in one stage must not sink the batch: report it with the file
            self.finder.forget(doc.id)
            self._reject(RejectedInput(doc.source, "extraction_failed", f"{type(exc).__name__}: {exc}"))
            return
        write.write_analysis(self.con, analysis, minhash)
        self.report.ingested += 1
        self.report.partial += bool(analysis.failures)
        self.report.words += count_units(doc.text)


def finish(con, ctx: Context) -> None:
    """Corpus-level steps after an ingest: resolution, then the search index."""
    from newsgraph.resolve import resolve_all

    resolve_all(con, ctx)
    db.rebuild_search_index(con)
