"""The entity graph (GraphML for Gephi, yEd, networkx), built from the relational tables.

Nodes are entities. Edges, aggregated per (from, to, relation, label) with ``weight`` = how many
events or quotes support them:

* ``event``: actor → partner/target of the same event, labelled with its PLOVER category;
* ``co_participant``: any two participants of the same event (from = the smaller id);
* ``quote_mention``: speaker → an entity named inside one of the speaker's quotes.

GraphML attributes are typed and never null (networkx cannot write None): missing text is "".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

OTHER_ROLES = ("partner", "target")


@dataclass
class _Edge:
    events: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _by_event(participants: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for p in participants:
        if p["entity"]:
            out[p["event"]].append(p)
    return out


def _event_edges(tables: dict[str, list[dict]]) -> dict[tuple[str, str, str, str], _Edge]:
    events = {e["id"]: e for e in tables["events"]}
    edges: dict[tuple[str, str, str, str], _Edge] = defaultdict(_Edge)
    for event_id, parts in _by_event(tables["participants"]).items():
        event = events[event_id]
        actors = {p["entity"] for p in parts if p["role"] == "actor"}
        for other in (p for p in parts if p["role"] in OTHER_ROLES):
            for actor in actors - {other["entity"]}:
                edge = edges[(actor, other["entity"], "event", _text(event["plover"]))]
                edge.events.add(event_id)
                edge.types.add(_text(event["type"]))
                edge.roles.add(other["role"])
        for a, b in combinations(sorted({p["entity"] for p in parts}), 2):
            edge = edges[(a, b, "co_participant", "co_participant")]
            edge.events.add(event_id)
            edge.types.add(_text(event["type"]))
    return edges


def _quote_edges(tables: dict[str, list[dict]]) -> dict[tuple[str, str, str, str], _Edge]:
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for m in tables["mentions"]:
        by_doc[m["doc"]].append(m)
    edges: dict[tuple[str, str, str, str], _Edge] = defaultdict(_Edge)
    for q in tables["quotes"]:
        if not q["speaker"]:
            continue
        inside = {m["entity"] for m in by_doc[q["doc"]] if q["start"] <= m["start"] and m["end"] <= q["end"]}
        for entity in inside - {q["speaker"]}:
            edges[(q["speaker"], entity, "quote_mention", "quote_mention")].events.add(q["id"])
    return edges


def build_graph(tables: dict[str, list[dict[str, Any]]]) -> nx.MultiDiGraph:
    """Entities and their event/quote relations; edges whose ends are not entities are left out."""
    graph = nx.MultiDiGraph(name="newsgraph entity graph")
    for e in tables["entities"]:
        graph.add_node(e["id"], label=_text(e["name"]), name=_text(e["name"]), type=_text(e["type"]),
                       country=_text(e["country"]), wikidata=_text(e["wikidata"]),
                       mentions=int(e["mention_count"]))
    edges = {**_event_edges(tables), **_quote_edges(tables)}
    kept = [(k, edge) for k, edge in sorted(edges.items()) if k[0] in graph and k[1] in graph]
    for i, ((src, dst, relation, label), edge) in enumerate(kept):
        # Edge ids unique in the whole file: Gephi drops edges whose id it has already seen.
        graph.add_edge(src, dst, key=f"e{i}", relation=relation, label=label,
                       weight=float(len(edge.events)), event_types=",".join(sorted(edge.types)),
                       roles=",".join(sorted(edge.roles)), refs=" ".join(sorted(edge.events)))
    return graph


def write_graphml(tables: dict[str, list[dict[str, Any]]], path: Path) -> nx.MultiDiGraph:
    graph = build_graph(tables)
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True)
    return graph
