"""The story view: what ``/api/stories/{id}`` answers and what the story page shows, brief included.

Built for a chunk of stories at once: one query per kind of record (documents, events, claims,
quotes, entities) for the whole chunk, and the briefs from ``brief_data.load_stories``. The data
is exactly ``queries.get_story``'s (same keys, order and limits), plus the page's parts: the
cited brief, the disputed claims with their values, and the story's actors.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from typing import Any

import pyarrow as pa

from newsgraph.store import queries
from newsgraph.store.queries import RELATED_LIMIT, _resolve_events, event_order
from newsgraph.store.sql import MAX_LIMIT
from newsgraph.store.sql import rows as _rows
from newsgraph.views import live
from newsgraph.views.changes import Touched
from newsgraph.views.registry import View, register

log = logging.getLogger(__name__)
CHUNK = "_ng_view_stories"
DISPUTED = ("conflict", "superseded")


def _grouped(rows: list[dict[str, Any]], limit: int | None = None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        story = row.pop("_story")
        if limit is None or len(out[story]) < limit:
            out[story].append(row)
    return out


def _documents(con) -> dict[str, list]:
    return _grouped(_rows(con, f"SELECT d.story AS _story, {queries._DOC_COLUMNS} FROM {queries._DOC_FROM} "
                               f"JOIN {CHUNK} w ON w.story = d.story ORDER BY d.published DESC NULLS LAST, d.id"),
                    MAX_LIMIT)


def _events(con) -> dict[str, list]:
    rows = _rows(con, f"""
        WITH chunk_events AS (SELECT e.* FROM events e JOIN {CHUNK} w ON w.story = e.story),
        sources AS (SELECT em.event, count(DISTINCT x.doc) AS n FROM event_map em
                    JOIN chunk_events c ON c.id = em.event JOIN event_mentions x ON x.id = em.event_mention
                    GROUP BY em.event)
        SELECT e.story AS _story, e.id, e.type, e.plover, e.modality, e.summary, e.participants, e.location,
               e.date, e.quantities, e.history, e.story, coalesce(s.n, 0) AS sources
        FROM chunk_events e LEFT JOIN sources s ON s.event = e.id
        ORDER BY {event_order("e")}""")
    grouped = _grouped(rows, MAX_LIMIT)
    _resolve_events(con, [e for events in grouped.values() for e in events])
    return grouped


def _claims(con) -> dict[str, list]:
    return _grouped(_rows(con, f"""
        WITH story_claims AS (SELECT DISTINCT d.story, cm.claim FROM claim_values v
                              JOIN documents d ON d.id = v.doc JOIN {CHUNK} w ON w.story = d.story
                              JOIN claim_map cm ON cm.claim_value = v.id),
        counts AS (SELECT cm.claim, count(*) AS n, count(DISTINCT v.doc) AS docs FROM claim_map cm
                   JOIN claim_values v ON v.id = cm.claim_value
                   WHERE cm.claim IN (SELECT claim FROM story_claims) GROUP BY cm.claim)
        SELECT sc.story AS _story, c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation,
               coalesce(n.n, 0) AS values, coalesce(n.docs, 0) AS sources
        FROM story_claims sc JOIN claims c ON c.id = sc.claim LEFT JOIN counts n ON n.claim = c.id
        ORDER BY CASE c.status WHEN 'conflict' THEN 0 WHEN 'superseded' THEN 1 ELSE 2 END, c.subject_name, c.id"""),
                    MAX_LIMIT)


def _quotes(con) -> dict[str, list]:
    speaker = queries._GLOBAL.format(col="q.speaker_local")
    return _grouped(_rows(con, f"""
        SELECT d.story AS _story, q.id, q.text, q.doc, q.start, q."end", {speaker} AS speaker, q.speaker_name, q.cue,
               q.method, q.speaker_start, q.speaker_end, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
        FROM quotes q JOIN documents d ON d.id = q.doc JOIN {CHUNK} w ON w.story = d.story
        ORDER BY d.published DESC NULLS LAST, q.doc, q.start"""), MAX_LIMIT)


def _entity_ids(con) -> dict[str, list[str]]:
    """Entities named in each story's documents (ordered live by corpus-wide mentions: ``views.live``)."""
    out: dict[str, list[str]] = defaultdict(list)
    for story, entity in con.execute(f"""
            SELECT DISTINCT d.story, m.entity FROM mentions x JOIN documents d ON d.id = x.doc
            JOIN {CHUNK} w ON w.story = d.story JOIN entity_map m ON m.local_entity = x.local_entity
            ORDER BY 1, 2""").fetchall():
        out[story].append(entity)
    return out


def brief_now(con, story_id: str) -> tuple[dict | None, str | None]:
    """One story's brief built on the spot (a store without views)."""
    return _briefs(con, [story_id]).get(story_id, (None, None))


def _briefs(con, stories: list[str]) -> dict[str, tuple[dict | None, str | None]]:
    try:
        from newsgraph.outputs.brief import build_brief
        from newsgraph.outputs.brief_data import load_stories
    except ImportError:
        return dict.fromkeys(stories, (None, "The brief generator is not installed in this build."))
    out = {}
    loaded = load_stories(con, stories)
    for story, rows in _pair_rows(con, stories).items():
        loaded[story].relations = rows
    for story, data in loaded.items():
        try:
            out[story] = (dataclasses.asdict(build_brief(con, story, data)), None)
        except Exception as exc:  # a brief failure must not take the story page down with it
            log.exception("brief for %s failed", story)
            out[story] = (None, f"The brief could not be built ({type(exc).__name__}).")
    return out


def _pair_rows(con, stories: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Country-pair rows of each story's events from ``event_pairs`` (kept by the relations view)."""
    import json

    from newsgraph.outputs.relations import aggregate, load_plover

    con.register(CHUNK, pa.table({"story": pa.array(stories, pa.string())}))
    try:
        rows = con.execute(f"SELECT e.story, p.record FROM event_pairs p JOIN events e ON e.id = p.event "
                           f"JOIN {CHUNK} w ON w.story = e.story ORDER BY p.event").fetchall()
    finally:
        con.unregister(CHUNK)
    records: dict[str, list[dict]] = {s: [] for s in stories}
    for story, record in rows:
        records[story].append(json.loads(record))
    scale = load_plover()
    return {s: aggregate(recs, scale) for s, recs in records.items()}


def build(con, stories: list[str]) -> dict[str, dict[str, Any] | None]:
    con.register(CHUNK, pa.table({"story": pa.array(stories, pa.string())}))
    try:
        heads = {r["id"]: r for r in _rows(con, f"""
            SELECT s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date, CAST(s.last_date AS VARCHAR) AS last_date
            FROM stories s JOIN {CHUNK} w ON w.story = s.id""")}
        parts = {"documents": _documents(con), "events": _events(con), "claims": _claims(con),
                 "quotes": _quotes(con)}
        actors = _entity_ids(con)
    finally:
        con.unregister(CHUNK)
    briefs = _briefs(con, sorted(heads))
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(stories)
    for story_id, head in heads.items():
        api = head | {k: v.get(story_id, []) for k, v in parts.items()}
        claim_ids = [c["id"] for c in api.pop("claims")]  # claims and entities are read live (hydrate)
        brief, note = briefs.get(story_id, (None, None))
        out[story_id] = {"api": api, "brief": brief, "brief_note": note,
                         "entity_ids": actors.get(story_id, []), "claim_ids": claim_ids}
    return out


def hydrate(con, view: dict[str, Any]) -> dict[str, Any]:
    """The API's story from its view, with the corpus-wide parts read live (``views.live``)."""
    api = dict(view["api"])
    api["claims"] = live.claims(con, view["claim_ids"], MAX_LIMIT)
    api["entities"] = live.entities(con, view["entity_ids"], RELATED_LIMIT)
    # The topic is read live too: topics are clustered again when other stories change.
    head = con.execute("SELECT i.topic, t.title, i.unclusterable FROM story_info i LEFT JOIN topics t "
                       "ON t.id = i.topic WHERE i.story = ?", [api["id"]]).fetchone()
    api["topic"], api["topic_title"], api["unclusterable"] = head or (None, None, None)
    order = ("id", "title", "first_date", "last_date", "topic", "topic_title", "unclusterable", "documents",
             "events", "claims", "quotes", "entities")
    api = {k: api[k] for k in order if k in api}
    api["events"] = [dict(e) for e in api["events"]]
    live.event_places(con, api["events"])
    return api


def page(con, view: dict[str, Any]) -> dict[str, Any]:
    """The story page's parts: actors (live order), disputed claims with their values, the brief."""
    api = hydrate(con, view)
    disputed = [queries.get_claim(con, c["id"]) for c in api["claims"] if c["status"] in DISPUTED]
    return {"story": api, "actors": live.entities(con, view["entity_ids"], MAX_LIMIT),
            "disputed": [c for c in disputed if c], "brief": view["brief"], "brief_note": view["brief_note"],
            "brief_stale": is_stale(con, api["id"])}


STALE_BUDGET = 100  # stories rebuilt per refresh because a claim they cite changed status elsewhere


def plan_stale(con, touched: Touched) -> None:
    """The stories to rebuild: those the new documents touched, and up to ``STALE_BUDGET`` stories whose
    brief cites a claim whose status changed (oldest waiting first); the others wait in ``view_stale``
    (their page says so) for the next refreshes, so an increment never rebuilds the whole corpus."""
    waiting = [r[0] for r in con.execute(
        "SELECT key FROM view_stale WHERE kind = 'story' ORDER BY since, key").fetchall()]
    queue = [s for s in dict.fromkeys([*waiting, *sorted(touched.citing)]) if s not in touched.stories]
    now, later = queue[:STALE_BUDGET], queue[STALE_BUDGET:]
    touched.extra["story"] = set(touched.stories) | set(now)
    done = sorted(touched.extra["story"])
    con.register("_ng_stale", pa.table({"key": pa.array(done, pa.string())}))
    try:
        con.execute("DELETE FROM view_stale WHERE kind = 'story' AND key IN (SELECT key FROM _ng_stale)")
    finally:
        con.unregister("_ng_stale")
    fresh = [s for s in later if s not in set(waiting)]
    if fresh:
        con.register("_ng_stale", pa.table({"key": pa.array(fresh, pa.string())}))
        try:
            con.execute("INSERT INTO view_stale (kind, key) SELECT 'story', key FROM _ng_stale")
        finally:
            con.unregister("_ng_stale")


def is_stale(con, story_id: str) -> bool:
    return con.execute("SELECT 1 FROM view_stale WHERE kind = 'story' AND key = ?", [story_id]).fetchone() is not None


def _keys(con, touched: Touched) -> set[str]:
    return touched.extra.get("story", set(touched.stories))


register(View("story", keys=_keys, build=build, before=plan_stale, chunk=100))  # briefs: 100 stories a round
