"""The time and quantity stages keep a document when one sentence breaks them (``sentence_guard``).

A resolver or the quantity parser is made to fail on one number in one sentence; the failure is
recorded with the stage, the document id and that sentence's offsets, and every other sentence keeps
its times and quantities. Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.extract import quantities
from newsgraph.extract.time import normalise
from newsgraph.extract.time.stage import run as time_stage
from newsgraph.model import Analysis, Document

TEXT = ("The frigate sailed from Taranto in June with 120 sailors. "
        "The refit planned for 2031 will cost 777 million euros. "
        "The carrier reached Yokosuka in August with 35 aircraft.")
BROKEN_SENTENCE = (TEXT.index("The refit"), TEXT.index(" The carrier"))


@pytest.fixture
def analysis(context):
    doc = Document(id="doc_iso", source="iso.txt", text=TEXT, published="2024-09-02")
    return Analysis(document=doc, nlp=context.nlp(TEXT))


def test_a_failing_time_expression_loses_only_its_sentence(analysis, monkeypatch, context):
    real = normalise.RESOLVERS["year"]

    def breaks_on_2031(scope, cand):
        if scope.text[cand.start:cand.end] == "2031":
            raise TypeError("unsupported operand for the test")
        return real(scope, cand)

    monkeypatch.setitem(normalise.RESOLVERS, "year", breaks_on_2031)
    time_stage(analysis, context)
    assert {t.text for t in analysis.times} >= {"June", "August"}
    assert "2031" not in {t.text for t in analysis.times}
    [failure] = analysis.failures
    assert (failure.stage, failure.doc) == ("time", "doc_iso")
    assert (failure.start, failure.end) == BROKEN_SENTENCE
    assert "TypeError" in failure.error


def test_a_failing_quantity_loses_only_its_sentence(analysis, monkeypatch, context):
    real = quantities._cardinal

    def breaks_on_777(text, m, doc, lex):
        if m.group(0).startswith("777"):
            raise ValueError("a parser bug for the test")
        return real(text, m, doc, lex)

    monkeypatch.setattr(quantities, "_cardinal", breaks_on_777)
    quantities.run(analysis, context)
    values = {q.value for q in analysis.quantities}
    assert {120, 35} <= values and 777 not in values and 777e6 not in values
    for q in analysis.quantities:
        assert TEXT[q.span.start:q.span.end] == q.text  # offsets are the document's, not the sentence's
    [failure] = analysis.failures
    assert (failure.stage, failure.doc) == ("quantities", "doc_iso")
    assert failure.start == BROKEN_SENTENCE[0] and "ValueError" in failure.error


def test_without_failures_the_stages_record_none(analysis, context):
    time_stage(analysis, context)
    quantities.run(analysis, context)
    assert not analysis.failures
    assert {"June", "2031", "August"} <= {t.text for t in analysis.times}
    assert {120, 35} <= {q.value for q in analysis.quantities}
