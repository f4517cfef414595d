"""The topic view: what ``/api/topics/{id}`` answers and what the topic page shows.

Built with ``topic_queries.topics_by_id`` (one query per kind of record for a chunk of topics), so the
view and a store without views answer alike. Rebuilt only for the topics an ingest touched: those the
topic step wrote or dropped (``view_pending``), and the topics of the stories the ingest touched (their
documents, events or titles changed). Event places are read live (``views.live``), as on story pages.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from newsgraph.store.topic_queries import topics_by_id
from newsgraph.views import live
from newsgraph.views.changes import Touched
from newsgraph.views.registry import View, register


def _keys(con, touched: Touched) -> set[str]:
    """Topics the topic step changed, and the current topics of the stories this refresh rebuilds."""
    stories = sorted(touched.extra.get("story", touched.stories))
    keys = set(touched.topics)
    if stories:
        con.register("_ng_view_topic_stories", pa.table({"id": pa.array(stories, pa.string())}))
        try:
            keys |= {r[0] for r in con.execute(
                "SELECT DISTINCT i.topic FROM story_info i JOIN _ng_view_topic_stories w ON w.id = i.story "
                "WHERE i.topic IS NOT NULL").fetchall()}
        finally:
            con.unregister("_ng_view_topic_stories")
    return keys


def build(con, topics: list[str]) -> dict[str, dict[str, Any] | None]:
    return topics_by_id(con, topics)


def hydrate(con, view: dict[str, Any]) -> dict[str, Any]:
    """The API's topic from its view, with the events' places named as they are now."""
    topic = dict(view)
    topic["events"] = [dict(e) for e in topic["events"]]
    live.event_places(con, topic["events"])
    return topic


register(View("topic", keys=_keys, build=build))
