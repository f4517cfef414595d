"""Quantities: values, units, bounds, kinds and exact spans on invented sentences."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.extract.quantities import find_quantities, parse_number
from newsgraph.model import Analysis, Document
from newsgraph.settings import get_settings


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(get_settings().spacy_model)


def quantities(nlp, text):
    found = find_quantities(text, "t1", nlp(text))
    for q in found:  # every quantity points at its exact text
        assert q.span is not None and q.span.doc == "t1"
        assert text[q.span.start : q.span.end] == q.text == q.span.text
    return found


def one(nlp, text, surface):
    hits = [q for q in quantities(nlp, text) if q.text == surface]
    assert len(hits) == 1, [q.text for q in quantities(nlp, text)]
    return hits[0]


# (sentence, expected surface, value, unit, bound, kind, attribute)
CASES = [
    ("The carrier sails with up to 12 F-35B on deck.", "up to 12 F-35B", 12, "F-35B", "<=", "count", None),
    ("The destroyer displaces 8,400 tons fully loaded.", "8,400 tons", 8400, "ton", "=", "mass", None),
    ("The 41,650-ton carrier left port.", "41,650-ton", 41650, "ton", "=", "mass", None),
    ("Officials unveiled a sixth-generation stealth design.", "sixth-generation", 6, None, "=", "ordinal", "generation"),
    ("Engineers called it a 5th-generation aircraft.", "5th-generation", 5, None, "=", "ordinal", "generation"),
    ("It is not a fifth generation fighter.", "fifth generation", 5, None, "=", "ordinal", "generation"),
    ("The alliance has lasted over three decades now.", "over three decades", 30, "year", ">", "duration", None),
    ("The treaty has held for 41 years.", "41 years", 41, "year", "=", "duration", None),
    ("Rebels sent more than 2,500 troops north.", "more than 2,500 troops", 2500, "troop", ">", "count", None),
    ("The base hosts about 4,000 personnel.", "about 4,000 personnel", 4000, "personnel", "~", "count", None),
    ("Four Dutch ships joined the group.", "Four Dutch ships", 4, "ship", "=", "count", None),
    ("The deal is worth $3.2 billion.", "$3.2 billion", 3.2e9, "USD", "=", "money", None),
    ("Brussels set aside €4bn for ammunition.", "€4bn", 4e9, "EUR", "=", "money", None),
    ("Tokyo approved 5 trillion yen in spending.", "5 trillion yen", 5e12, "JPY", "=", "money", None),
    ("Turnout was 87% in the capital.", "87%", 87, "percent", "=", "percent", None),
    ("It was a seven month-long patrol.", "seven month-long", 7, "month", "=", "duration", None),
    ("At least 14 drones were shot down.", "At least 14 drones", 14, "drone", ">=", "count", None),
    ("Nearly 300 sailors were aboard.", "Nearly 300 sailors", 300, "sailor", "<", "count", None),
    ("Almost 40 tanks were lost.", "Almost 40 tanks", 40, "tank", "<", "count", None),
    ("Some 60 vessels took part.", "Some 60 vessels", 60, "vessel", "~", "count", None),
    ("Around 70 jets flew past.", "Around 70 jets", 70, "jet", "~", "count", None),
    ("Approximately 90 guards stood by.", "Approximately 90 guards", 90, "guard", "~", "count", None),
    ("They ordered a dozen helicopters.", "a dozen helicopters", 12, "helicopter", "=", "count", None),
    ("A couple of frigates stayed behind.", "A couple of frigates", 2, "frigate", "=", "count", None),
    ("It sailed 450 km at 25 knots.", "450 km", 450, "km", "=", "length", None),
    ("It sailed 450 km at 25 knots.", "25 knots", 25, "knot", "=", "speed", None),
    ("This is the third ship of its class.", "third", 3, None, "=", "ordinal", None),
    ("The 1st brigade moved.", "1st", 1, None, "=", "ordinal", None),
    ("The fleet should be ready in 2035.", "2035", 2035, None, "=", "year", None),
    ("Twenty-five officers were promoted.", "Twenty-five officers", 25, "officer", "=", "count", None),
]


@pytest.mark.parametrize(("text", "surface", "value", "unit", "bound", "kind", "attribute"), CASES)
def test_quantity_forms(nlp, text, surface, value, unit, bound, kind, attribute):
    q = one(nlp, text, surface)
    assert (q.value, q.unit, q.bound, q.kind, q.attribute) == (value, unit, bound, kind, attribute)


def test_two_designations_strip_plural(nlp):
    found = quantities(nlp, "Ottawa will buy 48 F-16Cs and 24 F-35As next decade.")
    assert [(q.value, q.unit) for q in found] == [(48, "F-16C"), (24, "F-35A")]


def test_designation_inside_noun_phrase_is_the_unit(nlp):
    q = one(nlp, "The ship carries up to 8 modern F-35B stealth jets.", "up to 8 modern F-35B stealth jets")
    assert (q.unit, q.bound, q.value) == ("F-35B", "<=", 8)


def test_count_of_conjoined_nouns(nlp):
    q = one(nlp, "Two Korean cruisers and destroyers escorted them.", "Two Korean cruisers and destroyers")
    assert (q.value, q.unit) == (2, "cruiser and destroyer")


@pytest.mark.parametrize(
    ("text", "surface", "value", "bound"),
    [
        ("It was the navy's first visit in 19 years.", "first visit in 19 years", 19, "="),
        ("For the first time in over two decades, the fleet sailed.", "first time in over two decades", 20, ">"),
    ],
)
def test_first_in_years(nlp, text, surface, value, bound):
    q = one(nlp, text, surface)
    assert (q.kind, q.unit, q.value, q.bound, q.attribute) == ("duration", "year", value, bound, "first_in")
    assert not [x for x in quantities(nlp, text) if x.kind == "ordinal"]


def test_ranges(nlp):
    q = one(nlp, "Between 20 and 30 ships may come.", "20 and 30 ships")
    assert (q.value, q.high, q.unit) == (20, 30, "ship")
    q = one(nlp, "Officials expect 15 to 18 frigates.", "15 to 18 frigates")
    assert (q.value, q.high, q.unit) == (15, 18, "frigate")


@pytest.mark.parametrize(
    "text",
    [
        "The memorial honours the dead of World War II.",
        "Veterans of World War 2 attended.",
        "The summit opened on March 14 and closed on 16 March.",
        "They met at 10 a.m. for one-on-one talks.",
        "One of the envoys left.",
        "First, the minister thanked the hosts.",
        "The F-35B and the Su-57 are rivals.",
        "The G7 met in Rome.",
    ],
)
def test_not_quantities(nlp, text):
    assert quantities(nlp, text) == []


def test_year_of_a_full_date_is_not_a_bare_year(nlp):
    found = quantities(nlp, "The pact was signed on May 3, 2021 in Oslo.")
    assert found == []


def test_number_words():
    assert parse_number("two hundred and fifty") == 250
    assert parse_number("ninety-nine") == 99
    assert parse_number("three thousand") == 3000
    assert parse_number("1,250,000") == 1_250_000
    assert parse_number("2.5 billion") == 2.5e9
    assert parse_number("a dozen") == 12
    assert parse_number("frigate") is None


def test_parses_when_no_doc_given():
    found = find_quantities("Five patrol boats docked.")
    assert [(q.value, q.unit) for q in found] == [(5, "boat")]


def test_stage_fills_analysis(nlp):
    from newsgraph.extract.quantities import run

    text = "The cruiser carried 220 marines."
    a = Analysis(document=Document(id="s1", source="t", text=text))
    a.nlp = nlp(text)
    run(a, None)
    assert [(q.value, q.unit, q.span.doc) for q in a.quantities] == [(220, "marine", "s1")]


def test_list_markers_are_not_counts(nlp):
    found = quantities(nlp, "1. Home\n2. News\nThe navy has 3 tankers.")
    assert [(q.value, q.unit) for q in found] == [(3, "tanker")]


# ---------------------------------------------------------------- scale words in every position (issue 10)


@pytest.mark.parametrize(
    ("text", "surface", "value", "high", "unit"),
    [
        ("The deal is worth $1.8 billion.", "$1.8 billion", 1.8e9, None, "USD"),
        ("A $1.8-billion order was placed.", "$1.8-billion", 1.8e9, None, "USD"),
        ("It costs $1.8billion a year.", "$1.8billion", 1.8e9, None, "USD"),
        ("The budget is $1.8 bn.", "$1.8 bn", 1.8e9, None, "USD"),
        ("The budget is $1.8 bln.", "$1.8 bln", 1.8e9, None, "USD"),
        ("The budget is $1.8-bn.", "$1.8-bn", 1.8e9, None, "USD"),
        ("The budget is €4 mln.", "€4 mln", 4e6, None, "EUR"),
        ("Tokyo set aside ¥1.8 tn.", "¥1.8 tn", 1.8e12, None, "JPY"),
        ("They paid $1.8 thousand million.", "$1.8 thousand million", 1.8e9, None, "USD"),
        ("It is a 1.8-billion-dollar deal.", "1.8-billion-dollar", 1.8e9, None, "USD"),
        ("Taipei approved NT$1.8 billion.", "NT$1.8 billion", 1.8e9, None, "TWD"),
        ("The plan costs 1.8 billion U.S. dollars.", "1.8 billion U.S. dollars", 1.8e9, None, "USD"),
        ("Delhi approved Rs 1.8 crore.", "Rs 1.8 crore", 1.8e7, None, "INR"),
        ("It will cost $1.8 to $2 billion.", "$1.8 to $2 billion", 1.8e9, 2e9, "USD"),
        ("It will cost $1.8-$2 billion.", "$1.8-$2 billion", 1.8e9, 2e9, "USD"),
        ("It will cost $1.8bn-$2bn.", "$1.8bn-$2bn", 1.8e9, 2e9, "USD"),
        ("It will cost between $1.5 and $1.8 billion.", "$1.5 and $1.8 billion", 1.5e9, 1.8e9, "USD"),
        ("It will cost between 1.5 and 1.8 billion euros.", "1.5 and 1.8 billion euros", 1.5e9, 1.8e9, "EUR"),
        ("Officials said 20-30 million people watched.", "20-30 million people", 2e7, 3e7, "people"),
        ("It will cost $500 to $2 billion.", "$500 to $2 billion", 500, 2e9, "USD"),
    ],
)
def test_money_and_counts_keep_their_scale(nlp, text, surface, value, high, unit):
    q = one(nlp, text, surface)
    assert (q.value, q.high, q.unit) == (value, high, unit)


@pytest.mark.parametrize("text", ["$1.8 billion.", "$1.8 billion)", "2.5 million."])
def test_a_scaled_amount_opening_a_line_is_no_list_marker(nlp, text):
    assert [q.text for q in quantities(nlp, text)] == [text[:-1]]


def test_year_spans_are_not_ranges(nlp):
    assert [(q.text, q.kind) for q in quantities(nlp, "From 2023-2024 the fleet grew.")] == [("2023", "year")]


SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mln": 1e6, "tn": 1e12}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "US$": "USD", "A$": "AUD"}


@given(whole=st.integers(min_value=1, max_value=999), tenths=st.integers(min_value=0, max_value=9),
       scale=st.sampled_from(sorted(SCALES)), joiner=st.sampled_from([" ", "-", "", "\u00a0"]),
       currency=st.sampled_from(sorted(CURRENCIES)), lead=st.sampled_from(["The deal is worth ", "", "Costs rose to "]))
@settings(max_examples=120, deadline=None, derandomize=True)
def test_property_a_scaled_amount_reads_as_its_full_value(whole, tenths, scale, joiner, currency, lead):
    number = f"{whole}.{tenths}"
    text = f"{lead}{currency}{number}{joiner}{scale} in total."
    found = [q for q in find_quantities(text) if q.kind == "money"]
    assert len(found) == 1, (text, [q.text for q in find_quantities(text)])
    q = found[0]
    assert q.unit == CURRENCIES[currency]
    assert q.value == pytest.approx(float(number) * SCALES[scale]), text
    assert q.text == f"{currency}{number}{joiner}{scale}"
