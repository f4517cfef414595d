"""Processes that run the per-document work: spaCy and every registered stage, in ``n_process`` workers.

The work itself is ``pipeline.analyse_documents`` (nlp → stages → store rows for a chunk of
documents); this module only runs it: in the ingesting process when ``n_process`` is 1
(``InProcess``), else in ``AnalysisPool``'s worker processes, so the stages scale with the cores
exactly as raw ``nlp.pipe(n_process=...)`` does while the ingesting process reads, deduplicates
and writes.

Workers are forked from the ingesting process after it loaded the context (spaCy model, KB
ruler, settings), so the model is loaded once and shared copy-on-write; a worker dies with its
parent (``PR_SET_PDEATHSIG``), so a killed ingest leaves no orphan behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from newsgraph.settings import cores
from newsgraph.stages import Context

Work = Callable[[list, Context], list]
Prepare = Callable[[list, Context], object]


# -- the pool ---------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}  # the context a forked worker inherited


def _run(work: Work, items: list) -> list:
    return work(items, _WORKER["ctx"])


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the ingesting process dies (a kill -9 included)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


class AnalysisPool:
    """``n_process`` forked workers sharing the loaded context; ``submit`` returns a future per chunk.

    ``prepare(items, ctx)``, when given, runs in this process before the workers are forked, with the
    first items submitted: what it loads (``warmup.warm``) every worker inherits instead of loading it."""

    def __init__(self, ctx: Context, n_process: int, work: Work, prepare: Prepare | None = None) -> None:
        self.ctx = ctx
        self.n_process = n_process
        self.work = work
        self.prepare = prepare
        self._pool: ProcessPoolExecutor | None = None

    def _start(self, items: list) -> ProcessPoolExecutor:
        if self._pool is None:
            if self.prepare is not None:
                self.prepare(items, self.ctx)
            _WORKER["ctx"] = self.ctx  # inherited by the forked workers: nothing is pickled or reloaded
            self._pool = ProcessPoolExecutor(self.n_process, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_die_with_parent)
        return self._pool

    def submit(self, items: list) -> Future:
        return self._start(items).submit(_run, self.work, items)

    def chunks(self, docs: list) -> Iterator[list]:
        """``docs`` split into one chunk per worker (a read batch keeps every core busy)."""
        size = max(1, -(-len(docs) // self.n_process))
        for start in range(0, len(docs), size):
            yield docs[start:start + size]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            _WORKER.pop("ctx", None)


class InProcess:
    """The same interface, analysing in the calling process (``n_process`` = 1: no pickling, no fork)."""

    n_process = 1

    def __init__(self, ctx: Context, work: Work) -> None:
        self.ctx = ctx
        self.work = work

    def submit(self, items: list) -> Future:
        future: Future = Future()
        future.set_result(self.work(items, self.ctx))
        return future

    def chunks(self, docs: list) -> Iterator[list]:
        if docs:
            yield docs

    def close(self) -> None:
        return None


def make_pool(ctx: Context, work: Work, n_process: int | None = None,
              prepare: Prepare | None = None) -> AnalysisPool | InProcess:
    """Workers for ``work(items, ctx)``: ``n_process``, else ``Settings.n_process``, else one per core.

    ``prepare`` runs before workers are forked; in one process nothing is forked, and what it would
    load is loaded on first use instead."""
    n = n_process or ctx.settings.n_process or cores()
    if n <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return InProcess(ctx, work)
    return AnalysisPool(ctx, n, work, prepare)
