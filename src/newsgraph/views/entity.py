"""The entity page's view: the entity, and its mentions with their context grouped by document."""

from __future__ import annotations

from typing import Any

from newsgraph.store import queries


def entity_view(con: Any, entity_id: str) -> dict[str, Any] | None:
    entity = queries.get_entity(con, entity_id)
    if entity is None:
        return None
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in queries.span_contexts(con, entity["mentions"]):
        by_doc.setdefault(m["doc"], []).append(m)
    return {"entity": entity, "mentions_by_doc": by_doc, "pin": entity.get("coordinates")}
