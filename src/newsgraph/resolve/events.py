"""Events across documents: event mentions that report one real event become one event.

Incremental and idempotent: only event mentions missing from ``event_map`` are new. For
each block of new mentions (same story and type; same type and a publication window
when there is no story) the already-resolved mentions of that block are fetched by SQL,
the clustering of ``resolve.event_coref`` runs with the existing events as fixed seeds,
and new mentions either join an existing event or form a new one. Every touched event
is then rebuilt from all its sources (participants, date, modality, history).

Cost grows with the new mentions, not with round trips: candidates, entity ids and the
sources of touched events are each fetched by one set-based query (Arrow-registered key
tables joined in SQL), and ``event_map``/``events`` are written with one bulk statement
each, so a run sends a constant number of statements however many blocks and events.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

import pyarrow as pa

from newsgraph.model import GRANULARITIES, stable_id
from newsgraph.resolve.event_coref import Arg, EventMentionFeatures, cluster
from newsgraph.resolve.scope import in_scope

# A story-less mention is compared with mentions of the same type published this close.
WINDOW_DAYS = 45
_COLUMNS = (
    "m.id, m.doc, m.type, m.plover, m.modality, m.summary, m.participants, m.location, m.date, "
    "m.quantities, m.trigger, m.sentence, CAST(d.published AS VARCHAR), d.story, d.title"
)
_FROM = "FROM event_mentions m JOIN documents d ON d.id = m.doc WHERE d.duplicate_of IS NULL"


def resolve_events(con, ctx=None) -> None:
    pending = [_row(r) for r in con.execute(
        f"SELECT {_COLUMNS} {_FROM} AND m.id NOT IN (SELECT event_mention FROM event_map) "
        f"AND {in_scope(con, 'm.doc')} ORDER BY m.id"
    ).fetchall()]
    if not pending:
        return
    by_block: dict[tuple, list[dict]] = defaultdict(list)
    for row in pending:
        by_block[(row["story"], row["type"])].append(row)
    existing = _candidates(con, by_block)
    every_row = pending + [r for rows in existing.values() for r in rows]
    global_id, types = _entity_lookups(con, every_row)
    assigned: dict[str, str] = {}
    for key, rows in by_block.items():
        assigned |= _resolve_block(existing.get(key, []), rows, global_id, types)
    _insert(con, "event_map", ("event_mention", "event"), [[m, e] for m, e in sorted(assigned.items())])
    _rebuild_events(con, sorted(set(assigned.values())))


def _row(r: tuple) -> dict[str, Any]:
    keys = ("id", "doc", "type", "plover", "modality", "summary", "participants", "location", "date",
            "quantities", "trigger", "sentence", "published", "story", "title")
    row = dict(zip(keys, r, strict=True))
    for key, empty in (("participants", []), ("date", None), ("quantities", [])):
        row[key] = json.loads(row[key]) if row[key] else empty
    return row


# -- set-based lookups: a handful of queries per run, never one per block or per event -----------


def _candidates(con, by_block: dict[tuple, list[dict]]) -> dict[tuple, list[dict]]:
    """Already-resolved mentions of every pending block (same story and type; story-less: same
    type, published within WINDOW_DAYS of the block's pending mentions), with their event."""
    keys = [(story, type_) for story, type_ in by_block if story is not None]
    windows = []
    for (story, type_), rows in by_block.items():
        days = [r["published"] for r in rows if r["published"]]
        if story is None and days:
            windows.append((type_, min(days), max(days)))
    found = []
    if keys:
        _register(con, "_ng_event_blocks", ("story", "type"), keys)
        try:
            found += con.execute(_mapped("JOIN _ng_event_blocks b ON b.story = d.story AND b.type = m.type")
                                 + " ORDER BY m.id").fetchall()
        finally:
            con.unregister("_ng_event_blocks")
    if windows:
        _register(con, "_ng_event_windows", ("type", "lo", "hi"), windows)
        try:
            found += con.execute(
                _mapped("JOIN _ng_event_windows w ON w.type = m.type") + " AND d.story IS NULL AND d.published "
                f"BETWEEN CAST(w.lo AS DATE) - INTERVAL {WINDOW_DAYS} DAY "
                f"AND CAST(w.hi AS DATE) + INTERVAL {WINDOW_DAYS} DAY ORDER BY m.id").fetchall()
        finally:
            con.unregister("_ng_event_windows")
    out: dict[tuple, list[dict]] = defaultdict(list)
    for r in found:
        row = _row(r[:-1])
        row["event"] = r[-1]
        out[(row["story"], row["type"])].append(row)
    return out


def _mapped(join: str) -> str:
    """Resolved mentions of non-duplicate documents with their event (last column), narrowed by ``join``."""
    return (f"SELECT {_COLUMNS}, em.event FROM event_mentions m JOIN documents d ON d.id = m.doc "
            f"JOIN event_map em ON em.event_mention = m.id {join} WHERE d.duplicate_of IS NULL")


def _entity_lookups(con, rows: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """local entity -> global entity, and id -> entity type, for every participant of ``rows``."""
    global_id = _global_ids(con, rows)
    return global_id, _entity_types(con, sorted({*global_id, *global_id.values()}))


def _global_ids(con, rows: list[dict]) -> dict[str, str]:
    locals_ = sorted({p["entity"] for r in rows for p in r["participants"] if p.get("entity")})
    if not locals_:
        return {}
    _register(con, "_ng_event_ids", ("id",), [[x] for x in locals_])
    try:
        return dict(con.execute("SELECT em.local_entity, em.entity FROM entity_map em "
                                "JOIN _ng_event_ids i ON i.id = em.local_entity").fetchall())
    finally:
        con.unregister("_ng_event_ids")


def _entity_types(con, ids: list[str]) -> dict[str, str]:
    """Canonical entity types, overridden by document-local ones (as the per-block lookup did)."""
    if not ids:
        return {}
    _register(con, "_ng_event_ids", ("id",), [[x] for x in ids])
    try:
        types: dict[str, str] = {}
        for table in ("entities", "local_entities"):
            types |= dict(con.execute(f"SELECT e.id, e.type FROM {table} e JOIN _ng_event_ids i ON i.id = e.id")
                          .fetchall())
        return types
    finally:
        con.unregister("_ng_event_ids")


def _restrict(rows: list[dict], global_id: dict[str, str], types: dict[str, str]
              ) -> tuple[dict[str, str], dict[str, str]]:
    """The lookups limited to the participants of ``rows``, as a per-block query would return them
    (a location is mapped only when it also names a participant of these rows)."""
    local = {p["entity"] for r in rows for p in r["participants"] if p.get("entity")}
    mine = {k: global_id[k] for k in local if k in global_id}
    return mine, {k: types[k] for k in {*mine, *mine.values()} if k in types}


def _register(con, name: str, columns: tuple[str, ...], rows: list[list[Any]] | list[tuple]) -> None:
    con.register(name, pa.table({c: pa.array([r[i] for r in rows], pa.string()) for i, c in enumerate(columns)}))


def _insert(con, table: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """One INSERT ... SELECT from an Arrow table (executemany runs one statement per row)."""
    if not rows:
        return
    _register(con, "_ng_event_rows", columns, rows)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM _ng_event_rows")
    finally:
        con.unregister("_ng_event_rows")


def features(row: dict, global_id: dict[str, str], types: dict[str, str]) -> EventMentionFeatures:
    """Clustering features of one stored event mention (participants under their global ids)."""
    args = set()
    for p in row["participants"]:
        local = p.get("entity")
        ident = global_id.get(local, local) if local else f"name:{p.get('name', '').lower()}"
        args.add(Arg(ident, types.get(ident) or types.get(local or "", ""), p.get("role", "")))
    date = stated_date(row["date"]) or {}  # a report's date says nothing about when the event happened
    return EventMentionFeatures(
        id=row["id"], doc=row["doc"], trigger_lemma=row["trigger"] or "", type=row["type"],
        sentence=row["sentence"] or "", context=" ".join(filter(None, [row["title"], row["summary"]])),
        participants=args, location=global_id.get(row["location"], row["location"]),
        date_start=date.get("start"), date_end=date.get("end"), granularity=date.get("granularity"),
        modality=row["modality"], published=row["published"], story=row["story"] or row["type"],
    )


def _resolve_block(existing: list[dict], rows: list[dict], global_id: dict[str, str],
                   types: dict[str, str]) -> dict[str, str]:
    """New mention id -> event id for one block; existing events are fixed seeds."""
    everything = existing + rows
    block_ids, block_types = _restrict(everything, global_id, types)
    feats = [features(r, block_ids, block_types) for r in everything]
    for f in feats:  # one block: the SQL lookup already matched story and type
        f.story = "block"
    seeds: dict[str, list[str]] = defaultdict(list)
    for r in existing:
        seeds[r["event"]].append(r["id"])
    event_of = {r["id"]: r["event"] for r in existing}
    assigned: dict[str, str] = {}
    for group in cluster(feats, seeds=list(seeds.values())):
        new = [mid for mid in group if mid not in event_of]
        if not new:
            continue
        old = {event_of[mid] for mid in group if mid in event_of}
        event_id = min(old) if old else stable_id("event", min(new))
        assigned |= dict.fromkeys(new, event_id)
    return assigned


# -- the event record ----------------------------------------------------------------------------

_EVENT_COLUMNS = ("id", "type", "plover", "modality", "summary", "participants", "location", "date",
                  "quantities", "history", "story")


def _rebuild_events(con, event_ids: list[str]) -> None:
    """Rebuild every touched event from all its sources: one read, one delete, one insert."""
    if not event_ids:
        return
    _register(con, "_ng_touched", ("id",), [[e] for e in event_ids])
    try:
        found = con.execute(_mapped("JOIN _ng_touched t ON t.id = em.event")).fetchall()
        con.execute("DELETE FROM events WHERE id IN (SELECT id FROM _ng_touched)")
    finally:
        con.unregister("_ng_touched")
    sources: dict[str, list[dict]] = defaultdict(list)
    for r in found:
        sources[r[-1]].append(_row(r[:-1]))
    global_id = _global_ids(con, [r for rows in sources.values() for r in rows])
    _insert(con, "events", _EVENT_COLUMNS,
            [event_record(e, sources[e], global_id) for e in event_ids if sources.get(e)])


def event_record(event_id: str, rows: list[dict], global_id: dict[str, str]) -> list[Any]:
    """One ``events`` row (columns ``_EVENT_COLUMNS``) from the stored mentions of the event."""
    rows = sorted(rows, key=lambda r: (r["published"] or "", r["id"]))
    global_id, _ = _restrict(rows, global_id, {})
    latest = rows[-1]
    stories = {r["story"] for r in rows}
    when = best_date([r["date"] for r in rows])
    named = [_named(r) for r in rows]
    return [event_id, _majority([r["type"] for r in rows], named), _majority([r["plover"] for r in rows], named),
            event_modality(rows), _summary(_dated_by(rows, when)["summary"], event_modality(rows)),
            json.dumps(_participants(rows, global_id)),
            _majority([global_id.get(r["location"], r["location"]) for r in rows]),
            json.dumps(when), json.dumps(latest["quantities"]),
            json.dumps(history(rows)), stories.pop() if len(stories) == 1 else None]


def _dated_by(rows: list[dict], when: dict | None) -> dict:
    """The latest report whose date is the event's date (its summary line names that date), else the
    latest report: the line never says "undated" of an event another report dates, nor gives another date."""
    return next((r for r in reversed(rows) if r["date"] == when), rows[-1])


def _summary(text: str | None, modality: str | None) -> str | None:
    """The latest report's summary line, tagged with the event's own modality (record, summary and
    export never disagree: "[expected]" in the text of a "happened" event would)."""
    if not text or not modality:
        return text
    return re.sub(r"\[(happened|planned|announced|expected|negated)\]\s*$", f"[{modality}]", text)


def _majority(values: list[Any], weights: list[int] | None = None) -> Any:
    """The value most reports give; a tie goes to the value of the report that names the most
    participants ("Italy and Japan held a joint exercise" over "the frigate led the exercise": a joint
    exercise of two states is cooperation, one ship's exercise a show of force), then to the first."""
    weights = weights or [0] * len(values)
    present = [(v, w) for v, w in zip(values, weights, strict=True) if v]
    if not present:
        return None
    order = [v for v, _ in present]

    def key(v: Any) -> tuple[int, int, int]:
        return order.count(v), max(w for x, w in present if x == v), -order.index(v)

    return max(order, key=key)


def _named(row: dict) -> int:
    """How many participants (actors and counterparts) a report names for the event."""
    return sum(1 for p in row["participants"] if p.get("role") in ("actor", "partner", "target"))


ROLE_ORDER = ("actor", "partner", "target", "instrument", "topic")


def _participants(rows: list[dict], global_id: dict[str, str]) -> list[dict]:
    """Each participant once, in the role most of the event's reports give it (ties: actor first):
    an entity one report names as actor and another as target is not both."""
    votes: dict[Any, Counter] = defaultdict(Counter)
    first: dict[Any, dict] = {}
    for r in rows:
        for p in r["participants"]:
            ident = global_id.get(p.get("entity"), p.get("entity"))
            key = ident or p.get("name")
            votes[key][p.get("role")] += 1
            first.setdefault(key, {"entity": ident, "name": p.get("name")})
            if p.get("country") and "country" not in first[key]:  # the state it stands for, and why
                first[key].update(country=p["country"], basis=p.get("basis"))

    def rank(role: str | None, n: int) -> tuple[int, int]:
        return n, -(ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER))

    return [{**first[k], "role": max(c.items(), key=lambda kv: rank(*kv))[0]} for k, c in votes.items()]


def history(rows: list[dict]) -> list[dict]:
    """Every source's view, in publication order: "planned" then "happened" stays visible."""
    return [{"doc": r["doc"], "published": r["published"], "modality": r["modality"], "date": r["date"]}
            for r in sorted(rows, key=lambda r: (r["published"] or "", r["doc"]))]


def event_modality(rows: list[dict]) -> str | None:
    """The latest source's modality, except that a later "planned" never undoes a reported "happened"."""
    ordered = sorted(rows, key=lambda r: (r["published"] or "", r["modality"] == "happened"))
    modality = ordered[-1]["modality"] if ordered else None
    if modality in ("planned", "announced", "expected") and any(r["modality"] == "happened" for r in rows):
        return "happened"
    return modality


def _overlaps(a: dict, b: dict) -> bool:
    return not ((a.get("end") or a["start"]) < b["start"] or (b.get("end") or b["start"]) < a["start"])


def stated_date(date: dict | None) -> dict | None:
    """The date when the text gives one; None for an undated event dated by its report (basis ``reported``)."""
    return date if date and date.get("start") and date.get("basis") != "reported" else None


def best_date(dates: list[dict | None]) -> dict | None:
    """The most precise date that agrees with (overlaps) the most other sources.

    Dates the texts give win over report dates; an event no source dates keeps its first report's date.
    """
    dated = [d for d in dates if stated_date(d)]
    if not dated:
        reported = [d for d in dates if d and d.get("start")]
        return min(reported, key=lambda d: d["start"]) if reported else None

    def rank(d: dict) -> tuple[int, int]:
        agree = sum(_overlaps(d, o) for o in dated)
        gran = d.get("granularity")
        precision = -GRANULARITIES.index(gran) if gran in GRANULARITIES else -len(GRANULARITIES)
        return agree, precision

    return max(dated, key=rank)
