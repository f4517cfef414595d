"""Events across documents: event mentions that report one real event become one event.

Incremental and idempotent: only event mentions missing from ``event_map`` are new. For
each block of new mentions (same story and type; same type and a publication window
when there is no story) the already-resolved mentions of that block are fetched by SQL,
the clustering of ``resolve.event_coref`` runs with the existing events as fixed seeds,
and new mentions either join an existing event or form a new one. Every touched event
is then rebuilt from all its sources (participants, date, modality, history).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from newsgraph.model import GRANULARITIES, stable_id
from newsgraph.resolve.event_coref import Arg, EventMentionFeatures, cluster

# A story-less mention is compared with mentions of the same type published this close.
WINDOW_DAYS = 45
_COLUMNS = (
    "m.id, m.doc, m.type, m.plover, m.modality, m.summary, m.participants, m.location, m.date, "
    "m.quantities, m.trigger, m.sentence, CAST(d.published AS VARCHAR), d.story, d.title"
)
_FROM = "FROM event_mentions m JOIN documents d ON d.id = m.doc WHERE d.duplicate_of IS NULL"


def resolve_events(con, ctx=None) -> None:
    pending = [_row(r) for r in con.execute(
        f"SELECT {_COLUMNS} {_FROM} AND m.id NOT IN (SELECT event_mention FROM event_map) ORDER BY m.id"
    ).fetchall()]
    if not pending:
        return
    by_block: dict[tuple, list[dict]] = defaultdict(list)
    for row in pending:
        by_block[(row["story"], row["type"])].append(row)
    touched: set[str] = set()
    for (story, type_), rows in by_block.items():
        touched |= _resolve_block(con, story, type_, rows)
    for event_id in sorted(touched):
        _rebuild_event(con, event_id)


def _row(r: tuple) -> dict[str, Any]:
    keys = ("id", "doc", "type", "plover", "modality", "summary", "participants", "location", "date",
            "quantities", "trigger", "sentence", "published", "story", "title")
    row = dict(zip(keys, r, strict=True))
    for key, empty in (("participants", []), ("date", None), ("quantities", [])):
        row[key] = json.loads(row[key]) if row[key] else empty
    return row


def _candidates(con, story: str | None, type_: str, rows: list[dict]) -> list[dict]:
    """Already-resolved mentions of the same block, with the event each belongs to."""
    sql = f"SELECT {_COLUMNS}, em.event {_FROM.replace('WHERE', 'JOIN event_map em ON em.event_mention = m.id WHERE')}"
    if story is not None:
        found = con.execute(sql + " AND m.type = ? AND d.story = ?", [type_, story]).fetchall()
    else:
        days = [r["published"] for r in rows if r["published"]]
        if not days:
            return []
        found = con.execute(
            sql + " AND m.type = ? AND d.story IS NULL AND d.published BETWEEN "
            f"CAST(? AS DATE) - INTERVAL {WINDOW_DAYS} DAY AND CAST(? AS DATE) + INTERVAL {WINDOW_DAYS} DAY",
            [type_, min(days), max(days)],
        ).fetchall()
    out = []
    for r in found:
        row = _row(r[:-1])
        row["event"] = r[-1]
        out.append(row)
    return out


def _global_ids(con, rows: list[dict]) -> dict[str, str]:
    locals_ = sorted({p["entity"] for r in rows for p in r["participants"] if p.get("entity")})
    if not locals_:
        return {}
    marks = ",".join("?" * len(locals_))
    return dict(con.execute(f"SELECT local_entity, entity FROM entity_map WHERE local_entity IN ({marks})",
                            locals_).fetchall())


def _entity_types(con, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return dict(con.execute(f"SELECT id, type FROM entities WHERE id IN ({marks})", ids).fetchall()) | dict(
        con.execute(f"SELECT id, type FROM local_entities WHERE id IN ({marks})", ids).fetchall())


def features(row: dict, global_id: dict[str, str], types: dict[str, str]) -> EventMentionFeatures:
    """Clustering features of one stored event mention (participants under their global ids)."""
    args = set()
    for p in row["participants"]:
        local = p.get("entity")
        ident = global_id.get(local, local) if local else f"name:{p.get('name', '').lower()}"
        args.add(Arg(ident, types.get(ident) or types.get(local or "", ""), p.get("role", "")))
    date = row["date"] or {}
    return EventMentionFeatures(
        id=row["id"], doc=row["doc"], trigger_lemma=row["trigger"] or "", type=row["type"],
        sentence=row["sentence"] or "", context=" ".join(filter(None, [row["title"], row["summary"]])),
        participants=args, location=global_id.get(row["location"], row["location"]),
        date_start=date.get("start"), date_end=date.get("end"), granularity=date.get("granularity"),
        modality=row["modality"], published=row["published"], story=row["story"] or row["type"],
    )


def _resolve_block(con, story: str | None, type_: str, rows: list[dict]) -> set[str]:
    existing = _candidates(con, story, type_, rows)
    everything = existing + rows
    global_id = _global_ids(con, everything)
    types = _entity_types(con, sorted({*global_id.values(), *global_id.keys()}))
    feats = [features(r, global_id, types) for r in everything]
    for f in feats:  # one block: the SQL lookup already matched story and type
        f.story = "block"
    seeds: dict[str, list[str]] = defaultdict(list)
    for r in existing:
        seeds[r["event"]].append(r["id"])
    event_of = {r["id"]: r["event"] for r in existing}
    touched = set()
    for group in cluster(feats, seeds=list(seeds.values())):
        new = [mid for mid in group if mid not in event_of]
        if not new:
            continue
        old = {event_of[mid] for mid in group if mid in event_of}
        event_id = min(old) if old else stable_id("event", min(new))
        con.executemany("INSERT INTO event_map VALUES (?, ?)", [[mid, event_id] for mid in new])
        touched.add(event_id)
    return touched


# -- the event record ----------------------------------------------------------------------------


def _rebuild_event(con, event_id: str) -> None:
    rows = [_row(r) for r in con.execute(
        f"SELECT {_COLUMNS} {_FROM} AND m.id IN (SELECT event_mention FROM event_map WHERE event = ?)",
        [event_id]).fetchall()]
    rows.sort(key=lambda r: (r["published"] or "", r["id"]))
    global_id = _global_ids(con, rows)
    latest = rows[-1]
    stories = {r["story"] for r in rows}
    con.execute("DELETE FROM events WHERE id = ?", [event_id])
    con.execute(
        "INSERT INTO events (id, type, plover, modality, summary, participants, location, date, quantities, "
        "history, story) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [event_id, _majority([r["type"] for r in rows]), _majority([r["plover"] for r in rows]),
         event_modality(rows), latest["summary"], json.dumps(_participants(rows, global_id)),
         _majority([global_id.get(r["location"], r["location"]) for r in rows]),
         json.dumps(best_date([r["date"] for r in rows])), json.dumps(latest["quantities"]),
         json.dumps(history(rows)), stories.pop() if len(stories) == 1 else None],
    )


def _majority(values: list[Any]) -> Any:
    present = [v for v in values if v]
    return max(present, key=lambda v: (present.count(v), -present.index(v))) if present else None


def _participants(rows: list[dict], global_id: dict[str, str]) -> list[dict]:
    out: dict[tuple, dict] = {}
    for r in rows:
        for p in r["participants"]:
            ident = global_id.get(p.get("entity"), p.get("entity"))
            out.setdefault((ident or p.get("name"), p.get("role")),
                           {"entity": ident, "name": p.get("name"), "role": p.get("role")})
    return list(out.values())


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


def best_date(dates: list[dict | None]) -> dict | None:
    """The most precise date that agrees with (overlaps) the most other sources."""
    dated = [d for d in dates if d and d.get("start")]
    if not dated:
        return None

    def rank(d: dict) -> tuple[int, int]:
        agree = sum(_overlaps(d, o) for o in dated)
        gran = d.get("granularity")
        precision = -GRANULARITIES.index(gran) if gran in GRANULARITIES else -len(GRANULARITIES)
        return agree, precision

    return max(dated, key=rank)
