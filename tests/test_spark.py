"""The Spark path (spark ingest → Parquet → load) against the local ingest, and the rows in between."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsgraph.model import Analysis, Document, Mention, Quantity, Span
from newsgraph.spark import rows

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "newsgraph" / "data" / "sample"


def _analysis() -> Analysis:
    text = "The frigate Aurora left port on Monday with 120 sailors aboard, the navy said."
    doc = Document(id="doc_t", source="made-up.txt", text=text, published="2024-05-02")
    a = Analysis(document=doc)
    a.mentions.append(Mention("doc_t", 12, 18, "Aurora", "VESSEL", entity="doc_t:e1"))
    a.quantities.append(Quantity("120 sailors", 120, "sailor", span=Span("doc_t", 43, 54, "120 sailors")))
    return a


def test_rows_follow_store_schema_and_types():
    found = list(rows.analysis_rows(_analysis()))
    tables = [t for t, _ in found]
    assert tables[0] == "documents" and "mentions" in tables and "quantities" in tables
    for table, row in found:
        assert len(row) == len(rows.columns(table))
    quantity = dict(zip([n for n, _ in rows.columns("quantities")], dict(found)["quantities"], strict=True))
    assert isinstance(quantity["value"], float) and quantity["value"] == 120.0  # DOUBLE column, int given
    assert (quantity["start"], quantity["end"]) == (43, 54)


def test_rows_insert_into_a_store(tmp_path):
    """Every Parquet row fits its store table: insert them all into a migrated store."""
    from newsgraph.store.db import connect

    con = connect(tmp_path / "s.duckdb")
    for table, row in rows.analysis_rows(_analysis()):
        names = ", ".join(f'"{n}"' for n, _ in rows.columns(table))
        con.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)})", list(row))
    assert con.execute("SELECT text, label FROM mentions").fetchall() == [("Aurora", "VESSEL")]
    assert str(con.execute("SELECT published FROM documents").fetchone()[0]) == "2024-05-02"


def test_triage_links_exact_and_near_copies_to_the_first():
    from newsgraph.ingest import dedup
    from newsgraph.settings import Settings
    from newsgraph.store.db import migrate

    settings = Settings()
    con = duckdb.connect()
    migrate(con)
    triage = rows.Triage(con, settings)
    base = " ".join(f"The convoy passed checkpoint {i} before dawn and the crews reported calm seas." for i in range(12))
    near = base.replace("checkpoint 11", "checkpoint eleven")
    other = " ".join(f"Parliament debated budget line {i} late into the night without a vote." for i in range(12))

    def decide(doc_id, text):
        sig = dedup.signature(text, settings)
        return triage.decide(doc_id, doc_id + text[:5], sig, dedup.band_keys(sig, dedup.lsh_bands_for(settings)))

    assert decide("a", base) is None
    assert triage.decide("b", "a" + base[:5]) == "a"  # same body hash as a: exact copy
    assert decide("c", near) == "a"  # a near-copy links to the first, not to itself
    assert decide("d", other) is None


def test_plan_lists_files_in_local_order():
    from newsgraph.ingest.readers import iter_inputs
    from newsgraph.spark.job import plan_inputs

    plan = plan_inputs([SAMPLE], meta=SAMPLE / "meta.jsonl")
    listed = [path for _, path, _ in plan.units]
    seen = list(dict.fromkeys(item.source.partition("#")[0] for item in iter_inputs([SAMPLE], meta=SAMPLE / "meta.jsonl")))
    assert listed == seen
    numbers = [n for n, _, _ in plan.units]
    assert numbers == sorted(numbers)
    assert not any(p.endswith(("meta.jsonl", "README.md", "designed.yaml")) for p in listed)


@pytest.fixture(scope="module")
def spark_store(tmp_path_factory, request):
    """The sample corpus through `newsgraph spark ingest` and `newsgraph load` (the CLI, as a user runs it).

    The Spark job runs in a subprocess while the local store (conftest's ``sample_db``) is being built.
    """
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    out = tmp_path_factory.mktemp("spark")
    cli = [sys.executable, "-m", "newsgraph.cli.main"]
    job = subprocess.Popen([*cli, "spark", "ingest", str(SAMPLE), "--output", str(out / "parquet"),
                            "--meta", str(SAMPLE / "meta.jsonl")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    request.getfixturevalue("sample_db")  # built meanwhile (or already built by another module)
    log, _ = job.communicate(timeout=600)
    assert job.returncode == 0, log[-3000:]
    db = out / "spark.duckdb"
    loaded = subprocess.run([*cli, "load", str(out / "parquet"), "--db", str(db)], capture_output=True, text=True,
                            timeout=600)
    assert loaded.returncode == 0, loaded.stdout[-2000:] + loaded.stderr[-2000:]
    return out / "parquet", db


@pytest.mark.slow
def test_parquet_tables_have_the_store_schema(spark_store):
    parquet, _ = spark_store
    con = duckdb.connect()
    for table in rows.PARQUET_TABLES:
        found = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet / table}/*.parquet')").fetchall()
        assert [r[0] for r in found] == [n for n, _ in rows.columns(table)], table


@pytest.mark.slow
def test_spark_path_gives_the_local_export(spark_store, sample_db):
    from newsgraph.archive import Archive

    _, db = spark_store
    with Archive(sample_db, read_only=True) as archive:
        local = archive.export()
    with Archive(db, read_only=True) as archive:
        spark = archive.export()
    assert len(spark["documents"]) == len(local["documents"]) > 0
    for key in local:
        assert spark[key] == local[key], key
    duplicates = {d["source"].split("/sample/")[1]: d["duplicate_of"] for d in spark["documents"] if d["duplicate_of"]}
    assert len(duplicates) == 2


@pytest.mark.slow
def test_load_again_is_a_no_op(spark_store, tmp_path):
    from newsgraph.store.db import connect

    parquet, db = spark_store
    copy = tmp_path / "again.duckdb"
    shutil.copy(db, copy)
    con = connect(copy)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in rows.PARQUET_TABLES}
    report = rows.load(con, parquet)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in rows.PARQUET_TABLES}
    assert report.ingested == 0 and report.unchanged == before["documents"]
    assert after == before
