"""The HTML pages: each route reads the records, hands them to ``newsgraph.display`` and renders a template.

No extraction, resolution or view building happens here: ``newsgraph.display`` assembles what a
page shows, the templates lay it out. Every string from the store reaches the page through Jinja2
autoescaping or, for scripts, as JSON in a ``<script type="application/json">`` block that static
JS reads with ``JSON.parse``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsgraph.display.document import document_page as document_display
from newsgraph.display.entity import entity_page as entity_display
from newsgraph.display.relations import relations_page as relations_display
from newsgraph.display.search import SEARCH_PAGE
from newsgraph.display.search import search_page as search_display
from newsgraph.display.story import story_brief, story_records
from newsgraph.display.story import story_page as story_display
from newsgraph.store import queries
from newsgraph.store.request import Con
from newsgraph.web.render import not_found, render

router = APIRouter(include_in_schema=False)
Offset = Annotated[int, Query(ge=0, le=1_000_000)]

_BRIEFS: dict[tuple[str, int, float, str], Any] = {}  # (store, snapshot generation and time, story) -> brief
_BRIEFS_MAX = 64


def cached_brief(request: Request, con: Any, story_id: str) -> tuple[Any, str | None]:
    """Briefs are the slowest thing a page shows; one per story per store snapshot is enough."""
    store = request.app.state.store
    generation, taken_at = getattr(store, "generation", None), getattr(store, "taken_at", None)
    if generation is None or taken_at is None:  # a reader without versioned snapshots: build every time
        return story_brief(con, story_id)
    key = (str(store.source), generation, taken_at, story_id)
    if key not in _BRIEFS:
        brief, note = story_brief(con, story_id)
        if brief is None:
            return brief, note
        if len(_BRIEFS) >= _BRIEFS_MAX:
            _BRIEFS.pop(next(iter(_BRIEFS)))
        _BRIEFS[key] = brief
    return _BRIEFS[key], None


@router.get("/", response_class=HTMLResponse)
@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, con: Con) -> HTMLResponse:
    stories = queries.list_stories(con, limit=queries.MAX_LIMIT)
    return render(request, "stories.html", stories=stories, overview=queries.overview(con), nav="stories")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, con: Con) -> HTMLResponse:
    records = story_records(con, story_id)
    if records is None:
        return not_found(request, "story", story_id)
    brief, brief_note = cached_brief(request, con, story_id)
    return render(request, "story.html", **story_display(records | {"brief": brief, "brief_note": brief_note}))


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, con: Con) -> HTMLResponse:
    entity = queries.get_entity(con, entity_id)
    if entity is None:
        return not_found(request, "entity", entity_id)
    return render(request, "entity.html", nav="", **entity_display(con, entity))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, con: Con) -> HTMLResponse:
    doc = queries.get_document(con, doc_id)
    if doc is None:
        return not_found(request, "document", doc_id)
    return render(request, "document.html", nav="", **document_display(doc))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, con: Con, q: Annotated[str, Query(max_length=500)] = "",
                offset: Offset = 0) -> HTMLResponse:
    return render(request, "search.html", nav="search", **search_display(con, q, offset=offset, limit=SEARCH_PAGE))


@router.get("/relations", response_class=HTMLResponse)
def relations_page(request: Request, con: Con) -> HTMLResponse:
    return render(request, "relations.html", nav="relations", **relations_display(queries.dyads(con)))
