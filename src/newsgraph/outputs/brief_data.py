"""What a brief reads from the store, scoped to one story in SQL (or the whole store when none is named).

``load_stories`` reads many stories with one query per kind of record (the read views build the
briefs of every story an ingest touched this way, newsgraph.views); ``load_story`` reads one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa


@dataclass
class StoryData:
    story: str | None
    title: str | None
    documents: dict[str, dict[str, Any]]  # non-duplicate documents of the story, by id
    duplicates: dict[str, list[str]]  # original id -> ids of its duplicates
    events: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    entities: dict[str, dict[str, Any]]  # global entities named in the story, by id
    entity_docs: dict[str, list[str]]  # entity id -> story documents that mention it
    local_ids: dict[str, str] = field(default_factory=dict)  # local entity id -> global id
    entity_spans: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (entity, doc) -> 1st mention
    outside: dict[str, dict[str, Any]] = field(default_factory=dict)  # cited documents of other stories, as read
    relations: list[dict[str, Any]] | None = None  # country-pair rows of the story's events, when already known


STORIES_TABLE = "_ng_brief_stories"  # a registered one-column table (story) naming the stories to read
_MANY = object()  # the story filter of load_stories: the stories of STORIES_TABLE


def _story_filter(story: Any, alias: str = "d") -> tuple[str, list[Any]]:
    if story is _MANY:
        return f" AND {alias}.story IN (SELECT story FROM {STORIES_TABLE})", []
    return (f" AND {alias}.story = ?", [story]) if story is not None else ("", [])


def _by_story(rows: list[tuple], story: Any) -> dict[Any, list[tuple]]:
    """Rows whose first column is their story, grouped (all under ``story`` for a one-story read)."""
    grouped: dict[Any, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[0] if story is _MANY else story].append(row[1:])
    return grouped


_DOC_COLUMNS = ("id", "source", "url", "title", "outlet", "author", "published", "published_basis",
                "text", "duplicate_of")


def load_documents(con, story: Any) -> dict[Any, tuple[dict[str, dict], dict[str, list[str]]]]:
    where, params = _story_filter(story)
    rows = con.execute(
        "SELECT d.story, id, source, url, title, outlet, author, CAST(published AS VARCHAR), published_basis, text, "
        f"duplicate_of FROM documents d WHERE 1=1{where} ORDER BY published NULLS LAST, id", params).fetchall()
    out = {}
    for key, group in _by_story(rows, story).items():
        docs, dups = {}, defaultdict(list)
        for row in group:
            doc = dict(zip(_DOC_COLUMNS, row, strict=True))
            if doc["duplicate_of"]:
                dups[doc["duplicate_of"]].append(doc["id"])
            else:
                docs[doc["id"]] = doc
        out[key] = (docs, dict(dups))
    return out


def documents_by_id(con, ids: list[str]) -> dict[str, dict]:
    """Metadata (no text) of documents cited from outside the story (a claim's other sources)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = con.execute(
        "SELECT id, source, url, title, outlet, author, CAST(published AS VARCHAR), published_basis, '', "
        f"duplicate_of FROM documents WHERE id IN ({marks})", ids).fetchall()
    return {r[0]: dict(zip(_DOC_COLUMNS, r, strict=True)) for r in rows}


def load_events(con, story: Any) -> dict[Any, list[dict[str, Any]]]:
    """Events of the story with their reporting documents and mention sentences."""
    where, params = _story_filter(story, "e")
    rows = con.execute(
        "SELECT e.story, e.id, e.type, e.plover, e.modality, e.participants, e.location, e.date, e.history "
        f"FROM events e WHERE 1=1{where} ORDER BY e.id", params).fetchall()
    events = {r[1]: {"id": r[1], "type": r[2], "plover": r[3], "modality": r[4],
                     "participants": json.loads(r[5] or "[]"), "location": r[6],
                     "date": json.loads(r[7]) if r[7] else None, "history": json.loads(r[8] or "[]"),
                     "docs": [], "sentences": [], "_story": r[0]} for r in rows}
    mentions = con.execute(
        "SELECT em.event, m.doc, m.sent_start, m.sentence, CAST(d.published AS VARCHAR), m.trigger_start, m.date "
        "FROM event_mentions m JOIN event_map em ON em.event_mention = m.id JOIN documents d ON d.id = m.doc "
        f"JOIN events e ON e.id = em.event WHERE d.duplicate_of IS NULL{where} "
        "ORDER BY d.published NULLS LAST, m.doc, m.sent_start", params).fetchall()
    for event_id, doc, sent_start, sentence, published, trigger, date in mentions:
        ev = events[event_id]
        if doc not in ev["docs"]:
            ev["docs"].append(doc)
        ev.setdefault("first_published", published)
        if published and published > (ev.get("last_published") or ""):
            ev["last_published"] = published
        if sentence:
            ev["sentences"].append({"doc": doc, "start": sent_start, "text": sentence, "trigger": trigger,
                                    "date_text": (json.loads(date) or {}).get("text") if date else None})
    out: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for ev in events.values():
        own = ev.pop("_story")
        key = own if story is _MANY else story
        if ev["docs"]:
            out[key].append(ev)
    return out


def load_quotes(con, story: Any) -> dict[Any, list[dict[str, Any]]]:
    where, params = _story_filter(story)
    rows = con.execute(
        'SELECT d.story, q.id, q.doc, q.start, q.text, coalesce(m.entity, q.speaker_local), q.speaker_name, q.cue, '
        'q."end" FROM quotes q JOIN documents d ON d.id = q.doc LEFT JOIN entity_map m ON m.local_entity = q.speaker_local '
        f"WHERE d.duplicate_of IS NULL{where} ORDER BY q.doc, q.start", params).fetchall()
    keys = ("id", "doc", "start", "text", "speaker", "speaker_name", "cue", "end")
    return {k: [dict(zip(keys, r, strict=True)) for r in group] for k, group in _by_story(rows, story).items()}


def load_claims(con, story: Any) -> dict[Any, list[dict[str, Any]]]:
    """Claims with a value stated in the story, with all their values (from any document)."""
    where, params = _story_filter(story)
    pairs = _by_story(con.execute(
        "SELECT DISTINCT d.story, cm.claim FROM claim_values v JOIN claim_map cm ON cm.claim_value = v.id "
        f"JOIN documents d ON d.id = v.doc WHERE d.duplicate_of IS NULL{where} ORDER BY 2", params).fetchall(), story)
    ids = sorted({r[0] for group in pairs.values() for r in group})
    if not ids:
        return {}
    con.register("_ng_brief_claims", pa.table({"id": pa.array(ids, pa.string())}))
    try:
        claims = {r[0]: {"id": r[0], "subject": r[1], "subject_name": r[2], "attribute": r[3], "status": r[4],
                         "explanation": r[5] or "", "values": []}
                  for r in con.execute("SELECT c.id, subject, subject_name, attribute, status, explanation FROM claims c "
                                       "JOIN _ng_brief_claims w ON w.id = c.id ORDER BY c.id").fetchall()}
        for claim, doc, value, normalized, modality, published, text, basis, speaker_name, start, end, context in \
                con.execute(
            "SELECT cm.claim, v.doc, v.value, v.normalized, v.modality, v.published, v.text, x.basis, x.speaker_name, "
            'v.start, v."end", x.context_text FROM claim_values v JOIN claim_map cm ON cm.claim_value = v.id '
            "JOIN _ng_brief_claims w ON w.id = cm.claim LEFT JOIN claim_value_context x ON x.claim_value = v.id "
            "ORDER BY v.published, v.doc, v.start, v.id").fetchall():
            # The value's own characters, and the sentence stating it (what a citation's reader is shown).
            span = {"doc": doc, "start": start, "end": end, "text": context or text} if start is not None else None
            claims[claim]["values"].append({"doc": doc, "value": value, "normalized": json.loads(normalized or "{}"),
                                            "modality": modality, "published": published, "text": text,
                                            "basis": basis, "speaker_name": speaker_name, "span": span})
    finally:
        con.unregister("_ng_brief_claims")
    return {k: [claims[r[0]] for r in group if r[0] in claims] for k, group in pairs.items()}


EntityData = tuple[dict[str, dict], dict[str, list[str]], dict[str, str], dict[tuple[str, str], dict[str, Any]]]


def load_entities(con, story: Any) -> dict[Any, EntityData]:
    """Entities mentioned in the story's documents, the documents naming each, and local→global ids."""
    where, params = _story_filter(story)
    found = _by_story(con.execute(
        'SELECT d.story, m.local_entity, m.entity, x.doc, min(x.start), arg_min(x."end", x.start), '
        "arg_min(x.text, x.start) FROM mentions x JOIN entity_map m "
        "ON m.local_entity = x.local_entity JOIN documents d ON d.id = x.doc "
        f"WHERE d.duplicate_of IS NULL{where} GROUP BY ALL ORDER BY x.doc, m.local_entity", params).fetchall(), story)
    ids = sorted({r[1] for group in found.values() for r in group})
    entities = {}
    con.register("_ng_brief_entities", pa.table({"id": pa.array(ids, pa.string())}))
    try:
        for eid, name, type_, kb_ids, attrs in con.execute(
            "SELECT e.id, name, type, kb_ids, attributes FROM entities e JOIN _ng_brief_entities w ON w.id = e.id"
        ).fetchall():
            entities[eid] = {"id": eid, "name": name, "type": type_, "kb_ids": json.loads(kb_ids or "{}"),
                             "attributes": json.loads(attrs or "{}")}
    finally:
        con.unregister("_ng_brief_entities")
    out = {}
    for key, group in found.items():
        entity_docs: dict[str, list[str]] = defaultdict(list)
        local_ids: dict[str, str] = {}
        spans: dict[tuple[str, str], dict[str, Any]] = {}
        for local, entity, doc, start, end, text in group:
            local_ids[local] = entity
            if doc not in entity_docs[entity]:
                entity_docs[entity].append(doc)
            if (entity, doc) not in spans or start < spans[(entity, doc)]["start"]:
                spans[(entity, doc)] = {"doc": doc, "start": start, "end": end, "text": text}
        out[key] = ({e: entities[e] for e in entity_docs if e in entities}, dict(entity_docs), local_ids, spans)
    return out


def story_title(con, story: str | None) -> str | None:
    if story is None:
        return None
    row = con.execute("SELECT title FROM stories WHERE id = ?", [story]).fetchone()
    return row[0] if row else None


def load_story(con, story: str | None) -> StoryData:
    return _assemble(con, story, [story])[story]


def load_stories(con, stories: list[str]) -> dict[str, StoryData]:
    """Many stories at once: one query per kind of record for all of them (read views, newsgraph.views)."""
    if not stories:
        return {}
    con.register(STORIES_TABLE, pa.table({"story": pa.array(stories, pa.string())}))
    try:
        return _assemble(con, _MANY, stories)
    finally:
        con.unregister(STORIES_TABLE)


def _assemble(con, story: Any, keys: list[str | None]) -> dict[Any, StoryData]:
    documents, entities = load_documents(con, story), load_entities(con, story)
    events, quotes, claims = load_events(con, story), load_quotes(con, story), load_claims(con, story)
    titles = _titles(con, story, keys)
    out = {}
    for key in keys:
        docs, dups = documents.get(key, ({}, {}))
        found, entity_docs, local_ids, entity_spans = entities.get(key, ({}, {}, {}, {}))
        out[key] = StoryData(story=key, title=titles.get(key), documents=docs, duplicates=dups,
                             events=events.get(key, []), quotes=quotes.get(key, []), claims=claims.get(key, []),
                             entities=found, entity_docs=entity_docs, local_ids=local_ids, entity_spans=entity_spans)
    return out


def _titles(con, story: Any, keys: list[str | None]) -> dict[Any, str | None]:
    if story is _MANY:
        return dict(con.execute(f"SELECT s.id, s.title FROM stories s JOIN {STORIES_TABLE} w ON w.story = s.id"
                                ).fetchall())
    return {story: story_title(con, story)}


def story_ids(con) -> list[str]:
    """Stories, the most reported first (independent documents), then the most recent."""
    return [r[0] for r in con.execute(
        "SELECT s.id FROM stories s JOIN documents d ON d.story = s.id AND d.duplicate_of IS NULL "
        "GROUP BY s.id, s.last_date ORDER BY count(*) DESC, s.last_date DESC NULLS LAST, s.id").fetchall()]
