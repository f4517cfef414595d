"""Attributions that hang on a phrase rather than a verb: "according to X", reporting nouns
("X's claim that ...", "a statement from X saying ...", "their effort to ..."), and colon lead-ins
("PENCE: Well, ...", a headline "Poll: Voters Abandon ...").
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.attribution.cues import according_object
from newsgraph.extract.attribution.lexicon import INTENTION
from newsgraph.extract.attribution.reports import Reported, source_of
from newsgraph.extract.attribution.spans import subtree_spans, trimmed
from newsgraph.extract.attribution.state import SPEAKER_LABELS, DocState

_EVIDENCE_PREPS = frozenset({"in"})
# "PENCE: ..." / "Pat Caddell: ..." / "Poll: ...": up to five words before a colon opening a paragraph.
_LEAD_IN = re.compile(r"[\"“]?(?P<label>[^\W\d_][\w.’'& -]{0,60}?)\s*:\s+(?=\S)")
_MAX_LABEL_WORDS = 5


def according_to(state: DocState, tok: Any) -> list[Reported]:
    """"According to X, ...": the host clause is the content, X the source."""
    obj = according_object(state.lex, tok)
    if obj is None or state.inside[tok.i]:
        return []
    to = tok.nbor()
    host = tok.head
    while host.i != host.head.i and host.pos_ not in ("VERB", "AUX"):
        host = host.head  # "according to X" hanging from a noun: take the clause around it
    while host.dep_ == "conj" and host.head.i != host.i:
        host = host.head  # "X stood at ... and has since exploded, according to Y": the whole coordination
    if host.i == tok.i:
        return []
    phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {obj.i}
    content = subtree_spans(state, host, phrase)
    if not content:
        return []
    return [Reported([tok, to], content, obj, kind="according_to")]


def evidence_phrase(state: DocState, prep: Any) -> list[Reported]:
    """"In the latest poll, Clinton led by five points", "In a 2014 report, the deficit ...": a
    preposition whose object is evidence (a poll, a report, a study) makes its host clause the evidence's
    content, as "according to" does; a message at the start ("In a statement, the senator was more
    cautious") makes the rest of the clause what its subject said there. A host that is a speech verb
    ("in a statement, she said ...") reports on its own."""
    if prep.dep_ != "prep" or prep.lower_ not in _EVIDENCE_PREPS or state.inside[prep.i]:
        return []
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    host = prep.head
    if obj is None or host.pos_ not in ("VERB", "AUX") or host.lemma_.lower() in state.lex.speech_verbs:
        return []
    if prep.i > host.i and prep.i != host.right_edge.i and not _sentence_initial(prep):
        return []  # only a frame for the whole clause: sentence-initial or at the clause's end
    if _is_evidence(state, obj):
        content = subtree_spans(state, host, {t.i for t in prep.subtree})
        return [Reported([prep], content, obj, kind="evidence")] if content else []
    if obj.lemma_.lower() in state.lex.message_nouns and _sentence_initial(prep):
        return _message_frame(state, prep, obj, host)
    return []


def _message_frame(state: DocState, prep: Any, obj: Any, host: Any) -> list[Reported]:
    """"In a statement issued Tuesday, Senator X was more circumspect": the host clause's subject said
    the rest of the clause in the message (the cue is the message's noun phrase)."""
    subject = source_of(host)
    if subject is None or (subject.pos_ == "PRON" and subject.lower_ in ("it", "there")):
        return []
    without = {t.i for t in prep.subtree} | {t.i for t in subject.subtree}
    content = subtree_spans(state, host, without)
    cue = [t for t in obj.subtree if t.i <= obj.i]
    return [Reported(cue, content, subject)] if content else []


def _sentence_initial(prep: Any) -> bool:
    return prep.i == prep.sent.start or prep.doc[prep.i - 1].is_punct


def _is_evidence(state: DocState, tok: Any) -> bool:
    nouns = state.lex.evidence_nouns
    return tok.pos_ == "NOUN" and (tok.lower_ in nouns or tok.lemma_.lower() in nouns)


def reporting_noun(state: DocState, noun: Any) -> list[Reported]:
    """A reporting noun with a that-clause or an infinitive: "the claim that ...", "its plan to ..."."""
    lex = state.lex
    if noun.pos_ != "NOUN" or state.inside[noun.i]:
        return []
    kind = lex.reporting_nouns.get(noun.lower_) or lex.reporting_nouns.get(noun.lemma_.lower())
    if kind is None:
        return []
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
                   and _that_or_to(c, _intention_noun(lex, noun, kind))), None)
    if clause is None:
        return _noun_object(state, noun, kind)
    content = subtree_spans(state, clause)
    if not content:
        return []
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)
    intention = infinitive and _intention_noun(lex, noun, kind)
    return [Reported([noun], content, _noun_source(noun), statement_type=INTENTION if intention else kind)]


def _noun_object(state: DocState, noun: Any, kind: str) -> list[Reported]:
    """"claims about the test", "attacks on his record", "criticism of the plan": the preposition's object."""
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in state.lex.object_preps and p.i == noun.i + 1:
            obj = next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.pos_ != "PRON" and obj.ent_type_ not in ("DATE", "TIME"):
                return [Reported([noun, p], subtree_spans(state, obj), _noun_source(noun), statement_type=kind)]
    return []


def _intention_noun(lex: Any, noun: Any, kind: str) -> bool:
    """A noun of intention, or of a speech act that commits or asks ("promise", "vow", "threat",
    "call", "demand": the noun of an intention verb), which takes an infinitive ("his promises to ...")."""
    return kind == INTENTION or INTENTION in lex.cue_types.get(noun.lemma_.lower(), frozenset())


def _that_or_to(clause: Any, intention: bool) -> bool:
    """A content clause: "that ..." (not a relative "that" with a gap), or "to ..." for intentions."""
    marks = [c for c in clause.children if c.dep_ == "mark" and c.lower_ in ("that", "whether", "if")]
    if marks:
        return True
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
        return intention
    return False


def _noun_source(noun: Any) -> Any | None:
    """"X's claim", "a statement by / from X", or the subject of the verb that has the noun as object."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    if noun.dep_ in ("dobj", "pobj") and noun.head.i != noun.i:
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        return source_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    return None


def attitude(state: DocState, adj: Any) -> list[Reported]:
    """"X is confident that ...", "X was critical of the plan", "she is eager to ...": an attitude
    adjective after a copula; its clause, infinitive or prepositional object is the content."""
    lex = state.lex
    if adj.pos_ != "ADJ" or adj.dep_ not in ("acomp", "oprd") or state.inside[adj.i] \
            or adj.lower_ not in lex.attitude_adjectives:
        return []
    source = source_of(adj.head) if adj.head.pos_ in ("AUX", "VERB") else None
    if source is None or source.lower_ in ("it", "there"):
        return []  # "it is clear that ...": no one holds the view
    for c in adj.children:
        if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i:
            infinitive = any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            kind = INTENTION if infinitive else "belief"
            return [Reported([adj], subtree_spans(state, c), source, statement_type=kind)]
        if c.dep_ == "prep" and c.lower_ in lex.object_preps | {"at", "with"}:
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                return [Reported([adj, c], subtree_spans(state, obj), source, statement_type="belief")]
    return []


# --------------------------------------------------------------------------- colon lead-ins


def lead_ins(state: DocState) -> list[Reported]:
    """Paragraphs that open with a speaker label and a colon: transcripts ("PENCE: ...") and headlines
    ("Pat Caddell: Voters Worried ..."). The label must name a speaker (a PERSON/ORG/COUNTRY/NORP
    mention, a word in capitals, or an evidence noun such as "Poll"); quotes after it are left to the
    direct-quote rules."""
    out = []
    for ps, pe in state.paras:
        match = _LEAD_IN.match(state.text, ps, pe)
        if match is None or state.text[match.end()] in "“\"‘'„":
            continue
        label = match.group("label")
        if len(label.split()) > _MAX_LABEL_WORDS or (any(ch in label for ch in ".!?") and not label.isupper()):
            continue
        first = state.token_after(match.start("label"))
        colon = state.token_after(match.end("label"))
        if first is None or colon is None or colon.text != ":" or not _speaker_label(state, label, match.start("label")):
            continue
        span = trimmed(state, match.end(), pe)
        if span is None:
            continue
        kind = "direct" if label.isupper() and len(label) > 1 else "indirect"
        label_span = (match.start("label"), match.end("label"))
        out.append(Reported([colon], [span], first, kind=kind, extra={"label": label_span}))
    return out


def _speaker_label(state: DocState, label: str, ps: int) -> bool:
    if label.isupper() and len(label) > 1:
        return True  # a transcript's speaker label
    m = state.mention_at(ps)
    if m is not None and m.label in SPEAKER_LABELS and m.end >= ps + len(label) - 1:
        return True
    words = label.lower().split()
    return len(words) == 1 and words[0] in state.lex.evidence_nouns
