"""Cross-document event coreference: the clustering rules and the incremental store step."""

from __future__ import annotations

import json

import pytest

from newsgraph.resolve.event_coref import (
    Arg,
    CorefParams,
    EventMentionFeatures,
    average_link,
    blocks,
    cluster,
    lemma_similarity,
    synonym_groups,
)

SHIP_A = Arg("ent_ship_a", "VESSEL", "actor")
SHIP_B = Arg("ent_ship_b", "VESSEL", "actor")
PORT = "ent_port_x"


def port_call(mid: str, doc: str, lemma: str, ship: Arg, sentence: str, day: str = "2031-03-14",
              modality: str = "happened") -> EventMentionFeatures:
    return EventMentionFeatures(
        id=mid, doc=doc, trigger_lemma=lemma, type="PORT_CALL", sentence=sentence,
        participants={ship}, location=PORT, date_start=day, date_end=day, granularity="day",
        modality=modality, story="story_1",
    )


def meeting(mid: str, doc: str, start: str, end: str, gran: str) -> EventMentionFeatures:
    leaders = {Arg("ent_leader_p", "PERSON", "actor"), Arg("ent_leader_q", "PERSON", "partner")}
    return EventMentionFeatures(
        id=mid, doc=doc, trigger_lemma="meet", type="MEET", participants=set(leaders),
        sentence="The two presidents met to discuss fishing rights and a border crossing.",
        date_start=start, date_end=end, granularity=gran, story="story_2",
    )


def test_synonyms_come_from_the_data_file():
    groups = synonym_groups()
    assert lemma_similarity("dock", "arrive", groups, 0.75) == 0.75
    assert lemma_similarity("Port_Call", "port call", groups, 0.75) == 1.0
    assert lemma_similarity("dock", "condemn", groups, 0.75) == 0.0


def test_three_outlets_different_triggers_one_event():
    mentions = [
        port_call("m1", "d1", "arrive", SHIP_A, "The frigate Aldebaran arrived in Port Xavier on Friday."),
        port_call("m2", "d2", "port call", SHIP_A, "Aldebaran's port call at Port Xavier drew crowds."),
        port_call("m3", "d3", "dock", SHIP_A, "The Aldebaran docked at Port Xavier for a five-day stay."),
    ]
    assert cluster(mentions) == [["m1", "m2", "m3"]]


def exercise(mid: str, doc: str, actors: set[Arg], sentence: str) -> EventMentionFeatures:
    return EventMentionFeatures(id=mid, doc=doc, trigger_lemma="exercise", type="EXERCISE", sentence=sentence,
                                participants=actors, context="navies joint naval exercise frigate",
                                story="story_3")


def test_each_report_keeps_its_own_exercise_when_the_same_ship_leads_both():
    """Two reports of two exercises, each with a sentence naming only the frigate that led it: the
    frigate's sentences are most alike across the reports, but each belongs to its own report's exercise."""
    north = {Arg("ent_north", "COUNTRY", "actor"), Arg("ent_east", "COUNTRY", "actor")}
    south = {Arg("ent_south", "COUNTRY", "actor"), Arg("ent_west", "COUNTRY", "actor")}
    frigate = {Arg("ent_frigate", "VESSEL", "actor")}
    led = "The frigate Orsa led a group of {} ships during the exercise, which lasted four days."
    mentions = [
        exercise("a1", "d1", north, "The navies of Nordland and Ostland held a joint exercise on Monday."),
        exercise("a2", "d1", set(frigate), led.format(3)),
        exercise("b1", "d2", south, "The navies of Sudland and Westland held a joint exercise on Friday."),
        exercise("b2", "d2", set(frigate), led.format(4)),
    ]
    assert cluster(mentions) == [["a1", "a2"], ["b1", "b2"]]
    # without the within-report step the frigate's two sentences join first and pull one report's
    # exercise into the other's
    assert cluster(mentions, CorefParams(within_document_first=False)) != [["a1", "a2"], ["b1", "b2"]]


def test_two_ships_same_week_two_port_calls():
    mentions = [
        port_call("m1", "d1", "dock", SHIP_A, "The frigate Aldebaran docked at Port Xavier.", "2031-03-14"),
        port_call("m2", "d2", "dock", SHIP_B, "The destroyer Bellatrix docked at Port Xavier.", "2031-03-16"),
        port_call("m3", "d3", "arrive", SHIP_A, "Aldebaran arrived at Port Xavier.", "2031-03-14"),
    ]
    assert cluster(mentions) == [["m1", "m3"], ["m2"]]


def test_same_leaders_a_year_apart_two_meetings():
    mentions = [
        meeting("m1", "d1", "2030-05-02", "2030-05-02", "day"),
        meeting("m2", "d2", "2030-05-01", "2030-05-31", "month"),  # coarser and compatible
        meeting("m3", "d3", "2031-05-02", "2031-05-02", "day"),
    ]
    assert cluster(mentions) == [["m1", "m2"], ["m3"]]


def test_planned_then_happened_stay_one_event():
    mentions = [
        port_call("m1", "d1", "visit", SHIP_A, "Aldebaran will visit Port Xavier next month.", modality="planned"),
        port_call("m2", "d2", "arrive", SHIP_A, "Aldebaran arrived at Port Xavier on Friday."),
    ]
    assert cluster(mentions) == [["m1", "m2"]]


def test_unrelated_triggers_in_one_story_stay_apart():
    a = port_call("m1", "d1", "dock", SHIP_A, "Aldebaran docked at Port Xavier.")
    b = EventMentionFeatures(id="m2", doc="d2", trigger_lemma="condemn", type="ACCUSE", story="story_1",
                             sentence="The opposition condemned the cost of the new harbour.")
    assert cluster([a, b]) == [["m1"], ["m2"]]


def test_blocking_never_mixes_stories_and_splits_big_blocks():
    mentions = [port_call(f"m{i}", f"d{i}", "dock", SHIP_A, "Aldebaran docked.") for i in range(6)]
    mentions[5].story = "story_other"
    mentions[4].type = "MEET"
    found = blocks(mentions, CorefParams(max_block=3))
    assert all(len({m.story for m in b}) == 1 for b in found)
    assert all(len(b) <= 3 or len({m.type for m in b}) == 1 for b in found)
    assert sorted(len(b) for b in found) == [1, 1, 4]


def test_average_link_keeps_seeds_apart_and_respects_cannot_link():
    inf = float("-inf")
    scores = [[inf, 0.9, 0.8, inf], [0.9, inf, 0.9, 0.9], [0.8, 0.9, inf, 0.9], [inf, 0.9, 0.9, inf]]
    import numpy as np

    groups = average_link(np.array(scores), 0.5)
    assert all(not ({0, 3} <= set(g)) for g in groups)
    seeded = average_link(np.array(scores), 0.5, seeds=[[0], [2]])
    assert all(not ({0, 2} <= set(g)) for g in seeded)


# -- the store step ------------------------------------------------------------------------------

DOCS = {
    "doc1": ("2031-02-20", "The navy said the frigate Aldebaran will make a port call at Port Xavier in March."),
    "doc2": ("2031-03-15", "The frigate Aldebaran docked at Port Xavier on Friday, officials said."),
    "doc3": ("2031-03-16", "Crowds greeted Aldebaran as it arrived at Port Xavier for a five-day visit."),
}
TRIGGERS = {"doc1": ("port call", "port call", "planned"), "doc2": ("dock", "docked", "happened"),
            "doc3": ("arrive", "arrived", "happened")}
DATES = {"doc1": ("2031-03-01", "2031-03-31", "month"), "doc2": ("2031-03-14", "2031-03-14", "day"),
         "doc3": ("2031-03-14", "2031-03-18", "week")}


def _add_doc(con, doc: str) -> None:
    published, text = DOCS[doc]
    con.execute("INSERT INTO documents (id, source, text, content_hash, published, story) VALUES (?,?,?,?,?,?)",
                [doc, "test", text, doc, published, "story_1"])
    local = f"{doc}_e1"
    con.execute("INSERT INTO local_entities (id, doc, name, type) VALUES (?,?,?,?)",
                [local, doc, "Aldebaran", "VESSEL"])
    con.execute("INSERT INTO entity_map VALUES (?, ?)", [local, "entity_aldebaran"])
    lemma, word, modality = TRIGGERS[doc]
    start = text.index(word)
    start_d, end_d, gran = DATES[doc]
    date = {"start": start_d, "end": end_d, "granularity": gran, "text": "", "basis": "absolute"}
    con.execute(
        "INSERT INTO event_mentions (id, doc, type, plover, modality, summary, participants, location, date, "
        "quantities, trigger, trigger_start, trigger_end, trigger_text, sent_start, sent_end, sentence) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [f"{doc}_ev", doc, "PORT_CALL", "CONSULT", modality, f"Aldebaran {word} Port Xavier",
         json.dumps([{"entity": local, "name": "Aldebaran", "role": "actor"}]), "Port Xavier",
         json.dumps(date), "[]", lemma, start, start + len(word), word, 0, len(text), text],
    )


@pytest.fixture()
def store(tmp_path):
    from newsgraph.store.db import connect

    con = connect(tmp_path / "s.duckdb")
    yield con
    con.close()


def test_resolve_events_is_idempotent_and_incremental(store):
    from newsgraph.resolve.events import resolve_events

    _add_doc(store, "doc1")
    _add_doc(store, "doc2")
    resolve_events(store)
    first = store.execute("SELECT * FROM events ORDER BY id").fetchall()
    resolve_events(store)
    assert store.execute("SELECT * FROM events ORDER BY id").fetchall() == first
    assert len(first) == 1

    _add_doc(store, "doc3")
    resolve_events(store)
    events = store.execute("SELECT id, modality, participants, date, history, story FROM events").fetchall()
    assert len(events) == 1
    event_id, modality, participants, date, history, story = events[0]
    mapped = store.execute("SELECT event_mention FROM event_map WHERE event = ? ORDER BY 1", [event_id]).fetchall()
    assert [r[0] for r in mapped] == ["doc1_ev", "doc2_ev", "doc3_ev"]
    assert modality == "happened"
    assert story == "story_1"
    assert json.loads(date)["start"] == "2031-03-14" and json.loads(date)["granularity"] == "day"
    assert {p["entity"] for p in json.loads(participants)} == {"entity_aldebaran"}
    steps = json.loads(history)
    assert [h["doc"] for h in steps] == ["doc1", "doc2", "doc3"]
    assert [h["modality"] for h in steps] == ["planned", "happened", "happened"]


def test_trigger_spans_in_the_store_fixture_are_exact(store):
    _add_doc(store, "doc2")
    row = store.execute(
        "SELECT d.text, m.trigger_start, m.trigger_end, m.trigger_text FROM event_mentions m "
        "JOIN documents d ON d.id = m.doc").fetchone()
    assert row[0][row[1]:row[2]] == row[3]


def test_derivational_stems_match_and_documents_cluster_by_context():
    import numpy as np

    from newsgraph.resolve.event_coref import document_clusters

    groups = synonym_groups()
    assert lemma_similarity("arrival", "arrive", {}, 0.75) == 0.9
    assert lemma_similarity("shooting", "shoot", groups, 0.75) == 0.9
    assert lemma_similarity("sing", "sign", {}, 0.75) == 0.0
    cos = np.array([[1.0, 0.6, 0.05], [0.6, 1.0, 0.02], [0.05, 0.02, 1.0]])
    labels = document_clusters(cos, 0.1)
    assert labels[0] == labels[1] != labels[2]
    assert document_clusters(cos, None) == [0, 0, 0]


# -- reporting events, trigger phrases, unrelated lemmas, ECB+ document clustering ------------------


def _said(mid: str, doc: str, sentence: str) -> EventMentionFeatures:
    return EventMentionFeatures(id=mid, doc=doc, trigger_lemma="say", sentence=sentence, story="story_3")


def test_reporting_events_link_only_for_the_same_statement():
    mentions = [
        _said("m1", "d1", "The harbour master said the channel would reopen on Monday."),
        _said("m2", "d2", "The harbour master said the channel would reopen on Monday morning."),
        _said("m3", "d3", "A union spokesman said dock workers would strike over pay."),
    ]
    assert cluster(mentions) == [["m1", "m2"], ["m3"]]


def test_unrelated_triggers_score_zero_rather_than_veto():
    from newsgraph.resolve.event_coref import pair_score

    a = EventMentionFeatures(id="a", doc="d1", trigger_lemma="dock", sentence="x")
    b = EventMentionFeatures(id="b", doc="d2", trigger_lemma="condemn", sentence="y")
    assert pair_score(a, b, 1.0, 1.0, CorefParams()) == 0.0
    assert pair_score(a, b, 1.0, 1.0, CorefParams()) < CorefParams().threshold


def test_cause_and_outcome_are_separate_synonym_groups():
    groups = synonym_groups()
    assert lemma_similarity("murder", "kill", groups, 0.75) == 0.75
    assert lemma_similarity("murder", "death", groups, 0.75) == 0.0
    assert lemma_similarity("quake", "temblor", groups, 0.75) == 0.75
    assert lemma_similarity("quake", "strike", groups, 0.75) == 0.0


@pytest.fixture(scope="module")
def nlp():
    import spacy

    from newsgraph.settings import get_settings

    return spacy.load(get_settings().spacy_model)


def test_trigger_lemma_reads_verb_phrases(nlp):
    from newsgraph.resolve.event_coref import trigger_lemma

    doc = nlp("The harbour pilot was found guilty of negligence on Tuesday.")
    found = next(t for t in doc if t.text == "found")
    guilty = next(t for t in doc if t.text == "guilty")
    assert trigger_lemma(found) == trigger_lemma(guilty) == "find guilty"
    doc = nlp("A rival shipping group will take over the ferry line next year.")
    take = next(t for t in doc if t.text == "take")
    assert trigger_lemma(take) == "take over"
    plain = next(t for t in doc if t.text == "year")
    assert trigger_lemma(plain) == "year"


def test_ecbplus_documents_cluster_by_names_and_numbers():
    from newsgraph.eval.ecbplus import GoldDoc, document_terms, predicted_subtopics

    def gold_doc(name: str, sub: str, text: str) -> GoldDoc:
        words = text.split()
        return GoldDoc(name, 99, sub, {str(i): (0, w) for i, w in enumerate(words)})

    a = "A 5.2 magnitude quake hit Norvale on Friday , the Norvale survey said ."
    b = "Houses in Norvale shook as the 5.2 magnitude quake hit , residents of Norvale said ."
    c = "A 3.9 magnitude quake hit Easthaven late Sunday , Easthaven officials said ."
    docs = [gold_doc("99_1ecb.xml", "ecb", a), gold_doc("99_2ecb.xml", "ecb", b),
            gold_doc("99_3ecbplus.xml", "ecbplus", c)]
    terms = document_terms(docs[0])
    assert terms["norvale"] == 2 and terms["5.2"] == 1 and "quake" not in terms and "a" not in terms
    labels = predicted_subtopics(docs, 0.14)
    assert labels["99_1ecb.xml"] == labels["99_2ecb.xml"] != labels["99_3ecbplus.xml"]


def test_resolved_pairs_are_not_rescored_and_nothing_changes():
    """An increment scores only pairs with a new mention; seeds start merged and never merge with each
    other, so the clusters equal those of the full matrix."""
    import random

    from newsgraph.resolve.event_coref import score_matrix

    rng = random.Random(5)
    lemmas = ["dock", "arrive", "visit", "call"]
    ships = [SHIP_A, SHIP_B]
    days = ["2031-03-14", "2031-03-15", "2031-04-02"]
    words = ["the frigate", "docked at", "the port", "on a visit", "arrived in", "crew", "harbour", "friday"]
    block = [port_call(f"m{i:02d}", f"d{i % 7}", rng.choice(lemmas), rng.choice(ships),
                       " ".join(rng.sample(words, 4)), day=rng.choice(days)) for i in range(24)]
    params = CorefParams()
    seeds = [[0, 3, 5], [1, 2], [4], [6, 7, 8, 9]]
    fixed = [any(i in s for s in seeds) for i in range(len(block))]
    full = score_matrix(block, params)
    lean = score_matrix(block, params, fixed=fixed)
    pairs = [(i, j) for i in range(len(block)) for j in range(len(block)) if i != j and not (fixed[i] and fixed[j])]
    assert all(full[i, j] == lean[i, j] for i, j in pairs)
    for threshold in (0.2, 0.3, 0.5):
        assert sorted(map(sorted, average_link(full.copy(), threshold, seeds))) == \
            sorted(map(sorted, average_link(lean.copy(), threshold, seeds)))


def test_an_events_category_tie_goes_to_the_report_naming_the_most_participants():
    from newsgraph.resolve.events import event_record

    def report(i: int, plover: str, names: list[str]) -> dict:
        parts = [{"entity": None, "name": n, "role": "actor"} for n in names]
        return {"id": f"m{i}", "doc": "d1", "type": "EXERCISE", "plover": plover, "modality": "happened",
                "summary": "", "participants": parts, "location": None, "date": None, "quantities": [],
                "trigger": "exercise", "sentence": "", "published": "2031-05-01", "story": "s", "title": None}

    joint = [report(1, "COOPERATE", ["Chile", "Peru"]), report(3, "COOPERATE", ["Chile", "Peru"])]
    ship = [report(0, "MOBILIZE", ["Orsa"]), report(2, "MOBILIZE", ["Orsa"])]
    for rows in (joint + ship, ship + joint, [joint[0], ship[0], ship[1], joint[1]]):
        assert event_record("e1", rows, {})[2] == "COOPERATE"
    assert event_record("e1", [*ship, report(4, "MOBILIZE", ["Orsa"]), *joint], {})[2] == "MOBILIZE"  # 3 to 2
