"""View building: what a page, an API answer or the brief shows, assembled from the read library.

The faces (``newsgraph.web`` pages, ``newsgraph.api`` routes, the brief) call these functions and
only render what they return. A view reads through ``newsgraph.store.queries`` (and the outputs
library for briefs and relations), never writes, and returns plain JSON-ready dicts and lists:

- ``views.text``: a document text cut into pieces at highlight and removal boundaries;
- ``views.document``: the document reader (pieces, facts for the side panel, removed boilerplate);
- ``views.story``: the story page (timeline data, actor network, disputed claims, sources, brief);
- ``views.entity``: the entity page (mentions with context, grouped by document);
- ``views.search``: the search page (a page of hits, matching entities, why nothing matched);
- ``views.relations``: country-pair months for the relations chart and table;
- ``views.paging``: page numbers and neighbour offsets for any ``{total, limit, offset}`` page.
"""
