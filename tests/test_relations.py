"""Country-pair relations: states of participants, which pairs an event relates, months and scores."""

from __future__ import annotations

import json

import pytest

from newsgraph.outputs.relations import (
    country_pair_relations,
    event_month,
    event_pairs,
    load_plover,
    normalise_pair,
    pair_months,
    state_of,
)
from newsgraph.store import db


class FakeKB:
    """Only what relations needs from the knowledge base."""

    def __init__(self, codes: dict[str, str]) -> None:
        self.codes = codes

    def country_code(self, kb_id):
        return self.codes.get(kb_id)

    def country(self, iso3):
        return None


ENTITIES = [
    ("e_ita", "Italy", "COUNTRY", {}, {"iso3": "ITA"}),
    ("e_jpn", "Japan", "COUNTRY", {}, {"iso3": "JPN"}),
    ("e_chn", "China", "COUNTRY", {}, {"iso3": "CHN"}),
    ("e_phl", "Philippines", "COUNTRY", {}, {"iso3": "PHL"}),
    ("e_ship", "Stella Polare", "VESSEL", {}, {"country": "ITA"}),
    ("e_guard", "Harbour Guard", "ORG", {"kb": "ng:test-guard"}, {}),
]


def _p(entity: str, role: str) -> dict:
    return {"entity": entity, "name": entity, "role": role}


# (id, plover, modality, participants, date, published)
EVENTS = [
    ("ev1", "CONSULT", "happened", [_p("e_ship", "actor"), _p("e_jpn", "partner")],
     {"start": "2030-05-02", "end": "2030-05-02", "granularity": "day"}, "2030-05-03"),
    ("ev2", "AGREE", "happened", [_p("e_ita", "actor"), _p("e_jpn", "actor")], None, "2030-05-20"),
    ("ev3", "COERCE", "happened", [_p("e_guard", "actor"), _p("e_phl", "target")],
     {"start": "2030-06-01", "end": "2030-12-31", "granularity": "half"}, "2030-07-04"),
    ("ev4", "THREATEN", "negated", [_p("e_chn", "actor"), _p("e_phl", "target")], None, "2030-07-05"),
    ("ev5", "MOBILIZE", "happened", [_p("e_ita", "actor"), _p("e_jpn", "partner")], None, "2030-05-21"),
]


def _store(path) -> object:
    con = db.connect(path)
    for eid, name, type_, kb_ids, attrs in ENTITIES:
        con.execute("INSERT INTO entities (id, name, type, kb_ids, attributes) VALUES (?, ?, ?, ?, ?)",
                    [eid, name, type_, json.dumps(kb_ids), json.dumps(attrs)])
    for eid, plover, modality, participants, date, published in EVENTS:
        doc = f"doc_{eid}"
        con.execute("INSERT INTO documents (id, source, text, content_hash, published) VALUES (?, ?, ?, ?, ?)",
                    [doc, f"{doc}.txt", "A sentence written for this test.", doc, published])
        con.execute("INSERT INTO events (id, type, plover, modality, participants, date) VALUES (?, ?, ?, ?, ?, ?)",
                    [eid, plover, plover, modality, json.dumps(participants), json.dumps(date)])
        con.execute("INSERT INTO event_mentions (id, doc, type) VALUES (?, ?, ?)", [f"m_{eid}", doc, plover])
        con.execute("INSERT INTO event_map VALUES (?, ?)", [f"m_{eid}", eid])
    return con


@pytest.fixture()
def con(tmp_path):
    connection = _store(tmp_path / "relations.duckdb")
    yield connection
    connection.close()


KB = FakeKB({"ng:test-guard": "CHN"})


def test_state_of_reads_iso3_attributes_then_the_kb():
    assert state_of({"type": "COUNTRY", "attributes": {"iso3": "JPN"}}) == "JPN"
    assert state_of({"type": "VESSEL", "attributes": {"country": "ITA"}}) == "ITA"
    assert state_of({"type": "ORG", "kb_ids": {"kb": "ng:test-guard"}, "attributes": {}}, KB) == "CHN"
    assert state_of({"type": "ORG", "kb_ids": {}, "attributes": {"country": "Italy"}}, KB) is None


def test_pairs_follow_the_quad_class():
    scale = load_plover()
    states = {"a": "ITA", "b": "JPN", "c": "CHN"}
    coop = [_p("a", "actor"), _p("b", "actor"), _p("c", "partner")]
    assert event_pairs(coop, states, scale, "AGREE") == {("ITA", "JPN"), ("CHN", "ITA"), ("CHN", "JPN")}
    # conflict: co-actors do not pair, a partner (host) is no target, only actor x target counts
    conflict = [_p("a", "actor"), _p("b", "actor"), _p("c", "target")]
    assert event_pairs(conflict, states, scale, "THREATEN") == {("CHN", "ITA"), ("CHN", "JPN")}
    assert event_pairs([_p("a", "actor"), _p("b", "partner")], states, scale, "MOBILIZE") == set()
    assert event_pairs([_p("a", "actor"), _p("a", "target")], states, scale, "ACCUSE") == set()
    assert event_pairs(coop, states, scale, "NOT_A_CATEGORY") == set()


def test_event_month_uses_fine_dates_else_first_report():
    assert event_month({"start": "2030-05-02", "granularity": "day"}, "2030-06-10") == "2030-05"
    assert event_month({"start": "2030-01-01", "granularity": "year"}, "2030-06-10") == "2030-06"
    assert event_month(None, None) is None


def test_plover_weights_are_signed_by_quad_class():
    scale = load_plover()
    for name, spec in scale.categories.items():
        assert spec["quad"] in scale.quads, name
        assert -10.0 <= spec["weight"] <= 10.0, name
    assert scale.weight("AID") > scale.weight("CONSULT") > 0 > scale.weight("THREATEN") > scale.weight("FIGHT")
    assert scale.cooperative("AGREE") is True and scale.cooperative("ASSAULT") is False


def test_normalise_pair():
    assert normalise_pair("jpn-ita") == "ITA-JPN"
    assert normalise_pair("ITA/JPN") == "ITA-JPN"
    with pytest.raises(ValueError):
        normalise_pair("Italy")


def test_relations_on_a_small_store(con):
    rows = country_pair_relations(con, kb=KB)
    by_key = {(r["pair"], r["month"], r["plover"]): r for r in rows}
    assert set(by_key) == {("ITA-JPN", "2030-05", "CONSULT"), ("ITA-JPN", "2030-05", "AGREE"),
                           ("CHN-PHL", "2030-07", "COERCE")}  # negated THREATEN and hosted MOBILIZE left out
    consult = by_key[("ITA-JPN", "2030-05", "CONSULT")]
    assert consult["cooperative"] == 1 and consult["conflictual"] == 0
    assert consult["events"] == ["ev1"] and consult["documents"] == ["doc_ev1"]
    assert consult["month_score"] == pytest.approx((1.0 + 4.0) / 2)
    coerce = by_key[("CHN-PHL", "2030-07", "COERCE")]
    assert coerce["conflictual"] == 1 and coerce["score"] == pytest.approx(-7.0)
    months = pair_months(rows)
    assert [(m["pair"], m["month"], m["cooperative"], m["conflictual"]) for m in months] == [
        ("CHN-PHL", "2030-07", 0, 1), ("ITA-JPN", "2030-05", 2, 0)]


def test_pair_filter_and_event_filter(con):
    assert {r["pair"] for r in country_pair_relations(con, pair="PHL-CHN", kb=KB)} == {"CHN-PHL"}
    only = country_pair_relations(con, event_ids=["ev2"], kb=KB)
    assert [(r["pair"], r["plover"]) for r in only] == [("ITA-JPN", "AGREE")]
    assert country_pair_relations(con, event_ids=[], kb=KB) == []


def test_sample_corpus_relations(sample_db):
    from newsgraph.archive import Archive

    with Archive(sample_db, read_only=True) as archive:
        rows = country_pair_relations(archive.con)
    months = {(m["pair"], m["month"]): m for m in pair_months(rows)}
    assert rows and all(r["pair"] == "-".join(sorted(r["pair"].split("-"))) for r in rows)
    ita_jpn = [m for (pair, _), m in months.items() if pair == "ITA-JPN"]
    assert ita_jpn and sum(m["cooperative"] for m in ita_jpn) > sum(m["conflictual"] for m in ita_jpn)
    assert any(m["score"] > 0 for m in ita_jpn)
    # the Second Thomas Shoal story (March 2024) is conflict between China and the Philippines
    shoal = months.get(("CHN-PHL", "2024-03"))
    assert shoal is not None and shoal["conflictual"] > 0 and shoal["score"] < 0
    # allies stay allies: the US condemning China's attack on the Philippines is no US-Philippine conflict
    allies = months.get(("PHL-USA", "2024-03"))
    assert allies is not None and allies["conflictual"] == 0 and allies["score"] > 0
    # every row names the events behind it, and each can be opened at its trigger
    for row in rows:
        assert row["events"] and {r["id"] for r in row["event_refs"]} == set(row["events"])
        assert all(r["doc"] and r["start"] is not None for r in row["event_refs"])


def test_a_pair_needs_both_sides_in_one_report(tmp_path):
    """An actor in one report and a target in another report of the same event are no dyad."""
    con = _store(tmp_path / "split.duckdb")
    try:
        con.execute("INSERT INTO documents (id, source, text, content_hash, published) VALUES "
                    "('doc_x', 'x.txt', 'Another sentence written for this test.', 'doc_x', '2030-07-06')")
        con.execute("UPDATE event_mentions SET participants = ? WHERE id = 'm_ev4'",
                    [json.dumps([_p("e_chn", "actor")])])
        con.execute("INSERT INTO event_mentions (id, doc, type, participants) VALUES ('m_ev4b', 'doc_x', 'THREATEN', ?)",
                    [json.dumps([_p("e_phl", "target")])])
        con.execute("INSERT INTO event_map VALUES ('m_ev4b', 'ev4')")
        con.execute("UPDATE events SET modality = 'happened' WHERE id = 'ev4'")
        assert not [r for r in country_pair_relations(con, kb=KB) if r["plover"] == "THREATEN"]
    finally:
        con.close()
