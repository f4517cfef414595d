"""What a brief reads from the store, scoped to one story in SQL (or the whole store when none is named)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


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


def _story_filter(story: str | None, alias: str = "d") -> tuple[str, list[Any]]:
    return (f" AND {alias}.story = ?", [story]) if story is not None else ("", [])


_DOC_COLUMNS = ("id", "source", "url", "title", "outlet", "author", "published", "published_basis",
                "text", "duplicate_of")


def load_documents(con, story: str | None) -> tuple[dict[str, dict], dict[str, list[str]]]:
    where, params = _story_filter(story)
    rows = con.execute(
        "SELECT id, source, url, title, outlet, author, CAST(published AS VARCHAR), published_basis, text, "
        f"duplicate_of FROM documents d WHERE 1=1{where} ORDER BY published NULLS LAST, id", params).fetchall()
    docs, dups = {}, defaultdict(list)
    for row in rows:
        doc = dict(zip(_DOC_COLUMNS, row, strict=True))
        if doc["duplicate_of"]:
            dups[doc["duplicate_of"]].append(doc["id"])
        else:
            docs[doc["id"]] = doc
    return docs, dict(dups)


def documents_by_id(con, ids: list[str]) -> dict[str, dict]:
    """Metadata (no text) of documents cited from outside the story (a claim's other sources)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = con.execute(
        "SELECT id, source, url, title, outlet, author, CAST(published AS VARCHAR), published_basis, '', "
        f"duplicate_of FROM documents WHERE id IN ({marks})", ids).fetchall()
    return {r[0]: dict(zip(_DOC_COLUMNS, r, strict=True)) for r in rows}


def load_events(con, story: str | None) -> list[dict[str, Any]]:
    """Events of the story with their reporting documents and mention sentences."""
    where, params = _story_filter(story, "e")
    rows = con.execute(
        "SELECT e.id, e.type, e.plover, e.modality, e.participants, e.location, e.date, e.history "
        f"FROM events e WHERE 1=1{where} ORDER BY e.id", params).fetchall()
    events = {r[0]: {"id": r[0], "type": r[1], "plover": r[2], "modality": r[3],
                     "participants": json.loads(r[4] or "[]"), "location": r[5],
                     "date": json.loads(r[6]) if r[6] else None, "history": json.loads(r[7] or "[]"),
                     "docs": [], "sentences": []} for r in rows}
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
    return [ev for ev in events.values() if ev["docs"]]


def load_quotes(con, story: str | None) -> list[dict[str, Any]]:
    where, params = _story_filter(story)
    rows = con.execute(
        'SELECT q.id, q.doc, q.start, q.text, coalesce(m.entity, q.speaker_local), q.speaker_name, q.cue '
        "FROM quotes q JOIN documents d ON d.id = q.doc LEFT JOIN entity_map m ON m.local_entity = q.speaker_local "
        f"WHERE d.duplicate_of IS NULL{where} ORDER BY q.doc, q.start", params).fetchall()
    keys = ("id", "doc", "start", "text", "speaker", "speaker_name", "cue")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def load_claims(con, story: str | None) -> list[dict[str, Any]]:
    """Claims with a value stated in the story, with all their values (from any document)."""
    where, params = _story_filter(story)
    ids = [r[0] for r in con.execute(
        "SELECT DISTINCT cm.claim FROM claim_values v JOIN claim_map cm ON cm.claim_value = v.id "
        f"JOIN documents d ON d.id = v.doc WHERE d.duplicate_of IS NULL{where} ORDER BY 1", params).fetchall()]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    claims = {r[0]: {"id": r[0], "subject": r[1], "subject_name": r[2], "attribute": r[3], "status": r[4],
                     "explanation": r[5] or "", "values": []}
              for r in con.execute("SELECT id, subject, subject_name, attribute, status, explanation FROM claims "
                                   f"WHERE id IN ({marks}) ORDER BY id", ids).fetchall()}
    for claim, doc, value, normalized, modality, published, text, basis, speaker_name in con.execute(
        "SELECT cm.claim, v.doc, v.value, v.normalized, v.modality, v.published, v.text, x.basis, x.speaker_name "
        "FROM claim_values v JOIN claim_map cm ON cm.claim_value = v.id "
        "LEFT JOIN claim_value_context x ON x.claim_value = v.id "
        f"WHERE cm.claim IN ({marks}) ORDER BY v.published, v.doc, v.start", ids).fetchall():
        claims[claim]["values"].append({"doc": doc, "value": value, "normalized": json.loads(normalized or "{}"),
                                        "modality": modality, "published": published, "text": text,
                                        "basis": basis, "speaker_name": speaker_name})
    return list(claims.values())


def load_entities(con, story: str | None) -> tuple[dict[str, dict], dict[str, list[str]], dict[str, str]]:
    """Entities mentioned in the story's documents, the documents naming each, and local→global ids."""
    where, params = _story_filter(story)
    entity_docs: dict[str, list[str]] = defaultdict(list)
    local_ids: dict[str, str] = {}
    for local, entity, doc in con.execute(
        "SELECT DISTINCT m.local_entity, m.entity, x.doc FROM mentions x JOIN entity_map m "
        "ON m.local_entity = x.local_entity JOIN documents d ON d.id = x.doc "
        f"WHERE d.duplicate_of IS NULL{where} ORDER BY x.doc", params).fetchall():
        local_ids[local] = entity
        if doc not in entity_docs[entity]:
            entity_docs[entity].append(doc)
    ids = sorted(entity_docs)
    entities = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for eid, name, type_, kb_ids, attrs in con.execute(
            "SELECT id, name, type, kb_ids, attributes FROM entities "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall():
            entities[eid] = {"id": eid, "name": name, "type": type_, "kb_ids": json.loads(kb_ids or "{}"),
                             "attributes": json.loads(attrs or "{}")}
    return entities, dict(entity_docs), local_ids


def story_title(con, story: str | None) -> str | None:
    if story is None:
        return None
    row = con.execute("SELECT title FROM stories WHERE id = ?", [story]).fetchone()
    return row[0] if row else None


def load_story(con, story: str | None) -> StoryData:
    docs, dups = load_documents(con, story)
    entities, entity_docs, local_ids = load_entities(con, story)
    return StoryData(story=story, title=story_title(con, story), documents=docs, duplicates=dups,
                     events=load_events(con, story), quotes=load_quotes(con, story),
                     claims=load_claims(con, story), entities=entities, entity_docs=entity_docs,
                     local_ids=local_ids)


def story_ids(con) -> list[str]:
    """Stories, the most reported first (independent documents), then the most recent."""
    return [r[0] for r in con.execute(
        "SELECT s.id FROM stories s JOIN documents d ON d.story = s.id AND d.duplicate_of IS NULL "
        "GROUP BY s.id, s.last_date ORDER BY count(*) DESC, s.last_date DESC NULLS LAST, s.id").fetchall()]
