"""The brief's key events: stated as fact only when the record is confident, otherwise quoted.

Confident (``confidence``): the event has an actor, and a target when its type is directed; every
participant in an actor role is an entity that can act (``kb/brief.yaml``: states, organisations,
people, nationalities, ships; never a treaty, a programme or a jet), and none is on both sides; its
date's basis says the text stated it; and an event "that took place" is not dated after every report
of it. A confident event reads "22 August 2024: port call by Cavour in Yokosuka (took place; reported
by 2 independent sources)". Any other event is given as its source's own sentence, quoted and cited
("Harbour Times, 24 March 2024: “…”"), so the brief never asserts what the extraction is unsure of.

"Reported by N independent sources" counts sources as claims do (``resolve.claim_values``): one outlet
is one source, and near-identical sentences in two outlets (a syndicated copy) are one source.
Duplicates never reach the brief.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

import yaml

from newsgraph.outputs.brief_model import format_date, join_names, plural, sentence_span, single_sentence
from newsgraph.resolve.claim_values import StatedValue, independent_groups
from newsgraph.settings import KB_DIR

KEY_EVENTS = 8
ROLES = ("actor", "partner", "target")


@functools.cache
def rules() -> dict[str, Any]:
    return yaml.safe_load((KB_DIR / "brief.yaml").read_text(encoding="utf-8"))


@functools.cache
def _event_types() -> dict[str, dict[str, Any]]:
    return (yaml.safe_load((KB_DIR / "events.yaml").read_text(encoding="utf-8")) or {}).get("types") or {}


def event_labels() -> dict[str, str]:
    """Readable names of event types, from the event vocabulary (``kb/events.yaml``)."""
    return {t: str(spec.get("label") or t.lower()) for t, spec in _event_types().items()}


def modality_word(modality: str | None) -> str:
    return rules()["modality_words"].get(modality or "happened", modality or "")


def directed(event_type: str | None) -> bool:
    """Does the type need a target (a threat, an accusation, aid)? ``directed`` in kb/events.yaml wins."""
    spec = _event_types().get(event_type or "", {})
    if "directed" in spec:
        return bool(spec["directed"])
    if event_type in rules()["undirected_types"]:
        return False
    return spec.get("quad") in rules()["directed_quads"] or event_type in rules()["directed_types"]


# -- confidence ------------------------------------------------------------------------------------

def entity_of(data: Any, ident: str | None) -> dict[str, Any] | None:
    return data.entities.get(data.local_ids.get(ident, ident)) if ident else None


def _can_act(data: Any, participant: dict[str, Any]) -> bool:
    entity = entity_of(data, participant.get("entity"))
    if entity is None or entity["type"] not in rules()["actor_types"]:
        return False
    words = (entity.get("name") or participant.get("name") or "").lower().split()
    return bool(words) and words[-1] not in rules()["not_actor_heads"]


def stated_date(ev: dict[str, Any]) -> bool:
    date = ev.get("date") or {}
    return bool(date.get("start")) and date.get("basis") in rules()["stated_date_bases"]


def doubts(data: Any, ev: dict[str, Any]) -> list[str]:
    """Why the event cannot be stated as fact (empty when it is confident)."""
    out = []
    roles = [p for p in ev["participants"] if p.get("role") in ROLES]
    by_role = {r: [p for p in roles if p.get("role") == r] for r in ROLES}
    if not by_role["actor"]:
        out.append("no actor")
    if directed(ev.get("type")) and not by_role["target"]:
        out.append("no target")
    if any(not _can_act(data, p) for p in roles):
        out.append("a participant that cannot act")
    sides = defaultdict(set)
    for p in roles:
        sides[data.local_ids.get(p.get("entity"), p.get("entity")) or p.get("name")].add(p["role"])
    if any("actor" in r and len(r) > 1 for r in sides.values()):
        out.append("a participant on both sides")
    location = entity_of(data, ev.get("location"))
    if ev.get("location") and (location is None or location["type"] not in rules()["place_types"]):
        out.append("a location that is not a place")
    if not stated_date(ev):
        out.append("no stated date")
    elif ev.get("modality") == "happened" and str(ev["date"]["start"]) > (ev.get("last_published") or "9999"):
        out.append("dated after every report")
    return out


# -- independent sources ---------------------------------------------------------------------------

def source_groups(data: Any, ev: dict[str, Any]) -> dict[str, str]:
    """Reporting document -> its independent source (the first document of it): one outlet is one
    source, and near-identical sentences in two outlets (a syndicated copy) are one source."""
    sentences: dict[str, str] = {}
    for s in ev.get("sentences") or []:
        sentences.setdefault(s["doc"], s["text"] or "")
    values = [StatedValue(id=doc, doc=doc, normalized={}, outlet=(data.documents.get(doc) or {}).get("outlet"),
                          context=sentences.get(doc, ""),
                          duplicate_of=(data.documents.get(doc) or {}).get("duplicate_of"))
              for doc in dict.fromkeys(ev["docs"])]
    return independent_groups(values)


def independent_sources(data: Any, ev: dict[str, Any]) -> int:
    """How many independent sources report the event."""
    return len(set(source_groups(data, ev).values()))


# -- wording ---------------------------------------------------------------------------------------

def when(date: dict | None, first_published: str | None) -> str:
    """The event's date at its own granularity, else when it was first reported (a ``reported`` date is
    only that: the report's date, never shown as the event's)."""
    if date and date.get("start") and date.get("basis") != "reported":
        gran, start = date.get("granularity"), str(date["start"])
        if gran == "day":
            return format_date(start)
        if gran in ("week",):
            return f"week of {format_date(start)}"
        if gran == "month":
            return format_date(start[:7])
        if gran == "year" and start[:4] == str(date.get("end") or "")[:4]:
            return start[:4]
        if date.get("text"):
            end = str(date.get("end") or start)
            return f"{date['text']} ({format_date(start[:7])} to {format_date(end[:7])})"
    return f"undated, first reported {format_date(first_published)}" if first_published else "undated"


def _name(data: Any, p: dict[str, Any]) -> str:
    """The participant's name; a nationality acting for its state reads as the state ("Italian" → Italy)."""
    entity = entity_of(data, p.get("entity"))
    if entity is None:
        return p.get("name") or ""
    country = (entity.get("attributes") or {}).get("country")
    if entity["type"] == "NORP" and isinstance(country, str):
        from newsgraph.nlp.kb import load_kb

        known = load_kb().country(country)
        return known.name if known else entity["name"]
    return entity["name"]


def event_sentence(data: Any, ev: dict[str, Any], sources: int) -> str:
    """ "22 August 2024: port call by Cavour with Japan in Yokosuka (took place; reported by 2 independent
    sources)." — only for a confident event."""
    by_role: dict[str, list[str]] = defaultdict(list)
    for p in ev["participants"]:
        by_role[p.get("role") or ""].append(_name(data, p))
    label = event_labels().get(ev["type"], (ev["type"] or "event").lower())
    text = f"{when(ev['date'], ev.get('first_published'))}: {label}"
    for role, word in (("actor", "by"), ("partner", "with"), ("target", "against")):
        if by_role[role]:
            text += f" {word} {join_names(by_role[role])}"
    location = _name(data, {"entity": ev.get("location")}) if ev.get("location") else None
    if location and location not in text:
        text += f" in {location}"
    reported = f"reported by {plural(sources, 'independent source')}" if sources > 1 else "reported by 1 source"
    return f"{text} ({modality_word(ev['modality'])}; {reported}{_earlier_modality(ev)})."


def _earlier_modality(ev: dict[str, Any]) -> str:
    """", first reported as planned on 20 November 2023" when the modality changed over time."""
    for step in ev.get("history") or []:
        if step.get("modality") and step["modality"] != ev["modality"]:
            word = modality_word(step["modality"])
            return f"; first reported as {word} on {format_date(step.get('published'))}"
    return ""


def quoted_sentence(data: Any, ev: dict[str, Any], used: set[tuple[str, str]]) -> tuple[str, str, dict] | None:
    """(text, document, span quoted) for an event the brief does not state: its source's sentence, quoted
    (a sentence already quoted for another event is not quoted twice)."""
    for s in _quotable(data, ev):
        if (s["doc"], s["quote"]) in used:
            continue
        used.add((s["doc"], s["quote"]))
        doc = data.documents.get(s["doc"]) or {}
        outlet = doc.get("outlet") or doc.get("title") or "A source"
        return f"{outlet}, {format_date(doc.get('published'))}: “{s['quote']}”", s["doc"], s["span"]
    return None


def _quotable(data: Any, ev: dict[str, Any]) -> list[dict[str, Any]]:
    """The event's sentences as one line each (never a headline), those that carry the event's own date
    first, then in order of report."""
    date_text = (ev.get("date") or {}).get("text")
    out = []
    for i, s in enumerate(ev.get("sentences") or []):
        text, trigger = s["text"] or "", s.get("trigger")
        at = max(0, (trigger - (s.get("start") or 0)) if trigger is not None else 0)
        lo, hi = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        line = " ".join(text[lo : hi if hi != -1 else len(text)].split())
        title = " ".join(((data.documents.get(s["doc"]) or {}).get("title") or "").split())
        if 20 <= len(line) <= 400 and single_sentence(line) and line != title:
            own = bool(date_text) and (s.get("date_text") == date_text)
            base = s.get("start") or 0
            span = {"doc": s["doc"], "start": base + lo, "end": base + (hi if hi != -1 else len(text)),
                    "text": text[lo: hi if hi != -1 else len(text)]}
            out.append({**s, "quote": line, "rank": (not own, i), "span": span})
    return sorted(out, key=lambda s: s["rank"])


# -- the section -----------------------------------------------------------------------------------

def _rank(ev: dict[str, Any]) -> tuple:
    return (-len(ev["docs"]), -len(ev["participants"]), ev["date"] is None, ev["id"])


def _order(ev: dict[str, Any]) -> tuple:
    start = (ev["date"] or {}).get("start") if stated_date(ev) else None
    return (str(start or ev.get("first_published") or "9999"), ev["id"])


def timeline(con: Any, data: Any, citer: Any) -> list[list]:
    """The best-attested events (participants or a place needed), in date order; each stated when
    confident, else quoted from its source with the other reports as a sub-item."""
    useful = [ev for ev in data.events if ev["modality"] != "negated" and (ev["participants"] or ev["location"])]
    items, used = [], set()
    for ev in sorted(sorted(useful, key=_rank)[:KEY_EVENTS], key=_order):
        spans = [sentence_span(s) for s in ev.get("sentences") or []]
        groups = source_groups(data, ev)
        sources = len(set(groups.values()))
        if not doubts(data, ev):
            if s := citer.sentence(event_sentence(data, ev, sources), ev["docs"], spans):
                items.append([s])
            continue
        quoted = quoted_sentence(data, ev, used)
        if quoted is None or (s := citer.sentence(quoted[0], [quoted[1]], [quoted[2]])) is None:
            continue
        others = [d for d in ev["docs"] if groups.get(d) != groups.get(quoted[1])]
        more = citer.sentence(f"Also reported by {plural(sources - 1, 'other independent source')}", others, spans) \
            if others else None
        items.append([s, more] if more else [s])
    return items
