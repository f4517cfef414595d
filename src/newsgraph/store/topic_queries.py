"""Read functions for topics (stories grouped at a looser threshold): the API and the web UI call them.

``topics_by_id`` builds any number of topics at once with one query per kind of record; the topic read
view (``views.topic``) stores what it returns, and ``get_topic`` (a store without views) calls it for
one topic, so both answer alike. A topic's lists are bounded, so that a topic of thousands of stories
(a war followed for years) stays one small page: its ``LIMIT`` most recent stories in time order, and
the ``LIMIT`` most recent events of those stories in event order, each list with its total.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from newsgraph.store.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    _page,
    _resolve_events,
    _rows,
    _Where,
    event_order,
)

LIMIT = MAX_LIMIT
CHUNK = "_ng_topic_ids"


def list_topics(con, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Topics, most documents first, with their number of stories and documents."""
    select = """
        SELECT t.id, t.title, CAST(t.first_date AS VARCHAR) AS first_date, CAST(t.last_date AS VARCHAR) AS last_date,
               (SELECT count(*) FROM story_info i WHERE i.topic = t.id) AS stories,
               (SELECT count(*) FROM story_info i JOIN documents d ON d.story = i.story WHERE i.topic = t.id)
                   AS documents
        FROM topics t"""
    return _page(con, select, _Where(), "documents DESC, t.first_date NULLS LAST, t.id", limit, offset)


def _stories(con) -> dict[str, list[dict[str, Any]]]:
    rows = _rows(con, f"""
        WITH members AS (
            SELECT i.topic AS _topic, s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date,
                   CAST(s.last_date AS VARCHAR) AS last_date, s.first_date AS _first, s.last_date AS _last
            FROM story_info i JOIN {CHUNK} w ON w.id = i.topic JOIN stories s ON s.id = i.story),
        ranked AS (SELECT *, row_number() OVER (PARTITION BY _topic ORDER BY _last DESC NULLS LAST, id) AS _r,
                          count(*) OVER (PARTITION BY _topic) AS _total FROM members),
        shown AS (SELECT * FROM ranked WHERE _r <= {LIMIT}),
        docs AS (SELECT d.story, count(*) AS n FROM documents d JOIN shown s ON s.id = d.story GROUP BY d.story),
        evs AS (SELECT e.story, count(*) AS n FROM events e JOIN shown s ON s.id = e.story GROUP BY e.story)
        SELECT s._topic, s._total, s.id, s.title, s.first_date, s.last_date, coalesce(docs.n, 0) AS documents,
               coalesce(evs.n, 0) AS events
        FROM shown s LEFT JOIN docs ON docs.story = s.id LEFT JOIN evs ON evs.story = s.id
        ORDER BY s._first NULLS LAST, s.id""")
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row.pop("_topic")].append(row)
    return out


def _events(con, stories: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[list[dict[str, Any]], int]]:
    """The most recent ``LIMIT`` events of each topic's shown stories (in event order), and their number."""
    pairs = [(topic, s["id"]) for topic, members in stories.items() for s in members]
    if not pairs:
        return {}
    con.register("_ng_topic_stories", pa.table({"topic": pa.array([p[0] for p in pairs], pa.string()),
                                                "story": pa.array([p[1] for p in pairs], pa.string())}))
    try:
        rows = _rows(con, f"""
            WITH chunk_events AS (SELECT w.topic AS _topic, e.* FROM events e JOIN _ng_topic_stories w ON w.story = e.story),
            ranked AS (SELECT *, row_number() OVER (PARTITION BY _topic ORDER BY
                                     json_extract_string(date, '$.start') DESC NULLS LAST, id DESC) AS _r,
                              count(*) OVER (PARTITION BY _topic) AS _total FROM chunk_events),
            shown AS (SELECT * FROM ranked WHERE _r <= {LIMIT}),
            sources AS (SELECT em.event, count(DISTINCT x.doc) AS n FROM event_map em JOIN shown s ON s.id = em.event
                        JOIN event_mentions x ON x.id = em.event_mention GROUP BY em.event)
            SELECT e._topic, e._total, e.id, e.type, e.plover, e.modality, e.summary, e.participants, e.location,
                   e.date, e.quantities, e.history, e.story, coalesce(s.n, 0) AS sources
            FROM shown e LEFT JOIN sources s ON s.event = e.id
            ORDER BY {event_order("e")}""")
    finally:
        con.unregister("_ng_topic_stories")
    totals = {r["_topic"]: r.pop("_total") for r in rows}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("_topic")].append(row)
    _resolve_events(con, [e for events in grouped.values() for e in events])
    return {topic: (events, totals[topic]) for topic, events in grouped.items()}


def topics_by_id(con, ids: list[str]) -> dict[str, dict[str, Any] | None]:
    """Each topic (None for an id no topic has) with its stories and their events, lists bounded."""
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
    if not ids:
        return out
    con.register(CHUNK, pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
    try:
        heads = _rows(con, f"""
            SELECT t.id, t.title, CAST(t.first_date AS VARCHAR) AS first_date, CAST(t.last_date AS VARCHAR) AS last_date,
                   (SELECT count(*) FROM story_info i WHERE i.topic = t.id) AS stories_total
            FROM topics t JOIN {CHUNK} w ON w.id = t.id""")
        stories = _stories(con)
    finally:
        con.unregister(CHUNK)
    events = _events(con, stories)
    for head in heads:
        shown, (evs, n_events) = stories.get(head["id"], []), events.get(head["id"], ([], 0))
        for s in shown:
            s.pop("_total", None)
        out[head["id"]] = {"id": head["id"], "title": head["title"], "first_date": head["first_date"],
                           "last_date": head["last_date"], "stories": shown, "stories_total": head["stories_total"],
                           "events": evs, "events_total": n_events}
    return out


def get_topic(con, topic_id: str) -> dict[str, Any] | None:
    """One topic with its most recent stories (time order) and their most recent events (one timeline)."""
    return topics_by_id(con, [topic_id])[topic_id]


def topic_stories(con, topic_id: str) -> list[dict[str, Any]]:
    """A topic's stories (its ``LIMIT`` most recent) in time order, each with its date range and counts."""
    topic = get_topic(con, topic_id)
    return topic["stories"] if topic else []
