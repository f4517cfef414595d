"""The incremental full-text index (newsgraph.store.search): tokens, BM25 order, segments, CJK text."""

from __future__ import annotations

import pytest

from newsgraph.model import Analysis, Document
from newsgraph.store import db, search, write


def _store(con, doc_id: str, text: str, title: str | None = None) -> None:
    write.write_analysis(con, Analysis(document=Document(id=doc_id, source=doc_id, text=text, title=title)))


@pytest.fixture()
def con(tmp_path):
    connection = db.connect(tmp_path / "s.duckdb")
    yield connection
    connection.close()


def _ids(con, query: str, **kw) -> list[str]:
    return [h["id"] for h in search.search(con, query, **kw)[0]]


def test_words_are_folded_stemmed_and_stop_words_dropped(con):
    got = search.tokens(["The Carriers were SAILING to the port"], search.Stemmer(con))[0]
    assert got == ["carrier", "sail", "port"]


def test_cjk_runs_become_character_bigrams(con):
    got = search.tokens(["海上自衛隊の護衛艦 visited Tokyo"], search.Stemmer(con))[0]
    assert got[:4] == ["海上", "上自", "自衛", "衛隊"]
    assert "の護" in got and "護衛" in got and "衛艦" in got
    assert got[-2:] == ["visit", "tokyo"]
    assert search.tokens(["中"], search.Stemmer(con))[0] == ["中"]


def test_bm25_prefers_the_document_about_the_query(con):
    _store(con, "d1", "The frigate sailed. The frigate docked. The frigate left the frigate base.", "Frigate news")
    _store(con, "d2", "Ministers met to talk about a budget; a frigate was mentioned once among many other words "
                      "about taxes, schools, hospitals, roads and the long list of things a budget pays for.")
    _store(con, "d3", "Farmers discussed the harvest and the weather.")
    assert search.update_index(con) == 3
    assert _ids(con, "frigate") == ["d1", "d2"]
    assert _ids(con, "budget taxes")[0] == "d2"
    assert _ids(con, "harvest frigates") and set(_ids(con, "harvest frigates")) == {"d1", "d2", "d3"}
    assert search.search(con, "submarine") == ([], 0)
    assert search.search(con, "the and of") == ([], 0)  # stop words only


def test_pages_follow_the_ranking(con):
    for i in range(7):
        _store(con, f"d{i}", "patrol " * (i + 1) + "boat crews trained near the coast for several weeks in a row")
    search.update_index(con)
    everything = _ids(con, "patrol", limit=20)
    assert len(everything) == 7
    assert _ids(con, "patrol", limit=3) + _ids(con, "patrol", limit=3, offset=3) + \
        _ids(con, "patrol", limit=3, offset=6) == everything
    assert search.search(con, "patrol", limit=2)[1] == 7


def test_japanese_and_chinese_queries_find_their_documents(con):
    _store(con, "ja", "海上自衛隊の護衛艦が横須賀に入港した。乗組員は訓練を続けている。")
    _store(con, "zh", "中国海警船在南海巡逻，渔民表示担忧。")
    _store(con, "en", "The coast guard patrolled the bay.")
    search.update_index(con)
    assert _ids(con, "護衛艦") == ["ja"]
    assert _ids(con, "海警") == ["zh"]
    assert _ids(con, "横須賀 入港")[0] == "ja"


def test_the_index_grows_by_segments_and_small_ones_merge(con, monkeypatch):
    monkeypatch.setattr(search, "SEGMENT_DOCS", 3)
    monkeypatch.setattr(search, "MERGE_AT", 2)
    for i in range(4):
        _store(con, f"a{i}", f"harbour pilot number {i} guided the tanker")
    assert search.update_index(con) == 4  # one full segment of 3 and a small one of 1
    assert search.update_index(con) == 0  # nothing new: nothing done
    _store(con, "b0", "a tanker ran aground near the harbour")
    assert search.update_index(con) == 1  # a second small segment: the two small ones merge
    segments = con.execute("SELECT docs FROM search_segments ORDER BY segment").fetchall()
    assert segments == [(3,), (2,)]
    assert con.execute("SELECT count(*) FROM search_postings WHERE term = 'tanker'").fetchone()[0] == 2
    assert sorted(_ids(con, "tanker")) == ["a0", "a1", "a2", "a3", "b0"]
    assert _ids(con, "aground") == ["b0"]


def test_an_update_costs_the_new_documents_only(con):
    for i in range(5):
        _store(con, f"old{i}", f"old report {i} on fishing quotas")
    search.update_index(con)
    _store(con, "new", "a new report on fishing quotas and ferries")
    assert search.pending_documents(con) == ["new"]
    assert search.update_index(con) == 1
    assert _ids(con, "ferries") == ["new"]


def test_rebuild_gives_the_same_ranking(con):
    for i in range(4):
        _store(con, f"d{i}", "drone " * (i + 1) + "sightings over the strait were reported by fishermen")
    search.update_index(con)
    before = search.search(con, "drone sightings")
    assert search.rebuild_index(con) == 4
    assert search.search(con, "drone sightings") == before
