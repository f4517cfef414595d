"""The store: migrations, atomic per-document writes, full-text search."""

from __future__ import annotations

import duckdb
import pytest

from newsgraph.model import Analysis, Document, Mention
from newsgraph.store import db, search, write


def _analysis(
    doc_id: str = "d1", text: str = "The frigate Alpha arrived in Harbourtown on Monday.", title: str = "Frigate arrives"
) -> Analysis:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, title=title)
    mention = Mention(doc=doc_id, start=12, end=17, text="Alpha", label="VESSEL", entity="local1")
    return Analysis(document=doc, mentions=[mention])


def test_migrations_run_once_and_record_the_version(tmp_path):
    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    first = db.schema_version(con)
    con.close()
    con = db.connect(path)
    assert db.schema_version(con) == first >= 1
    # numbers are reserved per change and may have gaps: one row per migration file
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(db._migrations())


def test_a_migration_that_lands_after_a_higher_one_still_runs(tmp_path, monkeypatch):
    real = db._migrations()
    path = tmp_path / "s.duckdb"
    monkeypatch.setattr(db, "_migrations", lambda: [*real, (900, "late_high", "CREATE TABLE late_high (x INTEGER)")])
    db.connect(path).close()
    monkeypatch.setattr(db, "_migrations", lambda: sorted([*real, (900, "late_high", "CREATE TABLE late_high (x INTEGER)"),
                                                           (800, "late_low", "CREATE TABLE late_low (x INTEGER)")]))
    con = db.connect(path)
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"late_high", "late_low"} <= tables
    assert db.schema_version(con) == 900


def test_write_is_atomic(tmp_path, monkeypatch):
    con = db.connect(tmp_path / "s.duckdb")
    broken = _analysis("d2")
    broken.mentions.append(Mention(doc="d2", start=0, end=1, text="T", label=None, entity=None))  # NOT NULL label
    with pytest.raises(duckdb.Error):
        write.write_analysis(con, broken)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    write.write_analysis(con, _analysis("d1"))
    assert con.execute("SELECT count(*) FROM mentions WHERE doc = 'd1'").fetchone()[0] == 1


def test_read_only_store_must_exist(tmp_path):
    from newsgraph.errors import StoreError

    with pytest.raises(StoreError, match="no such database"):
        db.connect(tmp_path / "missing.duckdb", read_only=True)


def test_full_text_search_ranks_matching_documents(tmp_path):
    con = db.connect(tmp_path / "s.duckdb")
    write.write_analysis(con, _analysis("d1"))
    write.write_analysis(con, _analysis("d2", "Ministers met in the capital to discuss the budget.", "Budget talks"))
    search.update_index(con)
    hits, total = search.search(con, "frigate")
    assert [h["id"] for h in hits] == ["d1"] and total == 1
    assert search.search(con, "budget ministers")[0][0]["id"] == "d2"
