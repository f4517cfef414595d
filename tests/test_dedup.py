"""Exact and near-duplicate detection with MinHash LSH."""

from __future__ import annotations

from newsgraph.ingest import dedup
from newsgraph.model import Analysis, Document, content_hash
from newsgraph.settings import Settings
from newsgraph.store import db, write

BASE = (
    "The navy of Freedonia sent its largest destroyer to the northern sea on Tuesday, officials said, "
    "in a deployment planned to last four months. The ship will visit three ports and train with partner "
    "navies before returning home in the spring. Analysts said the move showed a growing interest in the "
    "region and a wish to be seen as a reliable partner by smaller coastal states. "
)


def _store(con, doc_id: str, text: str, settings: Settings) -> None:
    sig = dedup.signature(text, settings)
    keys = dedup.band_keys(sig, dedup.lsh_bands_for(settings))
    write.write_analysis(con, Analysis(document=Document(id=doc_id, source=doc_id, text=text)), (sig.tobytes(), keys))


def test_exact_duplicate_found_by_hash(tmp_path):
    settings = Settings()
    con = db.connect(tmp_path / "s.duckdb")
    _store(con, "a", BASE, settings)
    finder = dedup.DuplicateFinder(con, settings)
    assert finder.exact(content_hash("  " + BASE.upper())) == "a"


def test_near_duplicate_found_and_unrelated_text_not(tmp_path):
    settings = Settings()
    con = db.connect(tmp_path / "s.duckdb")
    _store(con, "a", BASE * 3, settings)
    finder = dedup.DuplicateFinder(con, settings)
    edited = (BASE * 3).replace("on Tuesday", "on Wednesday")
    sig = dedup.signature(edited, settings)
    original, sim = finder.near(sig, dedup.band_keys(sig, dedup.lsh_bands_for(settings)))
    assert original == "a" and sim >= settings.minhash_threshold
    other = "Farmers in the valley reported a record harvest of apples and pears this autumn. " * 5
    sig = dedup.signature(other, settings)
    assert finder.near(sig, dedup.band_keys(sig, dedup.lsh_bands_for(settings)))[0] is None


def test_documents_seen_earlier_in_the_same_run_are_candidates(tmp_path):
    settings = Settings()
    con = db.connect(tmp_path / "s.duckdb")
    finder = dedup.DuplicateFinder(con, settings)
    sig = dedup.signature(BASE * 3, settings)
    keys = dedup.band_keys(sig, dedup.lsh_bands_for(settings))
    finder.remember("first", content_hash(BASE * 3), sig, keys)
    assert finder.near(sig, keys)[0] == "first"
    assert finder.exact(content_hash(BASE * 3)) == "first"
