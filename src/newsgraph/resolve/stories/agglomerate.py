"""Average-link agglomeration over a sparse candidate graph, with an optional time window.

Units are documents or clusters (stories, topics) summarised by the **sum** of their members' unit
vectors and their size, so the similarity of two units is the mean cosine over all pairs of their
members (group-average link, UPGMA): ``dot(sum_a, sum_b) / (n_a × n_b)``. It does not grow with a
cluster's size, so a 2-document story and a 200-document story are held to the same threshold.

Only pairs joined by a candidate edge are compared (the edges come from the inverted index); when
two units merge, the merged unit inherits both sets of edges. Pairs are merged best first while the
best similarity reaches the threshold; ties go to the smaller ids, so the result depends on the set
of units and edges, never on the order they were given in.

The time window: two units whose confident date ranges lie more than ``window`` days apart never
merge; a unit with no confident date is bound by none (content alone decides).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from newsgraph.resolve.stories.features import Vector, dot


@dataclass
class Unit:
    id: str
    total: Vector  # sum of the members' normalised vectors
    n: int
    first: date | None = None  # confident dates only
    last: date | None = None
    fixed: bool = False  # an existing story or topic (its id is kept when it absorbs others)
    parts: list[str] = field(default_factory=list)  # ids of the units merged into this one (itself first)

    def __post_init__(self) -> None:
        if not self.parts:
            self.parts = [self.id]

    def absorb(self, other: Unit) -> None:
        if len(other.total) > len(self.total):  # add the smaller vector into the larger one
            self.total, other.total = other.total, self.total
        for k, w in other.total.items():
            self.total[k] = self.total.get(k, 0.0) + w
        self.n += other.n
        self.first = _min(self.first, other.first)
        self.last = _max(self.last, other.last)
        self.parts.extend(other.parts)


def _min(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else max(a, b)


def similarity(a: Unit, b: Unit) -> float:
    return dot(a.total, b.total) / (a.n * b.n) if a.n and b.n else 0.0


def within_window(a: Unit, b: Unit, window: int) -> bool:
    if window <= 0 or a.first is None or b.first is None:
        return True
    assert a.last is not None and b.last is not None
    gap = (max(a.first, b.first) - min(a.last, b.last)).days
    return gap <= window


def survivor(a: Unit, b: Unit) -> tuple[Unit, Unit]:
    """(kept, absorbed): an existing unit outlives a new one, a larger one a smaller one, then the smaller id."""
    key = lambda u: (not u.fixed, -u.n if u.fixed else 0, u.id)  # noqa: E731
    return (a, b) if key(a) <= key(b) else (b, a)


MAX_DEGREE = 50  # strongest candidate edges a unit keeps (bounds the work of each merge)


def agglomerate(units: dict[str, Unit], edges: Iterable[tuple[str, str]], threshold: float,
                window: int = 0) -> dict[str, str]:
    """Merge ``units`` in place; returns every original unit id → the id of the unit it ended in.

    Each edge keeps the sum of the pairwise cosines of its two units, ``dot(sum_a, sum_b)``; when two
    units merge, the sums of the merged unit are added up from theirs (UPGMA's Lance–Williams update,
    exact here), so a dot product is only computed for a neighbour of one of the two and not the other.
    A merged unit keeps its ``MAX_DEGREE`` most similar neighbours: the cost of a merge stays bounded
    however large the cluster grows.
    """
    graph: dict[str, dict[str, float]] = {uid: {} for uid in units}
    for a, b in edges:
        if a != b and a in units and b in units and b not in graph[a]:
            graph[a][b] = graph[b][a] = dot(units[a].total, units[b].total)
    version = dict.fromkeys(units, 0)
    heap: list[tuple[float, str, str, int, int]] = []

    def push(a: str, b: str) -> None:
        if a > b:
            a, b = b, a
        ua, ub = units[a], units[b]
        sim = graph[a][b] / (ua.n * ub.n) if ua.n and ub.n else 0.0
        if sim >= threshold:
            heapq.heappush(heap, (-sim, a, b, version[a], version[b]))

    for a in sorted(graph):
        for b in sorted(graph[a]):
            if a < b:
                push(a, b)
    ended = {uid: uid for uid in units}
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if version.get(a) != va or version.get(b) != vb or not within_window(units[a], units[b], window):
            continue
        kept, gone = survivor(units[a], units[b])
        merged = _merged_sums(units, graph, kept, gone, window)
        kept.absorb(gone)
        merged = _strongest(units, graph, kept, merged)
        for part in gone.parts:
            ended[part] = kept.id
        del units[gone.id], version[gone.id]
        version[kept.id] += 1
        graph[kept.id] = merged
        for x, total in merged.items():
            graph[x][kept.id] = total
            push(kept.id, x)
    for uid, target in list(ended.items()):  # follow chains (a unit absorbed by one later absorbed)
        while ended[target] != target:
            target = ended[target]
        ended[uid] = target
    return ended


def _strongest(units: dict[str, Unit], graph: dict[str, dict[str, float]], kept: Unit,
               merged: dict[str, float]) -> dict[str, float]:
    """The ``MAX_DEGREE`` neighbours of ``kept`` with the highest mean cosine (the others lose the edge)."""
    if len(merged) <= MAX_DEGREE:
        return merged
    ranked = sorted(merged, key=lambda x: (-merged[x] / max(1, units[x].n), x))
    for x in ranked[MAX_DEGREE:]:
        graph[x].pop(kept.id, None)
    return {x: merged[x] for x in ranked[:MAX_DEGREE]}


def _merged_sums(units: dict[str, Unit], graph: dict[str, dict[str, float]], kept: Unit, gone: Unit,
                 window: int) -> dict[str, float]:
    """The pairwise-cosine sums of ``kept ∪ gone`` with each neighbour of either (before they merge).

    A neighbour outside the merged unit's window is dropped: it could only come back in range through
    another unit, whose own edge then stands for it."""
    of_kept, of_gone = graph[kept.id], graph.pop(gone.id)
    span = Unit("", {}, 0, _min(kept.first, gone.first), _max(kept.last, gone.last))
    merged = {}
    for x in (of_kept.keys() | of_gone.keys()) - {kept.id, gone.id}:
        graph[x].pop(gone.id, None)
        if not within_window(span, units[x], window):
            graph[x].pop(kept.id, None)
            continue
        with_kept = of_kept[x] if x in of_kept else dot(kept.total, units[x].total)
        with_gone = of_gone[x] if x in of_gone else dot(gone.total, units[x].total)
        merged[x] = with_kept + with_gone
    return merged
