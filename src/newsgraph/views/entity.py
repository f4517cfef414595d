"""The entity view: what ``/api/entities/{id}`` answers and the entity page shows.

Built for a chunk of entities at once (one query per kind of record). Lists are bounded so a page
of a state named in every document stays small: the ``LIMIT`` most recent mentions, events, quotes
and claims, each with its total (``mentions_total``, ``documents_total`` ...); related entities are
counted over the entity's ``RELATED_DOCS`` most recent documents.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from newsgraph.store.queries import (
    MAX_LIMIT,
    RELATED_LIMIT,
    _decode,
    _resolve_events,
    _rows,
    coordinates,
    event_order,
)
from newsgraph.views import live
from newsgraph.views.changes import DOCS, Touched
from newsgraph.views.registry import View, register

CHUNK = "_ng_view_entities"
TOUCHED_EVENTS = "_ng_view_events"
LIMIT = MAX_LIMIT
RELATED_DOCS = 500


def _grouped(rows: list[dict[str, Any]], key: str = "_entity") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row.pop(key)].append(row)
    return out


def _mentions(con) -> tuple[dict[str, list], dict[str, tuple[int, int]]]:
    rows = _rows(con, f"""
        WITH m AS (SELECT em.entity AS _entity, x.doc, x.start, x."end", x.text, x.label, d.title, d.outlet,
                          CAST(d.published AS VARCHAR) AS published, d.published AS day
                   FROM entity_map em JOIN {CHUNK} w ON w.id = em.entity
                   JOIN mentions x ON x.local_entity = em.local_entity JOIN documents d ON d.id = x.doc),
        ranked AS (SELECT *, row_number() OVER (PARTITION BY _entity ORDER BY day DESC NULLS LAST, doc DESC,
                                                 start DESC) AS r,
                          count(*) OVER (PARTITION BY _entity) AS n,
                          count(DISTINCT doc) OVER (PARTITION BY _entity) AS docs FROM m)
        SELECT _entity, doc, start, "end", text, label, title, outlet, published, n, docs FROM ranked
        WHERE r <= {LIMIT} ORDER BY day NULLS LAST, doc, start""")
    totals = {r["_entity"]: (r.pop("n"), r.pop("docs")) for r in rows}
    return _grouped(rows), totals


def _events(con) -> dict[str, list]:
    rows = _rows(con, f"""
        WITH ee AS (SELECT DISTINCT ee.entity AS _entity, ee.event FROM event_entities ee
                    JOIN {CHUNK} w ON w.id = ee.entity),
        ranked AS (SELECT ee._entity, e.*, row_number() OVER (PARTITION BY ee._entity
                          ORDER BY json_extract_string(e.date, '$.start') DESC NULLS LAST, e.id DESC) AS r
                   FROM ee JOIN events e ON e.id = ee.event),
        sources AS (SELECT em.event, count(DISTINCT x.doc) AS n FROM event_map em
                    JOIN event_mentions x ON x.id = em.event_mention
                    WHERE em.event IN (SELECT id FROM ranked WHERE r <= {LIMIT}) GROUP BY em.event)
        SELECT r._entity, r.id, r.type, r.plover, r.modality, r.summary, r.participants, r.location, r.date,
               r.quantities, r.history, r.story, coalesce(s.n, 0) AS sources
        FROM ranked r LEFT JOIN sources s ON s.event = r.id WHERE r.r <= {LIMIT}
        ORDER BY {event_order("r")}""")
    grouped = _grouped(rows)
    _resolve_events(con, [e for events in grouped.values() for e in events])
    return grouped


def _quotes(con) -> dict[str, list]:
    return _grouped(_rows(con, f"""
        SELECT * EXCLUDE (r) FROM (
            SELECT em.entity AS _entity, q.id, q.text, q.doc, q.start, q."end", em.entity AS speaker, q.speaker_name,
                   q.cue, q.method, q.speaker_start, q.speaker_end, d.title, d.outlet,
                   CAST(d.published AS VARCHAR) AS published,
                   row_number() OVER (PARTITION BY em.entity ORDER BY d.published DESC NULLS LAST, q.doc, q.start) AS r
            FROM entity_map em JOIN {CHUNK} w ON w.id = em.entity JOIN quotes q ON q.speaker_local = em.local_entity
            JOIN documents d ON d.id = q.doc)
        WHERE r <= {LIMIT} ORDER BY r"""))


def _claims(con) -> dict[str, list]:
    return _grouped(_rows(con, f"""
        WITH c AS (SELECT c.* FROM claims c JOIN {CHUNK} w ON w.id = c.subject),
        counts AS (SELECT cm.claim, count(*) AS n, count(DISTINCT v.doc) AS docs FROM claim_map cm
                   JOIN c ON c.id = cm.claim JOIN claim_values v ON v.id = cm.claim_value GROUP BY cm.claim)
        SELECT c.subject AS _entity, c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation,
               coalesce(n.n, 0) AS values, coalesce(n.docs, 0) AS sources
        FROM c LEFT JOIN counts n ON n.claim = c.id
        ORDER BY CASE c.status WHEN 'conflict' THEN 0 WHEN 'superseded' THEN 1 ELSE 2 END, c.subject_name, c.id"""))


def _related(con) -> dict[str, list]:
    return _grouped(_rows(con, f"""
        WITH docs AS (SELECT _entity, doc FROM (
                          SELECT em.entity AS _entity, x.doc, row_number() OVER (PARTITION BY em.entity
                                 ORDER BY max(d.published) DESC NULLS LAST, x.doc DESC) AS r
                          FROM entity_map em JOIN {CHUNK} w ON w.id = em.entity
                          JOIN mentions x ON x.local_entity = em.local_entity JOIN documents d ON d.id = x.doc
                          GROUP BY em.entity, x.doc) WHERE r <= {RELATED_DOCS}),
        co AS (SELECT docs._entity, m.entity, count(DISTINCT x.doc) AS shared_documents FROM docs
               JOIN mentions x ON x.doc = docs.doc JOIN entity_map m ON m.local_entity = x.local_entity
               WHERE m.entity <> docs._entity GROUP BY docs._entity, m.entity)
        SELECT * EXCLUDE (r) FROM (
            SELECT co._entity, e.id, e.name, e.type, co.shared_documents, row_number() OVER (
                   PARTITION BY co._entity ORDER BY co.shared_documents DESC, e.name, e.id) AS r
            FROM co JOIN entities e ON e.id = co.entity)
        WHERE r <= {RELATED_LIMIT} ORDER BY r"""))


def build(con, ids: list[str]) -> dict[str, dict[str, Any] | None]:
    con.register(CHUNK, pa.table({"id": pa.array(ids, pa.string())}))
    try:
        heads = {r["id"]: _decode(r, aliases=[], kb_ids={}, attributes={}) for r in _rows(con, f"""
            SELECT e.id, e.name, e.type, e.aliases, e.kb_ids, e.attributes FROM entities e
            JOIN {CHUNK} w ON w.id = e.id""")}
        mentions, totals = _mentions(con)
        parts = {"events": _events(con), "quotes": _quotes(con), "claims": _claims(con), "related": _related(con)}
    finally:
        con.unregister(CHUNK)
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
    for entity_id, entity in heads.items():
        entity["coordinates"] = coordinates(entity["attributes"])
        entity["mentions"] = mentions.get(entity_id, [])
        entity["documents"] = sorted({m["doc"] for m in entity["mentions"]})
        entity["mentions_total"], entity["documents_total"] = totals.get(entity_id, (0, 0))
        entity |= {k: v.get(entity_id, []) for k, v in parts.items()}
        out[entity_id] = entity
    return out


def hydrate(con, view: dict[str, Any]) -> dict[str, Any] | None:
    """The API's entity from its view: its own row, claims and related names read live (``views.live``)."""
    head = _rows(con, "SELECT id, name, type, aliases, kb_ids, attributes FROM entities WHERE id = ?", [view["id"]])
    if not head:
        return None
    entity = dict(view) | _decode(head[0], aliases=[], kb_ids={}, attributes={})
    entity["coordinates"] = coordinates(entity["attributes"])
    entity["claims"] = live.claims(con, [c["id"] for c in view["claims"]], LIMIT)
    found = live.names(con, [r["id"] for r in view["related"]])
    entity["related"] = [r | {k: found[r["id"]][k] for k in ("name", "type")} if r["id"] in found else r
                         for r in view["related"]]
    entity["events"] = [dict(e) for e in view["events"]]
    live.event_places(con, entity["events"])
    return entity


def update_entity_stats(con, touched: Touched) -> None:
    """Add the new documents' mentions to ``entity_stats`` (corpus-wide counts, read live by the pages)."""
    con.execute(f"""
        INSERT INTO entity_stats
        SELECT m.entity, count(*), count(DISTINCT x.doc) FROM mentions x JOIN {DOCS} n ON n.id = x.doc
        JOIN entity_map m ON m.local_entity = x.local_entity GROUP BY m.entity
        ON CONFLICT (entity) DO UPDATE SET mentions = mentions + excluded.mentions,
                                           documents = documents + excluded.documents""")


def before(con, touched: Touched) -> None:
    update_entity_stats(con, touched)
    update_event_entities(con, touched)


def update_event_entities(con, touched: Touched) -> None:
    """``event_entities`` of the touched events: participants and place, as corpus entity ids."""
    if not touched.events:
        return
    con.register(TOUCHED_EVENTS, pa.table({"id": pa.array(sorted(touched.events), pa.string())}))
    try:
        con.execute(f"DELETE FROM event_entities WHERE event IN (SELECT id FROM {TOUCHED_EVENTS})")
        con.execute(f"""
            INSERT INTO event_entities
            WITH refs AS (
                SELECT e.id AS event, unnest(json_extract_string(e.participants, '$[*].entity')) AS ref
                FROM events e JOIN {TOUCHED_EVENTS} t ON t.id = e.id
                UNION ALL SELECT e.id, e.location FROM events e JOIN {TOUCHED_EVENTS} t ON t.id = e.id)
            SELECT DISTINCT r.event, coalesce(m.entity, r.ref) FROM refs r
            LEFT JOIN entity_map m ON m.local_entity = r.ref WHERE r.ref IS NOT NULL""")
        touched.entities |= {r[0] for r in con.execute(
            f"SELECT DISTINCT entity FROM event_entities WHERE event IN (SELECT id FROM {TOUCHED_EVENTS})"
        ).fetchall()}
    finally:
        con.unregister(TOUCHED_EVENTS)


def _keys(con, touched: Touched) -> set[str]:
    return set(touched.entities)


register(View("entity", keys=_keys, build=build, before=before))
