"""A failure inside one sentence (or one stage) never loses the document (extract/guard.py)."""

from __future__ import annotations

import pytest

from newsgraph.errors import RejectedInput
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Analysis, Document
from newsgraph.outputs.export import SCHEMA_NAME, read_export, upgrade_v1


def _analysis() -> Analysis:
    return Analysis(document=Document(id="doc_x", source="x.txt", text="One. Two."))


def test_a_failing_sentence_is_recorded_and_the_next_one_still_runs():
    analysis, done = _analysis(), []
    for start, end, boom in ((0, 4, True), (5, 9, False)):
        with sentence_guard(analysis, "events", start, end):
            if boom:
                raise TypeError("unsupported type for timedelta quarters component")
            done.append(start)
    assert done == [5]
    [failure] = analysis.failures
    assert (failure.stage, failure.doc, failure.start, failure.end) == ("events", "doc_x", 0, 4)
    assert "TypeError" in failure.error and failure.where == "offset 0-4"


def test_a_deadline_is_not_swallowed():
    with pytest.raises(RejectedInput), sentence_guard(_analysis(), "events", 0, 4):
        raise RejectedInput("x.txt", "timeout", "over the limit")


def test_a_crashing_stage_keeps_the_document_and_logs_it(tmp_path, monkeypatch):
    from newsgraph import stages
    from newsgraph.archive import Archive

    def broken(analysis, ctx):
        raise ValueError("a bug in one stage")

    monkeypatch.setitem(stages._REGISTRY, "broken_for_test", (55, broken))
    (tmp_path / "a.txt").write_text(
        "Italian Defence Minister Guido Crosetto visited Tokyo on Monday for talks with his Japanese "
        "counterpart about the fighter programme and the carrier's summer deployment to the Pacific. " * 3,
        encoding="utf-8")
    with Archive(tmp_path / "s.duckdb") as archive:
        report = archive.ingest([tmp_path / "a.txt"])
        rows = archive.con.execute("SELECT status, reason, detail FROM ingest_log WHERE status = 'partial'").fetchall()
        n_entities = archive.con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert report.ingested == 1 and report.partial == 1 and not report.rejected
    assert rows == [("partial", "broken_for_test", "whole document: ValueError: a bug in one stage")]
    assert n_entities > 0  # the other stages' records were kept


def test_an_old_export_is_read_and_upgraded():
    old = {"schema": "newsgraph/1", "documents": [], "entities": [], "events": [], "quotes": [],
           "claims": [], "stories": []}
    assert read_export(old)["schema"] == SCHEMA_NAME
    assert upgrade_v1(old)["documents"] == []
    with pytest.raises(ValueError, match="unknown export schema 'newsgraph/0'"):
        read_export({**old, "schema": "newsgraph/0"})
