"""Corpus-level resolution: one entity, one event, one fact across all sources.

Each step is incremental: it looks only at records not yet resolved and finds
their candidates through blocking keys and indexes, never by comparing all pairs.
"""

from __future__ import annotations

from newsgraph.resolve import scope
from newsgraph.resolve.claims import resolve_claims
from newsgraph.resolve.entities import resolve_entities
from newsgraph.resolve.events import resolve_events
from newsgraph.resolve.stories import resolve_stories
from newsgraph.store.db import transaction

STEPS = (
    ("entities", resolve_entities),
    ("stories", resolve_stories),
    ("events", resolve_events),
    ("claims", resolve_claims),
)


def resolve_all(con, ctx=None, timings: dict | None = None) -> None:
    """Run every corpus-level step in data-flow order, each in its own transaction.

    A backlog larger than ``scope.CHUNK_DOCS`` documents is resolved chunk by chunk (``resolve.scope``).
    """
    import time

    for chunk in scope.chunks(con):
        with scope.scoped(con, chunk):
            for name, step in STEPS:
                began = time.perf_counter()
                with transaction(con):
                    step(con, ctx)
                if timings is not None:
                    timings[name] = timings.get(name, 0.0) + time.perf_counter() - began
