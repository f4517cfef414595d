"""Attribution round 2: cue verbs by semantic class, content boundaries, evidence phrases, message objects.

Every sentence here was written for these tests (none comes from a benchmark or a real article).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsgraph import stages
from newsgraph.extract.attribution.lexicon import INTENTION, SPEECH_FILE, STATEMENT, load_lexicon
from newsgraph.model import Analysis, Attribution, Document


def analyse(context, text: str) -> Analysis:
    a = Analysis(document=Document(id="d1", source="t", text=text, published="2031-05-04"))
    a.nlp = context.nlp(text)
    registry = dict(stages.registered())
    registry["entities"](a, context)
    registry["quotes"](a, context)
    for r in a.attributions:
        for span in [r.cue, *r.content, *([r.source] if r.source else [])]:
            assert text[span.start : span.end] == span.text
    return a


def content(r: Attribution) -> str:
    return " | ".join(c.text for c in r.content)


def by_cue(a: Analysis, cue: str) -> Attribution:
    hits = [r for r in a.attributions if r.cue.text == cue]
    assert len(hits) == 1, [(r.cue.text, content(r)) for r in a.attributions]
    return hits[0]


def cues(a: Analysis) -> list[str]:
    return [r.cue.text for r in a.attributions]


# --------------------------------------------------------------------------- verb classes


@pytest.mark.parametrize(("text", "cue", "expected", "source"), [
    # judgement (praise and blame)
    ("The harbour master lambasted the dredging contract as a waste of money.", "lambasted",
     "the dredging contract as a waste of money", "The harbour master"),
    # admire: an attitude towards someone
    ("Councillor Amara Osei openly admires the old ferry captain.", "admires", "the old ferry captain",
     "Councillor Amara Osei"),
    # compare: a judgement of similarity
    ("The union leader likened the new shift rota to a lottery.", "likened", "the new shift rota to a lottery",
     "The union leader"),
    # marvel: an emotion about something
    ("The fishermen fretted about the falling price of cod.", "fretted about", "the falling price of cod",
     "The fishermen"),
    # stance: taking a side
    ("Senator Ilse Brandt voted against the bridge levy.", "voted against", "the bridge levy",
     "Senator Ilse Brandt"),
])
def test_a_class_verb_reports_its_object(context, text, cue, expected, source):
    r = by_cue(analyse(context, text), cue)
    assert content(r) == expected and r.source.text == source and r.kind == "indirect"


def test_blame_keeps_the_one_blamed_with_the_reason(context):
    r = by_cue(analyse(context, "The council blamed the contractor for the long delays at the lock."), "blamed")
    assert content(r) == "the contractor for the long delays at the lock"


def _lexicon_file(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SPEECH_FILE.read_text(encoding="utf-8"))
    change(data["verb_classes"])
    path = tmp_path / "speech.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_class_switched_off_gives_no_cues(tmp_path: Path):
    switched = load_lexicon(_lexicon_file(tmp_path, lambda classes: classes["compare"].update(use=False)))
    on = load_lexicon()
    assert "liken" in on.object_cues and "liken" in on.cue_types
    assert "liken" not in switched.object_cues and "liken" not in switched.cue_types


def test_class_types_reach_the_cue_types():
    lex = load_lexicon()
    assert STATEMENT in lex.cue_types["lambaste"]
    assert "belief" in lex.cue_types["admire"]
    assert INTENTION in lex.cue_types["intend"]
    assert "show" in lex.evidence_objects and "show" not in lex.object_cues  # only with an evidence subject


def test_an_unknown_class_type_is_refused(tmp_path: Path):
    bad = _lexicon_file(tmp_path, lambda classes: classes["say_37_7"].update(type="rumour"))
    with pytest.raises(ValueError, match=r"say_37_7.*rumour"):
        load_lexicon(bad)


# --------------------------------------------------------------------------- content boundaries


def test_conjuncts_the_parse_hung_on_the_cue_join_the_content(context):
    a = analyse(context, "The port authority agreed to widen the canal and dredge the harbour.")
    assert content(by_cue(a, "agreed")) == "to widen the canal and dredge the harbour"


def test_a_conjunct_sharing_the_subject_stays_in_a_that_clause(context):
    a = analyse(context, "She argued that the levy hurt the fishermen and exposed a weakness in the plan.")
    r = by_cue(a, "argued")
    assert content(r) == "that the levy hurt the fishermen and exposed a weakness in the plan"
    assert "exposed" not in cues(a)  # not a second attribution inside the first


def test_a_that_clause_after_the_addressee_is_the_content(context):
    a = analyse(context, "Mayor Ortega told a meeting of harbour workers that the strike would end on Friday.")
    r = by_cue(a, "told")
    assert content(r) == "that the strike would end on Friday" and r.source.text == "Mayor Ortega"


def test_a_phrase_after_the_object_stays_but_the_setting_is_cut(context):
    a = analyse(context, "The governor unveiled a list of endorsements from forty retired judges.")
    assert content(by_cue(a, "unveiled")) == "a list of endorsements from forty retired judges"
    b = analyse(context, "The governor criticized the budget on Twitter.")
    assert content(by_cue(b, "criticized")) == "the budget"


def test_an_aside_at_the_end_of_a_paragraph_is_found(context):
    text = ("The repairs will take a month, Mr. Varga said.\n\n"
            "The yard plans to hire forty welders before the winter.")
    r = by_cue(analyse(context, text), "said")
    assert content(r) == "The repairs will take a month" and r.source.text == "Mr. Varga"


def test_an_adverb_inside_the_aside_does_not_hide_it(context):
    text = "The canal, the minister often says, is the city's oldest road."
    r = by_cue(analyse(context, text), "says")
    assert r.source.text == "the minister" and "the city's oldest road" in content(r)


def test_a_transcript_turn_keeps_its_own_words(context):
    text = ('"ORTEGA: Well, the ferry will run on Monday.\n\n'
            '"LINDQVIST: Will it run on time?\n\n'
            '"ORTEGA: It will, and it will be full.')
    a = analyse(context, text)
    turns = sorted(content(r) for r in a.attributions if r.cue.text == ":")
    assert turns == ["It will, and it will be full", "Well, the ferry will run on Monday",
                     "Will it run on time?"]


# --------------------------------------------------------------------------- evidence


def test_a_preposition_framing_evidence_reports_its_host_clause(context):
    a = analyse(context, "In the latest harbour survey, most residents backed the new ferry line.")
    r = by_cue(a, "In")
    assert r.kind == "evidence" and r.source.text == "the latest harbour survey"
    assert content(r) == "most residents backed the new ferry line"


def test_evidence_shows_its_object(context):
    a = analyse(context, "Recent polls show the mayor well ahead of her rival.")
    r = by_cue(a, "show")
    assert r.kind == "evidence" and content(r).startswith("the mayor well ahead")


def test_a_finite_clause_after_a_perception_verb_is_reported(context):
    a = analyse(context, "An inquiry found the ferry operator had ignored the safety rules.")
    assert content(by_cue(a, "found")) == "the ferry operator had ignored the safety rules"
    b = analyse(context, "Greta Lindqvist saw the ferry leave the harbour.")
    assert "saw" not in cues(b)


# --------------------------------------------------------------------------- message objects and guards


def test_a_message_object_makes_any_verb_a_cue(context):
    a = analyse(context, "The dockers' union sent a letter to the harbour board.")
    r = by_cue(a, "sent")
    assert content(r) == "a letter" and r.source.text == "The dockers' union"  # the addressee is no content
    b = analyse(context, "The mayor unleashed a flurry of tweets about the ferry fares.")
    assert content(by_cue(b, "unleashed")).startswith("a flurry of tweets")


def test_receiving_a_message_is_no_attribution(context):
    a = analyse(context, "The mayor received a letter from the dockers' union.")
    assert "received" not in cues(a)


def test_an_amount_is_not_what_was_said(context):
    a = analyse(context, "The campaign raised $4 million in March.")
    assert "raised" not in cues(a)


def test_a_message_holding_its_own_report_gives_way(context):
    a = analyse(context, "The campaign released a letter from her doctor that says she is in excellent health.")
    r = by_cue(a, "says")
    assert content(r) == "she is in excellent health"
    assert "released" not in cues(a)
    b = analyse(context, "The dockers' union issued a statement on the closures.")
    r = by_cue(b, "statement on")
    assert content(r) == "the closures" and r.source.text == "The dockers' union" and "issued" not in cues(b)


# --------------------------------------------------------------------------- stances and sources


def test_a_stance_noun_after_a_copula_reports_its_object(context):
    a = analyse(context, "Councillor Amara Osei is a staunch opponent of the toll bridge.")
    r = by_cue(a, "is a staunch opponent of")
    assert content(r) == "the toll bridge" and r.source.text == "Councillor Amara Osei"
    assert r.statement_type == "belief"


def test_against_after_a_copula_is_a_stance(context):
    a = analyse(context, "The fishermen's guild is against the new quotas.")
    r = by_cue(a, "is against")
    assert content(r) == "the new quotas" and r.source.text == "The fishermen's guild"


def test_a_participle_on_an_event_noun_takes_the_subject_of_its_verb(context):
    a = analyse(context, "Mayor Ortega held a news conference announcing that the ferry would resume in May.")
    r = by_cue(a, "announcing")
    assert content(r) == "that the ferry would resume in May" and r.source.text == "Mayor Ortega"


def test_evidence_described_by_a_participle_is_its_own_source(context):
    a = analyse(context, "A video surfaced showing the minister leaving the harbour office.")
    r = by_cue(a, "showing")
    assert r.source.text == "A video" and content(r).startswith("the minister leaving")


def test_a_message_framing_a_clause_is_what_its_subject_said(context):
    a = analyse(context, "In a statement on Tuesday, Senator Ilse Brandt was more cautious than her colleagues.")
    r = by_cue(a, "a statement")
    assert r.source.text == "Senator Ilse Brandt" and content(r) == "was more cautious than her colleagues"
    b = analyse(context, "In a statement on Tuesday, Senator Ilse Brandt said the bridge would open.")
    assert "a statement" not in cues(b) and "said" in cues(b)


def test_a_word_yaml_reads_as_a_boolean_is_refused(tmp_path: Path):
    bad = tmp_path / "speech.yaml"
    bad.write_text(SPEECH_FILE.read_text(encoding="utf-8").replace(
        "object_prepositions: [about, 'on',", "object_prepositions: [about, on,"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"object_prepositions\[1\].*'true'.*quote it"):
        load_lexicon(bad)
    lex = load_lexicon()
    assert "on" in lex.object_preps and lex.phrasal["go"] == "on" and {"yes", "no"} <= lex.not_speakers
