"""Acronyms defined in the text and names propagated to their other occurrences."""

from __future__ import annotations

import re

from newsgraph.extract import names
from newsgraph.extract.entities.candidates import Cand, longest
from newsgraph.nlp.kb import KnowledgeBase

# -- acronyms and name propagation ---------------------------------------------------------
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\)")
_OR_ACRONYM = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*),?\s+or\s+(?:the\s+)?$")


def add_acronyms(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """ "Long Name (ACR)" and "ACR, or Long Name": the acronym becomes a mention of the long name's entity."""
    out = list(cands)
    for cand in cands:
        long_name = names.clean_name(text[cand.start : cand.end])
        after = _PAREN_ACRONYM.match(text, cand.end)
        before = _OR_ACRONYM.search(text, max(0, cand.start - 20), cand.start)
        for match in (after, before):
            if match and names.is_acronym_of(match.group(1), long_name):
                cand.extra["acronym"] = match.group(1)
                if cand.source == "model" and long_name.split()[-1].lower() in kb.lexicon.get(
                    "program_words", []
                ):
                    cand.label = "PROGRAM"
                out.append(
                    Cand(
                        match.start(1), match.end(1), cand.label, cand.kb_id, "rule", {"alias_of": long_name}
                    )
                )
    return _longest_keep_rules(out)


def _longest_keep_rules(cands: list[Cand]) -> list[Cand]:
    """Drop earlier mentions that an acronym rule span overlaps, then de-duplicate."""
    rules = [c for c in cands if "alias_of" in c.extra]
    rest = [c for c in cands if "alias_of" not in c.extra and not any(c.overlaps(r) for r in rules)]
    return sorted(longest(rules) + rest, key=lambda c: c.start)


PROPAGATED = ("VESSEL", "AIRCRAFT", "WEAPON", "PROGRAM", "ORG")


def propagate_names(cands: list[Cand], text: str) -> list[Cand]:
    """A name typed by KB/rule (ship, kit, acronym) types its other occurrences in the document too."""
    known: dict[str, Cand] = {}
    for cand in cands:
        if (cand.source != "model" and cand.label in PROPAGATED) or "alias_of" in cand.extra:
            for form in _short_forms(text[cand.start : cand.end], cand):
                known.setdefault(form, cand)
    if not known:
        return _propagate_surnames(cands, text)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(known, key=len, reverse=True))) + r")(?![\w-])"
    )
    out = list(cands)
    for match in pattern.finditer(text):
        model = Cand(match.start(), match.end(), "", None)
        clash = [c for c in out if c.overlaps(model)]
        if all(c.source == "model" and model.contains(c) for c in clash):
            src = known[match.group(1)]
            out = [c for c in out if c not in clash]
            out.append(
                Cand(
                    match.start(),
                    match.end(),
                    src.label,
                    src.kb_id,
                    "rule",
                    {"alias_of": src.extra.get("alias_of") or names.clean_name(text[src.start : src.end])},
                )
            )
    return _propagate_surnames(sorted(out, key=lambda c: c.start), text)


def _propagate_surnames(cands: list[Cand], text: str) -> list[Cand]:
    """A person's surname alone, where the model saw no name, is a mention of that person."""
    surnames = set()
    for cand in cands:
        words = names.clean_name(text[cand.start : cand.end]).split()
        if cand.label == "PERSON" and len(words) > 1 and len(words[-1]) > 2 and words[-1][0].isupper():
            surnames.add(words[-1])
    if not surnames:
        return cands
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w-])")
    out = list(cands)
    for match in pattern.finditer(text):
        new = Cand(match.start(), match.end(), "PERSON", None, "rule")
        if not any(new.overlaps(c) for c in cands):
            out.append(new)
    return sorted(out, key=lambda c: c.start)


def _short_forms(name: str, cand: Cand) -> list[str]:
    forms = [names.clean_name(name)]
    if cand.label == "VESSEL" and cand.extra.get("country") and " " in forms[0]:
        forms.append(forms[0].split(" ", 1)[1])  # "HMAS Sydney" → "Sydney" only as a typed mention
    return [f for f in forms if len(f) > 2]


