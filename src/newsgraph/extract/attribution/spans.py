"""Content and source spans over the parse: a head's subtree, less what it must leave out."""

from __future__ import annotations

from typing import Any

from newsgraph.extract.attribution.state import DocState

_TRIM = frozenset(" \t\n,.;:—–-")
_SOURCE_TRIM = frozenset("\"“”‘’'―")
_ASIDES = ("relcl",)
_RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose"})


def trimmed(state: DocState, start: int, end: int, extra: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """A span without edge whitespace and separating punctuation (and ``extra``); None when nothing is left."""
    text = state.text

    def edge(ch: str) -> bool:
        return ch in _TRIM or ch.isspace() or ch in extra

    while start < end and edge(text[start]):
        start += 1
    while end > start and edge(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


def source_span(state: DocState, head: Any) -> tuple[int, int] | None:
    """The source phrase: the head's whole subtree ("Flynn, a top Trump surrogate,"; PolNeAR keeps
    appositions and relative clauses in it) within its paragraph, trimmed of punctuation, quote marks
    and dashes."""
    ps, pe = state.paras[state.para_of(head.idx)]
    left, right = head.left_edge, head.right_edge
    return trimmed(state, max(ps, left.idx), min(pe, right.idx + len(right.text)), _SOURCE_TRIM)


def aside(tok: Any) -> bool:
    """A non-restrictive relative clause set off by a comma or dash: ", which ...", ", who is 70"."""
    if tok.dep_ not in _ASIDES or tok.left_edge.i == 0:
        return False
    before = tok.doc[tok.left_edge.i - 1]
    return before.text in (",", "-", "—", "–") and tok.left_edge.lower_ in _RELATIVE_WORDS


def content_tokens(state: DocState, head: Any, without: set[int] | None = None) -> list[Any]:
    """The subtree of ``head`` less ``without``, less a trailing non-restrictive relative clause (the
    writer's aside, not the reported words) and less a trailing report of its own (", citing ...",
    "..., and the mother replied ..."): that is another attribution."""
    drop = set(without or ())
    last = max((t.i for t in head.subtree if t.i not in drop and not t.is_punct), default=head.i)
    for t in head.subtree:
        if t.i == head.i or t.i in drop or t.right_edge.i < last:
            continue
        if aside(t) or _own_report(state, t):
            drop.update(x.i for x in t.subtree)
            drop.add(t.left_edge.i - 1)
    return [t for t in head.subtree if t.i not in drop]


def _own_report(state: DocState, tok: Any) -> bool:
    """A clause after a comma or "and" headed by a speech verb ("..., and the mother replied ...", ",
    citing ..."); a conjunct with no subject of its own whose verb is a cue only by its wider class ("that
    it agitated Trump and exposed a weakness") is part of the content."""
    if tok.dep_ not in ("advcl", "conj") or tok.left_edge.i == 0:
        return False
    if tok.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) \
            and tok.lemma_.lower() not in state.lex.speech_verbs:
        return False
    before = tok.doc[tok.left_edge.i - 1]
    if before.text not in (",", "and", "—", "–", "-"):
        return False
    lemma = tok.lemma_.lower()
    return tok.pos_ == "VERB" and (lemma in state.lex.speech_verbs or state.lex.speech_type(lemma))


def token_spans(state: DocState, tokens: list[Any]) -> list[tuple[int, int]]:
    """Character spans of runs of consecutive tokens, trimmed."""
    spans: list[tuple[int, int]] = []
    run: list[Any] = []
    for t in sorted(tokens, key=lambda x: x.i):
        if run and t.i != run[-1].i + 1:
            spans.append((run[0].idx, run[-1].idx + len(run[-1].text)))
            run = []
        run.append(t)
    if run:
        spans.append((run[0].idx, run[-1].idx + len(run[-1].text)))
    return [s for a, b in spans if (s := trimmed(state, a, b)) is not None]


def subtree_spans(state: DocState, head: Any, without: set[int] | None = None) -> list[tuple[int, int]]:
    """Character spans of ``head``'s content subtree, less the tokens in ``without``."""
    return token_spans(state, content_tokens(state, head, without))


def tokens_of(state: DocState, heads: list[Any], without: set[int] | None = None) -> list[Any]:
    """The content tokens of several sibling heads ("Clinton as a disgrace": object and complement),
    with the conjuncts the parse hung on the cue instead of on the last head."""
    out: dict[int, Any] = {}
    extra = misplaced_conjuncts(heads[-1]) if heads else []
    for h in [*heads, *extra]:
        for t in content_tokens(state, h, without):
            out[t.i] = t
    return [out[i] for i in sorted(out)]


def misplaced_conjuncts(head: Any) -> list[Any]:
    """"agreed to share a currency and rely on one another", "mentioned refinancing loans and forcing
    universities to ...": a verb coordinated with the content's head but attached by the parse to the cue
    verb. Coordination joins like forms, so a conjunct with the head's form (an infinitive, a gerund) that
    differs from the cue's own form, and with no subject of its own, belongs to the content; with it come
    the conjunction and commas between."""
    verb = head.head
    if head.pos_ != "VERB" or verb.i == head.i or head.tag_ == verb.tag_:
        return []
    out: list[Any] = []
    for c in verb.children:
        if c.i <= head.right_edge.i:
            continue
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.tag_ == head.tag_ and not any(
                g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            out += [t for t in verb.children if head.right_edge.i < t.i < c.left_edge.i and t.dep_ in ("cc", "punct")]
            out.append(c)
        elif out or c.dep_ not in ("cc", "punct"):
            break
    return out
