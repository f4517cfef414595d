"""End-to-end ingest: idempotent re-ingest, duplicates, bad inputs, an interrupted run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.archive import Archive

PARAGRAPHS = [
    "The navy of {country} sent the frigate {ship} to the northern sea on {day}, the defence ministry said, "
    "in a deployment planned to last {months} months.",
    "The ship will visit {ports} ports and train with partner navies before returning home, officials said. "
    "Analysts said the move showed a growing interest in the region.",
    "\"We want to be a reliable partner for every coastal state,\" said {minister}, the defence minister of "
    "{country}, at a press conference in the capital.",
    "Opposition lawmakers questioned the cost of the mission, which they put at {cost} million euros, and asked "
    "the government to publish its plans for the rest of the year.",
]
NAMES = [
    ("Freedonia", "Resolute", "Tuesday", 4, 3, "Anna Berg", 120),
    ("Sylvania", "Vigilant", "Monday", 5, 2, "Marco Rossi", 80),
    ("Ruritania", "Steadfast", "Friday", 3, 4, "Jan Novak", 95),
    ("Latveria", "Intrepid", "Sunday", 6, 5, "Elena Petrova", 150),
]


def article(i: int) -> str:
    country, ship, day, months, ports, minister, cost = NAMES[i % len(NAMES)]
    fields = dict(country=country, ship=ship, day=day, months=months + i, ports=ports, minister=minister,
                  cost=cost + i)
    return "\n\n".join(p.format(**fields) for p in PARAGRAPHS) + f"\n\nReport number {i}."


def write_corpus(root: Path, n: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"a{i:03d}.txt").write_text(f"Frigate {i} heads north\n\n{article(i)}\n", encoding="utf-8")
    return root


def ingest(db: Path, paths: list[Path], context, **kw):
    with Archive(db) as archive:
        archive._ctx = context
        report = archive.ingest(paths, **kw)
        return report, archive.export()


def test_reingesting_the_same_input_changes_nothing(tmp_path, context):
    corpus = write_corpus(tmp_path / "in", 4)
    first, export1 = ingest(tmp_path / "s.duckdb", [corpus], context)
    second, export2 = ingest(tmp_path / "s.duckdb", [corpus], context)
    assert first.ingested == 4 and second.ingested == 0 and second.unchanged == 4
    assert export1 == export2


def test_duplicates_are_linked_to_their_original(tmp_path, context):
    corpus = write_corpus(tmp_path / "in", 2)
    body = article(0)
    (corpus / "copy.jsonl").write_text(json.dumps({"title": "Copy", "text": body}) + "\n", encoding="utf-8")
    near = body.replace("northern sea", "far northern sea").replace("Report number 0.", "")
    (corpus / "zz_near.txt").write_text("Frigate heads north again\n\n" + near + "\n", encoding="utf-8")
    report, data = ingest(tmp_path / "s.duckdb", [corpus], context)
    docs = {d["source"].split("/")[-1]: d for d in data["documents"]}
    original = docs["a000.txt"]["id"]
    assert report.duplicates == 2
    dups = [d for d in data["documents"] if d["duplicate_of"]]
    assert {d["duplicate_of"] for d in dups} == {original}
    # duplicates carry no extracted records of their own
    mentioned = {m["doc"] for e in data["entities"] for m in e["mentions"]}
    assert not mentioned & {d["id"] for d in dups}


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path, context):
    corpus = write_corpus(tmp_path / "in", 2)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "broken.jsonl").write_text('{"title": "x", "text": \n', encoding="utf-8")
    report, _data = ingest(tmp_path / "s.duckdb", [corpus], context)
    assert report.ingested == 2
    reasons = {Path(r.path.split("#")[0]).name: r.reason for r in report.rejected}
    assert reasons["empty.txt"] == "empty"
    assert reasons["image.txt"] == "binary"
    assert reasons["broken.jsonl"] == "malformed"
    assert all(str(r).startswith(r.path) for r in report.rejected)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsgraph.cli.main", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_strict_makes_a_rejection_fatal_but_keeps_what_was_stored(tmp_path):
    corpus = write_corpus(tmp_path / "in", 2)
    (corpus / "empty.txt").write_bytes(b"")
    db = tmp_path / "s.duckdb"
    run = _cli("ingest", str(corpus), "--db", str(db), "--strict", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "empty.txt: empty" in run.stderr
    with Archive(db, read_only=True) as archive:
        assert archive.overview()["counts"]["documents"] == 2


KILLER = """
import os, signal, sys
from newsgraph.store import write
limit, calls = int(sys.argv[1]), [0]
original = write.write_batch
def write_then_maybe_die(*args, **kw):
    calls[0] += 1
    if calls[0] > limit:
        os.kill(os.getpid(), signal.SIGKILL)  # die before this batch's transaction
    return original(*args, **kw)
write.write_batch = write_then_maybe_die
from newsgraph.cli.main import app
sys.argv = ["newsgraph", *sys.argv[2:]]
app()
"""


@pytest.mark.slow
def test_an_interrupted_ingest_completes_when_run_again(tmp_path):
    corpus = write_corpus(tmp_path / "in", 12)
    killed, clean = tmp_path / "killed.duckdb", tmp_path / "clean.duckdb"
    run = subprocess.run([sys.executable, "-c", KILLER, "2", "ingest", str(corpus), "--db", str(killed)],
                         capture_output=True, text=True, timeout=600, env=os.environ | {"NEWSGRAPH_BATCH_SIZE": "4"})
    assert run.returncode == -9
    with Archive(killed, read_only=True) as archive:
        half = archive.overview()["counts"]["documents"]
    assert half == 8  # two whole batches of four; the third batch's transaction never began
    assert _cli("ingest", str(corpus), "--db", str(killed), cwd=tmp_path).returncode == 0
    assert _cli("ingest", str(corpus), "--db", str(clean), cwd=tmp_path).returncode == 0
    exports = []
    for db in (killed, clean):
        with Archive(db, read_only=True) as archive:
            exports.append(archive.export())
    assert exports[0] == exports[1]


def test_a_document_that_hangs_a_stage_is_rejected_and_the_batch_goes_on(tmp_path, context, monkeypatch):
    import time

    from newsgraph import stages

    def hang_on_report_one(analysis, ctx):
        while "Report number 1." in analysis.document.text:
            time.sleep(0.05)

    monkeypatch.setitem(stages._REGISTRY, "hang", (99, hang_on_report_one))
    monkeypatch.setattr(context.settings, "doc_time_limit_s", 1.0)
    corpus = write_corpus(tmp_path / "in", 3)
    report, data = ingest(tmp_path / "s.duckdb", [corpus], context)
    assert report.ingested == 2
    assert [(Path(r.path).name, r.reason) for r in report.rejected] == [("a001.txt", "timeout")]
    assert len(data["documents"]) == 2


def test_a_document_the_store_refuses_is_rejected_and_the_batch_keeps_the_others(tmp_path, context, monkeypatch):
    from newsgraph import stages

    def twice_on_report_one(analysis, ctx):  # a stage bug: one entity listed twice (one primary key, two rows)
        if "Report number 1." in analysis.document.text and analysis.entities:
            analysis.entities.append(analysis.entities[0])

    monkeypatch.setitem(stages._REGISTRY, "twice", (99, twice_on_report_one))
    corpus = write_corpus(tmp_path / "in", 3)
    report, data = ingest(tmp_path / "s.duckdb", [corpus], context)
    assert report.ingested == 2
    assert [(Path(r.path).name, r.reason) for r in report.rejected] == [("a001.txt", "store_failed")]
    assert "Constraint" in report.rejected[0].detail
    assert sorted(Path(d["source"]).name for d in data["documents"]) == ["a000.txt", "a002.txt"]
    assert all(e["mentions"] for e in data["entities"])
