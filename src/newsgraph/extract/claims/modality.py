"""A claim value's modality, read from the words that govern it (cues in kb/attributes.yaml)."""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.spec import attribute_specs
from newsgraph.extract.claims.syntax import path


def modality_of(anchor: Any, static: bool = False) -> str:
    """happened / planned / expected / announced / negated, read from the value's governing words."""
    cues = attribute_specs()["modality"]
    chain = path(anchor)
    for tok in chain:
        if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in cues["negated"]) for c in tok.children):
            return "negated"
    if static:
        return "happened"
    for tok in chain:
        lemmas = {tok.lemma_.lower(), *(c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass"))}
        for modality in ("planned", "expected", "announced"):
            if _cue(tok, lemmas, cues[modality]):
                return modality
    return "happened"


def _cue(tok: Any, lemmas: set[str], cues: list[str]) -> bool:
    hits = lemmas & set(cues)
    if hits == {"set"}:  # "is set to" plans; "a set of ..." does not
        return any(c.dep_ == "xcomp" for c in tok.children)
    return bool(hits)
