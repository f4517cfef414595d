"""Analysis in worker processes (newsgraph.workers): same store as in-process, batches, no orphans."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from newsgraph.archive import Archive
from newsgraph.pipeline import Ingestor
from newsgraph.store import db
from newsgraph.workers import AnalysisPool, InProcess, make_pool

PORTS = ("Norvik", "Salt Haven", "Cape Orla", "Bremmar")


def article(i: int) -> str:
    port = PORTS[i % len(PORTS)]
    return (f"Patrol ship Vesta {i} calls at {port}\n\n"
            f"The patrol ship Vesta {i} of the Ardenian navy called at {port} on {i % 27 + 1} May 2025 with "
            f"{40 + i} sailors aboard, the port authority said. Captain Iona Brell told reporters that the "
            f"visit would last {2 + i % 5} days and that the crew would train with the harbour pilots.\n\n"
            f"Officials in {port} said the ship would leave for the northern fishing grounds afterwards.")


def corpus(root: Path, n: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"v{i:03d}.txt").write_text(article(i) + "\n", encoding="utf-8")
    return root


def test_the_pool_follows_n_process(context):
    assert isinstance(make_pool(context, lambda items, ctx: items, 1), InProcess)
    pool = make_pool(context, lambda items, ctx: items, 2)
    assert isinstance(pool, AnalysisPool)
    assert [len(c) for c in pool.chunks(list(range(7)))] == [4, 3]


@pytest.mark.slow
def test_two_workers_store_what_one_process_stores(tmp_path, context, monkeypatch):
    docs = corpus(tmp_path / "in", 9)
    monkeypatch.setattr(context.settings, "batch_size", 4)  # three batches, two in flight
    exports = {}
    for n in (1, 2):
        path = tmp_path / f"n{n}.duckdb"
        con = db.connect(path)
        try:
            ingestor = Ingestor(con, context, n_process=n)
            report = ingestor.run([docs])
        finally:
            con.close()
        assert report.ingested == 9 and not report.rejected
        assert multiprocessing.active_children() == []  # run() stops its workers
        with Archive(path, read_only=True) as archive:
            exports[n] = archive.export()
    assert exports[1] == exports[2]
    assert len(exports[2]["documents"]) == 9
