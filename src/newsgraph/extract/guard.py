"""Failure isolation inside one document: a bug in one sentence (or one stage) never loses the document.

Stages wrap their per-sentence work in ``sentence_guard``::

    for sent in doc.sents:
        with sentence_guard(analysis, "events", sent.start_char, sent.end_char):
            ...

An exception inside the block is recorded on ``analysis.failures`` with the stage, the document
id and the character offsets, logged, and swallowed; the stage goes on with the next sentence.
``pipeline.analyse`` applies the same rule to whole stages. The store keeps every failure in
``ingest_log`` (status ``partial``), so "why is this sentence missing its events?" has an answer.
A deadline (``RejectedInput`` for a timeout) is not a failure of one sentence: it still propagates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from newsgraph.errors import RejectedInput
from newsgraph.model import Analysis, StageFailure

log = logging.getLogger("newsgraph.extract")


def record_failure(analysis: Analysis, stage: str, start: int | None, end: int | None, exc: BaseException) -> None:
    failure = StageFailure(stage=stage, doc=analysis.document.id, start=start, end=end,
                           error=f"{type(exc).__name__}: {exc}"[:500])
    analysis.failures.append(failure)
    log.warning("%s: %s failed at %s: %s", analysis.document.source, stage, failure.where, failure.error)


@contextmanager
def sentence_guard(analysis: Analysis, stage: str, start: int | None = None,
                   end: int | None = None) -> Iterator[None]:
    """Run the block; on an exception record it against this span and carry on."""
    try:
        yield
    except RejectedInput:
        raise
    except Exception as exc:
        record_failure(analysis, stage, start, end, exc)
