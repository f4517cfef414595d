"""Phrases and subjects in a parsed sentence: the helpers the role rules of ``event_roles`` stand on.

``MentionIndex`` finds the mention under a token; ``phrase_mentions`` the participants a noun phrase
names (its head's name, not the names in its description); ``find_subject`` the subject of a verb,
climbing through control, coordination and participles, with the by-agent of a passive.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.event_rules import Lexicon, lemma
from newsgraph.model import Analysis, Mention

SKIP_SUBTREE = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "parataxis", "appos", "pcomp"}
GROUP_PLACE_PREPS = ("in", "from", "throughout", "across", "inside")


class MentionIndex:
    """Mentions and entities of one document, looked up by token."""

    def __init__(self, analysis: Analysis, kb: Any = None) -> None:
        self.kb = kb
        self.placed: set[int] = set()  # place mentions that stand for the group placed in them
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.entities = {e.id: e for e in analysis.entities}
        self._starts = [m.start for m in self.mentions]

    def covering(self, token: Any) -> Mention | None:
        from bisect import bisect_right

        i = bisect_right(self._starts, token.idx) - 1
        if i >= 0 and self.mentions[i].start <= token.idx < self.mentions[i].end:
            return self.mentions[i]
        return None

    def name(self, m: Mention) -> str:
        ent = self.entities.get(m.entity or "")
        return ent.name if ent else m.text

    def label(self, m: Mention) -> str:
        ent = self.entities.get(m.entity or "")
        return ent.type if ent else m.label

    def role_label(self, m: Mention) -> str:
        """The type as a participant: a capital stands for its state ("talks in Amman" host Jordan)."""
        ent = self.entities.get(m.entity or "")
        if ent is not None and ent.type == "PLACE" and ent.attributes.get("capital") is True:
            return "COUNTRY"
        return self.label(m)

    def place_state(self, m: Mention) -> str | None:
        """ISO3 of a PLACE or FACILITY mention's state, where the entities stage found one."""
        ent = self.entities.get(m.entity or "")
        if ent is None or ent.type not in ("PLACE", "FACILITY"):
            return None
        code = ent.attributes.get("country")
        return code if isinstance(code, str) else None

    def state_like(self, m: Mention) -> bool:
        return self.role_label(m) in ("COUNTRY", "NORP")


def np_tokens(token: Any, keep_prep_of: bool = True) -> list[Any]:
    """The token's phrase without nested clauses, appositions and prepositions other than "of"."""
    out = [token]
    for child in token.children:
        if child.dep_ in SKIP_SUBTREE and not (child.dep_ in ("conj", "cc") and child.pos_ not in ("VERB", "AUX")):
            continue
        if child.dep_ == "prep" and not (keep_prep_of and child.lower_ == "of"):
            continue
        out.extend(np_tokens(child, keep_prep_of))
    return out


def left_extension(token: Any) -> list[Any]:
    """Modifiers just left of a name that a weak parse detached: "the Italian aircraft carrier Cavour"."""
    out = []
    i = min(t.i for t in np_tokens(token)) - 1
    sent_start = token.sent.start
    while i >= sent_start and token.doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") \
            and token.doc[i].dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        out.append(token.doc[i])
        i -= 1
    return out


def mentions_in(tokens: list[Any], index: MentionIndex) -> list[Mention]:
    seen: dict[int, Mention] = {}
    for tok in sorted(tokens, key=lambda t: t.i):
        m = index.covering(tok)
        if m is not None:
            seen.setdefault(m.start, m)
    return list(seen.values())


def phrase_mentions(token: Any, index: MentionIndex) -> list[Mention]:
    """The participants a noun phrase names: its head's name (and coordinated heads'), else the names in it.

    "Italian Defence Minister Guido Crosetto" is Crosetto (Italian is his affiliation); "the Chinese
    coast guard" is Chinese (a nationality standing for its state); "Israel and the Palestinians" both.
    """
    heads = [token] + [c for c in token.conjuncts if c.i > token.i and c.pos_ not in ("VERB", "AUX")]
    named = [index.covering(h) for h in heads]
    if named[0] is None:  # "the destroyer HMAS Sydney": the name in apposition is the participant
        appos = next((c for c in token.children if c.dep_ == "appos" and index.covering(c) is not None), None)
        if appos is not None and index.label(index.covering(appos)) not in ("COUNTRY", "NORP"):
            heads[0], named[0] = appos, index.covering(appos)
    if named[0] is not None and index.label(named[0]) not in ("COUNTRY", "NORP"):
        out: list[Mention] = []
        for head, m in zip(heads, named, strict=True):
            out.extend([m] if m is not None else mentions_in(np_tokens(head), index))
        return list({m.start: m for m in out}.values())
    return mentions_in(np_tokens(token), index) or _group_by_place(token, index)


def _group_by_place(token: Any, index: MentionIndex) -> list[Mention]:
    """"Opposition groups in Zimbabwe", "rebels from Mali", "militias in Tripoli": an unnamed group stands
    for the state it is in (a place found here stands for its state, basis ``placed``)."""
    if token.pos_ != "NOUN":
        return []
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):  # "thousands of students in X"
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = _group_by_place(pobj, index)
            if found:
                return found
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in GROUP_PLACE_PREPS):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = [m for m in mentions_in(np_tokens(pobj), index) if index.role_label(m) == "COUNTRY"]
            placed = [m for m in mentions_in(np_tokens(pobj), index) if index.place_state(m)]
            if found or placed:
                index.placed.update(m.start for m in placed)  # "militias in Tripoli": the place's state
                return found or placed[:1]
    return []


class Subject:
    """Who a clause's subject is: ``token`` (the by-agent in a passive that has one), whether it is a
    passive subject itself, and the ``patient`` (the passive subject when a by-agent acts)."""

    def __init__(self, token: Any | None, passive: bool = False, patient: Any | None = None) -> None:
        self.token, self.passive, self.patient = token, passive, patient


def find_subject(verb: Any, lex: Lexicon) -> Subject:
    """The subject of a verb, climbing through control and coordination; by-agent for passives.

    A passive subject found above the verb ("Cavour is set to make ...") is the embedded verb's actor.
    """
    cur = verb
    for _ in range(6):
        agent = _agent(cur)
        own = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if own is None:  # a weak parse hangs the subject on the auxiliary ("Mongolia [is] committed")
            own = next((g for a in cur.children if a.dep_ in ("aux", "auxpass") and a.i < cur.i
                        for g in a.children if g.dep_ in ("nsubj", "nsubjpass")), None)
        if agent is not None:
            return Subject(agent, False, own if own is not None and own.dep_ == "nsubjpass" else None)
        if own is not None:
            return Subject(own, own.dep_ == "nsubjpass" and cur.i == verb.i)
        # "issued a declaration demanding ...": a participle on the object takes the verb's subject
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.dep_ == "dobj":
            cur = cur.head.head
            continue
        # A reported clause ("..., an analyst said") never takes the speaker as its subject.
        if cur.dep_ not in ("xcomp", "conj", "advcl", "acomp", "pcomp") or cur.head.i == cur.i:
            break
        controller = _object_controller(cur, lex)
        if controller is not None:
            return Subject(controller)
        cur = cur.head if cur.dep_ != "pcomp" else cur.head.head
    return Subject(None)


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _object_controller(clause: Any, lex: Lexicon) -> Any | None:
    """"urged Azerbaijan to release", "condemned Beijing for firing": the object is the one who acts."""
    if clause.dep_ == "xcomp" and lemma(clause.head) in lex.object_control:
        return next((c for c in clause.head.children if c.dep_ in ("dobj", "dative")), None)
    if clause.dep_ == "pcomp" and clause.head.dep_ == "prep" and clause.head.lower_ in lex.gerund_preps:
        governor = clause.head.head  # "accused [the police of beating]" or "condemned Beijing [for firing]"
        if governor.dep_ in ("dobj", "dative"):
            return governor
        return next((c for c in governor.children if c.dep_ in ("dobj", "dative")), None)
    return None


def inside_subject(token: Any, clause: Any) -> bool:
    """True when the token sits in its clause's subject ("the commander for the exercise said ...")."""
    cur = token
    for _ in range(12):
        if cur.i == clause.i or cur.head.i == cur.i:
            return False
        if cur.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        cur = cur.head
    return False
