"""The attribution stage (registered as ``quotes``, order 40): quotes and every attribution of one document.

It keeps the name ``quotes`` that the stage had before it found more than quotes: the pipeline's
per-language plan (``lang/plan.py``) and other readers address it by that name.

It needs the spaCy parse (``analysis.nlp``) and the mentions and document-local entities of the
``entities`` stage; without mentions it uses spaCy's own entities, without a parse it keeps the quotes
unattributed and says so in a warning. Each sentence's work runs under ``sentence_guard``: an exception
there is recorded on ``analysis.failures`` and the rest of the document is kept.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from newsgraph.extract.attribution.clauses import aside_cue, clausal, passive, raising
from newsgraph.extract.attribution.cues import is_verb
from newsgraph.extract.attribution.direct import DirectQuote, direct_quotes
from newsgraph.extract.attribution.lexicon import Lexicon, load_lexicon
from newsgraph.extract.attribution.marks import find_quote_marks, is_scare
from newsgraph.extract.attribution.objects import message_object, objects
from newsgraph.extract.attribution.phrases import (
    according_to,
    attitude,
    evidence_phrase,
    lead_ins,
    reporting_noun,
)
from newsgraph.extract.attribution.records import combine
from newsgraph.extract.attribution.reports import Reported, is_cue_verb
from newsgraph.extract.attribution.roles import enrich_speakers
from newsgraph.extract.attribution.stances import stance
from newsgraph.extract.attribution.state import SPEAKER_LABELS, STAGE, DocState, build_state
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Analysis, Quote, stable_id
from newsgraph.stages import Context, stage


def verb_cue(state: DocState, verb: Any) -> list[Reported]:
    """What a cue verb reports: a clause first, else (passive) its subject, else its object."""
    if not is_verb(verb) or state.inside[verb.i]:
        return []
    cue = is_cue_verb(state, verb)
    if cue and (aside := aside_cue(state, verb)) is not None:
        return [aside]
    if cue and (found := clausal(state, verb)):
        return found
    if cue or verb.lemma_.lower() in state.lex.object_cues:
        return passive(state, verb) or objects(state, verb) or message_object(state, verb)
    return raising(state, verb) or message_object(state, verb)


def reported_in(state: DocState, sent: Any) -> list[Reported]:
    """Every reported content whose cue lies in this sentence, within the cue's paragraph."""
    out: list[Reported] = []
    for tok in sent:
        found = (verb_cue(state, tok) + according_to(state, tok) + reporting_noun(state, tok) + attitude(state, tok)
                 + evidence_phrase(state, tok) + stance(state, tok))
        out += [r for r in found if within_paragraph(state, r)]
    return out


def messages_yield(reported: list[Reported]) -> list[Reported]:
    """"sent a letter that says he is healthy", "ran an ad hitting Trump for ...", "issued a statement on
    the closures": a message object that holds a report of its own gives way to it (what the letter says,
    what the statement is about)."""
    cues = [r.cue_token.idx for r in reported if not r.extra.get("message") and r.source is not None]
    return [r for r in reported
            if not r.extra.get("message") or not any(a <= c < b for c in cues for a, b in r.content)]


def within_paragraph(state: DocState, r: Reported) -> bool:
    """Clip the content to the cue's paragraph (a parse may run across a line break) and drop a
    source outside it; False when no content is left."""
    ps, pe = state.paras[state.para_of(r.cue_token.idx)]
    r.content = [(max(a, ps), min(b, pe)) for a, b in r.content if a < pe and b > ps]
    if r.source is not None and not ps <= r.source.idx < pe:
        r.source = _named_before(state, ps, r.cue_token.idx)
    return bool(r.content)


def _named_before(state: DocState, start: int, end: int) -> Any:
    """The first speaker name between the paragraph start and the cue: the subject a parse that ran
    across a line break attached elsewhere."""
    for m in state.mentions[bisect_left(state.mention_starts, start):]:
        if m.start >= end:
            break
        if m.end <= end and m.label in SPEAKER_LABELS:
            return state.doc[max(0, state.token_index(m.end) - 1)]
    return None


def attribute(analysis: Analysis, lex: Lexicon | None = None) -> None:
    """Fill ``analysis.quotes`` and ``analysis.attributions`` (needs ``analysis.nlp``)."""
    state = build_state(analysis, lex or load_lexicon())
    direct: list[DirectQuote] = direct_quotes(state, STAGE)
    reported: list[Reported] = []
    for sent in analysis.nlp.sents:
        with sentence_guard(analysis, STAGE, sent.start_char, sent.end_char):
            reported += reported_in(state, sent)
    with sentence_guard(analysis, STAGE):
        reported += lead_ins(state)
        reported = messages_yield(reported)
    analysis.quotes.extend(d.quote for d in direct)
    with sentence_guard(analysis, STAGE):
        analysis.attributions.extend(combine(state, direct, reported))
        enrich_speakers(state, analysis.attributions)


def unparsed_quotes(analysis: Analysis, lex: Lexicon) -> list[Quote]:
    """Without a parse no speaker can be found: keep the non-scare quotes, unattributed."""
    doc_id, text = analysis.document.id, analysis.document.text
    return [
        Quote(stable_id("quo", doc_id, q.start), text[q.start : q.end], doc_id, q.start, q.end,
              method="unattributed")
        for q in find_quote_marks(text)
        if not is_scare(lex, text[q.start : q.end])
    ]


@stage(STAGE, 40)
def run(analysis: Analysis, ctx: Context) -> None:
    lex = load_lexicon()
    if analysis.nlp is None and ctx.nlp is not None:
        analysis.nlp = ctx.nlp(analysis.document.text)
    if analysis.nlp is None:
        analysis.warnings.append(f"{STAGE}: no spaCy parse, quote speakers and attributions not found")
        analysis.quotes.extend(unparsed_quotes(analysis, lex))
        return
    attribute(analysis, lex)
