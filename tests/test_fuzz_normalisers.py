"""Property tests: whatever date or quantity phrase arrives, the normalisers return records, never raise.

The phrases are built from the normalisers' own vocabulary (so the rules fire, in every order and
with absurd numbers: "the past 900000 quarters", "5000 years ago", "Q7 0000") mixed with random text,
and anchored anywhere on the calendar. One real article was once lost to
``TypeError: relativedelta ... 'quarters'`` ("the past two quarters"); this is the class of bug
these tests look for. Derandomised so a failure reproduces.
"""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsgraph.extract.quantities import find_quantities
from newsgraph.extract.time import find_times
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.settings import get_settings

QUICK = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow])
PARSED = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _time_words() -> list[str]:
    lx = lexicon()
    words = [*lx.months, *lx.weekdays, *lx.numerals, *lx.vague_numerals, *lx.ordinals, *lx.units,
             *(u + "s" for u in lx.units), *lx.seasons, *lx.parts_of_day, *lx.position_modifiers,
             *lx.amount_modifiers, *lx.amount_prepositions, *lx.relative, *lx.deictic_days, *lx.references,
             *lx.sets, *lx.boundary_prepositions]
    return [*map(str, words), "the", "of", "ago", "-long", "old", "aged", "fiscal", "quarter", "half", "Q1", "H2",
            "a.m.", "p.m.", "GMT", ",", ".", "-", "'90s", "1990s", "the day after", "the next day", "in", "on",
            "each", "every", "will", "was", "had", "\n"]


NUMBERS = st.one_of(st.integers(-10, 10**12).map(str), st.sampled_from(["0000", "0", "00", "9999", "2035", "1.5",
                                                                        "31st", "99th", "10000", "12:75"]))
time_phrase = st.lists(st.one_of(st.sampled_from(_time_words()), NUMBERS, st.text(max_size=6)),
                       min_size=1, max_size=12).map(" ".join)
anchors = st.one_of(st.none(), st.dates(), st.sampled_from([date.min, date.max, date(1, 1, 1), date(9999, 12, 31)]))


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(get_settings().spacy_model)


def _contract(text: str, times) -> None:
    for tv in times:
        assert tv.span is not None and text[tv.span.start:tv.span.end] == tv.text
        if tv.start and tv.end:
            assert tv.start <= tv.end, (tv.text, tv.start, tv.end)


@given(time_phrase, anchors)
@example("The budget covers the past two quarters.", date(2024, 6, 29))
@example("The fleet has shrunk over the next 3 weekends.", date(2024, 6, 29))
@example("The town was founded 5000 years ago.", date(2024, 6, 29))
@example("It happened the day before.", date.min)
@example("Sales rose in the first quarter of next year.", date.max)
@QUICK
def test_time_normaliser_never_raises(text, anchor):
    _contract(text, find_times(text, anchor, "d1"))


@given(time_phrase, anchors)
@PARSED
def test_time_normaliser_with_a_parse_never_raises(nlp, text, anchor):
    _contract(text, find_times(text, anchor, "d1", nlp(text)))


def _quantity_words() -> list[str]:
    return ["$", "€", "£", "¥", "US$", "1.8", "billion", "million", "bn", "m", "k", "trillion", "tons", "tonnes",
            "km", "nautical", "miles", "percent", "%", "per", "cent", "up", "to", "at", "least", "more", "than",
            "about", "between", "and", "-", "–", "sixth-generation", "first", "second", "one", "two", "dozen",
            "hundreds", "of", "F-35B", "troops", "ships", "aircraft", "jets", "displacement", ",", ".", "(", ")",
            "a", "half", "third", "quarter", "nearly", "over", "x", "1,000,000", "0.5", "1e9", "½", "\n"]


quantity_phrase = st.lists(st.one_of(st.sampled_from(_quantity_words()), NUMBERS, st.text(max_size=5)),
                           min_size=1, max_size=12).map(" ".join)


@given(quantity_phrase)
@PARSED
def test_quantity_parser_never_raises(nlp, text):
    for q in find_quantities(text, "d1", nlp(text)):
        assert q.span is not None and text[q.span.start:q.span.end] == q.text
