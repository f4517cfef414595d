"""The temporal normaliser and the TempEval-3 scorer, on sentences written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy

from newsgraph.eval import tempeval3
from newsgraph.extract.time import find_times, run
from newsgraph.model import Analysis, Document, TimeValue
from newsgraph.settings import get_settings
from newsgraph.stages import Context, registered

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TE3 = SHARED / "benchmarks" / "tempeval3"
ANCHOR = date(2024, 6, 29)  # a Saturday


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(get_settings().spacy_model)


def spans_ok(text: str, times: list[TimeValue], doc_id: str = "d1") -> None:
    for tv in times:
        assert tv.span is not None and tv.span.doc == doc_id
        assert text[tv.span.start : tv.span.end] == tv.text == tv.span.text


def one(text: str, phrase: str, nlp=None, anchor: date | None = ANCHOR) -> TimeValue:
    """The single time expression whose extent is ``phrase``."""
    times = find_times(text, anchor, "d1", nlp(text) if nlp else None)
    spans_ok(text, times)
    hits = [t for t in times if t.text == phrase]
    assert len(hits) == 1, [t.text for t in times]
    return hits[0]


# ------------------------------------------------------------------ relative to the anchor

@pytest.mark.parametrize(
    ("text", "phrase", "value", "granularity"),
    [
        ("The talks collapsed last week.", "last week", "2024-W25", "week"),
        ("Ministers meet this week in Brussels.", "this week", "2024-W26", "week"),
        ("The frigate will sail next month.", "next month", "2024-07", "month"),
        ("The envoy arrived yesterday.", "yesterday", "2024-06-28", "day"),
        ("The summit opens today.", "today", "2024-06-29", "day"),
        ("Voting ends tomorrow.", "tomorrow", "2024-06-30", "day"),
        ("Prices rose late last year.", "late last year", "2023", "year"),
        ("The drills are expected this summer.", "this summer", "2024-SU", "season"),
        ("The base was attacked four years ago.", "four years ago", "2020", "year"),
        ("The ship docked last December.", "last December", "2023-12", "month"),
        ("Exercises are planned for mid-June.", "mid-June", "2024-06", "month"),
    ],
)
def test_relative_expressions(nlp, text, phrase, value, granularity):
    tv = one(text, phrase, nlp)
    assert (tv.value, tv.granularity, tv.basis, tv.kind) == (value, granularity, "relative", "DATE")


def test_week_interval_is_monday_to_sunday(nlp):
    tv = one("The talks collapsed last week.", "last week", nlp)
    assert (tv.start, tv.end) == ("2024-06-17", "2024-06-23")


def test_position_modifiers_narrow_the_interval(nlp):
    mid = one("Exercises are planned for mid-June.", "mid-June", nlp)
    assert (mid.modifier, mid.start, mid.end) == ("mid", "2024-06-11", "2024-06-20")
    end = one("The squadron redeploys at the end of August.", "the end of August", nlp)
    assert end.modifier == "end" and end.end == "2024-08-31" and end.start > "2024-08-15"
    early = one("The jets arrive in early 2025.", "early 2025", nlp)
    assert (early.value, early.modifier, early.basis, early.start) == ("2025", "start", "stated", "2025-01-01")
    assert early.end < "2025-06-01"


def test_end_of_the_year_excludes_the_preposition(nlp):
    text = "The deal should be signed at the end of the year."
    tv = one(text, "the end of the year", nlp)
    assert (tv.value, tv.modifier, tv.end) == ("2024", "end", "2024-12-31")
    assert find_times(text, ANCHOR)[0].value == "2024"  # the regex fallback agrees


def test_end_of_the_year_in_a_past_narrative_is_last_year(nlp):
    text = "Early in 2025, officials said infections rose in the autumn and peaked by the end of the year."
    tv = one(text, "the end of the year", nlp, anchor=date(2025, 2, 10))
    assert tv.value == "2024"


def test_mid_year_and_last_winter():
    mid = one("The line should open by mid-2026.", "mid-2026")
    assert (mid.value, mid.modifier) == ("2026", "mid")
    assert one("The lake froze last winter.", "last winter", anchor=date(2024, 2, 20)).value == "2022-WI"


def test_last_december_in_december_is_a_year_back():
    tv = one("The ship docked last December.", "last December", anchor=date(2024, 12, 10))
    assert tv.value == "2023-12"


# ------------------------------------------------------------------ year from tense

@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The carrier will make port in August.", "2024-08"),
        ("The carrier is set to make port in August.", "2024-08"),
        ("The battalion was pulling out in December.", "2023-12"),
        ("The battalion will pull out in December.", "2024-12"),
        ("The delegation visited Tokyo in April.", "2024-04"),
        ("The delegation will visit Tokyo in April.", "2025-04"),
        ("The delegation plans to visit Tokyo in April.", "2025-04"),
        ("The exercise is scheduled for April.", "2025-04"),
    ],
)
def test_month_year_follows_tense(nlp, text, value):
    month = value[5:]
    phrase = {"08": "August", "12": "December", "04": "April"}[month]
    assert one(text, phrase, nlp).value == value  # with the parse
    assert one(text, phrase).value == value  # and with the regex fallback


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The minister said on Tuesday that the talks had stalled.", "2024-06-25"),
        ("The minister will travel to Rome on Tuesday.", "2024-07-02"),
    ],
)
def test_weekday_follows_tense(nlp, text, value):
    tv = one(text, "Tuesday", nlp)
    assert (tv.value, tv.granularity) == (value, "day")


def test_month_day_without_year_follows_tense(nlp):
    assert one("The fleet will reach port on August 26.", "August 26", nlp).value == "2024-08-26"
    assert one("The report dated December 14 was leaked.", "December 14", nlp).value == "2023-12-14"


def test_month_without_tense_takes_the_nearest(nlp):
    assert one("Inflation figures for May are grim.", "May", nlp).value == "2024-05"
    assert one("Inflation figures for January are grim.", "January", nlp).value == "2024-01"


def test_modal_may_is_not_a_month(nlp):
    times = find_times("May the talks succeed, the envoy said.", ANCHOR, "d1", None)
    assert times == []


# ------------------------------------------------------------------ absolute dates

@pytest.mark.parametrize(
    ("text", "phrase", "value", "granularity"),
    [
        ("The treaty was signed on Jan. 10, 2023.", "Jan. 10, 2023", "2023-01-10", "day"),
        ("The treaty was ratified on 10 January 2023.", "10 January 2023", "2023-01-10", "day"),
        ("The file was created on 2024-05-01.", "2024-05-01", "2024-05-01", "day"),
        ("The base opened in 2021.", "2021", "2021", "year"),
        ("The contract was signed in May 2010.", "May 2010", "2010-05", "month"),
        ("Tensions date back to the 1990s.", "the 1990s", "199", "decade"),
        ("Warfare changed in the 21st century.", "the 21st century", "20", "century"),
        ("Deliveries start in the third quarter of 2025.", "the third quarter of 2025", "2025-Q3", "quarter"),
    ],
)
def test_absolute_dates(nlp, text, phrase, value, granularity):
    tv = one(text, phrase, nlp)
    assert (tv.value, tv.granularity, tv.basis) == (value, granularity, "stated")


def test_by_year_ends_the_interval(nlp):
    tv = one("Emissions will be cut by 2035.", "2035", nlp)
    assert (tv.modifier, tv.start, tv.end) == ("before", None, "2035-12-31")


def test_a_count_of_troops_is_not_a_year(nlp):
    text = "The army sent 2000 soldiers to the border."
    assert [t.text for t in find_times(text, ANCHOR, "d1", nlp(text))] == []


# ------------------------------------------------------------------ references, durations, sets

def test_present_and_past_references(nlp):
    text = "The strait is now calm, exports are currently paused, and the port recently reopened."
    values = {t.text: t.value for t in find_times(text, ANCHOR, "d1", nlp(text))}
    assert values == {"now": "PRESENT_REF", "currently": "PRESENT_REF", "recently": "PAST_REF"}


@pytest.mark.parametrize(
    ("text", "phrase", "value", "modifier", "low", "unit"),
    [
        ("The two navies have cooperated for over two decades.", "two decades", "P20Y", "more_than", 20, "year"),
        ("He served 27 years in the navy.", "27 years", "P27Y", None, 27, "year"),
        ("The carrier began a five month-long deployment.", "five month-long", "P5M", None, 5, "month"),
        ("The yard finished a five-month refit.", "five-month", "P5M", None, 5, "month"),
        ("After two years of war, the front is quiet.", "two years", "P2Y", None, 2, "year"),
        ("The truce held for twenty-five years.", "twenty-five years", "P25Y", None, 25, "year"),
        ("The strike lasted a couple of weeks.", "a couple of weeks", "P2W", None, 2, "week"),
        ("The siege lasted almost seven years.", "almost seven years", "P7Y", "less_than", None, "year"),
    ],
)
def test_durations(nlp, text, phrase, value, modifier, low, unit):
    tv = one(text, phrase, nlp)
    assert (tv.kind, tv.basis, tv.value, tv.modifier) == ("DURATION", "duration", value, modifier)
    assert tv.duration is not None and tv.duration["low"] == low and tv.duration["unit"] == unit


def test_vague_durations(nlp):
    text = "Attacks have risen in recent years and the talks took several months."
    values = {t.text: (t.kind, t.value) for t in find_times(text, ANCHOR, "d1", nlp(text))}
    assert values == {"recent years": ("DURATION", "PXY"), "several months": ("DURATION", "PXM")}


def test_the_past_couple_of_years_is_an_interval_ending_now(nlp):
    tv = one("Trade grew over the past couple of years.", "the past couple of years", nlp)
    assert (tv.value, tv.start, tv.end, tv.basis) == ("P2Y", "2022-06-29", "2024-06-29", "relative")


def test_an_age_is_not_a_duration(nlp):
    text = "The 22-year-old sailor and children aged 6 months were rescued."
    assert find_times(text, ANCHOR, "d1", nlp(text)) == []


def test_sets(nlp):
    text = "The report is published annually and patrols run every morning."
    times = find_times(text, ANCHOR, "d1", nlp(text))
    assert [(t.text, t.kind) for t in times] == [("annually", "SET"), ("every morning", "SET")]


# ------------------------------------------------------------------ narrative time

def test_the_next_day_follows_the_last_date_mentioned(nlp):
    text = "The ships docked on August 26, 2024. They sailed the next day and returned the day after."
    times = find_times(text, date(2024, 9, 10), "d1", nlp(text))
    spans_ok(text, times)
    got = {t.text: (t.value, t.basis) for t in times}
    assert got["the next day"] == ("2024-08-27", "inferred")
    assert got["the day after"] == ("2024-08-28", "inferred")


def test_without_anchor_relative_expressions_are_unanchored():
    tv = one("The frigate will sail next month.", "next month", anchor=None)
    assert (tv.basis, tv.start, tv.end) == ("unanchored", None, None)
    assert one("The base opened in 2021.", "2021", anchor=None).basis == "stated"


# ------------------------------------------------------------------ the stage

def test_stage_is_registered_as_time():
    assert ("time", run) in registered()


def test_stage_infers_publication_date_and_fills_times(nlp):
    text = "Officials met on 12 May 2024 to discuss the patrols. They will meet again next month."
    analysis = Analysis(document=Document(id="d9", source="t", text=text))
    analysis.nlp = nlp(text)
    run(analysis, Context(nlp=nlp))
    assert (analysis.document.published, analysis.document.published_basis) == ("2024-05-12", "inferred")
    spans_ok(text, analysis.times, "d9")
    assert {t.text: t.value for t in analysis.times} == {"12 May 2024": "2024-05-12", "next month": "2024-06"}


def test_stage_keeps_a_known_publication_date(nlp):
    text = "The frigate will sail next month with two escorts and a supply ship."
    doc = Document(id="d2", source="t", text=text, published="2024-06-29", published_basis="metadata")
    analysis = Analysis(document=doc)
    run(analysis, Context())
    assert doc.published_basis == "metadata"
    assert [t.value for t in analysis.times] == ["2024-07"]


# ------------------------------------------------------------------ the scorer

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>toy1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-06-29" functionInDocument="CREATION_TIME">June 29, 2024</TIMEX3></DCT>
<TEXT>{body}</TEXT>
</TimeML>
"""


def test_scorer_counts_strict_relaxed_and_value(tmp_path, nlp):
    gold = ('The envoy arrived <TIMEX3 tid="t1" type="DATE" value="2024-06-28">yesterday</TIMEX3> and leaves '
            '<TIMEX3 tid="t2" type="DATE" value="2024-07-05">Friday morning</TIMEX3> after '
            '<TIMEX3 tid="t3" type="DURATION" value="P3D">three days</TIMEX3> of talks.')
    plain = "The envoy arrived yesterday and leaves Friday morning after three days of talks."
    (tmp_path / "te3-platinum").mkdir()
    (tmp_path / "TE3-platinum-test").mkdir()
    (tmp_path / "te3-platinum" / "toy1.tml").write_text(TML.format(body=gold))
    (tmp_path / "TE3-platinum-test" / "toy1.tml.TE3input").write_text(TML.format(body=plain))
    result = tempeval3.evaluate(tmp_path, nlp=nlp)
    assert (result["documents"], result["gold"], result["predicted"]) == (1, 3, 3)
    assert result["relaxed"]["f1"] == 1.0
    # "Friday morning" is a TIME with value ...T MO: the system gets the span, a different value
    assert result["strict"]["f1"] == 1.0
    assert result["value_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["value_f1"] == pytest.approx(result["relaxed"]["f1"] * result["value_accuracy"], abs=1e-3)


@pytest.mark.shared
@pytest.mark.skipif(not TE3.exists(), reason="needs ../shared/benchmarks/tempeval3")
def test_tempeval3_smoke(nlp):
    result = tempeval3.evaluate(TE3, limit=2, nlp=nlp)
    assert result["documents"] == 2 and result["gold"] > 0
    for key in ("strict", "relaxed"):
        assert 0.0 <= result[key]["f1"] <= 1.0
    assert 0.0 <= result["value_f1"] <= result["relaxed"]["f1"]
