"""One group of values (one subject, one attribute) → a status, a one-line explanation, per-value statuses.

The rules and their precedence are documented in docs/resolution.md ("Claims across documents"):
conflict, then superseded, then single source, corroborated, compatible. Two values from ONE
document make a conflict only when the document states both as the attribute (``basis`` stated);
a value only inferred to be the attribute that disagrees with one its own document states is set
aside (per-value status ``set_aside``) and named in the explanation.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.resolve.claim_values.explain import (
    explain_compatible,
    explain_conflict,
    explain_corroborated,
    explain_set_aside,
    explain_single,
    explain_superseded,
    undated_note,
)
from newsgraph.resolve.claim_values.independence import independent_groups
from newsgraph.resolve.claim_values.intervals import stated_relation
from newsgraph.resolve.claim_values.records import (
    CONFLICT,
    EQUAL,
    INCOMPARABLE,
    SET_ASIDE,
    Assessment,
    StatedValue,
    rules,
)

Form = tuple[str, bool]


def superseded_by(values: list[StatedValue], exclusive: bool = False,
                  rel: Any = None) -> dict[str, list[StatedValue]]:
    """Forecast values (planned/expected/announced) contradicted by a strictly later dated source.

    An undated value can neither supersede nor be superseded: without a date there is no "later".
    A later report that agrees with the plan (equal or compatible) fulfils it instead.
    """
    forecasts = set(rules()["forecast_modalities"])
    out: dict[str, list[StatedValue]] = {}
    for v in values:
        if v.modality not in forecasts or not v.date:
            continue
        later = [w for w in values
                 if w.date and w.date > v.date
                 and (rel(v, w) if rel else stated_relation(v, w, exclusive)) == CONFLICT]
        if later:
            out[v.id] = later
    return out


def _form(v: StatedValue) -> Form:
    """What the comparison of two values depends on: their normalised value and negation."""
    return json.dumps(v.normalized, sort_keys=True, default=str), v.modality == "negated"


def _stated(v: StatedValue) -> bool:
    return v.basis != "inferred"


class _Forms:
    """Relations between the distinct forms of a group's values: a group can hold thousands of
    values (one per report) but only a handful of distinct forms, so pairs of forms are compared."""

    def __init__(self, values: list[StatedValue], exclusive: bool) -> None:
        self.exclusive = exclusive
        self.example: dict[Form, StatedValue] = {}
        for v in values:
            self.example.setdefault(_form(v), v)
        self._rel: dict[tuple, str] = {}
        self.docs: dict[Form, set[str]] = {}
        self.stated_docs: dict[Form, set[str]] = {}

    def rel(self, a: StatedValue, b: StatedValue) -> str:
        return self.between(_form(a), _form(b))

    def between(self, fa: Form, fb: Form) -> str:
        key = (fa, fb) if fa <= fb else (fb, fa)
        if key not in self._rel:
            self._rel[key] = stated_relation(self.example[key[0]], self.example[key[1]], self.exclusive)
        return self._rel[key]

    def count(self, values: list[StatedValue]) -> None:
        """Which documents give each form, and which state it as the attribute (for ``conflict``)."""
        self.docs, self.stated_docs = {}, {}
        for v in values:
            self.docs.setdefault(_form(v), set()).add(v.doc)
            if _stated(v):
                self.stated_docs.setdefault(_form(v), set()).add(v.doc)

    def conflict(self, fa: Form, fb: Form) -> bool:
        """Disjoint forms given by two documents, or both stated as the attribute by one."""
        if self.between(fa, fb) != CONFLICT:
            return False
        da, db = self.docs.get(fa, set()), self.docs.get(fb, set())
        one_document = len(da) == 1 and da == db
        return not one_document or bool(self.stated_docs.get(fa, set()) & self.stated_docs.get(fb, set()))


def set_aside(values: list[StatedValue], forms: _Forms) -> list[StatedValue]:
    """Values only inferred to be the attribute that disagree with a value their own document states."""
    stated: dict[str, set[Form]] = {}
    for v in values:
        if _stated(v):
            stated.setdefault(v.doc, set()).add(_form(v))
    return [v for v in values if not _stated(v)
            and any(forms.between(_form(v), f) == CONFLICT for f in stated.get(v.doc, ()))]


def _value_statuses(current: list[StatedValue], groups: dict[str, str], forms: _Forms) -> dict[str, str]:
    """Per value: corroborated (an independent source states the same), conflict, compatible or single."""
    groups_of: dict[Form, set[str]] = {}
    for w in current:
        groups_of.setdefault(_form(w), set()).add(groups[w.id])
    out = {}
    for v in current:
        f, g = _form(v), groups[v.id]
        related = {h: forms.between(f, h) for h in groups_of}
        independent = [h for h, r in related.items() if r != INCOMPARABLE and groups_of[h] - {g}]
        if any(related[h] == EQUAL for h in independent):
            out[v.id] = "corroborated"
        elif any(forms.conflict(f, h) for h in related):
            out[v.id] = "conflict"
        else:
            out[v.id] = "compatible" if independent else "single_source"
    return out


def assess(values: list[StatedValue], exclusive: bool = False) -> Assessment:
    """Group status, one-line explanation and per-value status for one (subject, attribute) group."""
    values = sorted(values, key=lambda v: (v.date or "9999-99-99", v.doc, v.id))
    groups = independent_groups(values)
    forms = _Forms(values, exclusive)
    aside = set_aside(values, forms)
    kept = [v for v in values if v not in aside]
    old = superseded_by(kept, exclusive, forms.rel)
    current = [v for v in kept if v.id not in old]
    forms.count(current)
    per_value = {v.id: SET_ASIDE for v in aside} | {v.id: "superseded" for v in kept if v.id in old}
    per_value |= _value_statuses(current, groups, forms)
    status, text = _status(kept, current, old, groups, forms)
    text += explain_set_aside(aside) + undated_note(kept, status)
    later = {k: [w.id for w in ws] for k, ws in old.items()}
    return Assessment(status, text, per_value, {v.id: groups[v.id] for v in values}, later)


def _status(kept: list[StatedValue], current: list[StatedValue], old: dict[str, list[StatedValue]],
            groups: dict[str, str], forms: _Forms) -> tuple[str, str]:
    distinct = sorted({_form(v) for v in current})
    pairs = [(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]]
    if any(forms.conflict(a, b) for a, b in pairs):
        text = explain_conflict(current, groups)
        if old:
            text += " " + explain_superseded(kept, old).replace("Superseded: ", "Also superseded: ", 1)
        return "conflict", text
    if old:
        return "superseded", explain_superseded(kept, old)
    if len({groups[v.id] for v in current}) <= 1:
        return "single_source", explain_single(current, groups)
    if all(forms.between(a, b) == EQUAL for a, b in pairs):
        return "corroborated", explain_corroborated(current, groups)
    return "compatible", explain_compatible(current, groups)
