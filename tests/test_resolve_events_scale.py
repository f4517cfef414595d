"""Corpus-level event resolution at scale: set-based queries, bulk writes, same incremental rules."""

from __future__ import annotations

import json

import pytest

from newsgraph.resolve.events import resolve_events

SHIPS = ("Kestrel", "Osprey", "Harrier", "Merlin", "Falcon", "Peregrine", "Goshawk", "Hobby")


class CountingConnection:
    """A DuckDB connection that counts the statements sent to it."""

    def __init__(self, con) -> None:
        self.con = con
        self.statements = 0

    def execute(self, *args, **kwargs):
        self.statements += 1
        return self.con.execute(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.con, name)


@pytest.fixture()
def store(tmp_path):
    from newsgraph.store.db import connect

    con = connect(tmp_path / "events.duckdb")
    yield con
    con.close()


def add_report(con, doc: str, published: str, story: str | None, ship: str, *, day: str | None = None,
               modality: str = "happened", duplicate_of: str | None = None) -> str:
    """One document reporting that ``ship`` docked at a harbour; returns the event mention id."""
    text = f"The patrol vessel {ship} docked at the northern harbour after a long voyage, officials said."
    con.execute("INSERT INTO documents (id, source, text, content_hash, published, story, duplicate_of) "
                "VALUES (?,?,?,?,?,?,?)", [doc, "test", text, doc, published, story, duplicate_of])
    local = f"{doc}_ship"
    con.execute("INSERT INTO local_entities (id, doc, name, type) VALUES (?,?,?,?)", [local, doc, ship, "VESSEL"])
    con.execute("INSERT INTO entity_map VALUES (?, ?)", [local, f"entity_{ship.lower()}"])
    date = {"start": day, "end": day, "granularity": "day", "text": "", "basis": "absolute"} if day else None
    start = text.index("docked")
    mention = f"{doc}_ev"
    con.execute(
        "INSERT INTO event_mentions (id, doc, type, plover, modality, summary, participants, location, date, "
        "quantities, trigger, trigger_start, trigger_end, trigger_text, sent_start, sent_end, sentence) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [mention, doc, "PORT_CALL", "CONSULT", modality, f"{ship} docked at the northern harbour",
         json.dumps([{"entity": local, "name": ship, "role": "actor"}]), "northern harbour",
         json.dumps(date), "[]", "dock", start, start + len("docked"), "docked", 0, len(text), text],
    )
    return mention


def add_stories(con, count: int) -> None:
    """``count`` stories, each two reports of one ship's port call a day apart."""
    for k in range(count):
        for n in range(2):
            add_report(con, f"s{k}d{n}", f"2031-0{1 + k % 9}-1{n}", f"story_{k}", SHIPS[k % len(SHIPS)])


def test_statement_count_does_not_grow_with_events(tmp_path):
    from newsgraph.store.db import connect

    counts, events = [], []
    for size in (2, 8):
        con = connect(tmp_path / f"size{size}.duckdb")
        add_stories(con, size)
        counting = CountingConnection(con)
        resolve_events(counting)
        counts.append(counting.statements)
        events.append(con.execute("SELECT count(*) FROM events").fetchone()[0])
        con.close()
    assert events == [2, 8]  # the two reports of each story are one event, stories stay apart
    assert counts[0] == counts[1]


def test_incremental_run_rebuilds_only_the_touched_event(store):
    add_stories(store, 3)
    resolve_events(store)
    before = dict(store.execute("SELECT id, history FROM events").fetchall())
    late = add_report(store, "s1d9", "2031-02-12", "story_1", SHIPS[1], day="2031-02-11")
    resolve_events(store)
    after = dict(store.execute("SELECT id, history FROM events").fetchall())
    event = store.execute("SELECT event FROM event_map WHERE event_mention = ?", [late]).fetchone()[0]
    assert after.keys() == before.keys() and event in before
    assert [h["doc"] for h in json.loads(after[event])] == ["s1d0", "s1d1", "s1d9"]
    assert {k: v for k, v in after.items() if k != event} == {k: v for k, v in before.items() if k != event}
    date = store.execute("SELECT date FROM events WHERE id = ?", [event]).fetchone()[0]
    assert json.loads(date)["start"] == "2031-02-11"


def test_second_run_writes_nothing(store):
    add_stories(store, 2)
    resolve_events(store)
    first = store.execute("SELECT * FROM events ORDER BY id").fetchall()
    counting = CountingConnection(store)
    resolve_events(counting)
    assert counting.statements == 1  # only the lookup of pending mentions
    assert store.execute("SELECT * FROM events ORDER BY id").fetchall() == first


def test_story_less_mentions_meet_resolved_ones_only_within_the_window(store):
    add_report(store, "a", "2031-05-01", None, "Kestrel")
    resolve_events(store)
    near = add_report(store, "b", "2031-05-20", None, "Kestrel")
    far = add_report(store, "c", "2032-01-10", None, "Kestrel")
    resolve_events(store)
    event_of = dict(store.execute("SELECT event_mention, event FROM event_map").fetchall())
    assert event_of[near] == event_of["a_ev"]
    # "b" and "c" are one pending block, so "c" still meets "b" (and through it the event of "a").
    assert event_of[far] == event_of["a_ev"]
    late = add_report(store, "d", "2033-06-15", None, "Kestrel")  # far beyond WINDOW_DAYS of the others
    resolve_events(store)
    event_of = dict(store.execute("SELECT event_mention, event FROM event_map").fetchall())
    assert event_of[late] != event_of["a_ev"]


def test_duplicates_are_left_out_and_modality_history_kept(store):
    add_report(store, "plan", "2031-03-01", "story_x", "Osprey", modality="planned")
    add_report(store, "done", "2031-03-09", "story_x", "Osprey", day="2031-03-08")
    dup = add_report(store, "copy", "2031-03-09", "story_x", "Osprey", duplicate_of="done")
    resolve_events(store)
    rows = store.execute("SELECT modality, history, participants FROM events").fetchall()
    assert len(rows) == 1
    modality, history, participants = rows[0]
    assert modality == "happened"
    assert [(h["doc"], h["modality"]) for h in json.loads(history)] == [("plan", "planned"), ("done", "happened")]
    assert [p["entity"] for p in json.loads(participants)] == ["entity_osprey"]
    assert store.execute("SELECT count(*) FROM event_map WHERE event_mention = ?", [dup]).fetchone()[0] == 0
