"""Event dates by anchoring (extract/time/anchor.py): the governing time expression, or the report's date.

Each test pins one class of failure measured on real articles, with sentences written for these tests:
a June summit dated to August, a 2023 port call dated to June 2022, a 2024 ceremony with its date in
the same sentence left undated, a "2035" programme milestone shown as the date of a past agreement.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from newsgraph.eval.event_dates import overlaps
from newsgraph.eval.meantime_tlinks import ANCHORING, read_article, timeml_interval
from newsgraph.extract.time import event_date
from newsgraph.extract.time.anchor import clause_of
from newsgraph.model import Analysis, Document, TimeValue
from newsgraph.resolve.events import best_date, event_record, features
from newsgraph.store import db

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def analyse(context):
    from newsgraph.stages import registered

    stages = [fn for name, fn in registered() if name in ("entities", "time", "quantities", "events")]

    def run(text: str, published: str | None = "2024-06-12") -> Analysis:
        a = Analysis(document=Document(id="t1", source="test", text=text, published=published), nlp=context.nlp(text))
        for fn in stages:
            fn(a, context)
        return a

    return run


def dated(a: Analysis, word: str, modality: str | None = None) -> TimeValue | None:
    """The date anchoring gives the event whose trigger is the first token ``word``."""
    token = next(t for t in a.nlp if t.text == word)
    return event_date(a, token, clause_of(token), modality)


def interval(tv: TimeValue | None) -> tuple:
    assert tv is not None
    return tv.start, tv.end, tv.basis


# ------------------------------------------------------------------ the failures measured on real articles

def test_planned_august_in_a_june_article_is_august_of_the_same_year(analyse):
    a = analyse("The Italian carrier will make a port call in Yokosuka in August.")
    tv = dated(a, "call", "planned")
    assert interval(tv) == ("2024-08-01", "2024-08-31", "relative")
    assert tv.span is not None and tv.span.text == "August" == a.document.text[tv.span.start:tv.span.end]


def test_a_june_meeting_is_never_dated_by_the_next_clauses_august(analyse):
    a = analyse("Leaders met at the summit in June, and the carrier will sail for Japan in August.",
                published="2024-07-10")
    assert interval(dated(a, "met"))[:2] == ("2024-06-01", "2024-06-30")
    assert interval(dated(a, "summit"))[:2] == ("2024-06-01", "2024-06-30")
    assert interval(dated(a, "sail", "planned"))[:2] == ("2024-08-01", "2024-08-31")


def test_an_announced_june_port_call_in_a_july_article_is_next_june(analyse):
    # The verb is past ("was announced"), so the time stage reads June 2022; the event is planned.
    a = analyse("The navy's June port call in Manila was announced on Tuesday.", published="2022-07-10")
    assert interval(dated(a, "call", "planned"))[:2] == ("2023-06-01", "2023-06-30")
    assert interval(dated(a, "call", "happened"))[:2] == ("2022-06-01", "2022-06-30")


def test_a_date_in_the_same_sentence_dates_the_ceremony(analyse):
    a = analyse("The navy held a commissioning ceremony for the frigate on 14 March 2024 in Kure.")
    for word in ("ceremony", "held"):
        tv = dated(a, word)
        assert interval(tv) == ("2024-03-14", "2024-03-14", "stated")
        assert tv.span is not None and tv.span.text == "14 March 2024"


def test_a_purpose_clause_deadline_never_dates_the_agreement(analyse):
    a = analyse("Italy, Japan and Britain signed an agreement in December to field a new fighter by 2035.")
    for word in ("signed", "agreement"):
        assert interval(dated(a, word)) == ("2023-12-01", "2023-12-31", "relative")
    field = dated(a, "field", "planned")
    assert (field.start, field.end, field.modifier) == (None, "2035-12-31", "before")


def test_the_reporting_verbs_date_never_dates_the_reported_event(analyse):
    a = analyse("Officials said on Tuesday that the destroyer had arrived in Manila.")
    assert interval(dated(a, "said"))[:2] == ("2024-06-11", "2024-06-11")
    assert interval(dated(a, "arrived")) == ("2024-06-12", "2024-06-12", "reported")


def test_no_time_expression_gives_the_reports_date_and_no_span(analyse):
    a = analyse("The two navies held joint drills near Okinawa.")
    tv = dated(a, "drills")
    assert interval(tv) == ("2024-06-12", "2024-06-12", "reported")
    assert tv.span is None and tv.text == ""
    assert dated(analyse("The two navies held joint drills near Okinawa.", published=None), "drills") is None


# ------------------------------------------------------------------ what governs

def test_a_time_that_modifies_another_noun_is_that_nouns(analyse):
    a = analyse("The minister criticised the 1991 agreement on Thursday.")
    assert interval(dated(a, "criticised"))[:2] == ("2024-06-06", "2024-06-06")
    assert interval(dated(a, "agreement")) == ("1991-01-01", "1991-12-31", "stated")
    b = analyse("The index fell sharply from Monday's closing price.")
    assert dated(b, "fell").basis == "reported"


def test_an_occurrence_verb_dates_its_subject(analyse):
    a = analyse("The trial is set to begin on Wednesday in London.")
    assert interval(dated(a, "trial", "planned"))[:2] == ("2024-06-12", "2024-06-12")
    b = analyse("The summit is expected to take place in October.")
    assert interval(dated(b, "summit", "expected"))[:2] == ("2024-10-01", "2024-10-31")


def test_a_clause_that_describes_a_time_takes_it(analyse):
    a = analyse("The losses were worst in 2008, when the company posted a record deficit.")
    assert interval(dated(a, "posted")) == ("2008-01-01", "2008-12-31", "stated")


def test_a_participle_describing_the_event_dates_it(analyse):
    a = analyse("The exercise, held in May near Guam, tested air defences.")
    assert interval(dated(a, "exercise"))[:2] == ("2024-05-01", "2024-05-31")


def test_now_yields_to_a_calendar_expression(analyse):
    a = analyse("The airline will now receive the aircraft next month.")
    assert interval(dated(a, "receive", "planned"))[:2] == ("2024-07-01", "2024-07-31")


# ------------------------------------------------------------------ through the events stage and beyond

def test_events_stage_dates_and_summaries(analyse):
    a = analyse("The Australian destroyer HMAS Sydney will make a port call in Japan in August. "
                "Ukraine rejected the proposal.")
    port = next(e for e in a.events if e.type == "PORT_CALL")
    assert (port.date.start, port.date.basis, port.date.span.text) == ("2024-08-01", "relative", "August")
    assert "Aug 2024" in port.summary
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.date.basis == "reported" and "undated, reported 2024-06-12" in reject.summary


def test_a_report_date_never_decides_a_merged_events_date():
    reported = {"start": "2024-06-12", "end": "2024-06-12", "granularity": "day", "basis": "reported"}
    later = {**reported, "start": "2024-06-20", "end": "2024-06-20"}
    august = {"start": "2024-08-01", "end": "2024-08-31", "granularity": "month", "basis": "relative"}
    assert best_date([reported, august, later]) == august
    assert best_date([later, reported]) == reported  # no source dates it: its first report
    assert best_date([None]) is None


def test_a_merged_events_summary_names_the_date_it_was_given():
    reported = {"start": "2024-06-12", "end": "2024-06-12", "granularity": "day", "basis": "reported"}
    august = {"start": "2024-08-01", "end": "2024-08-31", "granularity": "month", "basis": "relative"}

    def report(i: int, published: str, date: dict, summary: str) -> dict:
        return {"id": f"m{i}", "doc": f"d{i}", "type": "PORT_CALL", "plover": "COOPERATE", "modality": "happened",
                "summary": summary, "participants": [], "location": None, "date": date, "quantities": [],
                "trigger": "arrived", "sentence": "", "published": published, "story": "s", "title": None}

    dated = report(1, "2024-08-20", august, "Cavour (Italy) port call with Japan, Aug 2024 [happened]")
    undated = report(2, "2024-08-29", reported, "Cavour port call, undated, reported 2024-06-12 [happened]")
    row = event_record("e1", [undated, dated], {})
    assert json.loads(row[7]) == august and row[4] == dated["summary"]  # the latest report gives no date
    alone = event_record("e2", [undated, {**undated, "id": "m3", "published": "2024-06-30",
                                          "date": {**reported, "start": "2024-06-30", "end": "2024-06-30"},
                                          "summary": "Cavour port call, undated, reported 2024-06-30 [happened]"}], {})
    assert json.loads(alone[7]) == reported and "2024-06-12" in alone[4]  # the first report's date, and its line


def test_report_dates_do_not_split_event_coreference():
    row = {"id": "m1", "doc": "d1", "participants": [], "trigger": "visit", "type": "MEET", "sentence": "",
           "title": "", "summary": "", "location": None, "modality": "happened", "published": "2024-06-12",
           "story": None, "date": {"start": "2024-06-12", "end": "2024-06-12", "basis": "reported"}}
    assert features(row, {}, {}).date_start is None
    row["date"] = {"start": "2024-08-01", "end": "2024-08-31", "basis": "relative"}
    assert features(row, {}, {}).date_start == "2024-08-01"


def test_the_exported_dates_carry_basis_and_span(sample_export):
    texts = {d["id"]: d["text"] for d in sample_export["documents"]}
    dates = [e["date"] for e in sample_export["events"] if e["date"]]
    assert dates and {d["basis"] for d in dates} <= {"stated", "relative", "inferred", "reported"}
    assert any(d["basis"] == "reported" for d in dates) and any(d["basis"] != "reported" for d in dates)
    for d in dates:
        if d["basis"] == "reported":
            assert d["span"] is None and d["text"] is None
        else:
            span = d["span"]
            assert texts[span["doc"]][span["start"]:span["end"]] == span["text"] == d["text"]


def test_migration_renames_bases_and_dates_undated_events():
    con = duckdb.connect(":memory:")
    migrations = {version: sql for version, _, sql in db._migrations()}
    for version in (1, 2, 3):  # the schema an older store has
        con.execute(migrations[version])
    con.execute("INSERT INTO documents (id, source, text, content_hash, published) VALUES "
                "('d1', 's', 't', 'h1', '2024-06-29'), ('d2', 's', 't', 'h2', NULL)")
    con.execute("INSERT INTO times (doc, basis) VALUES ('d1', 'absolute'), ('d1', 'publication'), ('d1', 'duration')")
    august = json.dumps({"start": "2024-08-01", "end": "2024-08-31", "text": "August", "basis": "publication"})
    con.execute("INSERT INTO event_mentions (id, doc, type, date) VALUES "
                "('m1', 'd1', 'MEET', ?), ('m2', 'd1', 'MEET', NULL), ('m3', 'd2', 'MEET', NULL)", [august])
    con.execute("INSERT INTO events (id, type, date) VALUES ('e1', 'MEET', ?), ('e2', 'MEET', NULL), "
                "('e3', 'MEET', NULL)", [august])
    con.execute("INSERT INTO event_map VALUES ('m1', 'e1'), ('m2', 'e2'), ('m3', 'e3')")
    con.execute(migrations[5])
    bases = [b for (b,) in con.execute("SELECT basis FROM times ORDER BY basis").fetchall()]
    assert bases == ["duration", "relative", "stated"]
    mentions = {i: json.loads(d) if d else None for i, d in con.execute("SELECT id, date FROM event_mentions").fetchall()}
    events = {i: json.loads(d) if d else None for i, d in con.execute("SELECT id, date FROM events").fetchall()}
    assert mentions["m1"]["basis"] == events["e1"]["basis"] == "relative"
    assert (mentions["m2"]["start"], mentions["m2"]["basis"]) == ("2024-06-29", "reported")
    assert (events["e2"]["start"], events["e2"]["basis"]) == ("2024-06-29", "reported")
    assert mentions["m3"] is None and events["e3"] is None  # no publication date: still undated


def test_timeml_values_as_intervals():
    assert timeml_interval("2009-Q1", None) == (date(2009, 1, 1), date(2009, 3, 31))
    assert timeml_interval("2010-W04-WE", None) == (date(2010, 1, 30), date(2010, 1, 31))
    assert timeml_interval("2009-06-01T16:15Z", None) == (date(2009, 6, 1), date(2009, 6, 1))
    assert timeml_interval("200", None) == (date(2000, 1, 1), date(2009, 12, 31))
    assert timeml_interval("PAST_REF", date(2009, 5, 7)) == (None, date(2009, 5, 7))
    assert timeml_interval("XXXX-XX-XX", date(2009, 5, 7)) is None
    assert overlaps((None, date(2009, 5, 7)), (date(2009, 5, 7), date(2009, 5, 7)))
    assert not overlaps((date(2009, 5, 8), None), (date(2009, 1, 1), date(2009, 5, 7)))


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "benchmarks" / "meantime").is_dir(), reason="../shared is not present")
def test_meantime_gold_anchors_are_read():
    paths = sorted((SHARED / "benchmarks" / "meantime").glob("intra_cross-doc_annotation/corpus_*/*.xml"))
    articles = [read_article(p) for p in paths[:12]]
    events = [e for a in articles for e in a.events]
    assert events and all(e.anchors and e.start < e.end for e in events)
    assert all(a.cat.text[e.start:e.end].strip() for a in articles for e in a.events)
    assert {a.relation for e in events for a in e.anchors} <= ANCHORING
