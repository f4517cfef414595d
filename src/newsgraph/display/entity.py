"""The entity page: the entity, and its mentions with the words around them, grouped by document."""

from __future__ import annotations

from typing import Any

from newsgraph.store import queries


def entity_page(con: Any, entity: dict[str, Any]) -> dict[str, Any]:
    """What the entity page shows of an entity record (``queries.get_entity``'s shape).

    Reads the store once, for the context around each mention (``queries.span_contexts``).
    """
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in queries.span_contexts(con, entity["mentions"]):
        by_doc.setdefault(m["doc"], []).append(m)
    return {"entity": entity, "mentions_by_doc": by_doc, "pin": entity.get("coordinates")}
