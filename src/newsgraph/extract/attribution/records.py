"""From quotes and reported clauses to ``Attribution`` records (kinds, content spans, source, speaker).

A reported clause whose content is a quote becomes a ``direct`` attribution (the quote with its marks
is the content); one whose content holds a quote among its own words is ``mixed`` (the paraphrase and
the quoted words together, the closing mark included). A quote no clause reports is ``direct`` on its
own, with the cue and speaker the direct-quote rules found; quotes of one sentence that share a cue
("“A,” she said, “B.”") are one attribution with a discontinuous content. "according to X" gives
``according_to``, a source headed by an evidence noun ("records show", "a poll found") ``evidence``.
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.attribution.cues import is_verb
from newsgraph.extract.attribution.direct import DirectQuote
from newsgraph.extract.attribution.lexicon import STATEMENT
from newsgraph.extract.attribution.reports import Reported
from newsgraph.extract.attribution.spans import source_span, trimmed
from newsgraph.extract.attribution.speakers import Found, remember_speaker, speaker_of
from newsgraph.extract.attribution.state import SPEAKER_LABELS, STAGE, DocState
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Attribution, Span, stable_id

Spans = list[tuple[int, int]]
_CLOSING = re.compile(r"[^\S\n]*[.,!?;:]{0,2}[^\S\n]*[”\"]")
_GOVERNING = frozenset({"dobj", "oprd", "prep", "attr", "acomp", "xcomp", "ccomp"})


def outer(d: DirectQuote) -> tuple[int, int]:
    """A quote's span with its marks (the words alone for speech whose marks were lost)."""
    return d.marked.open_at, d.marked.outer_end


def _shared(a: Spans, b: Spans) -> int:
    return sum(max(0, min(y1, y2) - max(x1, x2)) for x1, y1 in a for x2, y2 in b)


def _within(span: tuple[int, int], content: Spans) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in content)


def _merge(spans: Spans) -> Spans:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


# --------------------------------------------------------------------------- combining


def combine(state: DocState, direct: list[DirectQuote], reported: list[Reported]) -> list[Attribution]:
    """Every attribution of the document, in text order of their content."""
    consumed: set[int] = set()
    out: list[Attribution] = []
    seen: set[tuple] = set()
    for r in sorted(reported, key=lambda r: r.cue_token.i):
        quotes = [k for k, d in enumerate(direct) if _shared(r.content, [outer(d)])]
        merged = quotes
        if "label" in r.extra:  # a transcript line: marks left open across its turns are no quote of its own
            merged = [k for k in quotes if _within(outer(direct[k]), r.content)]
        record = None
        with sentence_guard(state.analysis, STAGE, r.cue_token.idx, r.content[-1][1]):
            record = _from_reported(state, r, [direct[k] for k in merged])
        key = tuple(r.content)
        if record is None or key in seen:
            continue
        seen.add(key)
        consumed.update(quotes)
        out.append(record)
    rest = _join_same_cue(state, out, [d for k, d in enumerate(direct) if k not in consumed])
    out += _from_quotes(state, rest)
    unique = {a.id: a for a in reversed(_outermost(out))}  # the store keys them by id: the first one stays
    return sorted(unique.values(), key=lambda a: (a.content[0].start if a.content else 0, a.id))


def _outermost(records: list[Attribution]) -> list[Attribution]:
    """Drop a report nested in another's content ("she said she plans to ...": the plan is what she
    said, one attribution), and a second report of the same content; direct quotes always stay."""
    kept: list[Attribution] = []
    for a in records:
        if a.kind != "direct" and any(_nested(a, b) for b in records if b is not a):
            continue
        kept.append(a)
    return kept


def _nested(inner: Attribution, outer_: Attribution) -> bool:
    if inner.cue is None or not any(c.start <= inner.cue.start < c.end for c in outer_.content):
        return False
    return all(any(c.start <= p.start and p.end <= c.end for c in outer_.content) for p in inner.content)


def _join_same_cue(state: DocState, made: list[Attribution], rest: list[DirectQuote]) -> list[DirectQuote]:
    """“A,” she said. “B.”: a later quote of the paragraph whose cue is an attribution's cue joins its
    content; returns the quotes that joined none."""
    by_cue = {(a.cue.start, state.para_of(a.content[-1].start)): a for a in made
              if a.kind in ("direct", "mixed") and a.cue is not None and a.content}
    left = []
    for d in rest:
        a = by_cue.get((d.cue.token.idx, state.para_of(d.quote.start))) if d.cue is not None else None
        start, end = outer(d)
        if a is None or not _joins(state, d) or any(c.start < end and start < c.end for c in a.content):
            left.append(d)
            continue
        a.content = sorted([*a.content, state.span(start, end)], key=lambda c: c.start)
    return left


def _joins(state: DocState, d: DirectQuote) -> bool:
    """A quote joins another's attribution when its own sentence holds the cue, or when it is the
    sentence right after the cue's ("“A,” she said. “B.”")."""
    if d.cue is None:
        return False
    if d.quote.method == "previous_sentence":
        return True
    sent = state.doc[min(state.token_index(d.quote.start), len(state.doc) - 1)].sent
    return sent.start <= d.cue.token.i < sent.end


def _closed(state: DocState, content: Spans) -> Spans:
    """A content that opens a quotation mark runs to its closing mark: the parse hangs the closing
    "." and "”" on the verb, so the subtree stops at "fit" in 'called him “extremely fit.”'."""
    if not content:
        return content
    text = state.text
    a, b = content[-1]
    part = text[a:b]
    opened = part.count("“") > part.count("”") or (part.count('"') % 2 == 1)
    if not opened:
        return content
    match = _CLOSING.match(text, b)
    return content if match is None else [*content[:-1], (a, match.end())]


def _from_reported(state: DocState, r: Reported, quotes: list[DirectQuote]) -> Attribution | None:
    content, kind, link = _closed(state, r.content), r.kind, None
    if quotes:
        spans = [outer(d) for d in quotes]
        if not _words_outside(state, content, spans):
            content, kind = _merge(spans), "direct"
        else:
            content, kind = _merge(content + spans), "mixed"
        link = quotes[0].quote.id
    source_span, found = _source(state, r)
    if kind in ("indirect", "evidence") and _evidence(state, r.source):
        kind = "evidence"
    if kind == "indirect" and found is None and source_span is None and not _sourceless_ok(r):
        return None
    cue = _cue_span(state, r.cue)
    return _attribution(state, kind, cue, content, source_span, found, r.statement_type, link)


def _words_outside(state: DocState, content: Spans, quotes: Spans) -> bool:
    """Whether the content has a letter or digit outside the quotes ("that “...”" is mixed)."""
    for a, b in content:
        for i in range(a, b):
            if state.text[i].isalnum() and not any(x <= i < y for x, y in quotes):
                return True
    return False


def _sourceless_ok(r: Reported) -> bool:
    """Without a source only a passive report ("it was announced that ...") or an appearance
    ("X seems Y") stands."""
    if r.extra.get("sourceless"):
        return True
    verb = r.cue_token
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _evidence(state: DocState, tok: Any) -> bool:
    if tok is None:
        return False
    return tok.lower_ in state.lex.evidence_nouns or tok.lemma_.lower() in state.lex.evidence_nouns


def _from_quotes(state: DocState, direct: list[DirectQuote]) -> list[Attribution]:
    """Direct quotes no clause reported: one attribution per cue and paragraph."""
    groups: list[list[DirectQuote]] = []
    for d in direct:
        if d.cue is None or d.found is None:
            continue
        prev = groups[-1][-1] if groups else None
        if (prev is not None and prev.cue is not None and prev.cue.token.i == d.cue.token.i
                and state.para_of(prev.quote.start) == state.para_of(d.quote.start) and _joins(state, d)):
            groups[-1].append(d)
        else:
            groups.append([d])
    out = []
    for group in groups:
        first = group[0]
        cue = state.tokens_span(first.cue.token, first.cue.token)
        source = _phrase(state, first.cue.subject) if first.cue.subject is not None else None
        if first.quote.method in ("signature",):
            source = first.found.span
        spans = [outer(d) for d in group]
        governed = _governed(state, first)
        kind = "mixed" if governed else "direct"
        out.append(_attribution(state, kind, cue, _merge(spans + governed), source, first.found,
                                STATEMENT, first.quote.id, remember=False))
    return out


def _governed(state: DocState, d: DirectQuote) -> Spans:
    """The cue's own words around a quote it governs: "called the deal “a disaster”" (the object
    before the quoted complement), "described it as “unhinged”". Empty when the quote stands alone."""
    verb = d.cue.token if d.cue is not None else None
    if verb is None or not is_verb(verb) or verb.idx > d.marked.open_at:
        return []
    inner = state.doc[min(state.token_index(d.quote.start), len(state.doc) - 1)]
    child = next((c for c in verb.children if c.i > verb.i and c.left_edge.i <= inner.i <= c.right_edge.i), None)
    if child is None or child.dep_ not in _GOVERNING:
        return []
    heads = [child]
    if child.dep_ in ("oprd", "prep"):
        heads = [c for c in verb.children if c.dep_ == "dobj" and c.i < child.i][:1] + heads
    first = min(h.left_edge.idx for h in heads)
    if first >= d.marked.open_at:
        return []
    span = trimmed(state, first, d.marked.open_at)
    return [span] if span else []


# --------------------------------------------------------------------------- parts


def _cue_span(state: DocState, tokens: list[Any]) -> Span:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return state.tokens_span(first, last)


def _phrase(state: DocState, head: Any) -> Span | None:
    """The source phrase: the head's whole subtree ("Flynn, a top Trump surrogate,"), trimmed."""
    if head.tag_ in ("WP", "WDT"):
        return state.tokens_span(head, head)
    span = source_span(state, head)
    return state.span(*span) if span else None


def _source(state: DocState, r: Reported) -> tuple[Span | None, Found | None]:
    if "label" in r.extra:
        start, end = r.extra["label"]
        return state.span(start, end), _label_speaker(state, start, end)
    if r.source is None:
        return None, None
    return _phrase(state, r.source), speaker_of(state, r.source, "same_sentence")


def _label_speaker(state: DocState, start: int, end: int) -> Found | None:
    """A transcript label ("PENCE") or a headline name: the mention there, or the person of that surname."""
    m = state.mention_at(start)
    if m is not None and m.label in SPEAKER_LABELS:
        return Found(m, m.span, state.name(m), "colon_intro")
    label = state.text[start:end].lower()
    for _, person, _ in reversed(state.persons):
        if state.name(person).lower().split()[-1:] == [label]:
            return Found(person, state.span(start, end), state.name(person), "colon_intro")
    return None


def _attribution(state: DocState, kind: str, cue: Span, content: Spans, source: Span | None,
                 found: Found | None, statement_type: str, quote: str | None,
                 remember: bool = True) -> Attribution:
    parts = [state.span(a, b) for a, b in content]
    ident = stable_id("att", state.doc_id, cue.start, *(p.start for p in parts))
    record = Attribution(ident, kind, state.doc_id, cue, parts, source, statement_type=statement_type, quote=quote)
    if found is not None:
        record.speaker = found.mention.entity if found.mention is not None else None
        record.speaker_name = found.name
        if remember:
            remember_speaker(state, found)
    return record
