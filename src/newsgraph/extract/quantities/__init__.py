"""Quantities: numbers with their unit, bound and kind, each with an exact span.

"up to 10 F-35B" is (<=, 10, F-35B); "27,100-ton" is (=, 27100, ton, mass); "$1.8 billion",
"$1.8-billion" and "$1.8bn" are (=, 1.8e9, USD, money); "$1.8 to $2 billion" is the range
1.8e9..2e9 USD; "sixth-generation" is (ordinal 6, attribute generation); "over two decades" is
(>, 20, year, duration). Numbers are found with patterns built from ``kb/units.yaml``; the counted
noun ("two German *ships*") comes from the spaCy parse, because only the parse knows that the
number modifies that noun.

Modules: ``lexicon`` (units.yaml and the patterns), ``numbers`` (values and scales), ``context``
(bounds, names and dates that are not quantities), ``nouns`` (counted nouns), ``cardinals``
(money, measures, counts, years, ranges), ``ordinals``.

Library choice: quantulum3 was rejected because it reads "10 F-35B" as a quantity of "F" units and
has no notion of bounds such as "up to"; the lexicon-driven scanner is small, fast and keeps exact
spans.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newsgraph.errors import RejectedInput
from newsgraph.extract.guard import sentence_guard
from newsgraph.extract.quantities.cardinals import Match
from newsgraph.extract.quantities.cardinals import cardinal as _cardinal
from newsgraph.extract.quantities.context import bound_after, bound_before
from newsgraph.extract.quantities.lexicon import Lexicon, lexicon
from newsgraph.extract.quantities.numbers import parse_number
from newsgraph.extract.quantities.ordinals import merge_first_in, ordinals
from newsgraph.model import Analysis, Quantity, Span
from newsgraph.settings import get_settings
from newsgraph.stages import Context, stage

__all__ = ["Lexicon", "find_quantities", "lexicon", "parse_number", "run"]


@cache
def _nlp() -> Any:
    import spacy

    return spacy.load(get_settings().spacy_model, disable=["ner"])


def find_quantities(text: str, doc_id: str = "", nlp_doc: Any = None) -> list[Quantity]:
    """Every quantity in ``text`` with an exact span; ``nlp_doc`` is parsed here when not given."""
    lex = lexicon()
    doc = nlp_doc if nlp_doc is not None else _nlp()(text)
    found = ordinals(text, lex)
    taken = [(q.start, q.end) for q in found]
    for m in lex.cardinal.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        q = _cardinal(text, m, doc, lex)  # looked up here, so that a test can make it fail
        if q is not None:
            found.append(q)
            taken.append((q.start, q.end))
    found = merge_first_in(text, [_with_bounds(text, q, lex) for q in found], lex)
    return [_to_quantity(text, q, doc_id) for q in sorted(found, key=lambda q: q.start)]


def _with_bounds(text: str, q: Match, lex: Lexicon) -> Match:
    if q.kind == "ordinal":
        return q
    bound, start = bound_before(text, q.start, lex)
    after, end = bound_after(text, q.end, lex)
    q.bound, q.start, q.end = after or bound, start, end
    return q


def _to_quantity(text: str, q: Match, doc_id: str) -> Quantity:
    surface = text[q.start : q.end]
    return Quantity(
        text=surface,
        value=q.value,
        unit=q.unit,
        bound=q.bound,
        kind=q.kind,
        attribute=q.attribute,
        span=Span(doc_id, q.start, q.end, surface),
        high=q.high,
    )


@stage("quantities", 30)
def run(analysis: Analysis, ctx: Context) -> None:
    """The whole document at once; if that fails, sentence by sentence, each in ``sentence_guard``,
    so one sentence that breaks the parser is recorded (document id, offsets) and the rest is kept."""
    doc = analysis.document
    try:
        found = find_quantities(doc.text, doc.id, analysis.nlp)
    except RejectedInput:
        raise
    except Exception:  # recorded below, against the sentence that fails
        found = None
    if found is None:
        found = []
        for start, end, sent_doc in _sentences(analysis):
            with sentence_guard(analysis, "quantities", start, end):
                found.extend(_shifted(q, start) for q in find_quantities(doc.text[start:end], doc.id, sent_doc))
    analysis.quantities.extend(found)


def _sentences(analysis: Analysis) -> list[tuple[int, int, Any]]:
    """(start, end, parse or None) of each sentence: the parse's sentences, else the text's lines."""
    if analysis.nlp is not None:
        return [(s.start_char, s.end_char, s.as_doc()) for s in analysis.nlp.sents]
    text, out, start = analysis.document.text, [], 0
    for line in text.splitlines(keepends=True):
        out.append((start, start + len(line), None))
        start += len(line)
    return out


def _shifted(q: Quantity, offset: int) -> Quantity:
    span = q.span
    if span is not None:
        q.span = Span(span.doc, span.start + offset, span.end + offset, span.text)
    return q
