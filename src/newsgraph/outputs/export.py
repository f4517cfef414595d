"""The JSON export contract ``newsgraph/2`` (docs/export-schema.md, outputs/export-schema.json).

Records are sorted by id so that two exports of the same store are byte-identical. ``read_export``
also reads the previous contract, ``newsgraph/1`` (outputs/export-schema-v1.json), and upgrades it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from newsgraph.settings import SCHEMA_FILE

SCHEMA_NAME = "newsgraph/2"
OLD_SCHEMAS = {"newsgraph/1": "export-schema-v1.json"}


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def _span(doc: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {"doc": doc, "start": start, "end": end, "text": text}


def _documents(con) -> list[dict]:
    rows = con.execute(
        "SELECT d.id, d.source, d.title, d.outlet, d.author, CAST(d.published AS VARCHAR), d.published_basis, "
        "p.source, p.confidence, p.evidence, p.warnings, d.language, t.language_confidence, t.language_basis, "
        "t.charset, t.encoding_issue, d.text, d.removed, d.duplicate_of, d.story "
        "FROM documents d LEFT JOIN document_text t ON t.doc = d.id LEFT JOIN publication_dates p ON p.doc = d.id "
        "ORDER BY d.id"
    ).fetchall()
    keys = ("id", "source", "title", "outlet", "author", "published", "published_basis", "published_source",
            "published_confidence", "published_evidence", "published_warnings", "language", "language_confidence",
            "language_basis", "charset", "encoding_issue", "text", "removed",
            "duplicate_of", "story")
    docs = [dict(zip(keys, row, strict=True)) for row in rows]
    for doc in docs:
        doc["removed"] = _loads(doc["removed"], [])
        doc["published_evidence"] = _loads(doc["published_evidence"], None)
        doc["published_warnings"] = _loads(doc["published_warnings"], [])
    return docs


def local_to_global(con) -> dict[str, str]:
    return dict(con.execute("SELECT local_entity, entity FROM entity_map").fetchall())


def _entities(con) -> list[dict]:
    mentions = defaultdict(list)
    for entity, doc, start, end, text in con.execute(
        'SELECT m.entity, x.doc, x.start, x."end", x.text FROM mentions x '
        "JOIN entity_map m ON m.local_entity = x.local_entity ORDER BY x.doc, x.start"
    ).fetchall():
        mentions[entity].append(_span(doc, start, end, text))
    out = []
    for eid, name, type_, aliases, kb_ids, attributes in con.execute(
        "SELECT id, name, type, aliases, kb_ids, attributes FROM entities ORDER BY id"
    ).fetchall():
        out.append({"id": eid, "name": name, "type": type_, "aliases": _loads(aliases, []),
                    "kb_ids": _loads(kb_ids, {}), "attributes": _loads(attributes, {}),
                    "mentions": mentions.get(eid, [])})
    return out


def _participants(raw: str | None, ids: dict[str, str]) -> list[dict]:
    out = []
    for p in _loads(raw, []):
        row = {"entity": ids.get(p.get("entity"), p.get("entity")), "name": p.get("name"), "role": p.get("role")}
        if p.get("country"):  # the state the participant stands for in this event, and why
            row.update(country=p["country"], country_basis=p.get("basis"))
        out.append(row)
    return out


def _date(raw: str | None) -> dict | None:
    """An event's date: its interval, the text it came from (``span``; none for a ``reported`` date) and
    its ``basis``."""
    date = _loads(raw, None)
    if not date:
        return None
    out = {k: date.get(k) for k in ("start", "end", "granularity", "text", "basis", "span")}
    out["text"] = out["text"] or None
    return out


def _events(con, ids: dict[str, str]) -> list[dict]:
    sources = defaultdict(list)
    for event, doc, start, end, text in con.execute(
        "SELECT em.event, m.doc, m.trigger_start, m.trigger_end, m.trigger_text FROM event_mentions m "
        "JOIN event_map em ON em.event_mention = m.id ORDER BY m.doc, m.trigger_start"
    ).fetchall():
        sources[event].append(_span(doc, start, end, text))
    out = []
    for eid, type_, plover, modality, summary, participants, location, date, quantities in con.execute(
        "SELECT id, type, plover, modality, summary, participants, location, date, quantities FROM events ORDER BY id"
    ).fetchall():
        out.append({"id": eid, "type": type_, "plover": plover, "modality": modality, "summary": summary,
                    "participants": _participants(participants, ids),
                    "location": ids.get(location, location) if location else None,
                    "date": _date(date), "quantities": _loads(quantities, []), "sources": sources.get(eid, [])})
    return out


def _quotes(con, ids: dict[str, str]) -> list[dict]:
    rows = con.execute(
        'SELECT id, speaker_local, speaker_name, text, doc, start, "end", cue FROM quotes ORDER BY id'
    ).fetchall()
    return [{"id": qid, "speaker": ids.get(speaker, speaker) if speaker else None, "speaker_name": name,
             "text": text, "doc": doc, "start": start, "end": end, "cue": cue}
            for qid, speaker, name, text, doc, start, end, cue in rows]


def _attributions(con, ids: dict[str, str]) -> list[dict]:
    """Who said what: source, cue and (possibly discontinuous) content spans into the cleaned text."""
    rows = con.execute(
        "SELECT id, kind, doc, speaker_local, speaker_name, source_start, source_end, source_text, cue_start, "
        "cue_end, cue_text, content, statement_type FROM attributions ORDER BY id"
    ).fetchall()
    out = []
    for aid, kind, doc, speaker, name, s_start, s_end, s_text, c_start, c_end, c_text, content, stype in rows:
        out.append({
            "id": aid, "kind": kind, "doc": doc, "speaker": ids.get(speaker, speaker) if speaker else None,
            "speaker_name": name,
            "source": {"start": s_start, "end": s_end, "text": s_text} if s_start is not None else None,
            "cue": {"start": c_start, "end": c_end, "text": c_text},
            "content": [{"start": c["start"], "end": c["end"], "text": c["text"]} for c in _loads(content, [])],
            "statement_type": stype,
        })
    return out


def _claims(con, ids: dict[str, str]) -> list[dict]:
    """Claims with their values: the value's own span (``sources``), its sentence (``context``), its basis
    and, for reported speech, the speaker (a global entity id when resolved)."""
    values = defaultdict(list)
    for (claim, value, normalized, doc, start, end, text, basis, c_start, c_end, c_text, speaker,
         speaker_name) in con.execute(
        'SELECT cm.claim, v.value, v.normalized, v.doc, v.start, v."end", v.text, x.basis, x.context_start, '
        "x.context_end, x.context_text, x.speaker_local, x.speaker_name FROM claim_values v "
        "JOIN claim_map cm ON cm.claim_value = v.id LEFT JOIN claim_value_context x ON x.claim_value = v.id "
        "ORDER BY v.doc, v.start"
    ).fetchall():
        context = _span(doc, c_start, c_end, c_text) if c_start is not None else None
        values[claim].append({"value": value, "normalized": _loads(normalized, {}),
                              "sources": [_span(doc, start, end, text)], "context": context, "basis": basis,
                              "speaker": ids.get(speaker, speaker) if speaker else None,
                              "speaker_name": speaker_name})
    rows = con.execute(
        "SELECT id, subject, subject_name, attribute, status, explanation FROM claims ORDER BY id"
    ).fetchall()
    return [{"id": cid, "subject": subject, "subject_name": name, "attribute": attribute, "status": status,
             "explanation": explanation or "", "values": values.get(cid, [])}
            for cid, subject, name, attribute, status, explanation in rows]


def _stories(con) -> list[dict]:
    members = defaultdict(list)
    for story, doc in con.execute(
        "SELECT story, id FROM documents WHERE story IS NOT NULL ORDER BY id"
    ).fetchall():
        members[story].append(doc)
    rows = con.execute("SELECT s.id, s.title, i.topic, i.unclusterable FROM stories s "
                       "LEFT JOIN story_info i ON i.story = s.id ORDER BY s.id").fetchall()
    return [{"id": sid, "title": title, "documents": members.get(sid, []), "topic": topic,
             "unclusterable": unclusterable} for sid, title, topic, unclusterable in rows]


def _topics(con) -> list[dict]:
    members = defaultdict(list)
    for topic, story in con.execute(
        "SELECT topic, story FROM story_info WHERE topic IS NOT NULL ORDER BY story"
    ).fetchall():
        members[topic].append(story)
    rows = con.execute("SELECT id, title, CAST(first_date AS VARCHAR), CAST(last_date AS VARCHAR) FROM topics "
                       "ORDER BY id").fetchall()
    return [{"id": tid, "title": title, "stories": members.get(tid, []), "first_date": first, "last_date": last}
            for tid, title, first, last in rows]


def build_export(con) -> dict[str, Any]:
    ids = local_to_global(con)
    return {
        "schema": SCHEMA_NAME,
        "documents": _documents(con),
        "entities": _entities(con),
        "events": _events(con, ids),
        "quotes": _quotes(con, ids),
        "attributions": _attributions(con, ids),
        "claims": _claims(con, ids),
        "stories": _stories(con),
        "topics": _topics(con),
    }


@cache
def export_schema() -> dict[str, Any]:
    return json.loads(Path(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _old_schema(name: str) -> dict[str, Any]:
    return json.loads((Path(SCHEMA_FILE).parent / OLD_SCHEMAS[name]).read_text(encoding="utf-8"))


def validate_export(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` breaks the contract."""
    jsonschema.validate(data, export_schema())


# What newsgraph/2 added at the top level; an upgraded newsgraph/1 export gets them empty.
NEW_IN_V2: dict[str, Any] = {"attributions": [], "topics": []}
# Fields newsgraph/2 added to records of existing lists, with what an upgraded newsgraph/1 record holds.
NEW_FIELDS_IN_V2: dict[str, dict[str, Any]] = {
    "documents": {"published_source": None, "published_confidence": None, "published_evidence": None,
                  "published_warnings": []},
    "stories": {"topic": None, "unclusterable": None},
}


# newsgraph/1 named two date bases differently (docs/export-schema.md, "Changes from newsgraph/1").
V1_DATE_BASES = {"absolute": "stated", "publication": "relative"}


# What newsgraph/2 added to each claim value; an upgraded newsgraph/1 export holds them unknown (null).
NEW_CLAIM_VALUE_FIELDS: dict[str, Any] = {"context": None, "basis": None, "speaker": None, "speaker_name": None}


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A newsgraph/1 export in the newsgraph/2 shape: the same records, the new lists empty, the new fields
    of existing records null."""
    out = {**data, "schema": SCHEMA_NAME}
    for key, empty in NEW_IN_V2.items():
        out.setdefault(key, json.loads(json.dumps(empty)))
    for key, fields in NEW_FIELDS_IN_V2.items():
        out[key] = [{**json.loads(json.dumps(fields)), **record} for record in out.get(key, [])]
    out["events"] = [_upgrade_event_date(ev) for ev in out.get("events", [])]
    out["claims"] = [{**claim, "values": [NEW_CLAIM_VALUE_FIELDS | value for value in claim.get("values") or []]}
                     for claim in out.get("claims") or []]
    return out


def _upgrade_event_date(event: dict[str, Any]) -> dict[str, Any]:
    """A newsgraph/1 event date with today's basis names and no span (v1 did not record it)."""
    date = event.get("date")
    if not date:
        return event
    basis = date.get("basis")
    return {**event, "date": {**date, "basis": V1_DATE_BASES.get(basis, basis), "span": None}}


def read_export(source: Path | str | dict[str, Any]) -> dict[str, Any]:
    """Read an export of this or an earlier contract, validate it against its own schema, return it as
    ``newsgraph/2``. Raises ``ValueError`` naming the file and the schema it claims when it is unknown."""
    data = source if isinstance(source, dict) else json.loads(Path(source).read_text(encoding="utf-8"))
    where = "export" if isinstance(source, dict) else str(source)
    name = data.get("schema") if isinstance(data, dict) else None
    if name == SCHEMA_NAME:
        validate_export(data)
        return data
    if name in OLD_SCHEMAS:
        jsonschema.validate(data, _old_schema(name))
        return upgrade_v1(data)
    raise ValueError(f"{where}: unknown export schema {name!r} (this newsgraph reads {SCHEMA_NAME} and "
                     f"{', '.join(OLD_SCHEMAS)})")


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
