"""Stories and topics: documents clustered by what they say, then stories clustered into topics.

``resolve_stories(con, ctx)`` is the corpus-level step: every document without a story gets one
(``clusterer``), stories close enough merge (the merge pass), and every story it wrote is placed
in a topic (``topics``). Modules, in data-flow order:

* ``features``: a document's sublinear TF-IDF vector over its text and resolved entities;
* ``index``: the inverted index of those vectors in the store, and candidate look-ups;
* ``agglomerate``: group-average agglomeration over candidate pairs, with the time window;
* ``clusterer``: the story step; ``topics``: the topic step.

docs/resolution.md ("Stories and topics") describes the method and how its thresholds were chosen.
"""

from __future__ import annotations

from newsgraph.resolve.stories.clusterer import StoryStep
from newsgraph.resolve.stories.features import cosine, terms
from newsgraph.resolve.stories.topics import TopicStep
from newsgraph.settings import get_settings

# Tables the story and topic steps own (cleared together by ``forget``).
TABLES = ("stories", "story_info", "story_keys", "story_postings", "doc_features", "feature_df", "topics",
          "topic_keys")


def resolve_stories(con, ctx=None) -> None:
    """Assign every document without a story to a story, merge stories that meet, and place them in topics."""
    settings = getattr(ctx, "settings", None) or get_settings()
    outcome = StoryStep(con, settings).run()
    TopicStep(con, settings).run(outcome)


def recluster(con, settings) -> None:
    """Cluster the stored documents again under ``settings``, reusing their stored vectors (quick: for
    threshold sweeps; the features themselves only change when the documents are analysed again).
    Stories of unclusterable documents stay as they are."""
    kept = "(SELECT story FROM story_info WHERE unclusterable IS NOT NULL)"
    _note_all(con, f"WHERE id NOT IN {kept}")
    for table, column in (("documents", "story"), ("events", "story")):
        con.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL AND {column} NOT IN {kept}")
    con.execute(f"DELETE FROM stories WHERE id NOT IN {kept}")
    con.execute("DELETE FROM story_keys")
    con.execute("DELETE FROM story_info WHERE unclusterable IS NULL")
    for table in ("topics", "topic_keys"):
        con.execute(f"DELETE FROM {table}")
    outcome = StoryStep(con, settings).run(reuse_vectors=True)
    TopicStep(con, settings).run(outcome)


def forget(con) -> None:
    """Drop every story and topic so that the next ``resolve_stories`` clusters the whole store again."""
    _note_all(con)
    for table in TABLES:
        con.execute(f"DELETE FROM {table}")
    con.execute("UPDATE documents SET story = NULL WHERE story IS NOT NULL")
    con.execute("UPDATE events SET story = NULL WHERE story IS NOT NULL")


def _note_all(con, story_filter: str = "") -> None:
    """Every story (those ``story_filter`` keeps) and topic about to be dropped: their views go too."""
    con.execute(f"INSERT INTO view_pending (kind, key) SELECT 'story', id FROM stories {story_filter}")
    con.execute("INSERT INTO view_pending (kind, key) SELECT 'topic', id FROM topics")


__all__ = ["TABLES", "cosine", "forget", "recluster", "resolve_stories", "terms"]
