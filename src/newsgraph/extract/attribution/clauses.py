"""Reported content from the dependency structure: "X said (that) ...", "officials believe ...",
"she plans to ...", "..., the ministry said", "All of this, he acknowledges, could ...",
"the deal was criticized by X".

A cue verb (``cue_verbs`` / ``evidence_verbs`` in kb/speech.yaml) with a clausal complement (``ccomp``;
an infinitive ``xcomp`` for verbs that take one) gives the complement's whole subtree as the content;
a verb that follows its content or sits in it between commas gives the clause it is attached to, less
itself. Objects and prepositional objects are in ``objects``. The source is the cue's subject (shared
across ``conj``/``xcomp``/adverbial participles: "..., saying that ..."), the agent of a passive, or a
relative pronoun ("who said").
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.attribution.lexicon import INTENTION
from newsgraph.extract.attribution.objects import evidence_subject, objects
from newsgraph.extract.attribution.reports import (
    Reported,
    cue_tokens,
    infinitive,
    is_cue_verb,
    passive_agent,
    source_of,
)
from newsgraph.extract.attribution.spans import subtree_spans, token_spans, tokens_of
from newsgraph.extract.attribution.state import DocState

_SEPARATORS = (",", "—", "–", "-")


def clausal(state: DocState, verb: Any) -> list[Reported]:
    """A clausal complement, an infinitive, or the clause the cue interrupts or follows."""
    lex = state.lex
    lemma = verb.lemma_.lower()
    perception = lemma in lex.perception_verbs and not evidence_subject(state, verb)
    comps = [c for c in verb.children if c.dep_ == "ccomp" and (not perception or _marked_clause(c)
                                                                 or _finite_clause(c))]
    comps += _misattached_complement(verb)
    para = state.para_of(verb.idx)
    comps = [c for c in comps if state.para_of(c.idx) == para]  # the parse may run across a line break
    right = [c for c in comps if c.i > verb.i]
    left = [c for c in comps if c.i < verb.i and not _separated(c, verb)]
    if right or left:
        return [_reported(state, verb, [(right or left)[0]], lex.statement_type(lemma))]
    for c in verb.children:
        if perception:
            continue
        if c.dep_ == "xcomp" and infinitive(c) and (_takes_infinitive(state, lemma) or lemma in lex.addressee_verbs):
            chained = _chain(state, verb, c)
            if chained is not None:
                return [chained]
            return [_reported(state, verb, [*_addressee(verb, c), c], lex.statement_type(lemma, infinitive=True))]
    inverted = _inverted(state, verb)
    return [inverted] if inverted is not None else []


def _misattached_complement(verb: Any) -> list[Any]:
    """"told a meeting of leaders that few people understood ...": a complete clause opened by the
    complementizer "that" cannot be a relative clause (a relative clause has a gap), so a "that" clause
    the parse hangs on the addressee is the verb's complement."""
    out = []
    for obj in verb.children:
        if obj.dep_ not in ("dobj", "dative") or obj.i < verb.i:
            continue
        for c in obj.subtree:
            if c.dep_ == "relcl" and c.i > obj.i and _complete_that_clause(c):
                out.append(c)
    return out[:1]


def _complete_that_clause(clause: Any) -> bool:
    """A clause with "that" as its complementizer (not as its subject or object) and its own subject."""
    marks = [c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"]
    return bool(marks) and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children) \
        and not any(c.dep_ in ("dobj", "pobj") and c.tag_ in ("WDT", "WP") for c in clause.subtree)


def _separated(clause: Any, verb: Any) -> bool:
    """A colon or semicolon between a clause and a later verb: not its report ("...: Republicans said")."""
    return any(t.text in (":", ";") for t in verb.doc[clause.right_edge.i + 1 : verb.i])


def _finite_clause(clause: Any) -> bool:
    """A full clause with its own subject and a tensed verb ("found the plan was flawed") or a verbless
    predicate ("found that action unconstitutional"), not a bare perception complement ("saw him leave")."""
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children)
    tensed = clause.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in clause.children)
    return has_subject and (tensed or clause.pos_ in ("ADJ", "NOUN"))


def _marked_clause(clause: Any) -> bool:
    """A clause opened by "that", "whether", "if" or a wh- word ("saw that ...", "asked how ...")."""
    first = clause.left_edge
    return first.lower_ in ("that", "whether", "if") or first.tag_ in ("WDT", "WP", "WRB")


def _chain(state: DocState, verb: Any, xcomp: Any) -> Reported | None:
    """"refused to disclose his records", "vowed to release it": when the infinitive is itself a cue
    with its own content, the chain of verbs is the cue and that content the content."""
    if not is_cue_verb(state, xcomp) or _addressee(verb, xcomp):
        return None
    inner = clausal(state, xcomp) or objects(state, xcomp)
    if not inner:
        return None
    r = inner[0]
    r.cue = [*cue_tokens(verb), *r.cue]
    r.source = source_of(verb)
    r.statement_type = state.lex.statement_type(verb.lemma_.lower(), infinitive=True)
    return r


def _addressee(verb: Any, xcomp: Any) -> list[Any]:
    """The one asked or urged, before the infinitive: "urged her husband to", "called on Trump to"."""
    for c in verb.children:
        if c.i > xcomp.i:
            break
        if c.dep_ == "dobj":
            return [c]
        if c.dep_ == "prep" and c.lower_ in ("on", "upon", "for"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return [obj]
    return []


def _takes_infinitive(state: DocState, lemma: str) -> bool:
    types = state.lex.cue_types.get(lemma, frozenset())
    return INTENTION in types or "belief" in types


def _reported(state: DocState, verb: Any, heads: list[Any], statement_type: str) -> Reported:
    return Reported(cue_tokens(verb), token_spans(state, tokens_of(state, heads)), source_of(verb),
                    statement_type=statement_type)


def _inverted(state: DocState, verb: Any) -> Reported | None:
    """"The economy is fine, the ministry said" / "All of this, he acknowledges, could be undone":
    the cue hangs from the clause it reports, after it or between commas inside it."""
    if verb.dep_ not in ("parataxis", "ccomp", "advcl", "conj") or verb.head.i == verb.i:
        return None
    lemma = verb.lemma_.lower()
    if INTENTION in state.lex.cue_types.get(lemma, frozenset()) and lemma not in state.lex.speech_verbs:
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children) or any(
            c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children):
        return None
    doc, head = verb.doc, verb.head
    before = doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    after = doc[verb.right_edge.i + 1] if verb.right_edge.i + 1 < len(doc) else None
    if before is None or (before.text not in _SEPARATORS and not state.inside[before.i]):
        return None
    if verb.i < head.i and (after is None or after.text not in _SEPARATORS):
        return None  # before its clause only as an aside between commas
    content = subtree_spans(state, head, {t.i for t in verb.subtree})
    if not content:
        return None
    return Reported(cue_tokens(verb), content, source_of(verb), statement_type=state.lex.statement_type(lemma))


def raising(state: DocState, verb: Any) -> list[Reported]:
    """"Republicans seem confident they ...", "the plan appears too risky": an appearance reported with
    no one named (or the one it seems to: "seemed far away to European citizens")."""
    if verb.lemma_.lower() not in state.lex.raising_verbs or state.inside[verb.i]:
        return []
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
    complement = next((c for c in verb.children if c.dep_ in ("oprd", "acomp", "attr", "xcomp", "ccomp")
                       and c.i > verb.i), None)
    if subject is None or complement is None or (subject.pos_ == "PRON" and subject.lower_ in ("it", "there")):
        return []
    to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    experiencer = next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
    without = {t.i for t in to.subtree} if to is not None else set()
    content = token_spans(state, tokens_of(state, [subject, complement], without))
    return [Reported(cue_tokens(verb), content, experiencer, statement_type="belief", extra={"sourceless": True})]


def passive(state: DocState, verb: Any) -> list[Reported]:
    """"The plan was criticized by X" / "X was endorsed by Y": the passive subject is the content."""
    agent = passive_agent(verb)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if agent is None or subject is None or subject.pos_ == "PRON":
        return []
    agent_prep = next(c for c in verb.children if c.dep_ == "agent")
    return [Reported([*cue_tokens(verb), agent_prep], subtree_spans(state, subject), agent,
                     statement_type=state.lex.statement_type(verb.lemma_.lower()))]


# --------------------------------------------------------------------------- asides by word order

_NP_TAGS = frozenset({"DET", "PROPN", "PRON", "NOUN", "ADJ", "NUM", "PUNCT", "CCONJ", "ADP", "PART", "ADV"})
_MAX_NP = 8


def aside_cue(state: DocState, verb: Any) -> Reported | None:
    """"X, he said, Y." / "X, Mr. Clarke said." / "X, said Hester.": a speech verb and its subject set
    off by commas, found by word order so that a parse that mistakes the subject does not lose it.
    The content is the rest of the sentence, the aside left out."""
    lemma = verb.lemma_.lower()
    if lemma not in state.lex.speech_verbs or state.inside[verb.i]:
        return None
    sent = state.sentence(verb)
    left = _comma_before(verb, sent)
    if left is None:
        return None
    right = _comma_or_end_after(verb, sent)
    if right is None:
        return None
    subject = _aside_subject(state, left, verb, right)
    if subject is None or any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd") and c.i > verb.i
                              for c in verb.children):
        return None
    tokens = [t for t in sent if (t.i < left.i or t.i > right.i) and not t.is_space]
    if not tokens or tokens[0].i >= left.i or state.inside[tokens[0].i]:
        return None
    content = token_spans(state, tokens)
    if not content:
        return None
    return Reported(cue_tokens(verb), content, subject, statement_type=state.lex.statement_type(lemma))


def _comma_before(verb: Any, sent: Any) -> Any | None:
    """The comma opening the aside: at most ``_MAX_NP`` noun-phrase words before the verb."""
    i = verb.i - 1
    while i >= sent.start and verb.i - i <= _MAX_NP + 1:
        t = verb.doc[i]
        if t.text == ",":
            follows = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
            return t if i < verb.i - 1 or (follows is not None and follows.pos_ == "PROPN") else None
        if t.pos_ not in _NP_TAGS or t.text in (";", ":", "(", ")"):
            return None
        i -= 1
    return None


def _comma_or_end_after(verb: Any, sent: Any) -> Any | None:
    """The comma closing the aside, or the sentence's last token; a few words (a name after the verb,
    "on Monday") may come between."""
    for t in verb.doc[verb.i + 1 : min(sent.end, verb.i + _MAX_NP + 2)]:
        if t.text == ",":
            return t
        if t.is_punct and t.text in ".!?" and t.i >= sent.end - 2:
            return t
        if t.pos_ in ("VERB", "AUX") or t.text in (";", ":", "“", '"', "("):
            return None
    return None


def _aside_subject(state: DocState, comma: Any, verb: Any, end: Any) -> Any | None:
    """The head of the aside's subject: before the verb ("he said") or after it ("said Hester")."""
    before = [t for t in verb.doc[comma.i + 1 : verb.i] if not t.is_punct]
    after = [t for t in verb.doc[verb.i + 1 : end.i] if not t.is_punct]
    words = before or after
    if not words or any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    heads = [t for t in words if t.pos_ in ("PROPN", "PRON", "NOUN") and not (t.head.i in {w.i for w in words}
                                                                            and t.dep_ != "appos")]
    return heads[-1] if heads else next((t for t in reversed(words) if t.pos_ in ("PROPN", "PRON", "NOUN")), None)
