"""What the API and the web pages call for a story, a topic, an entity or the relations: the view, else the
tables.

Each function answers from the record's view (built at resolve time) with its live parts read by id
(``views.live``), and falls back to ``newsgraph.store.queries`` for a store whose views were never
built (opened read-only before an ingest ran migration 011, or a view not refreshed yet).
"""

from __future__ import annotations

from typing import Any

from newsgraph.store import queries
from newsgraph.views import live
from newsgraph.views import story as story_view
from newsgraph.views.registry import read, read_all

DISPUTED = story_view.DISPUTED


def story(con, story_id: str) -> dict[str, Any] | None:
    """``/api/stories/{id}``: as ``queries.get_story``."""
    view = read(con, "story", story_id)
    return story_view.hydrate(con, view) if view is not None else queries.get_story(con, story_id)


def story_page(con, story_id: str) -> dict[str, Any] | None:
    """The story page: ``story``, ``actors``, ``disputed`` (claims with values), ``brief`` (or ``brief_note``),
    ``brief_stale`` (a claim the brief cites changed status since it was built; it waits for a refresh)."""
    view = read(con, "story", story_id)
    if view is not None:
        return story_view.page(con, view)
    found = queries.get_story(con, story_id)
    if found is None:
        return None
    disputed = [queries.get_claim(con, c["id"]) for c in found["claims"] if c["status"] in DISPUTED]
    brief, note = story_view.brief_now(con, story_id)
    return {"story": found, "actors": queries.list_entities(con, story=story_id, limit=queries.MAX_LIMIT)["items"],
            "disputed": [c for c in disputed if c], "brief": brief, "brief_note": note, "brief_stale": False}


def topic(con, topic_id: str) -> dict[str, Any] | None:
    """``/api/topics/{id}`` and the topic page: as ``topic_queries.get_topic``, from the topic's view."""
    from newsgraph.store import topic_queries
    from newsgraph.views import topic as topic_view

    view = read(con, "topic", topic_id)
    return topic_view.hydrate(con, view) if view is not None else topic_queries.get_topic(con, topic_id)


def entity(con, entity_id: str) -> dict[str, Any] | None:
    """``/api/entities/{id}``: as ``queries.get_entity``, lists bounded (``views.entity``)."""
    view = read(con, "entity", entity_id)
    if view is None:
        return queries.get_entity(con, entity_id)
    from newsgraph.views import entity as entity_view

    return entity_view.hydrate(con, view)


def dyads(con) -> dict[str, Any]:
    """``/api/dyads``: as ``queries.dyads``, from the per-pair views."""
    pairs = read_all(con, "relations")
    if pairs is None:
        return queries.dyads(con)
    return {"available": True, "items": [row for pair in pairs for row in pair["rows"]]}


__all__ = ["dyads", "entity", "live", "story", "story_page", "topic"]
