"""Property tests of the attribution stage: generated sentences (reporting verbs, quotes, colons, dashes,
"according to", stray marks and odd text) never raise, never record a failure, and every span it makes
points into the text. The sentences are generated from parts written here."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsgraph import stages
from newsgraph.model import Analysis, Document

QUICK = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NAMES = ["Ines Calvo", "the ministry", "He", "they", "Officials", "Thanks", "Sunday", "@harbour_99", "who",
         "A report by the auditors", "Mr. Okafor", "the daily", "PRIME MINISTER", "", "In the latest poll,",
         "In a statement,", "A video", "Recent polls", "a flurry of"]
CUES = ["said", "told reporters", "believes", "plans", "warned", "gushed", "according to", "found", "says:",
        "criticized", "called for", "—", ":", "―", "is expected to", "seemed", "added", "is a staunch opponent of",
        "is against", "issued a statement on", "likened", "blamed", "judged", "show", "announcing that", "agreed to",
        "held a news conference announcing", "voted against", "fretted about", "received a letter"]
CLAUSES = ["the bridge will reopen", "that the talks failed", "to cut the budget", "“very, very seriously”",
           "the port “will never close,”", "", "it", "the plan, which was late,", "…", "\u200b", "١٢٣",
           "\"unclosed quote", "” stray close", "'single' quotes", "''typewriter quotes''", "$4 million",
           "the levy and exposed a weakness", "the plan a paper tiger", "the ferry well ahead of the tug",
           "to widen the canal and dredge the harbour"]
GLUE = [" ", ", ", ". ", "\n\n", ": ", " — ", "“", "”", "\"", "(", ")", " and ", "; "]

parts = st.one_of(st.sampled_from(NAMES), st.sampled_from(CUES), st.sampled_from(CLAUSES), st.sampled_from(GLUE),
                  st.text(max_size=12))
sentences = st.lists(parts, min_size=1, max_size=14).map("".join)


def run_stage(context, text: str) -> Analysis:
    a = Analysis(document=Document(id="fz", source="fuzz", text=text))
    a.nlp = context.nlp(text)
    registry = dict(stages.registered())
    registry["entities"](a, context)
    registry["quotes"](a, context)
    return a


@QUICK
@given(text=sentences)
@example(text=", said")  # a cue at the very end of the text (once an IndexError)
def test_generated_sentences_never_fail_and_spans_point_into_the_text(context, text):
    a = run_stage(context, text)
    assert a.failures == [], a.failures
    for r in a.attributions:
        assert r.content and r.cue is not None
        for span in [r.cue, *r.content, *([r.source] if r.source else [])]:
            assert 0 <= span.start < span.end <= len(text) and text[span.start : span.end] == span.text
    for q in a.quotes:
        assert text[q.start : q.end] == q.text


@QUICK
@given(paragraphs=st.lists(sentences, min_size=2, max_size=5))
def test_generated_paragraphs_never_fail(context, paragraphs):
    text = "\n\n".join(paragraphs)
    a = run_stage(context, text)
    assert a.failures == [], a.failures
    ids = [r.id for r in a.attributions]
    assert len(ids) == len(set(ids))
