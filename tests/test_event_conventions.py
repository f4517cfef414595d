"""PLOVER/CAMEO coding conventions (issue 10, part A round 2): event types from PLOVER's definitions,
roles from the event's place, groups and regions coded to their states, statements kept apart.

Every sentence here is written for this test; none is copied from an article or a benchmark.
"""

from __future__ import annotations

import pytest

from newsgraph.model import Analysis, Document
from newsgraph.outputs.relations import participant_state, state_of


@pytest.fixture(scope="module")
def analyse(analyse_events):
    return analyse_events


def states(a: Analysis, kb) -> dict[str, str]:
    return {e.id: code for e in a.entities
            if (code := state_of({"type": e.type, "attributes": e.attributes, "kb_ids": e.kb_ids}, kb))}


def dyads(a: Analysis, kb) -> set[tuple[str, str | None, str | None]]:
    """(PLOVER, source state, target state) for each event, the way relations code them."""
    known = states(a, kb)
    out = set()
    for ev in a.events:
        code = [(p.role, participant_state({"entity": p.entity, "country": p.country}, known)) for p in ev.participants]
        actors = {c for r, c in code if r == "actor"} or {None}
        others = {c for r, c in code if r in ("partner", "target")} or {None}
        out |= {(ev.plover, s, t) for s in actors for t in others}
    return out


def plovers(a: Analysis) -> set[str]:
    return {e.plover for e in a.events}


def entity_country(a: Analysis, name: str) -> str | None:
    ent = next(e for e in a.entities if e.name == name or name in e.aliases)
    return ent.attributes.get("country")


# ---------------------------------------------------------------- event types from PLOVER's definitions


def test_future_cooperation_is_agree_and_past_cooperation_keeps_its_type(analyse):
    assert "AGREE" in plovers(analyse("Norway will send medical supplies to Moldova next month."))
    assert "AID" in plovers(analyse("Norway sent medical supplies to Moldova last month."))


def test_a_stated_refusal_and_a_failed_agreement_are_rejections(analyse):
    assert "REJECT" in plovers(analyse("Chile said it will not accept the new border proposal."))
    assert "REJECT" in plovers(analyse("Ghana and Togo failed to reach an agreement on the fishing zone."))
    # a past act that did not happen is no refusal: it keeps its code (and its negated modality)
    past = analyse("The Chilean minister did not attend the summit in Lima.")
    assert "REJECT" not in plovers(past) and {e.modality for e in past.events} == {"negated"}


def test_y_must_under_any_statement_is_a_demand_by_the_speaker(analyse, context):
    a = analyse("The Ghanaian foreign minister concluded that Togo must reopen the border crossing.")
    assert ("REQUEST", "GHA", "TGO") in dyads(a, context.kb)


def test_lifting_a_blockade_is_retreat_and_lifting_a_curfew_concedes(analyse):
    assert "RETREAT" in plovers(analyse("Egypt lifted its blockade of the border crossing on Monday."))
    assert "CONCEDE" in plovers(analyse("The Malian army lifted the curfew on Tuesday."))


def test_withdrawing_monitors_reduces_relations_and_a_stated_withdrawal_threatens(analyse):
    assert "SANCTION" in plovers(analyse("Sweden withdrew its election monitors from Belarus."))
    assert "THREATEN" in plovers(analyse("Sweden announced that it will withdraw its election monitors from Belarus."))


def test_establishing_ties_is_support_and_sending_peacekeepers_is_aid(analyse):
    assert "SUPPORT" in plovers(analyse("Fiji established diplomatic relations with Kosovo."))
    assert "AID" in plovers(analyse("Uruguay sent peacekeepers to Haiti in March."))


def test_military_means_make_fighting_and_bombs_make_assault(analyse):
    assert "FIGHT" in plovers(analyse("Syrian warplanes killed twelve villagers near Aleppo."))
    assert "ASSAULT" in plovers(analyse("A suicide bomber killed twelve villagers near Aleppo."))


# ---------------------------------------------------------------- roles from the event's place


def test_the_place_of_a_curfew_is_the_affected_state(analyse, context):
    a = analyse("Uzbek authorities imposed a curfew in Namangan after the riots.")
    assert ("COERCE", "UZB", "UZB") in dyads(a, context.kb)
    target = next(p for e in a.events for p in e.participants if p.role == "target")
    assert (target.country, target.basis) == ("UZB", "location")


def test_an_unnamed_perpetrator_stands_for_the_state_where_it_struck(analyse, context):
    a = analyse("Masked gunmen attacked a crowded market in Mosul on Friday.")
    found = dyads(a, context.kb)
    assert ("ASSAULT", "IRQ", "IRQ") in found
    actor = next(p for e in a.events for p in e.participants if p.role == "actor" and p.country)
    assert actor.basis == "unnamed"


def test_a_domestic_protest_addresses_its_own_state(analyse, context):
    a = analyse("Thousands of Chilean students protested on Thursday.")
    assert ("PROTEST", "CHL", "CHL") in dyads(a, context.kb)


def test_no_place_and_no_actor_leaves_the_roles_empty(analyse, context):
    a = analyse("A bomb exploded on Friday, killing four people.")
    assert all(s is None for _, s, _ in dyads(a, context.kb))


def test_an_ambiguous_city_is_decided_by_the_state_the_text_names(analyse):
    a = analyse("Lebanese troops were deployed to Tripoli after the clashes.")
    assert entity_country(a, "Tripoli") == "LBN"
    b = analyse("Talks opened in Tripoli between the rival Libyan governments.")
    assert entity_country(b, "Tripoli") == "LBY"


def test_a_region_named_by_direction_is_its_state_but_a_state_keeps_its_name(analyse, context):
    a = analyse("Government forces shelled villages in northern Mali on Sunday.")
    assert any(t == "MLI" for _, _, t in dyads(a, context.kb))
    b = analyse("South Sudan closed its border with Sudan.")
    assert any(e.type == "COUNTRY" and e.attributes.get("iso3") == "SSD" for e in b.entities)


# ---------------------------------------------------------------- groups coded to their states


def test_an_armed_group_from_the_groups_lexicon_has_its_state(analyse, context):
    a = analyse("Houthi fighters fired drones at a Saudi oil terminal.")
    assert any(s == "YEM" and t == "SAU" for _, s, t in dyads(a, context.kb))


def test_a_group_of_several_states_takes_the_one_its_sentence_names(analyse):
    a = analyse("Kurdish fighters seized two villages in northern Iraq.")
    assert entity_country(a, "Kurdish") == "IRQ"
    b = analyse("Kurdish fighters clashed with Turkish troops near the Syrian border.")
    assert entity_country(b, "Kurdish") is None  # two candidate states named: never a guess


def test_an_ethnic_minority_is_coded_to_the_state_it_lives_in(analyse):
    a = analyse("Ethnic Hungarians rallied in Romania on Saturday.")
    assert entity_country(a, "Hungarians") == "ROU"


def test_a_world_religion_is_coded_only_where_the_sentence_places_it(analyse):
    a = analyse("Muslim villagers in Myanmar fled across the river.")
    b = analyse("Muslim leaders welcomed the decision.")
    assert entity_country(a, "Muslim") == "MMR"
    assert entity_country(b, "Muslim") is None


# ---------------------------------------------------------------- roles from the clauses around the trigger


def test_a_conditional_threat_targets_the_subject_of_the_condition(analyse, context):
    a = analyse("Peru threatened to expel the envoy if Bolivia closes the border.")
    assert ("THREATEN", "PER", "BOL") in dyads(a, context.kb)


def test_summoning_an_envoy_to_complain_targets_the_envoy(analyse, context):
    a = analyse("Latvia summoned Belarus's ambassador to complain about the border incident.")
    assert ("ACCUSE", "LVA", "BLR") in dyads(a, context.kb)


def test_a_participle_of_state_makes_its_subject_the_actor(analyse, context):
    a = analyse("Mongolia is committed to expanding trade with Kazakhstan.")
    assert any(s == "MNG" for _, s, _ in dyads(a, context.kb))


def test_a_declaration_demanding_is_made_by_the_verbs_subject(analyse, context):
    a = analyse("Argentina issued a statement demanding that Britain return the islands.")
    assert ("REQUEST", "ARG", "GBR") in dyads(a, context.kb)


# ---------------------------------------------------------------- statements kept apart across reports


def test_two_warnings_with_different_speakers_are_two_events():
    from newsgraph.resolve.event_coref import Arg, EventMentionFeatures, cluster

    def warning(mid: str, doc: str, actor: str | None, target: str, sentence: str) -> EventMentionFeatures:
        parts = {Arg(target, "COUNTRY", "target")} | ({Arg(actor, "COUNTRY", "actor")} if actor else set())
        return EventMentionFeatures(id=mid, doc=doc, trigger_lemma="warn", type="THREATEN", sentence=sentence,
                                    context="sea dispute shoal coast guard", participants=parts, story="s1")

    a = warning("m1", "d1", "USA", "CHN", "Washington warned Beijing over the shoal on Sunday.")
    b = warning("m2", "d2", None, "PHL", "A spokesman warned Manila to stop its provocations.")
    c = warning("m3", "d3", "USA", "CHN", "The US warned China about the shoal incident.")
    groups = cluster([a, b, c])
    assert ["m2"] in groups
    assert ["m1", "m3"] in groups


def test_accepting_demands_concedes_and_readiness_to_strike_mobilises(analyse):
    assert "CONCEDE" in plovers(analyse("The Bolivian government accepted the demands of the striking miners."))
    assert "MOBILIZE" in plovers(analyse("The Armenian army prepared to resume shelling the border villages."))


def test_peacekeepers_arriving_are_aid(analyse):
    assert "AID" in plovers(analyse("Nepalese peacekeeping troops arrived in Lebanon on Monday."))
    assert "CONSULT" in plovers(analyse("Nepalese ministers arrived in Lebanon on Monday."))


def test_a_province_from_the_regions_file_and_an_administrative_suffix_are_coded(analyse, context):
    a = analyse("Police imposed a curfew in South Kordofan State after the riots.")
    assert any(p.country == "SDN" for e in a.events for p in e.participants)
    b = analyse("Government troops shelled rebel positions in Balochistan.")
    assert any(t == "PAK" for _, _, t in dyads(b, context.kb))


def test_an_unnamed_group_placed_in_a_city_stands_for_the_citys_state(analyse, context):
    a = analyse("Opposition groups in Aleppo demanded the release of the prisoners.")
    actor = next(p for e in a.events for p in e.participants if p.role == "actor")
    assert (actor.name, actor.country, actor.basis) == ("Aleppo", "SYR", "placed")


def test_a_city_the_model_calls_a_nationality_is_a_place(analyse, context):
    a = analyse("A car bomb near the town of Samarra killed three policemen.")
    samarra = next(e for e in a.entities if e.name == "Samarra")
    assert (samarra.type, samarra.attributes.get("country")) == ("PLACE", "IRQ")


def test_an_investigation_targets_the_perpetrators_and_a_mission_its_destination(analyse, context):
    a = analyse("Croatia opened an investigation into killings committed by Serbian paramilitaries.")
    assert ("INVESTIGATE", "HRV", "SRB") in dyads(a, context.kb)
    b = analyse("Sweden sent experts to Belarus to investigate the explosion.")
    assert ("INVESTIGATE", "SWE", "BLR") in dyads(b, context.kb)


# ---------------------------------------------------------------- parse robustness


def test_a_verb_the_parse_left_without_subject_takes_the_nearest_name_before_it(context):
    """A weak parse that hangs "troops" off the verb as a modifier leaves "shelled" with no subject:
    the clause-level fallback still finds who acted, and never a name inside a prepositional phrase."""
    from spacy.tokens import Doc

    from newsgraph.extract.event_roles import MentionIndex, ParticipantFinder
    from newsgraph.extract.event_rules import Trigger, load_lexicon
    from newsgraph.model import Entity, Mention

    def finder_for(words, heads, deps, tags, pos, verb, mention_word):
        doc = Doc(context.nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
        tok = next(t for t in doc if t.text == mention_word)
        ent = Entity(id="e1", name=mention_word, type="NORP", attributes={"country": "CHL"})
        mention = Mention("t", tok.idx, tok.idx + len(tok.text), tok.text, "NORP", "e1")
        analysis = Analysis(document=Document(id="t", source="t", text=doc.text), nlp=doc,
                            mentions=[mention], entities=[ent])
        trigger = Trigger("FIGHT", "verb", verb, verb + 1, doc[verb], doc[verb], "shell")
        finder = ParticipantFinder(trigger, load_lexicon(), MentionIndex(analysis))
        finder.run()
        return {(m.text, role) for m, role in finder.found}

    broken = finder_for(
        ["Yesterday", "Chilean", "troops", "shelled", "the", "post", "."], [3, 2, 3, 3, 5, 3, 3],
        ["npadvmod", "amod", "npadvmod", "ROOT", "det", "dobj", "punct"],
        ["NN", "JJ", "NNS", "VBD", "DT", "NN", "."], ["NOUN", "ADJ", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
        3, "Chilean")
    assert ("Chilean", "actor") in broken
    in_pp = finder_for(
        ["Troops", "from", "Chilean", "bases", "shelled", "the", "post", "."], [4, 0, 3, 1, 4, 6, 4, 4],
        ["npadvmod", "prep", "amod", "pobj", "ROOT", "det", "dobj", "punct"],
        ["NNS", "IN", "JJ", "NNS", "VBD", "DT", "NN", "."], ["NOUN", "ADP", "ADJ", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
        4, "Chilean")
    assert ("Chilean", "actor") not in in_pp


# ---------------------------------------------------------------- the stored record and the export


def test_a_participant_standing_for_a_state_is_stored_exported_and_validated(tmp_path, context):
    from newsgraph import Archive
    from newsgraph.outputs.export import validate_export

    folder = tmp_path / "in"
    folder.mkdir()
    body = (
        "Uzbek authorities imposed a curfew in Namangan on Monday after two days of unrest, the interior "
        "ministry said.\n\nShops stayed closed across the city and buses did not run. Residents described "
        "long queues at bakeries in the morning, before police vans toured the main avenues with loudspeakers "
        "telling people to stay indoors after dark.\n\nThe ministry gave no figure for arrests. A regional "
        "official told reporters that the measure would be reviewed at the end of the week, once the markets "
        "had reopened and the schools could resume their lessons.\n")
    (folder / "curfew.txt").write_text("Curfew in Namangan\n\n" + body, encoding="utf-8")
    with Archive(tmp_path / "s.duckdb") as archive:
        archive._ctx = context
        archive.ingest([folder])
        data = archive.export()
    validate_export(data)
    implied = [p for e in data["events"] for p in e["participants"] if p.get("country")]
    assert {"name": "Uzbekistan", "role": "target", "country": "UZB", "country_basis": "location"} in [
        {k: p[k] for k in ("name", "role", "country", "country_basis")} for p in implied]
