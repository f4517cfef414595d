"""The relations view: per country pair, the monthly rows of ``outputs.relations.country_pair_relations``.

``event_pairs`` keeps each event's pair records (``related_events``); an ingest recomputes them for
the events it touched, and the views of the pairs those events had or now have are rebuilt from the
pair's records (``aggregate``). ``/api/dyads`` and the relations page read the pair views.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from newsgraph.views.changes import Touched
from newsgraph.views.registry import View, register

TOUCHED_EVENTS = "_ng_view_pair_events"


def update_event_pairs(con, touched: Touched) -> None:
    from newsgraph.nlp.kb import load_kb
    from newsgraph.outputs.relations import load_plover, related_events

    events = sorted(touched.events)
    if not events:
        touched.extra["pairs"] = set()
        return
    con.register(TOUCHED_EVENTS, pa.table({"id": pa.array(events, pa.string())}))
    try:
        old = {r[0] for r in con.execute(
            f"SELECT DISTINCT pair FROM event_pairs WHERE event IN (SELECT id FROM {TOUCHED_EVENTS})").fetchall()}
        con.execute(f"DELETE FROM event_pairs WHERE event IN (SELECT id FROM {TOUCHED_EVENTS})")
    finally:
        con.unregister(TOUCHED_EVENTS)
    records = related_events(con, load_plover(), load_kb(), event_ids=events)
    if records:
        con.register("_ng_pair_rows", pa.table({
            "event": pa.array([r["event"] for r in records], pa.string()),
            "pair": pa.array([r["pair"] for r in records], pa.string()),
            "record": pa.array([json.dumps(r, default=str) for r in records], pa.string())}))
        try:
            con.execute("INSERT INTO event_pairs SELECT * FROM _ng_pair_rows")
        finally:
            con.unregister("_ng_pair_rows")
    touched.extra["pairs"] = old | {r["pair"] for r in records}


def build(con, pairs: list[str]) -> dict[str, dict[str, Any] | None]:
    from newsgraph.outputs.relations import aggregate, load_plover

    con.register("_ng_view_pairs", pa.table({"pair": pa.array(pairs, pa.string())}))
    try:
        rows = con.execute("SELECT p.pair, p.record FROM event_pairs p JOIN _ng_view_pairs w ON w.pair = p.pair "
                           "ORDER BY p.event").fetchall()
    finally:
        con.unregister("_ng_view_pairs")
    records: dict[str, list[dict]] = {p: [] for p in pairs}
    for pair, record in rows:
        records[pair].append(json.loads(record))
    scale = load_plover()
    return {p: {"pair": p, "rows": aggregate(recs, scale)} if recs else None for p, recs in records.items()}


def _keys(con, touched: Touched) -> set[str]:
    return set(touched.extra.get("pairs", ()))


register(View("relations", keys=_keys, build=build, before=update_event_pairs))
