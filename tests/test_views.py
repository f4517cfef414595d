"""Read views (newsgraph.views): built at resolve time, equal to the live queries, refreshed incrementally."""

from __future__ import annotations

import dataclasses

import pytest

from newsgraph.archive import Archive
from newsgraph.outputs.brief import build_brief
from newsgraph.outputs.brief_data import load_stories, load_story
from newsgraph.outputs.relations import country_pair_relations
from newsgraph.settings import SAMPLE_DIR as SAMPLE
from newsgraph.store import queries, topic_queries
from newsgraph.views import fetch as views_read
from newsgraph.views.registry import read, read_all


def _bounded(entity: dict) -> dict:
    return {k: v for k, v in entity.items() if k not in ("mentions_total", "documents_total")}


def assert_views_match_live(con) -> None:
    stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY id").fetchall()]
    assert stories
    for story in stories:
        assert read(con, "story", story) is not None, story
        assert views_read.story(con, story) == queries.get_story(con, story)
    entities = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY id").fetchall()]
    for entity in entities:
        assert read(con, "entity", entity) is not None, entity
        view, live = views_read.entity(con, entity), queries.get_entity(con, entity)
        assert view["mentions_total"] == len(live["mentions"]) and view["documents_total"] == len(live["documents"])
        assert _bounded(view) == live, entity
    assert read_all(con, "relations") is not None
    assert views_read.dyads(con)["items"] == country_pair_relations(con)
    topics = [r[0] for r in con.execute("SELECT id FROM topics ORDER BY id").fetchall()]
    for topic in topics:
        assert read(con, "topic", topic) is not None, topic
        assert views_read.topic(con, topic) == topic_queries.get_topic(con, topic)
    for kind, keys in (("story", stories), ("topic", topics)):  # no view of a story or topic that is gone
        assert [r[0] for r in con.execute("SELECT key FROM views WHERE kind = ? ORDER BY key", [kind]).fetchall()] \
            == keys, kind
    assert con.execute("SELECT count(*) FROM view_pending").fetchone()[0] == 0


@pytest.mark.slow
def test_views_equal_the_live_queries(sample_db):
    with Archive(sample_db, read_only=True) as archive:
        assert_views_match_live(archive.con)
        assert read_all(archive.con, "relations")  # the sample has country pairs


@pytest.mark.slow
def test_every_story_view_has_its_brief_and_page_parts(sample_db):
    with Archive(sample_db, read_only=True) as archive:
        con = archive.con
        for (story,) in con.execute("SELECT id FROM stories").fetchall():
            page = views_read.story_page(con, story)
            assert page["brief"] is not None and page["brief"]["sources"], story
            assert {a["id"] for a in page["actors"]} >= {e["id"] for e in page["story"]["entities"]}
            assert all(c["status"] in ("conflict", "superseded") for c in page["disputed"])
            assert page["brief"] == dataclasses.asdict(build_brief(con, story)) and not page["brief_stale"]


@pytest.mark.slow
def test_loading_many_stories_equals_loading_each(sample_db):
    with Archive(sample_db, read_only=True) as archive:
        con = archive.con
        stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY id").fetchall()]
        many = load_stories(con, stories)
        assert all(many[s] == load_story(con, s) for s in stories)


@pytest.mark.slow
def test_an_ingest_rebuilds_only_what_it_touched(tmp_path, context):
    """Part of the sample, then the rest: views of untouched stories keep their build time, all match live."""
    first, second = [SAMPLE / "pages", SAMPLE / "html"], [SAMPLE / "feeds", SAMPLE / "wire.jsonl"]
    with Archive(tmp_path / "s.duckdb") as archive:
        archive._ctx = context
        archive.ingest(first, meta=SAMPLE / "meta.jsonl")
        con = archive.con
        built = dict(con.execute("SELECT key, built_at FROM views WHERE kind = 'story'").fetchall())
        assert_views_match_live(con)
        seen = {r[0] for r in con.execute("SELECT id FROM documents").fetchall()}
        archive.ingest(second, meta=SAMPLE / "meta.jsonl")
        after = dict(con.execute("SELECT key, built_at FROM views WHERE kind = 'story'").fetchall())
        new_story_of = {r[0] for r in con.execute("SELECT DISTINCT story FROM documents WHERE NOT list_contains(?, id)",
                                                  [sorted(seen)]).fetchall()}
        kept = [s for s in built if s not in new_story_of and after.get(s) == built[s]]
        assert kept, "some story untouched by the second ingest keeps its view"
        assert all(after[s] != built.get(s) for s in new_story_of if s in built)
        assert_views_match_live(con)
        assert archive.con.execute("SELECT count(*) FROM view_docs").fetchone()[0] == \
            archive.con.execute("SELECT count(*) FROM documents").fetchone()[0]


@pytest.mark.slow
def test_stories_citing_a_changed_claim_wait_in_a_bounded_queue(sample_db, tmp_path, monkeypatch):
    """Stories citing a claim whose status changed elsewhere: at most STALE_BUDGET rebuilt per refresh,
    the others marked stale (their page says so) and rebuilt by the next refreshes."""
    import shutil

    from newsgraph import views
    from newsgraph.store import db
    from newsgraph.views import story as story_view
    from newsgraph.views.changes import Touched

    path = tmp_path / "copy.duckdb"
    shutil.copy(sample_db, path)
    con = db.connect(path)
    try:
        stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY id LIMIT 3").fetchall()]
        assert len(stories) == 3
        monkeypatch.setattr(story_view, "STALE_BUDGET", 1)
        touched = Touched(docs=[], citing=set(stories))
        story_view.plan_stale(con, touched)
        assert touched.extra["story"] == {stories[0]}
        waiting = {r[0] for r in con.execute("SELECT key FROM view_stale WHERE kind = 'story'").fetchall()}
        assert waiting == set(stories[1:])
        assert views_read.story_page(con, stories[1])["brief_stale"]
        assert not views_read.story_page(con, stories[0])["brief_stale"]
        views.refresh(con)  # no new document: the queue alone, one story per refresh
        assert con.execute("SELECT count(*) FROM view_stale").fetchone()[0] == 1
        views.refresh(con)
        assert con.execute("SELECT count(*) FROM view_stale").fetchone()[0] == 0
        assert views.refresh(con) == {}  # nothing left to do
        assert_views_match_live(con)
    finally:
        con.close()


@pytest.mark.slow
def test_a_large_backlog_is_resolved_in_chunks(sample_db, tmp_path, monkeypatch):
    """Chunks of a few documents: every record resolved, each chunk seeing only its own pending records."""
    from newsgraph.bench.stores import clone_store
    from newsgraph.resolve import resolve_all, scope
    from newsgraph.store import db

    path = tmp_path / "clone.duckdb"
    with Archive(sample_db, read_only=True) as archive:
        docs = archive.con.execute("SELECT count(*) FROM documents").fetchone()[0]
    clone_store(sample_db, path, 2 * docs)
    monkeypatch.setattr(scope, "CHUNK_DOCS", 7)
    con = db.connect(path)
    try:
        planned = scope.chunks(con)
        assert len(planned) >= 2 * docs // 7 and all(len(c) <= 7 for c in planned)
        seen: list[int] = []
        original = scope.in_scope

        def spying(c, column):
            seen.append(len(c.execute(f"SELECT * FROM {scope.SCOPE}").fetchall()) if id(c) in scope._SCOPED else -1)
            return original(c, column)

        monkeypatch.setattr(scope, "in_scope", spying)
        for module in ("entities", "stories.clusterer", "events", "claims"):
            monkeypatch.setattr(f"newsgraph.resolve.{module}.in_scope", spying)
        resolve_all(con)
        assert seen and max(seen) <= 7 and -1 not in seen
        assert scope.pending_documents(con) == []
        for table, key, mapping, mapped in (("local_entities", "id", "entity_map", "local_entity"),
                                            ("event_mentions", "id", "event_map", "event_mention"),
                                            ("claim_values", "id", "claim_map", "claim_value")):
            assert con.execute(f"SELECT count(*) FROM {table} t ANTI JOIN {mapping} m ON m.{mapped} = t.{key}"
                               ).fetchone()[0] == 0, table
    finally:
        con.close()


def test_topic_views_are_rebuilt_only_for_the_topics_an_ingest_touched(tmp_path):
    """Five topics of three stories' worth of articles; one more article of one topic: only that topic's
    view is rebuilt. Clustering the store again drops every view of a story or topic that is gone."""
    from newsgraph import views
    from newsgraph.resolve.stories import forget, resolve_stories
    from newsgraph.stages import Context
    from newsgraph.store import db
    from test_stories import article, ingest
    from test_stories_topics import EXERCISE, corpus

    con = db.connect(tmp_path / "t.duckdb")
    try:
        ingest(con, corpus())
        views.refresh(con)
        built = dict(con.execute("SELECT key, built_at FROM views WHERE kind = 'topic'").fetchall())
        assert len(built) == con.execute("SELECT count(*) FROM topics").fetchone()[0] == 5
        ingest(con, [article("x-more", *EXERCISE[2], "2024-06-14")])
        views.refresh(con)
        topic_of_new, = con.execute("SELECT i.topic FROM documents d JOIN story_info i ON i.story = d.story "
                                    "WHERE d.id = 'x-more'").fetchone()
        after = dict(con.execute("SELECT key, built_at FROM views WHERE kind = 'topic'").fetchall())
        assert set(after) == set(built)
        assert after[topic_of_new] != built[topic_of_new]
        assert all(after[t] == built[t] for t in built if t != topic_of_new)
        assert views.read(con, "topic", topic_of_new)["stories_total"] == 1
        con.execute("BEGIN TRANSACTION")
        forget(con)
        resolve_stories(con, Context())
        con.execute("COMMIT")
        views.refresh(con)
        assert_views_match_live(con)
    finally:
        con.close()


def test_a_story_merged_away_loses_its_view_and_its_topic_follows(tmp_path):
    """Two reports of one drill 40 days apart are two stories (30-day window); a report between them
    bridges them and the merge pass absorbs one: its story and topic views are deleted, not left stale."""
    from newsgraph import views
    from newsgraph.store import db
    from test_stories import EXERCISE, article, ingest

    con = db.connect(tmp_path / "m.duckdb")
    try:
        for doc, published in (("x0", "2024-06-01"), ("x1", "2024-07-11")):
            ingest(con, [article(doc, *EXERCISE[int(doc[1])], published)])
            views.refresh(con)
        before = dict(con.execute("SELECT id, story FROM documents").fetchall())
        assert before["x0"] != before["x1"]
        assert {r[0] for r in con.execute("SELECT key FROM views WHERE kind = 'story'").fetchall()} == set(before.values())
        ingest(con, [article("x2", *EXERCISE[2], "2024-06-21")])
        views.refresh(con)
        after = dict(con.execute("SELECT id, story FROM documents").fetchall())
        assert len(set(after.values())) == 1
        absorbed = (set(before.values()) - set(after.values())).pop()
        assert views.read(con, "story", absorbed) is None and views_read.story(con, absorbed) is None
        assert_views_match_live(con)
    finally:
        con.close()
