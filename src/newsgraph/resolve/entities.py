"""Entities across documents: document-local entities are mapped to canonical ones.

Blocking: every local entity gets one key (its KB id when it has one, otherwise
its type and normalised name); local entities with the same key are one entity.
Only unmapped local entities are looked at, so adding documents is incremental.
"""

from __future__ import annotations

import json
import re
import unicodedata

from newsgraph.model import stable_id

_PUNCT = re.compile(r"[^\w\s]")


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _PUNCT.sub(" ", text.lower())
    words = [w for w in text.split() if w not in {"the", "s"}]
    return " ".join(words)


def block_key(name: str, type_: str, kb_ids: dict) -> str:
    for source in ("wikidata", "newsgraph", "kb"):
        if kb_ids.get(source):
            return f"kb:{kb_ids[source]}"
    return f"{type_}:{normalise_name(name)}"


def _merge(entity: dict, name: str, aliases: list[str], kb_ids: dict, attributes: dict) -> None:
    known = set(entity["aliases"]) | {entity["name"]}
    for alias in [name, *aliases]:
        if alias and alias not in known:
            entity["aliases"].append(alias)
            known.add(alias)
    for key, value in kb_ids.items():
        entity["kb_ids"].setdefault(key, value)
    for key, value in attributes.items():
        if isinstance(value, list):
            merged = entity["attributes"].setdefault(key, [])
            merged.extend(v for v in value if v not in merged)
        else:
            entity["attributes"].setdefault(key, value)


def resolve_entities(con, ctx=None) -> None:
    pending = con.execute(
        "SELECT l.id, l.name, l.type, l.aliases, l.kb_ids, l.attributes FROM local_entities l "
        "LEFT JOIN entity_map m ON m.local_entity = l.id WHERE m.local_entity IS NULL ORDER BY l.doc, l.id"
    ).fetchall()
    if not pending:
        return
    touched: dict[str, dict] = {}
    mapping = []
    for local_id, name, type_, aliases, kb_ids, attributes in pending:
        kb = json.loads(kb_ids or "{}")
        key = block_key(name, type_, kb)
        entity = touched.get(key) or _load(con, key) or _new(key, name, type_)
        touched[key] = entity
        _merge(entity, name, json.loads(aliases or "[]"), kb, json.loads(attributes or "{}"))
        mapping.append([local_id, entity["id"]])
    _save(con, touched.values(), mapping)


def _new(key: str, name: str, type_: str) -> dict:
    return {"id": stable_id("entity", key), "name": name, "type": type_, "aliases": [], "kb_ids": {},
            "attributes": {}, "block_key": key, "new": True}


def _load(con, key: str) -> dict | None:
    row = con.execute(
        "SELECT id, name, type, aliases, kb_ids, attributes FROM entities WHERE block_key = ?", [key]
    ).fetchone()
    if row is None:
        return None
    return {"id": row[0], "name": row[1], "type": row[2], "aliases": json.loads(row[3] or "[]"),
            "kb_ids": json.loads(row[4] or "{}"), "attributes": json.loads(row[5] or "{}"),
            "block_key": key, "new": False}


def _save(con, entities, mapping: list[list[str]]) -> None:
    rows = [[e["id"], e["name"], e["type"], json.dumps(e["aliases"], ensure_ascii=False),
             json.dumps(e["kb_ids"]), json.dumps(e["attributes"], ensure_ascii=False, default=str), e["block_key"]]
            for e in entities]
    ids = [[r[0]] for r in rows]
    con.executemany("DELETE FROM entities WHERE id = ?", ids)
    con.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO entity_map VALUES (?, ?)", mapping)
