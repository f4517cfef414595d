"""Read functions for topics (stories grouped at a looser threshold): the API and the web UI call them."""

from __future__ import annotations

from typing import Any

from newsgraph.store.queries import DEFAULT_LIMIT, MAX_LIMIT, _one, _page, _rows, _Where, list_events


def list_topics(con, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Topics, most documents first, with their number of stories and documents."""
    select = """
        SELECT t.id, t.title, CAST(t.first_date AS VARCHAR) AS first_date, CAST(t.last_date AS VARCHAR) AS last_date,
               (SELECT count(*) FROM story_info i WHERE i.topic = t.id) AS stories,
               (SELECT count(*) FROM story_info i JOIN documents d ON d.story = i.story WHERE i.topic = t.id)
                   AS documents
        FROM topics t"""
    return _page(con, select, _Where(), "documents DESC, t.first_date NULLS LAST, t.id", limit, offset)


def topic_stories(con, topic_id: str) -> list[dict[str, Any]]:
    """A topic's stories in time order, each with its date range and counts."""
    return _rows(con, """
        SELECT s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date, CAST(s.last_date AS VARCHAR) AS last_date,
               (SELECT count(*) FROM documents d WHERE d.story = s.id) AS documents,
               (SELECT count(*) FROM events e WHERE e.story = s.id) AS events
        FROM story_info i JOIN stories s ON s.id = i.story WHERE i.topic = ?
        ORDER BY s.first_date NULLS LAST, s.id""", [topic_id])


def get_topic(con, topic_id: str) -> dict[str, Any] | None:
    """One topic with its stories (time order) and the dated events of all of them (for one timeline)."""
    topic = _one(con, "SELECT id, title, CAST(first_date AS VARCHAR) AS first_date, "
                      "CAST(last_date AS VARCHAR) AS last_date FROM topics WHERE id = ?", [topic_id])
    if topic is None:
        return None
    topic["stories"] = topic_stories(con, topic_id)
    events = []
    for story in topic["stories"]:
        events += [e | {"story": story["id"]} for e in list_events(con, story=story["id"], limit=MAX_LIMIT)["items"]]
    topic["events"] = events
    return topic
