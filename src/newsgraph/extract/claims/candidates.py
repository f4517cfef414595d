"""Values that fit an attribute, per sentence: quantities, years and dates (sets: ``sets.py``)."""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.normalize import normalize_quantity, normalize_time, year_time
from newsgraph.extract.claims.spec import STATED, Candidate
from newsgraph.extract.claims.syntax import anchor, path, token_distance
from newsgraph.extract.claims.triggers import PLACE_TYPES, governing_trigger, license_value
from newsgraph.extract.claims.view import DocView
from newsgraph.extract.quantities import lexicon as unit_lexicon
from newsgraph.model import Quantity


def in_sentence(records: list, sent: Any) -> list:
    """Records (quantities, times) whose span lies inside the sentence."""
    lo, hi = sent.start_char, sent.end_char
    return [r for r in records if r.span is not None and lo <= r.span.start and r.span.end <= hi]


def _unit_fits(q: Quantity, spec: dict[str, Any]) -> bool:
    units = spec.get("units")
    if not units:
        return True
    if q.unit is None:
        return False
    if "@designation" in units and unit_lexicon().designation.fullmatch(q.unit):
        return True
    return any(p in units for p in q.unit.lower().split(" and "))


def _quantity_fits(q: Quantity, spec: dict[str, Any]) -> bool:
    if spec["value"] == "year":
        return q.kind == "year"
    if spec["value"] != "quantity" or (spec.get("kinds") and q.kind not in spec["kinds"]):
        return False
    if spec.get("quantity_attribute") != q.attribute and (spec.get("quantity_attribute") or q.attribute):
        return False
    return _unit_fits(q, spec)


def quantity_candidates(view: DocView, sent: Any, specs: dict[str, Any]) -> list[Candidate]:
    out = []
    analysis = view.analysis
    for q in in_sentence(analysis.quantities, sent):
        for name, spec in specs.items():
            if not _quantity_fits(q, spec):
                continue
            span = (q.span.start, q.span.end)
            licensed = license_value(view, sent, spec, span)
            if licensed is None:
                continue
            trigger, basis = licensed
            norm = year_time(q, analysis.times, view.text) if spec["value"] == "year" else normalize_quantity(q)
            attr = f"{name}:{q.unit}" if spec.get("unit_in_attribute") and q.unit else name
            out.append(Candidate(attr, spec, span, q.text, norm, anchor(view.nlp, *span), trigger, basis))
    return out


def time_candidates(view: DocView, sent: Any, specs: dict[str, Any]) -> list[Candidate]:
    """Per date attribute, the date expression its trigger governs most closely (one per sentence)."""
    out = []
    times = [t for t in in_sentence(view.analysis.times, sent) if t.kind == "DATE" and t.start]
    for name, spec in specs.items():
        if spec["value"] != "time":
            continue
        best = None
        for t in times:
            span = (t.span.start, t.span.end)
            trigger = governing_trigger(view, sent, spec, span)
            if trigger is not None:
                dist = token_distance(trigger, span) + (0 if trigger.idx < span[0] else 2)
                if best is None or dist < best[0]:
                    best = (dist, t, span, trigger)
        if not best or _governed_by(view.nlp, best[2], spec.get("not_governed_by")):
            continue
        _, t, span, trigger = best
        attr = name
        if spec.get("place_in_attribute"):  # "left Taranto" and "left Japanese waters" are two facts
            place = _place_left(view, trigger)
            if place is None:
                continue
            attr = f"{name}:{place}"
        out.append(Candidate(attr, spec, span, t.text, normalize_time(t), anchor(view.nlp, *span), trigger, STATED))
    return out


def _place_left(view: DocView, trigger: Any) -> str | None:
    """The country (ISO3) of the place a departure verb leaves ("left Taranto" -> ITA), else its name."""
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    objects += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "from"
                for g in c.children if g.dep_ == "pobj"]
    for obj in objects:
        lo, hi = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
        for m in (m for m in view.mentions_in(lo, hi) if m.end <= hi and view.type_of(m) in PLACE_TYPES):
            code = view.kb.country_code(m.kb_id) if view.kb is not None else None
            return code or m.kb_id or m.text
    return None


def _governed_by(doc: Any, span: tuple[int, int], lemmas: list[str] | None) -> bool:
    """Is the verb governing the value one of ``lemmas`` ("left ... on Thursday" is no arrival date)?"""
    if not lemmas:
        return False
    verb = next((t for t in path(anchor(doc, *span)) if t.pos_ == "VERB"), None)
    return verb is not None and verb.lemma_.lower() in lemmas
