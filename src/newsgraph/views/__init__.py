"""Read views: what the story, entity and relations pages show, built at resolve time.

A *view* is a JSON document per record (a story, an entity, a country pair) kept in the ``views``
table (migration 011). ``refresh`` runs after resolution and the search index (``pipeline.finish``):
it finds what the new documents touched (``changes.Touched``: their stories, entities, events, and
the stories citing a claim whose status changed), asks every registered view which of its keys
that touches, and rebuilds those keys only, a chunk of keys at a time with one query per kind of
record for the whole chunk. The API and the web pages call ``views.fetch`` (a view by key, its live
parts read by id in ``views.live``), which falls back to ``store.queries`` when a store has none yet.

Adding a view (a topic page, attributions): a module that registers it, named in ``registry._builtin``:

    from newsgraph.views.registry import View, register

    register(View("topic", keys=lambda con, touched: {...}, build=build_topic_views, before=None))

``keys(con, touched) -> set of keys`` (``touched``: ``changes.Touched``), ``build(con, keys) -> {key:
data or None}`` (None deletes the key's view), ``before(con, touched)``: side tables, run for every
view before any view is built.
"""

from __future__ import annotations

from newsgraph.views.registry import VIEWS, View, read, refresh, register

__all__ = ["VIEWS", "View", "read", "refresh", "register"]
