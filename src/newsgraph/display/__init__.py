"""Display: what a page or an API answer shows, assembled from records the read library returns.

The faces (``newsgraph.web`` pages, ``newsgraph.api`` routes, the brief) call these functions and
only render what they return. Most are pure functions of the records (no store access), so they
work the same on records read from the tables (``newsgraph.store.queries``) or from precomputed
read views; the few that need the store say so. All return plain JSON-ready dicts and lists:

- ``display.text``: a document text cut into pieces at highlight and removal boundaries;
- ``display.document``: the document reader (pieces, facts for the side panel, removed boilerplate);
- ``display.story``: the story page (timeline data, actor network, sources, outlets);
- ``display.timeline``: a story's timeline (placed events, the dense window, lanes, undated events);
- ``display.entity``: the entity page (mentions with context, grouped by document);
- ``display.search``: the search page (a page of hits, matching entities, why nothing matched);
- ``display.relations``: country-pair months for the relations chart and table;
- ``display.paging``: page numbers and neighbour offsets for any ``{total, limit, offset}`` page.
"""
