"""The story page: timeline data, the actor network, the sources and their outlets.

``story_page`` is a pure function of the story's records (``story``, ``actors``, ``disputed``, and
the brief when there is one), however they were read (``newsgraph.views.fetch.story_page`` reads them
from the story's precomputed view, else from the tables).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgraph.display.brief import cited_brief
from newsgraph.display.timeline import timeline_view

DISPUTED = ("conflict", "superseded")
NETWORK_MAX_NODES = 40  # beyond this the graph is noise; the list beside it has every actor


def actor_network(events: list[dict[str, Any]], entities: list[dict[str, Any]],
                  max_nodes: int = NETWORK_MAX_NODES) -> dict[str, Any]:
    """Nodes: entities taking part in the events; edges: pairs sharing an event (weighted).

    The graph keeps the ``max_nodes`` actors in most events (``hidden`` counts the others);
    ``actors`` lists every actor, most events first, for the keyboard-friendly list.
    """
    types = {e["id"]: e.get("type") for e in entities}
    names: dict[str, str] = {}
    degree: Counter[str] = Counter()
    links: Counter[tuple[str, str]] = Counter()
    for event in events:
        ids = sorted({p["entity"] for p in event.get("participants", []) if p.get("entity")})
        for p in event.get("participants", []):
            if p.get("entity"):
                names.setdefault(p["entity"], p.get("name") or p["entity"])
        degree.update(ids)
        links.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    actors = [{"id": eid, "name": names[eid], "type": types.get(eid), "events": degree[eid]}
              for eid in sorted(names, key=lambda k: (-degree[k], names[k].lower(), k))]
    shown = {a["id"] for a in actors[:max_nodes]}
    nodes = sorted((a for a in actors if a["id"] in shown), key=lambda a: a["id"])
    edges = [{"source": a, "target": b, "weight": w} for (a, b), w in sorted(links.items())
             if a in shown and b in shown]
    return {"nodes": nodes, "edges": edges, "actors": actors, "hidden": len(actors) - len(nodes)}


def timeline_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields the timeline chart draws; ``first_reported`` places an undated event at its first report."""
    keep = ("id", "type", "plover", "modality", "summary", "date", "sources", "participants", "story")
    out = []
    for e in events:
        reported = sorted(h["published"] for h in e.get("history") or [] if h.get("published"))
        out.append({k: e.get(k) for k in keep} | {"first_reported": reported[0] if reported else None})
    return out


DISPUTED_VALUES = 8  # values a disputed claim shows on the story page (its claim page lists them all)


def disputed_values(claim: dict[str, Any], story_docs: set[str], limit: int = DISPUTED_VALUES) -> dict[str, Any]:
    """A disputed claim with ``shown_values``: its values from the story's own documents first (one per
    document and wording, in date order), then from other stories, at most ``limit``; ``more_values``
    counts the rest."""
    seen, own, other = set(), [], []
    for v in claim.get("values") or []:
        key = (v["source"]["doc"], v.get("value"), v.get("modality"))
        if key in seen:
            continue
        seen.add(key)
        (own if v["source"]["doc"] in story_docs else other).append(v)
    values = own + other
    return claim | {"shown_values": values[:limit], "more_values": max(0, len(values) - limit)}


def story_page(records: dict[str, Any]) -> dict[str, Any]:
    """What the story page shows: ``records`` holds ``story`` (``queries.get_story``'s shape), ``actors``
    (entities of the story), ``disputed`` (claims with their values) and any other keys (the brief ...),
    which are passed through."""
    story = records["story"]
    originals = [d for d in story["documents"] if not d.get("duplicate_of")]
    docs = {d["id"] for d in story["documents"]}
    return records | {
        "brief": cited_brief(records.get("brief")),
        "disputed": [disputed_values(c, docs) for c in records.get("disputed") or []],
        "sources": originals,
        "outlets": sorted({d["outlet"] for d in originals if d.get("outlet")}),
        "timeline": timeline_view(story["events"]),
        "network": actor_network(story["events"], records.get("actors") or []),
    }
