"""Clustering mentions into document-local entities, with KB attributes and coordinates."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgraph.extract import names
from newsgraph.extract.entities.candidates import Cand
from newsgraph.extract.entities.roles import person_roles
from newsgraph.model import Entity, Mention, one_entity_per_id, stable_id
from newsgraph.model import Span as TextSpan
from newsgraph.nlp.kb import NORP, KBEntry, KnowledgeBase, normalise, place_coordinates

PRIORITY = {"kb": 2, "rule": 2, "model": 1}
KEEP_ATTRS = (
    "iso2",
    "iso3",
    "capital",
    "country",
    "countries",
    "acronym",
    "class",
    "operator",
    "lat",
    "lon",
    "seat",
)



# -- clustering into document-local entities -----------------------------------------------
def cluster(cands: list[Cand], doc_id: str, text: str, kb: KnowledgeBase) -> tuple[list, list]:
    keys = _cluster_keys(cands, text)
    groups: dict[str, list[Cand]] = {}
    for cand, key in zip(cands, keys, strict=True):
        groups.setdefault(key, []).append(cand)
    mentions, entities = [], []
    for group in groups.values():
        entity = _entity(group, cands, doc_id, text, kb)
        entities.append(entity)
        for cand in group:
            mentions.append(
                Mention(
                    doc_id,
                    cand.start,
                    cand.end,
                    text[cand.start : cand.end],
                    cand.label,
                    entity.id,
                    cand.kb_id,
                    cand.source,
                )
            )
    mentions.sort(key=lambda m: m.start)
    return mentions, one_entity_per_id(entities)


def _cluster_keys(cands: list[Cand], text: str) -> list[str]:
    persons = [
        (i, names.clean_name(text[c.start : c.end])) for i, c in enumerate(cands) if c.label == "PERSON"
    ]
    full = [(i, n) for i, n in persons if len(n.split()) > 1]
    # A person the KB knows (by a full name or a distinctive surname, read as the full name it stands for
    # in this document): the model's spans of that name, and the surnames anchored to it, are that person
    # too, not a second entity of the same name and id.
    known = {_tokens(n): f"kb:{cands[i].kb_id}" for i, n in full if cands[i].kb_id}
    keys = []
    for i, cand in enumerate(cands):
        name = names.clean_name(text[cand.start : cand.end])
        if cand.kb_id and cand.label == NORP:  # "Italians" is not "Italy": its own entity
            keys.append(f"norp:{cand.kb_id}")
        elif cand.kb_id:
            keys.append(f"kb:{cand.kb_id}")
        elif cand.label == "PERSON":
            tokens = _tokens(_person_anchor(i, name, full))
            keys.append(known.get(tokens, f"person:{tokens}"))
        else:
            keys.append(f"{cand.label}:{normalise(cand.extra.get('alias_of') or name)}")
    return keys


def _tokens(name: str) -> str:
    return " ".join(sorted(names.name_tokens(name)))


def _person_anchor(i: int, name: str, full: list[tuple[int, str]]) -> str:
    """The full name a surname-only mention stands for: the nearest earlier one, else the nearest later."""
    if len(name.split()) > 1:
        return name
    matches = [(j, n) for j, n in full if names.is_part_name(name, n)]
    surname = [(j, n) for j, n in matches if names.name_tokens(n)[-1] == name.lower()]
    matches = surname or matches
    if not matches:
        return name
    earlier = [m for m in matches if m[0] < i]
    return (earlier[-1] if earlier else matches[0])[1]


def _entity(group: list[Cand], cands: list[Cand], doc_id: str, text: str, kb: KnowledgeBase) -> Entity:
    kb_id = next((c.kb_id for c in group if c.kb_id), None)
    entry = kb.get(kb_id) if kb_id else None
    label = _group_label(group)
    forms = [names.clean_name(text[c.start : c.end]) for c in group]
    nationality = entry if entry is not None and label == NORP else None
    entry = None if nationality is not None else entry
    canonical = entry.name if entry else _canonical(forms, label)
    aliases = sorted(
        {f for f in forms if f != canonical} | {c.extra["acronym"] for c in group if "acronym" in c.extra}
    )
    entity = Entity(
        id=stable_id("ent", doc_id, label, canonical),
        name=canonical,
        type=label,
        aliases=aliases,
        mentions=[TextSpan(doc_id, c.start, c.end, text[c.start : c.end]) for c in group],
    )
    country = next((c.extra["country"] for c in group if c.extra.get("country")), None)
    if country:
        entity.attributes["country"] = country  # e.g. the state of a ship prefix ("HMS" → GBR)
    if nationality is not None:
        entity.attributes.update(_nationality_attributes(nationality))
    if entry is not None:
        _kb_attributes(entity, entry)
    elif label in ("PLACE", "FACILITY"):
        entity.attributes.update(_geo(canonical))
    if label == "PERSON":
        entity.attributes.update(person_roles(group, cands, text, kb))
    return entity


def _nationality_attributes(entry: KBEntry) -> dict[str, Any]:
    """A demonym's entity is no COUNTRY, and carries no KB id of one: it names the country it stands for."""
    iso3 = entry.attributes.get("iso3") if entry.type == "COUNTRY" else entry.attributes.get("country")
    attrs: dict[str, Any] = {"nationality": entry.name}
    if isinstance(iso3, str):
        attrs["country"] = iso3
    return attrs


def _group_label(group: list[Cand]) -> str:
    best = max(PRIORITY.get(c.source, 0) for c in group)
    return Counter(c.label for c in group if PRIORITY.get(c.source, 0) == best).most_common(1)[0][0]


def _canonical(forms: list[str], label: str) -> str:
    if label == "PERSON":
        longest = max(forms, key=lambda f: len(f.split()))
        return longest
    counts = Counter(forms)
    return max(forms, key=lambda f: (len(f.split()) > 1, counts[f], len(f)))


def _kb_attributes(entity: Entity, entry: KBEntry) -> None:
    entity.kb_ids["kb"] = entry.id
    if entry.wikidata:
        entity.kb_ids["wikidata"] = entry.wikidata
    entity.attributes.update({k: v for k, v in entry.attributes.items() if k in KEEP_ATTRS})
    if (
        "lat" not in entity.attributes
        and entry.type in ("PLACE", "FACILITY")
        and entry.attributes.get("country")
    ):
        entity.attributes.update(_geo(entry.name, entry.attributes.get("country")))


def _geo(name: str, iso3: str | None = None) -> dict[str, Any]:
    found = place_coordinates(name, iso3)
    if not found:
        return {}
    return {
        "lat": found["lat"],
        "lon": found["lon"],
        "country": found["country"],
        "geonames": str(found["geonameid"]),
    }
