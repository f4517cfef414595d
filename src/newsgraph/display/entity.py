"""The entity page: the entity, and its mentions with the words around them, grouped by document."""

from __future__ import annotations

from typing import Any

from newsgraph.display.links import evidence_url
from newsgraph.store import queries
from newsgraph.store.table_specs import CLAIMS, EVENTS
from newsgraph.store.tables import add_extras


def entity_page(con: Any, entity: dict[str, Any]) -> dict[str, Any]:
    """What the entity page shows of an entity record (``queries.get_entity``'s shape).

    Reads the store for the context around each mention (``queries.span_contexts``) and, for the
    entity's events and claims, the first report's span each row links to (the index tables' extras).
    """
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in queries.span_contexts(con, entity["mentions"]):
        by_doc.setdefault(m["doc"], []).append(m)
    entity = dict(entity, events=_linked(con, EVENTS, entity.get("events") or [], "event"),
                  claims=_linked(con, CLAIMS, entity.get("claims") or [], "claim"))
    return {"entity": entity, "mentions_by_doc": by_doc, "pin": entity.get("coordinates")}


def _linked(con: Any, spec: Any, records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Copies of ``records``, each with ``link``: its evidence (document, span highlighted, panel open)."""
    rows = [{"id": r["id"]} for r in records]
    add_extras(con, spec, rows)
    return [dict(r, link=evidence_url(x.get("doc"), x.get("start"), x.get("end"), f"{kind}:{r['id']}"),
                 stated=x.get("stated")) for r, x in zip(records, rows, strict=True)]
