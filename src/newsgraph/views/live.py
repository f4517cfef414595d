"""The parts of a view read live by id: what changes when documents elsewhere in the corpus arrive.

A view keeps what belongs to its record (a story's documents, events, quotes, brief; an entity's
mentions and events). Names, statuses and corpus-wide counts of the records it points to (an
entity's canonical name and mention count, a claim's status and number of sources) change when
other documents arrive, so a view stores their ids and ``hydrate_*`` reads them at request time, by
key, from ``entities``, ``entity_stats`` and ``claims``: a few indexed lookups, whatever the corpus size.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from newsgraph.store.sql import decode as _decode
from newsgraph.store.sql import rows as _rows

CLAIM_ORDER = "CASE c.status WHEN 'conflict' THEN 0 WHEN 'superseded' THEN 1 ELSE 2 END, c.subject_name, c.id"


def _with_ids(con, name: str, ids: list[str], sql: str) -> list[dict[str, Any]]:
    if not ids:
        return []
    con.register(name, pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
    try:
        return _rows(con, sql)
    finally:
        con.unregister(name)


def entities(con, ids: list[str], limit: int) -> list[dict[str, Any]]:
    """Entities by id, most mentioned in the corpus first (``queries.list_entities``' order and fields)."""
    rows = _with_ids(con, "_ng_live_entities", ids, """
        SELECT e.id, e.name, e.type, e.aliases, coalesce(s.mentions, 0) AS mentions,
               coalesce(s.documents, 0) AS documents
        FROM entities e JOIN _ng_live_entities w ON w.id = e.id LEFT JOIN entity_stats s ON s.entity = e.id
        ORDER BY mentions DESC, e.name, e.id""")
    return [_decode(r, aliases=[]) for r in rows[:limit]]


def claims(con, ids: list[str], limit: int) -> list[dict[str, Any]]:
    """Claims by id with their current status and counts (``queries.list_claims``' order and fields)."""
    return _with_ids(con, "_ng_live_claims", ids, f"""
        WITH counts AS (SELECT cm.claim, count(*) AS n, count(DISTINCT v.doc) AS docs FROM claim_map cm
                        JOIN _ng_live_claims w ON w.id = cm.claim JOIN claim_values v ON v.id = cm.claim_value
                        GROUP BY cm.claim)
        SELECT c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation,
               coalesce(n.n, 0) AS values, coalesce(n.docs, 0) AS sources
        FROM claims c JOIN _ng_live_claims w ON w.id = c.id LEFT JOIN counts n ON n.claim = c.id
        ORDER BY {CLAIM_ORDER}""")[:limit]


def names(con, ids: list[str]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _with_ids(con, "_ng_live_names", ids, """
        SELECT e.id, e.name, e.type FROM entities e JOIN _ng_live_names w ON w.id = e.id""")}


def event_places(con, events: list[dict[str, Any]]) -> None:
    """Each event's place ``{id, name, type}`` with the entity's current name."""
    found = names(con, [e["location"]["id"] for e in events if e.get("location")])
    for event in events:
        place = event.get("location")
        if place:
            event["location"] = found.get(place["id"], {"id": place["id"], "name": None, "type": None})
