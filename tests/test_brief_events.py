"""The brief states an event as fact only when its record is confident; otherwise it quotes the source.

Each test writes a small store by hand (invented states, people, outlets and sentences) with the kind
of record that made the brief state something false, and checks the brief's wording.
"""

from __future__ import annotations

import json
import re

import pytest

from newsgraph.outputs.brief import build_brief, render_markdown
from newsgraph.outputs.brief_data import load_story
from newsgraph.outputs.brief_events import doubts, independent_sources
from newsgraph.store import db

ENTITIES = {  # id: (name, type)
    "e_fre": ("Freedonia", "COUNTRY"), "e_syl": ("Sylvania", "COUNTRY"), "e_jet": ("K-9X", "AIRCRAFT"),
    "e_holm": ("Vera Holm", "PERSON"), "e_pact": ("Harbor Defense Treaty", "ORG"),
    "e_osk": ("Port Osk", "PLACE"), "e_ship": ("Stella Maris", "VESSEL"),
}
DAY = {"start": "2031-03-04", "end": "2031-03-04", "granularity": "day", "text": "Tuesday", "basis": "stated"}


class Store:
    def __init__(self, path):
        self.con = db.connect(path)
        self.con.execute("INSERT INTO stories (id, title) VALUES ('s1', 'Freedonia and Sylvania')")
        for eid, (name, type_) in ENTITIES.items():
            self.con.execute("INSERT INTO entities (id, name, type, kb_ids, attributes) VALUES (?, ?, ?, '{}', '{}')",
                             [eid, name, type_])

    def doc(self, doc_id, outlet, published, text, title=None):
        self.con.execute("INSERT INTO documents (id, source, text, content_hash, title, outlet, published, story) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 's1')",
                         [doc_id, f"{doc_id}.txt", text, doc_id, title or f"Report {doc_id}", outlet, published])
        for eid, (name, type_) in ENTITIES.items():
            if name in text:
                self.con.execute("INSERT INTO entity_map VALUES (?, ?)", [f"{doc_id}:{eid}", eid])
                self.con.execute('INSERT INTO mentions (doc, start, "end", text, label, local_entity) '
                                 "VALUES (?, 0, 1, 'x', ?, ?)", [doc_id, type_, f"{doc_id}:{eid}"])

    def event(self, ev_id, type_, plover, modality, roles, date, docs, location=None):
        participants = [{"entity": eid, "name": ENTITIES[eid][0], "role": role} for eid, role in roles]
        self.con.execute("INSERT INTO events (id, type, plover, modality, participants, location, date, story) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 's1')",
                         [ev_id, type_, plover, modality, json.dumps(participants), location,
                          json.dumps(date) if date else None])
        for doc, sentence in docs:
            text = self.con.execute("SELECT text FROM documents WHERE id = ?", [doc]).fetchone()[0]
            start = text.index(sentence)
            mid = f"m_{ev_id}_{doc}"
            self.con.execute("INSERT INTO event_mentions (id, doc, type, trigger_start, sent_start, sent_end, sentence) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", [mid, doc, type_, start, start, start + len(sentence),
                                                              sentence])
            self.con.execute("INSERT INTO event_map VALUES (?, ?)", [mid, ev_id])

    def markdown(self):
        return render_markdown(build_brief(self.con, "s1"))

    def events(self):
        return {ev["id"]: ev for ev in load_story(self.con, "s1").events}


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "b.duckdb")
    yield s
    s.con.close()


SIGNED = "Freedonia and Sylvania signed a fisheries accord in Port Osk on Tuesday, officials said."


def key_events(md: str) -> str:
    return md.split("## Key events")[1].split("\n## ")[0]


def test_a_confident_event_is_stated(store):
    store.doc("d1", "Coastal Post", "2031-03-05", SIGNED)
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], DAY,
                [("d1", SIGNED)], location="e_osk")
    events = key_events(store.markdown())
    assert "4 March 2031: agreement by Freedonia with Sylvania in Port Osk (took place; reported by 1 source)" in events


def test_equipment_or_a_person_among_partners_is_quoted_not_stated(store):
    text = "Freedonia agreed with Sylvania to buy the K-9X jet, Admiral Vera Holm said on Tuesday."
    store.doc("d1", "Coastal Post", "2031-03-05", text)
    store.event("ev", "AGREE", "AGREE", "happened",
                [("e_fre", "actor"), ("e_syl", "partner"), ("e_jet", "partner"), ("e_holm", "partner")], DAY,
                [("d1", text)])
    events = key_events(store.markdown())
    assert "agreement by Freedonia with" not in events
    assert f"Coastal Post, 5 March 2031: “{text}”" in events


def test_a_past_event_dated_after_every_report_never_took_place(store):
    text = "Freedonia and Sylvania committed to field the new frigate by 2041."
    store.doc("d1", "Coastal Post", "2031-03-05", text)
    year = {"start": "2041-01-01", "end": "2041-12-31", "granularity": "year", "text": "2041", "basis": "absolute"}
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], year, [("d1", text)])
    events = key_events(store.markdown())
    assert "2041: agreement" not in events and "took place" not in events
    assert "dated after every report" in doubts(load_story(store.con, "s1"), store.events()["ev"])


def test_a_treaty_never_acts(store):
    text = "Sylvania said the Harbor Defense Treaty covers attacks on its coast guard vessels."
    store.doc("d1", "Coastal Post", "2031-03-05", text)
    store.event("ev", "AGREE", "AGREE", "happened", [("e_pact", "actor"), ("e_syl", "partner")], DAY, [("d1", text)])
    events = key_events(store.markdown())
    assert "agreement by Harbor Defense Treaty" not in events
    assert "“Sylvania said the Harbor Defense Treaty" in events


def test_one_article_in_two_outlets_is_one_source(store):
    store.doc("d1", "Coastal Post", "2031-03-05", SIGNED)
    store.doc("d2", "Inland Ledger", "2031-03-05", "Syndicated. " + SIGNED)  # a copy that dedup did not link
    store.doc("d3", "Coastal Post", "2031-03-06", "Follow-up. " + SIGNED.replace("officials said", "aides said"))
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], DAY,
                [("d1", SIGNED), ("d2", SIGNED), ("d3", SIGNED.replace("officials said", "aides said"))])
    data = load_story(store.con, "s1")
    assert independent_sources(data, data.events[0]) == 1
    events = key_events(store.markdown())
    assert "reported by 1 source" in events and not re.search(r"reported by [2-9]", events)


def test_independent_outlets_are_counted(store):
    other = "Sylvania's envoy confirmed on Tuesday that the two states had signed a fisheries accord."
    store.doc("d1", "Coastal Post", "2031-03-05", SIGNED)
    store.doc("d2", "Inland Ledger", "2031-03-05", other)
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], DAY,
                [("d1", SIGNED), ("d2", other)])
    assert "reported by 2 independent sources" in key_events(store.markdown())


@pytest.mark.parametrize("basis", ["reported", "inferred", None])
def test_a_date_the_text_did_not_state_is_no_fact(store, basis):
    store.doc("d1", "Coastal Post", "2031-03-05", SIGNED)
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], DAY | {"basis": basis},
                [("d1", SIGNED)])
    events = key_events(store.markdown())
    assert "took place" not in events and f"“{SIGNED}”" in events


@pytest.mark.parametrize("basis", ["stated", "relative", "absolute", "publication"])
def test_both_date_vocabularies_count_as_stated(store, basis):
    store.doc("d1", "Coastal Post", "2031-03-05", SIGNED)
    store.event("ev", "AGREE", "AGREE", "happened", [("e_fre", "actor"), ("e_syl", "partner")], DAY | {"basis": basis},
                [("d1", SIGNED)])
    assert "agreement by Freedonia with Sylvania" in key_events(store.markdown())


def test_a_directed_event_without_a_target_is_quoted(store):
    text = "Freedonia threatened on Tuesday to close the strait."
    store.doc("d1", "Coastal Post", "2031-03-05", text)
    store.event("ev", "THREATEN", "THREATEN", "happened", [("e_fre", "actor")], DAY, [("d1", text)])
    events = key_events(store.markdown())
    assert "threat by Freedonia" not in events and f"“{text}”" in events


@pytest.mark.parametrize(("modality", "word"), [("planned", "planned"), ("expected", "expected"),
                                                 ("announced", "announced")])
def test_plans_and_forecasts_never_read_as_took_place(store, modality, word):
    text = "The Stella Maris will make a port call in Port Osk on Tuesday, the navy said."
    store.doc("d1", "Coastal Post", "2031-03-01", text)
    store.event("ev", "PORT_CALL", "CONSULT", modality, [("e_ship", "actor")], DAY, [("d1", text)], location="e_osk")
    events = key_events(store.markdown())
    assert f"port call by Stella Maris in Port Osk ({word};" in events and "took place" not in events


def test_which_types_are_directed():
    from newsgraph.outputs.brief_events import directed

    assert directed("THREATEN") and directed("ATTACK") and directed("AID")
    assert not directed("DEPLOY") and not directed("MEET") and not directed("AGREE")


def test_a_nationality_acting_for_its_state_reads_as_the_state(store):
    store.con.execute("INSERT INTO entities (id, name, type, kb_ids, attributes) VALUES "
                      "('e_ita', 'Italian', 'NORP', '{}', '{\"country\": \"ITA\"}')")
    text = "Italian and Sylvania officials met in Port Osk on Tuesday."
    store.doc("d1", "Coastal Post", "2031-03-05", text)
    store.con.execute("INSERT INTO entity_map VALUES ('d1:e_ita', 'e_ita')")
    store.con.execute("INSERT INTO mentions (doc, start, \"end\", text, label, local_entity) "
                      "VALUES ('d1', 0, 7, 'Italian', 'NORP', 'd1:e_ita')")
    store.con.execute("INSERT INTO events (id, type, plover, modality, participants, date, story) VALUES "
                      "('ev', 'MEET', 'CONSULT', 'happened', ?, ?, 's1')",
                      [json.dumps([{"entity": "e_ita", "name": "Italian", "role": "actor"},
                                   {"entity": "e_syl", "name": "Sylvania", "role": "partner"}]), json.dumps(DAY)])
    store.con.execute("INSERT INTO event_mentions (id, doc, type, trigger_start, sent_start, sent_end, sentence) "
                      "VALUES ('m', 'd1', 'MEET', 0, 0, ?, ?)", [len(text), text])
    store.con.execute("INSERT INTO event_map VALUES ('m', 'ev')")
    assert "talks by Italy with Sylvania" in key_events(store.markdown())
