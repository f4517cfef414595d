"""Country-pair relations: monthly PLOVER event counts and a cooperation–conflict score per pair of states.

An event's states are the ISO3 codes of its actor and partner/target participants: a country's own
code, or the state a ship, force, leader or capital belongs to (entity attributes, else the KB).
Which participants pair up, the quad class and the Goldstein-like weight of each PLOVER category are
data: ``kb/plover.yaml`` (documented in docs/brief.md).
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

PLOVER_FILE = KB_DIR / "plover.yaml"
_ISO3 = re.compile(r"^[A-Z]{3}$")
_PLACE_TYPES = ("PLACE", "FACILITY")
# Dates this fine place an event in a month; coarser ones fall back to the first report's month.
_MONTH_GRANULARITIES = ("day", "week", "month")


@dataclass(frozen=True)
class PloverScale:
    categories: dict[str, dict[str, Any]]
    quads: dict[str, dict[str, Any]]
    excluded_modalities: frozenset[str]
    actor_roles: frozenset[str]
    counterpart_roles: dict[str, frozenset[str]]
    source: str

    def quad(self, plover: str) -> str | None:
        return (self.categories.get(plover) or {}).get("quad")

    def weight(self, plover: str) -> float:
        return float((self.categories.get(plover) or {}).get("weight", 0.0))

    def cooperative(self, plover: str) -> bool | None:
        quad = self.quad(plover)
        return bool(self.quads[quad]["cooperative"]) if quad in self.quads else None

    def label(self, plover: str, n: int = 2) -> str:
        """Readable name of a category: "1 agreement", "3 agreements"."""
        spec = self.categories.get(plover) or {}
        return str((spec.get("one") if n == 1 else spec.get("label")) or plover.lower())


@functools.cache
def load_plover(path: Path = PLOVER_FILE) -> PloverScale:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    roles = data.get("counterpart_roles") or {}
    return PloverScale(
        categories=data["categories"],
        quads=data["quads"],
        excluded_modalities=frozenset(data.get("excluded_modalities") or ()),
        actor_roles=frozenset(data.get("actor_roles") or ("actor",)),
        counterpart_roles={k: frozenset(v) for k, v in roles.items()},
        source=str(data.get("source", "")),
    )


def normalise_pair(pair: str) -> str:
    """``"jpn-ita"`` → ``"ITA-JPN"``: pairs are unordered, written sorted."""
    codes = [c.strip().upper() for c in re.split(r"[-–/,\s]+", pair) if c.strip()]
    if len(codes) != 2 or not all(_ISO3.match(c) for c in codes):
        raise ValueError(f"{pair!r}: a pair is two ISO3 codes, e.g. ITA-JPN")
    return "-".join(sorted(codes))


# -- states of entities ------------------------------------------------------------------------------


def state_of(entity: dict[str, Any], kb: Any = None) -> str | None:
    """ISO3 of the state an entity is or belongs to, from its attributes, else from the KB."""
    attrs = entity.get("attributes") or {}
    if entity.get("type") == "COUNTRY" and _ISO3.match(str(attrs.get("iso3", ""))):
        return attrs["iso3"]
    if entity.get("type") in _PLACE_TYPES and not (attrs.get("capital") is True or attrs.get("seat") is True):
        return None  # a place is where things happen: its country never acts through it
    country = attrs.get("country")
    if isinstance(country, str) and _ISO3.match(country):
        return country
    if kb is None:
        return None
    for kb_id in (entity.get("kb_ids") or {}).values():
        code = kb.country_code(kb_id)
        if code:
            return code
    return None


def participant_state(participant: dict[str, Any], states: dict[str, str]) -> str | None:
    """The state a participant stands for in its event: its own ``country`` when a role rule set one
    (the affected population of a place, a group the sentence places), else its entity's state."""
    code = participant.get("country")
    if isinstance(code, str) and _ISO3.match(code):
        return code
    return states.get(participant.get("entity") or "")


def _load_entities(con, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Entities by global id, and by local id for participants that were never mapped."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    params = sorted(ids)
    out: dict[str, dict[str, Any]] = {}
    rows = con.execute(
        f"SELECT m.local_entity, e.id, e.type, e.kb_ids, e.attributes FROM entity_map m "
        f"JOIN entities e ON e.id = m.entity WHERE m.local_entity IN ({marks})", params).fetchall()
    rows += con.execute(
        f"SELECT id, id, type, kb_ids, attributes FROM entities WHERE id IN ({marks})", params).fetchall()
    for key, eid, type_, kb_ids, attrs in rows:
        out[key] = {"id": eid, "type": type_, "kb_ids": json.loads(kb_ids or "{}"),
                    "attributes": json.loads(attrs or "{}")}
    return out


# -- events → pairs ------------------------------------------------------------------------------------


def event_pairs(participants: list[dict], states: dict[str, str], scale: PloverScale,
                plover: str) -> set[tuple[str, str]]:
    """Unordered state pairs an event relates: actor × counterpart, plus co-actors when cooperative."""
    cooperative = scale.cooperative(plover)
    if cooperative is None:
        return set()
    kind = "cooperative" if cooperative else "conflictual"
    counter_roles = scale.counterpart_roles.get(kind, frozenset())
    actors = {code for p in participants
              if p.get("role") in scale.actor_roles and (code := participant_state(p, states))}
    counters = {code for p in participants
                if p.get("role") in counter_roles and (code := participant_state(p, states))}
    pairs = {tuple(sorted((a, c))) for a in actors for c in counters if a != c}
    if cooperative:
        pairs |= {tuple(sorted((a, b))) for a in actors for b in actors if a < b}
    return pairs  # type: ignore[return-value]


def _mention_participants(per_mention: list | None, merged: str | None) -> list[list[dict]]:
    """Participants of each report of an event. A pair must come from one report's own roles: the actor
    of one report and the target of another are not a dyad (two "warned" in one story are two acts).
    Stores whose mentions carry no participants fall back to the merged event's."""
    lists = [json.loads(p) for p in per_mention or [] if p]
    lists = [ps for ps in lists if ps]
    return lists or [json.loads(merged or "[]")]


def event_month(date: dict | None, first_published: str | None) -> str | None:
    """``YYYY-MM`` of the event's own date when it is at most a month wide, else of its first report."""
    if date and date.get("start") and date.get("granularity") in _MONTH_GRANULARITIES:
        return str(date["start"])[:7]
    return str(first_published)[:7] if first_published else None


def _event_rows(con, story: str | None, event_ids: list[str] | None) -> list[tuple]:
    sql = ("SELECT e.id, e.plover, e.modality, e.participants, e.date, min(d.published), "
           "list(DISTINCT d.id ORDER BY d.id), list(m.participants), e.summary, "
           # the first report (by date, then document, then offset): its document and trigger offset together
           "min({'day': coalesce(d.published, DATE '9999-12-31'), 'doc': m.doc, 'start': m.trigger_start}) "
           "FROM events e "
           "JOIN event_map em ON em.event = e.id JOIN event_mentions m ON m.id = em.event_mention "
           "JOIN documents d ON d.id = m.doc WHERE d.duplicate_of IS NULL")
    params: list[Any] = []
    if story is not None:
        sql += " AND e.story = ?"
        params.append(story)
    if event_ids is not None:
        if not event_ids:
            return []
        sql += f" AND e.id IN ({','.join('?' * len(event_ids))})"
        params.extend(event_ids)
    sql += " GROUP BY e.id, e.plover, e.modality, e.participants, e.date, e.summary ORDER BY e.id"
    return con.execute(sql, params).fetchall()


def related_events(con, scale: PloverScale, kb: Any, story: str | None = None,
                   event_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """One record per (event, pair): the pair, month, category and reporting documents."""
    rows = [r for r in _event_rows(con, story, event_ids)
            if r[1] and r[2] not in scale.excluded_modalities]
    parsed = [(r, _mention_participants(r[7], r[3])) for r in rows]
    entities = _load_entities(con, {p["entity"] for _, ms in parsed for ps in ms for p in ps if p.get("entity")})
    states = {key: code for key, ent in entities.items() if (code := state_of(ent, kb))}
    out = []
    for (eid, plover, modality, _, date, published, docs, _m, summary, first), mentions in parsed:
        first_doc, start = first["doc"], first["start"]
        month = event_month(json.loads(date) if date else None, str(published) if published else None)
        if month is None:
            continue
        pairs = set().union(*(event_pairs(ps, states, scale, plover) for ps in mentions)) if mentions else set()
        for pair in sorted(pairs):
            out.append({"event": eid, "pair": "-".join(pair), "month": month, "plover": plover,
                        "modality": modality, "documents": list(docs),
                        "ref": {"id": eid, "summary": summary or "", "doc": first_doc, "start": start}})
    return out


def aggregate(records: list[dict[str, Any]], scale: PloverScale) -> list[dict[str, Any]]:
    """Rows per (pair, month, PLOVER category) with counts, the category's score and the month's score."""
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for rec in records:
        groups[(rec["pair"], rec["month"], rec["plover"])].append(rec)
    month_weights: dict[tuple[str, str], list[float]] = defaultdict(list)
    for (pair, month, plover), recs in groups.items():
        month_weights[(pair, month)].extend(scale.weight(plover) for _ in recs)
    rows = []
    for (pair, month, plover), recs in sorted(groups.items()):
        n, cooperative, weight = len(recs), scale.cooperative(plover), scale.weight(plover)
        weights = month_weights[(pair, month)]
        rows.append({
            "pair": pair, "month": month, "plover": plover, "quad": scale.quad(plover),
            "cooperative": n if cooperative else 0, "conflictual": 0 if cooperative else n,
            "weight": weight, "score": round(weight * n, 2),
            "month_score": round(sum(weights) / len(weights), 2),
            "events": sorted({r["event"] for r in recs}),
            "event_refs": _refs(recs),
            "documents": sorted({d for r in recs for d in r["documents"]}),
        })
    return rows


def _refs(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each event behind a row once: id, summary, and where its first report names it (doc, offset)."""
    refs = {r["ref"]["id"]: r["ref"] for r in recs if r.get("ref")}
    return [refs[k] for k in sorted(refs)]


def country_pair_relations(con, pair: str | None = None, story: str | None = None,
                           event_ids: list[str] | None = None, kb: Any = None) -> list[dict[str, Any]]:
    """Monthly relations of every pair of states (or one ``pair``, e.g. ``"ITA-JPN"``).

    Rows: ``pair, month, plover, quad, cooperative, conflictual, weight, score`` (weight × events),
    ``month_score`` (mean weight of all the pair's events that month, −10..+10), ``events`` (ids),
    ``event_refs`` (id, summary, and the first report's document and trigger offset), ``documents``.
    """
    if kb is None:
        from newsgraph.nlp.kb import load_kb

        kb = load_kb()
    scale = load_plover()
    records = related_events(con, scale, kb, story=story, event_ids=event_ids)
    if pair is not None:
        wanted = normalise_pair(pair)
        records = [r for r in records if r["pair"] == wanted]
    return aggregate(records, scale)


def pair_months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows rolled up per (pair, month): totals and the month score, for tables and charts."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["pair"], row["month"])].append(row)
    out = []
    for (pair, month), parts in sorted(groups.items()):
        out.append({
            "pair": pair, "month": month,
            "cooperative": sum(p["cooperative"] for p in parts),
            "conflictual": sum(p["conflictual"] for p in parts),
            "score": parts[0]["month_score"],
            "categories": {p["plover"]: p["cooperative"] + p["conflictual"] for p in parts},
            "events": sorted({e for p in parts for e in p["events"]}),
            "event_refs": sorted({r["id"]: r for p in parts for r in p.get("event_refs", [])}.values(),
                                 key=lambda r: r["id"]),
            "documents": sorted({d for p in parts for d in p["documents"]}),
        })
    return out
