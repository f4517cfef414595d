"""Entities across documents: document-local entities are mapped to canonical ones.

Every entity carries several blocking keys, stored in ``entity_keys`` (indexed):

* ``kb:<id>``            a KB id (Wikidata QID or project id): decisive, whatever the name;
* ``name:<group>:<n>``   the normalised name and every alias (persons: full names only);
* ``tok:<n>``            a person's name tokens sorted: "Kishida Fumio" = "Fumio Kishida";
* ``acr:<group>:<A>``    the initials of a multi-word name; ``isacr:<group>:<A>`` an acronym-shaped name;
* ``sur:<surname>``      a person's surname, looked up by surname-only persons.

``group`` is the type group (kb/resolution.yaml): names of incompatible types never share a key,
so "Sydney" (PLACE), "HMAS Sydney" (VESSEL) and "University of Sydney" (ORG) stay apart.
A pending local entity tries its keys tier by tier (kb; name and sorted tokens; acronym; surname)
and joins the entity the first answering tier points to; acronyms and surnames must point to
exactly one entity (surnames: one among the persons co-occurring with the document's other
entities), otherwise the local entity starts an entity of its own. Only unmapped local entities
are read and all their keys are looked up in one indexed join, so the cost grows with the new
documents, not with the corpus; re-running changes nothing.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import yaml

from newsgraph.extract.names import clean_name, initials
from newsgraph.model import stable_id
from newsgraph.resolve.scope import in_scope
from newsgraph.settings import KB_DIR

_PUNCT = re.compile(r"[^\w\s]")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&.]{0,8}$")


@functools.cache
def rules() -> dict[str, Any]:
    with (KB_DIR / "resolution.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def normalise_name(name: str) -> str:
    """Lower case, no accents, no punctuation, no "the" or possessive "s"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(w for w in text.split() if w not in {"the", "s"})


def type_group(type_: str) -> str:
    return rules().get("type_groups", {}).get(type_, type_.lower())


def acronym_letters(name: str) -> str | None:
    """"JMSDF" → "JMSDF", "MoD" → "MD"; None for anything that is not acronym-shaped."""
    name = name.strip()
    upper = [c for c in name if c.isupper()]
    if not _ACRONYM.match(name) or len(upper) < 2 or len(upper) < len([c for c in name if c.isalpha()]) - 1:
        return None
    return "".join(upper)


def name_initials(name: str) -> str | None:
    words = [w for w in clean_name(name).split() if w.lower() not in set(rules().get("acronym_skip", []))]
    letters = initials(" ".join(words)).upper()
    return letters if len(letters) >= 2 and len(words) >= 2 else None


def _person_tokens(name: str) -> list[str]:
    suffixes = {"jr", "sr", "ii", "iii", "iv"}
    return [t for t in normalise_name(name).split() if t not in suffixes]


def is_full_person_name(name: str) -> bool:
    return len(_person_tokens(name)) > 1


@dataclass
class Local:
    """One document-local entity waiting for its canonical entity."""

    id: str
    doc: str
    name: str
    type: str
    aliases: list[str]
    kb_ids: dict[str, str]
    attributes: dict[str, Any]

    @property
    def group(self) -> str:
        return type_group(self.type)

    @property
    def names(self) -> list[str]:
        return [self.name, *(a for a in self.aliases if a and a != self.name)]

    @property
    def surname_only(self) -> bool:
        return self.type == "PERSON" and not any(is_full_person_name(n) for n in self.names)


def provided_keys(local: Local) -> list[str]:
    """Keys a canonical entity registers for this local entity's names."""
    keys = [f"kb:{v}" for _, v in sorted(local.kb_ids.items()) if v]
    for name in local.names:
        keys.extend(_name_keys(name, local))
    return list(dict.fromkeys(keys))


def _name_keys(name: str, local: Local) -> list[str]:
    norm = normalise_name(name)
    if not norm:
        return []
    if local.type == "PERSON":
        tokens = _person_tokens(name)
        if len(tokens) < 2:
            return []  # a bare surname is no name key: "Smith" alone is ambiguous
        return [f"name:person:{norm}", "tok:" + " ".join(sorted(tokens)), f"sur:{tokens[-1]}"]
    keys = [f"name:{local.group}:{norm}"]
    acronym = acronym_letters(name)
    if acronym:
        keys.append(f"isacr:{local.group}:{acronym}")
    # Initials are an English habit: "Estados Unidos" or "Ende des Urlaubsjahres" must never be "EU".
    english = local.attributes.get("language") in (None, "en")
    full = name_initials(name) if english else None
    if full and not acronym:
        keys.append(f"acr:{local.group}:{full}")
    return keys


def lookup_tiers(local: Local) -> list[tuple[str, list[str]]]:
    """The keys to look up, strongest tier first."""
    provided = provided_keys(local)
    tiers = [
        ("kb", [k for k in provided if k.startswith("kb:")]),
        ("name", [k for k in provided if k.startswith(("name:", "tok:"))]),
        ("acronym", [_flip_acronym(k) for k in provided if k.startswith(("acr:", "isacr:"))]),
    ]
    if local.surname_only:
        tiers.append(("surname", [f"sur:{t}" for n in local.names for t in _person_tokens(n)[-1:]]))
    return [(tier, keys) for tier, keys in tiers if keys]


def _flip_acronym(key: str) -> str:
    return key[2:] if key.startswith("isacr:") else "is" + key


@dataclass
class Canonical:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    kb_ids: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    block_key: str = ""
    names: Counter = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)
    new_keys: set[str] = field(default_factory=set)

    def kb_compatible(self, kb_ids: dict[str, str]) -> bool:
        return all(self.kb_ids.get(src) in (None, value) for src, value in kb_ids.items())

    def absorb(self, local: Local) -> None:
        known = {self.name, *self.aliases}
        for alias in local.names:
            if alias and alias not in known:
                self.aliases.append(alias)
                known.add(alias)
        for src, value in local.kb_ids.items():
            self.kb_ids.setdefault(src, value)
        for key, value in local.attributes.items():
            if isinstance(value, list):
                merged = self.attributes.setdefault(key, [])
                if isinstance(merged, list):
                    merged.extend(v for v in value if v not in merged)
            else:
                self.attributes.setdefault(key, value)
        self.names[local.name] += 1
        for key in provided_keys(local):
            if key not in self.keys:
                self.keys.add(key)
                self.new_keys.add(key)
        previous = self.name
        self.name = canonical_name(self.names, self.type) or self.name
        self.aliases = [a for a in dict.fromkeys([*self.aliases, previous]) if a != self.name]


def canonical_name(names: Counter, type_: str) -> str | None:
    """The most frequent full form: for persons the most common full name (longer on ties)."""
    if not names:
        return None
    if type_ == "PERSON":
        full = [n for n in names if is_full_person_name(n)] or list(names)
        return max(full, key=lambda n: (names[n], len(n.split()), len(n), n))
    spelled = [n for n in names if not acronym_letters(n)] or list(names)
    return max(spelled, key=lambda n: (names[n], len(n), n))


class Resolver:
    """One incremental pass over the unmapped local entities."""

    def __init__(self, con) -> None:
        self.con = con
        self.entities: dict[str, Canonical] = {}
        self.index: dict[str, set[str]] = {}  # key → entity ids (db rows plus this pass)
        self.mapping: list[list[str]] = []
        # This pass's mappings by document and by entity (not in the store yet), kept as they grow
        # so that the surname tier never rescans the whole pass.
        self.in_doc: dict[str, set[str]] = {}
        self.docs_of: dict[str, set[str]] = {}

    def run(self) -> None:
        pending = self._pending()
        if not pending:
            return
        self._load_index([k for p in pending for _, keys in lookup_tiers(p) for k in keys])
        for local in sorted(pending, key=lambda p: (p.surname_only, p.doc, p.id)):
            self._resolve(local)
        self._save()

    def _pending(self) -> list[Local]:
        rows = self.con.execute(
            "SELECT l.id, l.doc, l.name, l.type, l.aliases, l.kb_ids, l.attributes FROM local_entities l "
            "LEFT JOIN entity_map m ON m.local_entity = l.id WHERE m.local_entity IS NULL "
            f"AND {in_scope(self.con, 'l.doc')} ORDER BY l.doc, l.id"
        ).fetchall()
        return [Local(r[0], r[1], r[2], r[3], json.loads(r[4] or "[]"), json.loads(r[5] or "{}"),
                      json.loads(r[6] or "{}")) for r in rows]

    def _load_index(self, keys: list[str]) -> None:
        """All candidate keys in one indexed join, then the entities they point to."""
        self.con.register("_pending_keys", pa.table({"key": sorted(set(keys))}))
        try:
            rows = self.con.execute(
                "SELECT k.key, k.entity FROM entity_keys k JOIN _pending_keys p ON p.key = k.key"
            ).fetchall()
        finally:
            self.con.unregister("_pending_keys")
        for key, entity in rows:
            self.index.setdefault(key, set()).add(entity)
        self._load_entities(sorted({e for _, e in rows}))

    def _load_entities(self, ids: list[str]) -> None:
        if not ids:
            return
        self.con.register("_wanted", pa.table({"id": ids}))
        try:
            rows = self.con.execute(
                "SELECT e.id, e.name, e.type, e.aliases, e.kb_ids, e.attributes, e.block_key "
                "FROM entities e JOIN _wanted w ON w.id = e.id"
            ).fetchall()
            names = self.con.execute(
                "SELECT n.entity, n.name, n.n FROM entity_names n JOIN _wanted w ON w.id = n.entity"
            ).fetchall()
            keys = self.con.execute(
                "SELECT k.entity, k.key FROM entity_keys k JOIN _wanted w ON w.id = k.entity"
            ).fetchall()
        finally:
            self.con.unregister("_wanted")
        for r in rows:
            self.entities[r[0]] = Canonical(r[0], r[1], r[2], json.loads(r[3] or "[]"), json.loads(r[4] or "{}"),
                                            json.loads(r[5] or "{}"), r[6] or "")
        for entity, name, n in names:
            self.entities[entity].names[name] += n
        for entity, key in keys:
            self.entities[entity].keys.add(key)

    def _resolve(self, local: Local) -> None:
        entity = self._match(local) or self._new(local)
        entity.absorb(local)
        for key in entity.new_keys:
            self.index.setdefault(key, set()).add(entity.id)
        self.mapping.append([local.id, entity.id])
        self.in_doc.setdefault(local.doc, set()).add(entity.id)
        self.docs_of.setdefault(entity.id, set()).add(local.doc)

    def _match(self, local: Local) -> Canonical | None:
        for tier, keys in lookup_tiers(local):
            hits = Counter(e for k in keys for e in self.index.get(k, ()))
            found = [e for e in hits if self._compatible(self.entities[e], local)]
            if tier in ("acronym", "surname") and len(found) > 1:
                found = self._co_occurring(found, local) if tier == "surname" else []
            if len(found) == 1 or (found and tier in ("kb", "name")):
                return self.entities[max(found, key=lambda e: (hits[e], e))]
        return None

    @staticmethod
    def _compatible(entity: Canonical, local: Local) -> bool:
        return type_group(entity.type) == local.group and entity.kb_compatible(local.kb_ids)

    def _co_occurring(self, candidates: list[str], local: Local) -> list[str]:
        """Candidates seen in some document together with one of this document's other entities."""
        here = self.in_doc.get(local.doc, set())
        if not here:
            return []
        rows = self.con.execute(
            "SELECT DISTINCT m1.entity FROM entity_map m1 JOIN local_entities l1 ON l1.id = m1.local_entity "
            "JOIN local_entities l2 ON l2.doc = l1.doc JOIN entity_map m2 ON m2.local_entity = l2.id "
            "WHERE m1.entity IN (SELECT unnest(?)) AND m2.entity IN (SELECT unnest(?))",
            [candidates, sorted(here)],
        ).fetchall()
        near = {r[0] for r in rows}
        # From the candidate's side: an ambiguous surname's people are in few documents, while
        # this document's other entities (states, say) may be in all of them.
        near |= {c for c in candidates
                 if any(self.in_doc[d] & here for d in self.docs_of.get(c, ()) if d != local.doc)}
        return [c for c in candidates if c in near]

    def _new(self, local: Local) -> Canonical:
        key = provided_keys(local)[0] if provided_keys(local) else f"local:{local.id}"
        entity_id = stable_id("entity", key)
        if entity_id in self.entities or self._exists(entity_id):
            entity_id = stable_id("entity", key, local.id)
        entity = Canonical(entity_id, local.name, local.type, block_key=key)
        self.entities[entity_id] = entity
        return entity

    def _exists(self, entity_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM entities WHERE id = ?", [entity_id]).fetchone() is not None

    def _save(self) -> None:
        mapped = {m[1] for m in self.mapping}
        touched = [e for e in self.entities.values() if e.id in mapped]
        ids = [[e.id] for e in touched]
        rows = [[e.id, e.name, e.type, json.dumps(e.aliases, ensure_ascii=False), json.dumps(e.kb_ids),
                 json.dumps(e.attributes, ensure_ascii=False, default=str), e.block_key] for e in touched]
        self.con.executemany("DELETE FROM entities WHERE id = ?", ids)
        self.con.executemany("DELETE FROM entity_names WHERE entity = ?", ids)
        bulk_insert(self.con, "entities", rows)
        bulk_insert(self.con, "entity_names", [[e.id, n, c] for e in touched for n, c in e.names.items()])
        bulk_insert(self.con, "entity_keys", [[k, e.id] for e in touched for k in sorted(e.new_keys)])
        bulk_insert(self.con, "entity_map", self.mapping)


def bulk_insert(con, table: str, rows: list[list[Any]]) -> None:
    """Bulk insert through Arrow: one statement, not one per row."""
    if not rows:
        return
    columns = {f"c{i}": [r[i] for r in rows] for i in range(len(rows[0]))}
    con.register("_rows", pa.table(columns))
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def resolve_entities(con, ctx=None) -> None:
    """Map every unmapped local entity to a canonical entity (new or existing)."""
    Resolver(con).run()
