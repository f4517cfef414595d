"""The HTML pages: each route reads the records, hands them to ``newsgraph.display`` and renders a template.

No extraction, resolution or view building happens here: ``newsgraph.display`` assembles what a
page shows, the templates lay it out. Every string from the store reaches the page through Jinja2
autoescaping or, for scripts, as JSON in a ``<script type="application/json">`` block that static
JS reads with ``JSON.parse``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsgraph.display.document import document_page as document_display
from newsgraph.display.entity import entity_page as entity_display
from newsgraph.display.relations import relations_page as relations_display
from newsgraph.display.search import SEARCH_PAGE
from newsgraph.display.search import search_page as search_display
from newsgraph.display.story import story_page as story_display
from newsgraph.display.story import timeline_events
from newsgraph.display.table import table_view
from newsgraph.store import queries
from newsgraph.store.request import Con
from newsgraph.store.table_specs import STORIES
from newsgraph.views import fetch
from newsgraph.web.render import not_found, render

router = APIRouter(include_in_schema=False)
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, con: Con) -> HTMLResponse:
    """The stories index, with the store's counts above it (``/stories`` is the same table)."""
    return render(request, "table.html", nav="stories", overview=queries.overview(con),
                  **table_view(con, STORIES, request.query_params))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, con: Con) -> HTMLResponse:
    # The brief was built when the story last changed (newsgraph.views): no page waits for one.
    records = fetch.story_page(con, story_id)
    if records is None:
        return not_found(request, "story", story_id)
    return render(request, "story.html", **story_display(records))


@router.get("/topics/{topic_id}", response_class=HTMLResponse)
def topic_page(request: Request, topic_id: str, con: Con) -> HTMLResponse:
    topic = fetch.topic(con, topic_id)
    if topic is None:
        return not_found(request, "topic", topic_id)
    lanes = [{k: s[k] for k in ("id", "title", "first_date", "last_date", "documents")} for s in topic["stories"]]
    return render(request, "topic.html", topic=topic, nav="topics",
                  timeline={"stories": lanes, "events": timeline_events(topic["events"])})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, con: Con) -> HTMLResponse:
    entity = fetch.entity(con, entity_id)
    if entity is None:
        return not_found(request, "entity", entity_id)
    return render(request, "entity.html", nav="", **entity_display(con, entity))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, con: Con,
                  span: Annotated[str | None, Query(max_length=24)] = None,
                  fact: Annotated[str | None, Query(max_length=120)] = None) -> HTMLResponse:
    """The reader; ``span`` (``start-end``) and ``fact`` (``kind:id``) come from an evidence link."""
    doc = queries.get_document(con, doc_id)
    if doc is None:
        return not_found(request, "document", doc_id)
    return render(request, "document.html", nav="", **document_display(doc, span=span, fact=fact))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, con: Con, q: Annotated[str, Query(max_length=500)] = "",
                offset: Offset = 0, language: Annotated[str, Query(max_length=12)] = "",
                outlet: Annotated[str, Query(max_length=200)] = "",
                date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
                date_to: Annotated[str, Query(alias="to", max_length=10)] = "") -> HTMLResponse:
    """Grouped results; a filter value that is not a date is dropped with a note."""
    filters, notes = {"language": language.strip().lower(), "outlet": outlet.strip()}, []
    for key, value, label in (("date_from", date_from, "from"), ("date_to", date_to, "to")):
        try:
            filters[key] = date.fromisoformat(value).isoformat() if value else ""
        except ValueError:
            notes.append(f"“{value}” is not a date (YYYY-MM-DD): the “{label}” filter is left out.")
    view = search_display(con, q, offset=offset, limit=SEARCH_PAGE, filters=filters)
    return render(request, "search.html", nav="search", notes=notes, **view)


@router.get("/relations", response_class=HTMLResponse)
def relations_page(request: Request, con: Con) -> HTMLResponse:
    return render(request, "relations.html", nav="relations", **relations_display(fetch.dyads(con)))
