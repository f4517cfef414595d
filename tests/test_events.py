"""Events stage: types, PLOVER codes, modality, participants, place, date and exact spans.

All sentences are invented for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.eval import plover
from newsgraph.extract.event_rules import load_lexicon
from newsgraph.model import MODALITIES, Analysis, Document, Event

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PLOVER_CATEGORIES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "INVESTIGATE",
}


@pytest.fixture(scope="module")
def ctx():
    from newsgraph.nlp.pipeline import make_context

    return make_context()


@pytest.fixture(scope="module")
def stages():
    from newsgraph.stages import registered

    names = ("entities", "time", "quantities", "events")
    return [(n, fn) for n, fn in registered() if n in names]


@pytest.fixture(scope="module")
def analyse(ctx, stages):
    def run(text: str) -> Analysis:
        a = Analysis(document=Document(id="t1", source="test", text=text, published="2024-06-29"))
        a.nlp = ctx.nlp(text)
        for _, fn in stages:
            fn(a, ctx)
        return a

    return run


def only(a: Analysis, etype: str) -> Event:
    found = [e for e in a.events if e.type == etype]
    assert found, f"no {etype} in {[(e.type, e.trigger) for e in a.events]}"
    return found[0]


def names(event: Event, role: str) -> set[str]:
    return {p.name for p in event.participants if p.role == role}


# ---------------------------------------------------------------- vocabulary


def test_vocabulary_is_well_formed():
    lex = load_lexicon()
    assert {t.plover for t in lex.types.values()} <= PLOVER_CATEGORIES
    assert {t.plover_alone for t in lex.types.values() if t.plover_alone} <= PLOVER_CATEGORIES
    words = set(lex.verbs) | set(lex.nouns) | set(lex.partner_preps) | set(lex.modality["negation"])
    assert not words & {"true", "false"}, "an unquoted yes/no/on/off became a boolean"
    for required in ("MEET", "AGREE", "DEPLOY", "PORT_CALL", "EXERCISE", "PROCURE", "DEVELOP", "WITHDRAW"):
        assert required in lex.types


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("text", "etype", "code"),
    [
        ("Italy and Japan held talks on defence cooperation in Tokyo last week.", "MEET", "CONSULT"),
        ("Spain and Portugal signed a defence agreement in Lisbon on 3 May.", "AGREE", "SUPPORT"),  # PLOVER: signing
        ("China deployed warships near Taiwan in April.", "DEPLOY", "MOBILIZE"),
        ("The German frigate docked in Tokyo on 12 July.", "PORT_CALL", "CONSULT"),
        ("France and Egypt launched joint naval exercises in the Mediterranean.", "EXERCISE", "COOPERATE"),
        ("Germany bought new fighter jets from the United States.", "PROCURE", "COOPERATE"),
        ("Britain and Japan jointly develop a new fighter aircraft.", "DEVELOP", "COOPERATE"),
        ("Brazil withdrew from the initiative last year.", "WITHDRAW", "RETREAT"),
        ("Egypt accused Israel of breaking the truce.", "ACCUSE", "ACCUSE"),
        ("Thousands of students protested in Seoul on Saturday.", "PROTEST", "PROTEST"),
        ("The European Union imposed sanctions on Belarus in March.", "SANCTION", "SANCTION"),
        ("Iran seized a tanker in the Strait of Hormuz.", "COERCE", "COERCE"),
        ("Gunmen attacked a police station in Kabul.", "ATTACK", "ASSAULT"),
        ("Ukraine rejected the proposal.", "REJECT", "REJECT"),
        ("India sent food aid to Sri Lanka.", "AID", "AID"),
        ("Poland praised Lithuania for its efforts.", "SUPPORT", "SUPPORT"),
        ("Armenia urged Azerbaijan to free the prisoners.", "REQUEST", "REQUEST"),
        ("Kenya lifted the curfew in Nairobi.", "CONCEDE", "CONCEDE"),
        ("Peru threatened to cut off electricity to Chile.", "THREATEN", "THREATEN"),
        ("Canada launched an investigation into the crash.", "INVESTIGATE", "INVESTIGATE"),
    ],
)
def test_event_types_and_plover(analyse, text, etype, code):
    event = only(analyse(text), etype)
    assert event.plover == code
    assert event.modality in MODALITIES


def test_reported_speech_and_bare_nouns_are_not_events(analyse):
    assert analyse("The minister said the talks were useful.").events == []
    assert analyse("The spokesman told reporters about the weather.").events == []


def test_light_verb_and_noun_make_one_event(analyse):
    a = analyse("Italy will take part in military exercises with Japan next month.")
    assert [e.type for e in a.events] == ["EXERCISE"]
    assert a.events[0].sources[0].text == "exercises"


def test_solo_exercise_is_a_show_of_force(analyse):
    event = only(analyse("Russia staged large naval drills in the Baltic Sea on Monday."), "EXERCISE")
    assert event.plover == "MOBILIZE"


# ---------------------------------------------------------------- modality


@pytest.mark.parametrize(
    ("text", "etype", "modality"),
    [
        ("The Australian destroyer HMAS Sydney is set to make a port call in Japan in August.", "PORT_CALL", "planned"),
        ("The Spanish frigate arrived at the port of Yokosuka on Monday.", "PORT_CALL", "happened"),
        ("The Canadian foreign minister did not attend the summit in Rome.", "MEET", "negated"),
        ("The Dutch frigate is expected to join drills with Japan next month.", "EXERCISE", "expected"),
        ("Germany will deploy two warships to the Indo-Pacific in 2025.", "DEPLOY", "planned"),
        ("Sweden confirmed that it will buy new submarines.", "PROCURE", "announced"),
        ("Chile refused to sign the treaty.", "AGREE", "negated"),
        ("Norway is holding talks with Denmark this week.", "MEET", "happened"),
        ("Officials said further talks with Denmark were planned for the autumn.", "MEET", "planned"),
        # the sentences are published 2024-06-29: what they date later, or by a deadline ahead, is to come
        ("Norway held talks with Denmark on 3 September 2024.", "MEET", "planned"),
        ("Norway held talks with Denmark on 3 May 2024.", "MEET", "happened"),
        ("Norway signed a treaty with Denmark creating a programme meant to give both navies new frigates by "
         "2035.", "AGREE", "happened"),
        ("Joint drills with Peru are scheduled for next week.", "EXERCISE", "planned"),
        ("Lima welcomed the Chilean navy's plan to send two frigates to Peru in the winter.", "DEPLOY", "planned"),
        ("The agreement with Peru was signed last week.", "AGREE", "happened"),
    ],
)
def test_modality(analyse, text, etype, modality):
    assert only(analyse(text), etype).modality == modality


# ---------------------------------------------------------------- participants, place, date


def test_demonym_and_vessel_are_actors_and_host_country_is_partner(analyse):
    a = analyse("The Australian destroyer HMAS Sydney is set to make a port call in Japan in August.")
    event = only(a, "PORT_CALL")
    # The ship acts; "Australian" is its affiliation, not a second participant.
    assert names(event, "actor") == {"HMAS Sydney"}
    ship = next(e for e in a.entities if e.name == "HMAS Sydney")
    assert ship.attributes["country"] == "AUS"
    assert "Japan" in names(event, "partner")
    assert event.location is not None
    assert event.date is not None and event.date.text == "August"
    assert "port call" in event.summary and "[planned]" in event.summary


def test_a_host_named_as_the_place_is_no_counterpart_and_a_ship_used_is_the_means(analyse):
    a = analyse("The navies of Chile and Peru held a joint naval exercise with the frigate Almirante Orsa "
                "off Lima on Monday.")
    event = only(a, "EXERCISE")
    assert names(event, "actor") == {"Chile", "Peru"}
    assert not names(event, "partner") and not names(event, "target")  # Lima is Peru's capital: Peru hosts
    assert event.location is not None
    assert names(event, "instrument") == {"Almirante Orsa"}


def test_coordinated_actors_and_place(analyse):
    a = analyse("Italy and Japan held talks on defence cooperation in Tokyo last week.")
    event = only(a, "MEET")
    assert names(event, "actor") == {"Italy", "Japan"}
    tokyo = [e for e in a.entities if e.name == "Tokyo"]
    assert tokyo and event.location == tokyo[0].id


def test_conflict_object_is_target(analyse):
    event = only(analyse("Egypt accused Israel of breaking the truce."), "ACCUSE")
    assert names(event, "actor") == {"Egypt"} and "Israel" in names(event, "target")


def test_object_controls_embedded_event(analyse):
    a = analyse("Armenia urged Azerbaijan to withdraw its troops.")
    assert "Azerbaijan" in names(only(a, "WITHDRAW"), "actor")


def test_date_is_the_one_attached_to_the_trigger(analyse):
    a = analyse("The German frigate docked in Tokyo on 12 July, after the Japanese destroyer left Yokosuka in June.")
    event = only(a, "PORT_CALL")
    assert event.date is not None and event.date.text == "12 July"


def test_no_date_in_the_sentence_gives_the_reported_date(analyse):
    event = only(analyse("Ukraine rejected the proposal."), "REJECT")
    assert event.date is not None and event.date.basis == "reported"  # the report's date, never a stated one
    assert event.date.span is None and "undated, reported" in event.summary


def test_quantities_of_the_sentence(analyse):
    event = only(analyse("Germany will buy 35 fighter jets from the United States."), "PROCURE")
    assert any(q.value == 35 for q in event.quantities)


def test_intent_statement_is_coded_as_agree(analyse):
    event = only(analyse("Syria says it will withdraw its troops from Lebanon."), "WITHDRAW")
    assert event.plover == "AGREE" and event.modality == "announced"


def test_future_cooperation_is_an_intent_whoever_reports_it(analyse):
    # PLOVER AGREE: "all cooperative actions reported in future tense are also taken to imply intentions";
    # the event keeps its own type and modality.
    a = analyse("The navy said the Australian destroyer HMAS Sydney will make a port call in Japan.")
    event = only(a, "PORT_CALL")
    assert event.plover == "AGREE" and event.modality in ("planned", "announced")
    past = only(analyse("The Australian destroyer HMAS Sydney made a port call in Japan."), "PORT_CALL")
    assert past.plover == "CONSULT"


def test_spans_are_exact_and_ids_stable(analyse):
    text = ("Spain and Portugal signed a defence agreement in Lisbon on 3 May. "
            "Later, Portugal deployed two frigates to the Atlantic.")
    a = analyse(text)
    assert len(a.events) >= 2
    for event in a.events:
        for span in event.sources + event.sentences:
            assert text[span.start : span.end] == span.text
        assert event.sentences[0].start <= event.sources[0].start < event.sentences[0].end
    again = analyse(text)
    assert [e.id for e in again.events] == [e.id for e in a.events]


# ---------------------------------------------------------------- PLOVER scorer


def test_gold_codes_map_cameo_and_drop_non_state():
    record = {"event": "DEMAND", "source": [{"code": "JAP"}, {"code": "IGO"}], "target": [{"code": "USA"}]}
    assert plover.gold_codes(record, "source") == {"JPN"}
    assert plover.gold_codes(record, "target") == {"USA"}
    assert plover.gold_event(record) == "REQUEST"
    assert plover.gold_codes({"source": ""}, "source") == set()


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared")
def test_plover_scorer_runs_on_gold(ctx):
    result = plover.evaluate(SHARED / "benchmarks", ctx=ctx, limit=40)
    assert result["sentences"] == 40
    assert sum(v["gold"] for v in result["by_type"].values()) == 40
    assert 0.0 <= result["source_accuracy"] <= 1.0
    assert result["event_accuracy"] >= 0.5


def test_deployed_ship_is_an_instrument(analyse):
    event = only(analyse("Britain deployed HMS Spey to the Pacific in May."), "DEPLOY")
    assert "HMS Spey" in names(event, "instrument") and "United Kingdom" in names(event, "actor")


# ---------------------------------------------------------------- participants come from the trigger's own clause


def test_reporting_speaker_is_not_the_actor_of_the_reported_event(analyse):
    a = analyse("Sending a carrier to the Pacific is the clearest signal, a Canadian analyst said.")
    event = only(a, "DEPLOY")
    assert "Canada" not in names(event, "actor")


def test_pronoun_subject_still_takes_the_speaker(analyse):
    event = only(analyse("Norway said it will send troops to Estonia."), "DEPLOY")
    assert "Norway" in names(event, "actor")


def test_demand_reported_as_must_is_made_by_the_speaker(analyse):
    event = only(analyse("Canada said on Monday that Peru must release the detained sailors."), "REQUEST")
    assert names(event, "actor") == {"Canada"}
    assert "Peru" in names(event, "partner")


def test_capital_as_destination_stands_for_its_state(analyse):
    event = only(analyse("The Chilean president arrived in Amman on Tuesday for a state visit."), "MEET")
    assert "Amman" in names(event, "partner")
    assert event.location is not None


def test_a_place_never_acts(analyse):
    a = analyse("Yokosuka offers visiting crews a close view of Chinese naval activity.")
    for event in a.events:
        assert not any(p.name.startswith("Yokosuka") for p in event.participants if p.role == "actor")
