"""Entities across documents: blocking keys, merges that must happen and merges that must not."""

from __future__ import annotations

import json

import pytest

from newsgraph.resolve.entities import acronym_letters, name_initials, normalise_name, resolve_entities
from newsgraph.store import db


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "resolve.duckdb")
    yield connection
    connection.close()


def add_doc(con, doc: str, entities: list[tuple]) -> None:
    """Local entities as the entities stage stores them: (name, type[, aliases[, kb_ids]])."""
    for i, item in enumerate(entities):
        name, type_ = item[0], item[1]
        aliases = item[2] if len(item) > 2 else []
        kb_ids = item[3] if len(item) > 3 else {}
        con.execute(
            "INSERT INTO local_entities VALUES (?, ?, ?, ?, ?, ?, ?)",
            [f"{doc}-e{i}", doc, name, type_, json.dumps(aliases), json.dumps(kb_ids), "{}"],
        )


def resolve(con) -> None:
    con.execute("BEGIN TRANSACTION")
    resolve_entities(con)
    con.execute("COMMIT")


def entity_of(con, local_id: str) -> str:
    return con.execute("SELECT entity FROM entity_map WHERE local_entity = ?", [local_id]).fetchone()[0]


def entity_name(con, entity_id: str) -> str:
    return con.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0]


def test_helpers():
    assert normalise_name("The Élysée's") == "elysee"
    assert acronym_letters("JMSDF") == "JMSDF"
    assert acronym_letters("MoD") == "MD"
    assert acronym_letters("Sydney") is None
    assert name_initials("Japan Maritime Self-Defense Force") == "JMSDF"
    assert name_initials("Ministry of Defence") == "MD"


def test_family_name_first_merges_and_canonical_is_most_common(con):
    add_doc(con, "d1", [("Fumio Kishida", "PERSON")])
    add_doc(con, "d2", [("Kishida Fumio", "PERSON")])
    add_doc(con, "d3", [("Fumio Kishida", "PERSON", ["Kishida"])])
    resolve(con)
    ids = {entity_of(con, f"d{i}-e0") for i in (1, 2, 3)}
    assert len(ids) == 1
    (entity,) = ids
    assert entity_name(con, entity) == "Fumio Kishida"
    aliases = json.loads(con.execute("SELECT aliases FROM entities WHERE id = ?", [entity]).fetchone()[0])
    assert "Kishida Fumio" in aliases


@pytest.mark.parametrize("order", ["defined_first", "acronym_first"])
def test_acronym_defined_elsewhere_merges(con, order):
    defined = ("d1", [("Japan Maritime Self-Defense Force", "ORG", ["JMSDF"])])
    bare = ("d2", [("JMSDF", "ORG")])
    for doc, ents in (defined, bare) if order == "defined_first" else (bare, defined):
        add_doc(con, doc, ents)
        resolve(con)
    assert entity_of(con, "d1-e0") == entity_of(con, "d2-e0")
    assert entity_name(con, entity_of(con, "d1-e0")) == "Japan Maritime Self-Defense Force"


def test_acronym_needs_matching_type(con):
    add_doc(con, "d1", [("Japan Maritime Self-Defense Force", "ORG", ["JMSDF"])])
    add_doc(con, "d2", [("JMSDF", "VESSEL")])
    resolve(con)
    assert entity_of(con, "d1-e0") != entity_of(con, "d2-e0")


def test_words_shared_across_types_stay_apart(con):
    add_doc(con, "d1", [("Sydney", "PLACE")])
    add_doc(con, "d2", [("HMAS Sydney", "VESSEL", ["Sydney"])])
    add_doc(con, "d3", [("University of Sydney", "ORG")])
    add_doc(con, "d4", [("Sydney", "PLACE")])
    resolve(con)
    ids = [entity_of(con, f"d{i}-e0") for i in (1, 2, 3, 4)]
    assert len(set(ids[:3])) == 3
    assert ids[3] == ids[0]


def test_kb_ids_decide_and_conflicting_kb_ids_stay_apart(con):
    add_doc(con, "d1", [("Rome", "PLACE", [], {"wikidata": "Q220"})])
    add_doc(con, "d2", [("Roma", "PLACE", [], {"wikidata": "Q220"})])
    add_doc(con, "d3", [("Georgia", "PLACE", [], {"wikidata": "Q1428"})])
    add_doc(con, "d4", [("Georgia", "PLACE", [], {"wikidata": "Q230"})])
    resolve(con)
    assert entity_of(con, "d1-e0") == entity_of(con, "d2-e0")
    assert entity_of(con, "d3-e0") != entity_of(con, "d4-e0")


def test_surname_joins_unique_full_name(con):
    add_doc(con, "d1", [("Guido Crosetto", "PERSON"), ("Ministry of Defence", "ORG")])
    add_doc(con, "d2", [("Crosetto", "PERSON")])
    resolve(con)
    assert entity_of(con, "d2-e0") == entity_of(con, "d1-e0")


def test_ambiguous_surname_needs_co_occurrence(con):
    add_doc(con, "d1", [("John Harper", "PERSON"), ("Northwind Shipyards", "ORG")])
    add_doc(con, "d2", [("Alice Harper", "PERSON"), ("Lakeside Bank", "ORG")])
    add_doc(con, "d3", [("Harper", "PERSON")])  # nothing to tell them apart
    add_doc(con, "d4", [("Harper", "PERSON"), ("Northwind Shipyards", "ORG")])
    resolve(con)
    john, alice = entity_of(con, "d1-e0"), entity_of(con, "d2-e0")
    assert entity_of(con, "d3-e0") not in (john, alice)
    assert entity_of(con, "d4-e0") == john


def test_incremental_and_idempotent(con):
    add_doc(con, "d1", [("Fumio Kishida", "PERSON"), ("Japan Air Self-Defense Force", "ORG", ["JASDF"])])
    resolve(con)
    before = dict(con.execute("SELECT local_entity, entity FROM entity_map").fetchall())
    add_doc(con, "d2", [("Kishida Fumio", "PERSON"), ("JASDF", "ORG"), ("Tokyo", "PLACE")])
    resolve(con)
    after = dict(con.execute("SELECT local_entity, entity FROM entity_map").fetchall())
    assert {k: after[k] for k in before} == before
    assert after["d2-e0"] == before["d1-e0"] and after["d2-e1"] == before["d1-e1"]
    snapshot = con.execute("SELECT * FROM entities ORDER BY id").fetchall()
    keys = con.execute("SELECT count(*) FROM entity_keys").fetchone()[0]
    resolve(con)
    assert con.execute("SELECT * FROM entities ORDER BY id").fetchall() == snapshot
    assert con.execute("SELECT count(*) FROM entity_keys").fetchone()[0] == keys
    assert con.execute("SELECT count(*) FROM entities").fetchone()[0] == 3
