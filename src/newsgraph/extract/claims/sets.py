"""Set values: a coordinated list of entities said to do something together ("Japan, Italy and the
U.K. signed", "a collaboration between X, Y and Z")."""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.claims.spec import STATED, Candidate, syntax
from newsgraph.extract.claims.syntax import anchor, token_distance
from newsgraph.extract.claims.triggers import governing_trigger
from newsgraph.extract.claims.view import DocView, key
from newsgraph.model import Mention

_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|&\s+)?|and\s+|&\s+)(?:the\s+)?$", re.IGNORECASE)


def set_candidates(view: DocView, sent: Any, specs: dict[str, Any]) -> list[Candidate]:
    out = []
    for name, spec in specs.items():
        if spec["value"] != "set":
            continue
        scored = []
        for chain in _mention_chains(view, sent, spec["members"]):
            span = (chain[0].start, chain[-1].end)
            scope = _clause_scope(view.nlp, span) if spec.get("trigger_scope") == "clause" else None
            trigger = governing_trigger(view, sent, spec, span, scope)
            if trigger is not None:
                scored.append((token_distance(trigger, span), chain, span, trigger))
        if scored:
            _, chain, span, trigger = min(scored, key=lambda s: s[0])
            text = view.text[span[0] : span[1]]
            out.append(Candidate(name, spec, span, text, _set_value(view, chain), anchor(view.nlp, *span),
                                 trigger, STATED))
    return out


def _clause_scope(doc: Any, span: tuple[int, int]) -> set[int]:
    """Tokens that say what a list of entities does together: the word governing the list
    ("X, Y and Z signed", "commits X, Y and Z", "a collaboration between X, Y and Z") with its
    particles, adverbs, objects and complements, never a relative, reported or fronted clause."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return set()
    tok = words.root
    while tok.dep_ in ("conj", "appos", "compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    gov = tok.head
    if gov.pos_ == "ADP" and gov.head.i != gov.i:  # "between X and Y": the noun before the preposition
        gov = gov.head
    elif gov.pos_ not in ("VERB", "AUX"):  # a list modifying a noun ("X and Y partners") says nothing joint
        return set()
    return {gov.i} | _complements(gov, depth=2)


def _complements(tok: Any, depth: int) -> set[int]:
    found: set[int] = set()
    deps = syntax()["scope_deps"]
    for child in tok.children:
        # complements follow their word; only adverbs come before it ("will jointly develop")
        if child.dep_ in deps and (child.i > tok.i or child.dep_ in ("advmod", "prt")):
            found.add(child.i)
            if depth > 0:
                found |= _complements(child, depth - 1)
    return found


def _mention_chains(view: DocView, sent: Any, types: list[str]) -> list[list[Mention]]:
    """Coordinated lists of mentions of the given types: "Japan, Italy and the U.K."."""
    members = [m for m in view.in_sentence(sent) if view.type_of(m) in types]
    chains, current = [], []
    for m in members:
        if current and _LIST_GLUE.match(view.text[current[-1].end : m.start]):
            current.append(m)
        else:
            current = [m]
            chains.append(current)
    return [c for c in chains if len({key(m) for m in c}) >= 2]


def _set_value(view: DocView, chain: list[Mention]) -> dict[str, Any]:
    keys = sorted({key(m) for m in chain})
    names = [view.ents[k].name if k in view.ents else k for k in keys]
    kb_ids = sorted({m.kb_id for m in chain if m.kb_id})
    return {"kind": "set", "items": keys, "names": names, "kb_ids": kb_ids}
