"""Direct quotes and who said them, by rules over the parse (no coreference model can be loaded offline).

In order of preference:

1. a speech cue in the quote's own sentence ("..., said X", "X told DW that ...", "according to X",
   "X ...: '...'", "Name, Outlet: '...'"); ``same_sentence`` / ``apposition`` / ``pronoun``;
   a signature after the quote ("“...” ― Name"), ``signature``;
2. a colon-ended introduction closing the paragraph before (``colon_intro``);
3. the speaker of a quote in the paragraph before, when this paragraph opens with a quote and names no
   one (``paragraph_continuation``);
4. a speech cue in the sentence before (``previous_sentence``);
5. otherwise the quote is kept with no speaker (``unattributed``).

A paragraph of first-person speech that ends ", he told DW." is a direct quote whose marks were lost
(``unmarked``): a reporter's own paraphrase would not say "we".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsgraph.extract.attribution.cues import RELATIVE_TAGS, Cue, cue_at, is_verb, subject_of
from newsgraph.extract.attribution.marks import Marked, is_scare, is_title
from newsgraph.extract.attribution.speakers import Found, description, remember_speaker, speaker_of
from newsgraph.extract.attribution.state import SPEAKER_LABELS, STAGE, DocState
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Quote, stable_id

_SENTENCE_END = frozenset(".!?")
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours"})
_SIGNATURE = re.compile(r"\s*[―—–-]{1,2}\s*(?P<name>[^\W\d_][^\n()@]{1,60}?)\s*[.,]?\s*(?:\(|$)")
Pick = tuple[Cue, Found]


@dataclass
class DirectQuote:
    """A quote with the cue and speaker found for it (both None when unattributed)."""

    quote: Quote
    marked: Marked
    cue: Cue | None
    found: Found | None


# --------------------------------------------------------------------------- contexts


def left_tokens(state: DocState, q: Marked) -> list[Any]:
    """The quote's own sentence before the opening mark (empty when the quote starts it)."""
    t = state.token_before(q.open_at)
    para = state.para_of(q.open_at)
    if t is None or state.para_of(t.idx) != para or t.text in _SENTENCE_END:
        return []
    return state.outside(state.doc[t.sent.start : t.i + 1], para)


def right_tokens(state: DocState, q: Marked) -> list[Any]:
    """The quote's own sentence after the closing mark (empty when a new sentence starts)."""
    if q.close_at is None:
        return []
    t = state.token_after(q.outer_end)
    para = state.para_of(q.close_at)
    if t is None or state.para_of(t.idx) != para:
        return []
    ended = state.text[q.close_at - 1] in _SENTENCE_END
    if ended and t.text[:1].isupper() and cue_at(state.lex, t) is None:
        return []
    return state.outside(state.doc[t.i : t.sent.end], para)


def previous_sentence(state: DocState, q: Marked) -> list[Any]:
    """The sentence just before the quote: in its paragraph, else ending the paragraph before."""
    t = state.token_before(q.open_at)
    if t is None:
        return []
    para = state.para_of(t.idx)
    if para < state.para_of(q.open_at) - 1:
        return []
    return state.outside(state.doc[t.sent.start : t.i + 1], para)


def quote_tokens(state: DocState, q: Marked) -> list[Any]:
    return list(state.doc[state.token_index(q.start) : state.token_index(q.end)])


# --------------------------------------------------------------------------- rules


def _after_verb(state: DocState, verb: Any) -> Any | None:
    """The name right after a cue verb ("..., said Obama's former strategist Y"): an inverted subject."""
    for t in state.doc[verb.i + 1 : min(len(state.doc), verb.i + 8)]:
        if t.is_punct or state.inside[t.i] or t.pos_ in ("VERB", "AUX"):
            return None
        if t.pos_ in ("PROPN", "NOUN") and t.ent_type_ not in ("DATE", "TIME"):
            while t.dep_ in ("compound", "poss", "amod", "case") and t.head.i > t.i:
                t = t.head  # the head of the phrase: "Obama's former campaign strategist"
            return t
    return None


def cue_speakers(state: DocState, cues: list[Cue], method: str) -> list[Pick]:
    out = []
    for cue in cues:
        if cue.subject is not None and state.inside[cue.subject.i] and is_verb(cue.token):
            cue.subject = _after_verb(state, cue.token)  # a parse that took quoted words for the subject
        if cue.subject is None or cue.subject.lower_ in ("i", "we", "me"):
            continue  # the writer speaking for themselves is not a quoted speaker
        found = speaker_of(state, cue.subject, method)
        if found is not None:
            out.append((cue, found))
    return out


def prefer_person(pairs: list[Pick]) -> Pick | None:
    """The first pair, unless it is an outlet that carried a person's own words."""
    if not pairs:
        return None
    if pairs[0][0].channel:
        for other in pairs[1:]:
            if not other[0].channel and other[1].mention is not None and other[1].mention.label == "PERSON":
                return other
    return pairs[0]


def _same_sentence(state: DocState, q: Marked, short: bool) -> Pick | None:
    left, right = left_tokens(state, q), right_tokens(state, q)
    right_cues = [c for t in right if (c := cue_at(state.lex, t)) is not None]
    left_cues = [c for t in reversed(left) if (c := cue_at(state.lex, t)) is not None]
    adjacent = [c for c in right_cues[:1] if c.token.i - right[0].i <= 4]
    if short:  # a scare quote counts only when a cue governs it or follows its closing comma
        inner = quote_tokens(state, q)
        left_cues = [c for c in left_cues if any(c.token.is_ancestor(t) for t in inner)]
        attributed = q.close_at is not None and state.text[q.close_at - 1] in ",?!"
        ranked = (right_cues if attributed else adjacent) + left_cues
    else:
        ranked = adjacent + left_cues + [c for c in right_cues if c not in adjacent]
    best = prefer_person(cue_speakers(state, ranked, "same_sentence"))
    if best is None and not short and left and left[-1].text == ":":
        best = colon_speaker(state, left, "same_sentence")
    return best


def colon_speaker(state: DocState, tokens: list[Any], method: str) -> Pick | None:
    """"X gave me more context: '...'": the subject of the clause that ends in the colon; with no verb
    at all ("Chris Cillizza, The Washington Post: '...'"), the first name of the lead-in."""
    cues = [c for t in reversed(tokens) if (c := cue_at(state.lex, t)) is not None]
    best = prefer_person(cue_speakers(state, cues, method))
    if best is not None:
        return best
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in t.children)]
    for verb in sorted(verbs, key=_depth):
        cue = Cue(tokens[-1], "colon", subject_of(verb))
        if cue.subject.tag_ in RELATIVE_TAGS:
            continue
        pairs = cue_speakers(state, [cue], method)
        if pairs:
            return pairs[0]
    if not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return _lead_in_name(state, tokens, method)
    return None


def _lead_in_name(state: DocState, tokens: list[Any], method: str) -> Pick | None:
    """A verbless lead-in before a colon: its first speaker mention, else a short proper-noun phrase."""
    for t in tokens[:-1]:
        m = state.mention_at(t.idx)
        if m is not None and m.label in SPEAKER_LABELS:
            return Cue(tokens[-1], "colon", t), Found(m, m.span, state.name(m), method)
    head = next((t for t in tokens if t.pos_ == "PROPN"), None)
    if head is not None and len(tokens) <= 8:
        return Cue(tokens[-1], "colon", head), description(state, head, method)
    return None


def _complement_of(state: DocState, q: Marked, cue: Any) -> bool:
    """Whether the quote is the cue's own complement (its object or clause), not a name in a modifier."""
    tokens = quote_tokens(state, q)
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids]
    return any(t.head.i == cue.i and t.dep_ in ("dobj", "ccomp", "xcomp", "oprd", "attr") for t in roots)


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _colon_intro(state: DocState, q: Marked) -> Pick | None:
    prev = previous_sentence(state, q)
    if not prev or prev[-1].text != ":" or state.para_of(prev[-1].idx) == state.para_of(q.open_at):
        return None
    return colon_speaker(state, prev, "colon_intro")


def _from_previous_sentence(state: DocState, q: Marked) -> Pick | None:
    prev = previous_sentence(state, q)
    cues = [c for t in reversed(prev) if (c := cue_at(state.lex, t)) is not None]
    return prefer_person(cue_speakers(state, cues, "previous_sentence"))


def _signature(state: DocState, q: Marked) -> Pick | None:
    """“...” ― Name: a dash and a name closing the quote's paragraph sign it."""
    if q.close_at is None:
        return None
    pe = state.paras[state.para_of(q.close_at)][1]
    match = _SIGNATURE.match(state.text, q.outer_end, pe)
    if match is None:
        return None
    dash = state.token_after(q.outer_end)
    name_tok = state.token_after(match.start("name"))
    if dash is None or name_tok is None or not name_tok.text[:1].isupper():
        return None
    m = state.mention_at(name_tok.idx)
    if m is not None and m.label in SPEAKER_LABELS:
        found = Found(m, m.span, state.name(m), "signature")
    else:
        span = state.span(match.start("name"), match.end("name"))
        found = Found(None, span, span.text, "signature")
    return Cue(dash, dash.text, name_tok), found


def _continuation(state: DocState, q: Marked, done: list[DirectQuote]) -> DirectQuote | None:
    """An attributed quote in the paragraph before: a cue-less quote paragraph goes on with it."""
    para = state.para_of(q.open_at)
    if para == 0 or state.paras[para][0] != q.open_at or not done:
        return None
    last = done[-1]
    return last if state.para_of(last.quote.start) == para - 1 and last.quote.speaker_name else None


# --------------------------------------------------------------------------- unmarked speech


def _unmarked(state: DocState) -> list[tuple[int, int, Pick]]:
    """Direct speech whose marks were lost: a first-person sentence closing its paragraph with
    ", he told DW." A reporter's paraphrase says "they", so first person marks it as quoted."""
    out = []
    for k, (ps, pe) in enumerate(state.paras):
        if any(ps <= q.open_at < pe for q in state.marks):
            continue
        last = state.token_before(pe)
        if last is None or last.text != "." or state.para_of(last.idx) != k:
            continue
        found = _trailing_cue(state, last.sent, ps)
        if found is not None:
            out.append(found)
    return out


def _first_person(tok: Any) -> bool:
    return tok.pos_ == "PRON" and tok.lower_ in _FIRST_PERSON and tok.text != "US"


def _trailing_cue(state: DocState, sent: Any, ps: int) -> tuple[int, int, Pick] | None:
    start = max(sent.start_char, ps)
    tokens = [t for t in sent if t.idx >= start and not t.is_space]
    for t in tokens:
        cue = cue_at(state.lex, t)
        if cue is None or cue.subject is None or len(tokens) - tokens.index(t) > 5:
            continue
        first = min(t.i, cue.subject.left_edge.i)
        comma = state.doc[first - 1] if first > 0 else None
        spoken = [x for x in tokens if x.i < first - 1]
        if comma is None or comma.text != "," or not any(_first_person(x) for x in spoken):
            continue
        pairs = cue_speakers(state, [cue], "unmarked")
        if pairs and spoken:
            return spoken[0].idx, comma.idx, pairs[0]
    return None


# --------------------------------------------------------------------------- all quotes


def direct_quotes(state: DocState, stage: str = STAGE) -> list[DirectQuote]:
    """All direct quotes of the document with their speakers, in text order. Each quote is found under
    ``sentence_guard``: an exception loses that quote only (recorded on ``analysis.failures``)."""
    found: list[DirectQuote] = []
    for q in state.marks:
        with sentence_guard(state.analysis, stage, q.open_at, q.outer_end):
            one = _attribute_one(state, q, found)
            if one is not None:
                found.append(one)
    with sentence_guard(state.analysis, stage):
        for start, end, pick in _unmarked(state):
            found.append(_record(state, Marked(start, end, start, end), pick))
    return sorted(found, key=lambda d: d.quote.start)


def _attribute_one(state: DocState, q: Marked, done: list[DirectQuote]) -> DirectQuote | None:
    short = is_scare(state.lex, state.text[q.start : q.end])
    best = _same_sentence(state, q, short)
    if short and best is not None and is_title(state.lex, state.text[q.start : q.end]) \
            and not _complement_of(state, q, best[0].token):
        return None  # "told CNN's “State of the Union” host", "on “Fox News Sunday”": a programme's name
    if short:
        return _record(state, q, best) if best is not None else None
    best = best or _signature(state, q) or _colon_intro(state, q)
    if best is None and (prior := _continuation(state, q, done)) is not None:
        return _copy(state, q, prior)
    best = best or _from_previous_sentence(state, q)
    return _record(state, q, best)


def new_quote(state: DocState, q: Marked) -> Quote:
    return Quote(stable_id("quo", state.doc_id, q.start), state.text[q.start : q.end], state.doc_id, q.start, q.end)


def _record(state: DocState, q: Marked, best: Pick | None) -> DirectQuote:
    quote = new_quote(state, q)
    if best is None:
        quote.method = "unattributed"
        return DirectQuote(quote, q, None, None)
    cue, found = best
    quote.cue, quote.method = cue.text, found.method
    quote.speaker = found.mention.entity if found.mention is not None else None
    quote.speaker_name, quote.speaker_span = found.name, found.span
    remember_speaker(state, found)
    return DirectQuote(quote, q, cue, found)


def _copy(state: DocState, q: Marked, prior: DirectQuote) -> DirectQuote:
    quote = new_quote(state, q)
    p = prior.quote
    quote.speaker, quote.speaker_name, quote.cue = p.speaker, p.speaker_name, p.cue
    quote.speaker_span, quote.method = p.speaker_span, "paragraph_continuation"
    return DirectQuote(quote, q, prior.cue, prior.found)
