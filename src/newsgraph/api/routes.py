"""The JSON endpoints under ``/api/``: parameter checking only; every read is in ``newsgraph.store.queries``
(records), and what a page shows of them in ``newsgraph.display``.

Each endpoint declares its response model (``newsgraph.api.models``), so the OpenAPI description
types every answer. List endpoints take the ``Paging`` dependency and answer a page ``{"total",
"limit", "offset", "items", "next", "prev"}`` with a ``Link`` header; an unknown id is a 404 that
names it; a bad date, an unknown enum value, an unknown parameter or a limit over the maximum is
a 422. Enum filters match any letter case. The pattern for a new endpoint is in docs/api.md.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError

from newsgraph.api import models as m
from newsgraph.api.params import NOT_FOUND, Paging, api_router, code, one_of, paging
from newsgraph.display.search import api_hits, search_results
from newsgraph.display.story import actor_network, timeline_events
from newsgraph.model import ATTRIBUTION_KINDS, CLAIM_STATUSES, ENTITY_TYPES, MODALITIES, STATEMENT_TYPES
from newsgraph.store import attributions as attribution_store
from newsgraph.store import queries, topic_queries
from newsgraph.store.request import Con
from newsgraph.views import fetch

router = api_router()

ID = Annotated[str, Path(min_length=1, max_length=100, description="A record id, e.g. doc_… or entity_…")]
From = Annotated[date | None, Query(alias="from", description="Earliest date, YYYY-MM-DD (inclusive).")]
To = Annotated[date | None, Query(alias="to", description="Latest date, YYYY-MM-DD (inclusive).")]
EntityRef = Annotated[str | None, Query(max_length=100, description="A corpus entity id.")]
StoryRef = Annotated[str | None, Query(max_length=100, description="A story id.")]
Language = Annotated[str | None, Query(max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$",
                                      description="A language code (ISO 639-1, e.g. it, ja; und: undetermined).")]
UpperCode = code("upper")
LowerCode = code("lower")
EntityType = one_of(ENTITY_TYPES)
Modality = one_of(MODALITIES)
Status = one_of(CLAIM_STATUSES)
AttributionKind = one_of(ATTRIBUTION_KINDS)
StatementType = one_of(STATEMENT_TYPES)
SearchPaging = paging(default=20)


def _range(date_from: date | None, date_to: date | None) -> tuple[str | None, str | None]:
    if date_from and date_to and date_from > date_to:
        # Shaped like FastAPI's own 422s, so clients (and the OpenAPI description) see one error format.
        raise RequestValidationError([{"type": "value_error", "loc": ("query", "to"), "input": date_to.isoformat(),
                                       "msg": f"'from' ({date_from}) is after 'to' ({date_to})"}])
    return (date_from.isoformat() if date_from else None, date_to.isoformat() if date_to else None)


def _found(record: dict | None, kind: str, record_id: str) -> dict:
    if record is None:
        raise HTTPException(404, f"no {kind} with id {record_id!r}")
    return record


@router.get("", summary="What the store holds", response_model=m.Index)
def index(request: Request, con: Con) -> dict:
    """Counts per table, the reader's mode and whether the server is bound beyond loopback."""
    state = request.app.state
    return queries.overview(con) | {"store": state.store.info(), "public_bind": state.public_bind}


@router.get("/facets", summary="Filter values with counts", response_model=m.Facets)
def facets(con: Con) -> dict:
    return queries.facets(con)


@router.get("/documents", summary="Documents, newest first", response_model=m.Page[m.DocumentSummary])
def documents(con: Con, page: Paging, date_from: From = None, date_to: To = None, story: StoryRef = None,
              entity: EntityRef = None, outlet: Annotated[str | None, Query(max_length=200)] = None,
              duplicates: bool = True, language: Language = None) -> dict:
    lo, hi = _range(date_from, date_to)
    return page.page(queries.list_documents(con, date_from=lo, date_to=hi, story=story, entity=entity, outlet=outlet,
                                            include_duplicates=duplicates,
                                            language=language.lower() if language else None,
                                            limit=page.limit, offset=page.offset))


@router.get("/documents/{doc_id}", summary="One document with its text and highlighted spans",
            responses=NOT_FOUND, response_model=m.DocumentDetail)
def document(doc_id: ID, con: Con) -> dict:
    return _found(queries.get_document(con, doc_id), "document", doc_id)


@router.get("/entities", summary="Entities, most mentioned first", response_model=m.Page[m.EntitySummary])
def entities(con: Con, page: Paging, type: EntityType | None = None,
             name: Annotated[str | None, Query(max_length=200)] = None,
             story: StoryRef = None, document: Annotated[str | None, Query(max_length=100)] = None) -> dict:
    return page.page(queries.list_entities(con, type=type, name=name, story=story, document=document,
                                           limit=page.limit, offset=page.offset))


@router.get("/entities/{entity_id}", summary="One entity: mentions, events, quotes, claims, related, coordinates",
            responses=NOT_FOUND, response_model=m.EntityDetail)
def entity(entity_id: ID, con: Con) -> dict:
    return _found(fetch.entity(con, entity_id), "entity", entity_id)


@router.get("/events", summary="Events, by date", response_model=m.Page[m.Event])
def events(con: Con, page: Paging, type: UpperCode = None, plover: UpperCode = None, modality: Modality | None = None,
           entity: EntityRef = None, story: StoryRef = None, date_from: From = None, date_to: To = None) -> dict:
    lo, hi = _range(date_from, date_to)
    return page.page(queries.list_events(con, type=type, plover=plover, modality=modality, entity=entity, story=story,
                                         date_from=lo, date_to=hi, limit=page.limit, offset=page.offset))


@router.get("/events/{event_id}", summary="One event with every source that reports it",
            responses=NOT_FOUND, response_model=m.EventDetail)
def event(event_id: ID, con: Con) -> dict:
    return _found(queries.get_event(con, event_id), "event", event_id)


@router.get("/quotes", summary="Quotes with speakers", response_model=m.Page[m.Quote])
def quotes(con: Con, page: Paging, entity: EntityRef = None,
           document: Annotated[str | None, Query(max_length=100)] = None,
           story: StoryRef = None, date_from: From = None, date_to: To = None,
           text: Annotated[str | None, Query(max_length=200)] = None) -> dict:
    lo, hi = _range(date_from, date_to)
    return page.page(queries.list_quotes(con, speaker=entity, doc=document, story=story, date_from=lo, date_to=hi,
                                         text=text, limit=page.limit, offset=page.offset))


@router.get("/attributions", summary="Attributions: who said, believes or intends what, with source, cue and content",
            response_model=m.Page[m.Attribution])
def attributions(con: Con, page: Paging, document: Annotated[str | None, Query(max_length=100)] = None,
                 entity: EntityRef = None, kind: AttributionKind | None = None,
                 statement_type: StatementType | None = None, story: StoryRef = None,
                 text: Annotated[str | None, Query(max_length=200)] = None) -> dict:
    return page.page(attribution_store.list_attributions(con, doc=document, speaker=entity, kind=kind,
                                                         statement_type=statement_type, story=story, text=text,
                                                         limit=page.limit, offset=page.offset))


@router.get("/attributions/{attribution_id}", summary="One attribution with its spans and document",
            responses=NOT_FOUND, response_model=m.Attribution)
def attribution(attribution_id: ID, con: Con) -> dict:
    return _found(attribution_store.get_attribution(con, attribution_id), "attribution", attribution_id)


@router.get("/claims", summary="Claims with their cross-source status", response_model=m.Page[m.ClaimSummary])
def claims(con: Con, page: Paging, status: Status | None = None, entity: EntityRef = None,
           attribute: LowerCode = None, story: StoryRef = None) -> dict:
    return page.page(queries.list_claims(con, status=status, entity=entity, attribute=attribute, story=story,
                                         limit=page.limit, offset=page.offset))


@router.get("/claims/{claim_id}", summary="One claim with each source's value",
            responses=NOT_FOUND, response_model=m.ClaimDetail)
def claim(claim_id: ID, con: Con) -> dict:
    return _found(queries.get_claim(con, claim_id), "claim", claim_id)


@router.get("/stories", summary="Stories, largest first", response_model=m.Page[m.StorySummary])
def stories(con: Con, page: Paging, entity: EntityRef = None, date_from: From = None, date_to: To = None) -> dict:
    lo, hi = _range(date_from, date_to)
    return page.page(queries.list_stories(con, entity=entity, date_from=lo, date_to=hi,
                                          limit=page.limit, offset=page.offset))


@router.get("/stories/{story_id}", summary="One story: documents, events, claims, quotes, entities",
            responses=NOT_FOUND, response_model=m.StoryDetail)
def story(story_id: ID, con: Con) -> dict:
    return _found(fetch.story(con, story_id), "story", story_id)


@router.get("/stories/{story_id}/network", summary="A story's actors: who takes part in the same events",
            responses=NOT_FOUND, response_model=m.ActorNetwork)
def story_network(story_id: ID, con: Con) -> dict:
    view = _found(fetch.story_page(con, story_id), "story", story_id)
    return actor_network(view["story"]["events"], view["actors"])


@router.get("/stories/{story_id}/timeline", summary="A story's events as the timeline draws them",
            responses=NOT_FOUND, response_model=list[m.TimelineEvent])
def story_timeline(story_id: ID, con: Con) -> list[dict]:
    return timeline_events(_found(fetch.story(con, story_id), "story", story_id)["events"])


@router.get("/topics", summary="Topics (stories grouped over months or years), largest first",
            response_model=m.Page[m.TopicSummary])
def topics(con: Con, page: Paging) -> dict:
    return page.page(topic_queries.list_topics(con, limit=page.limit, offset=page.offset))


@router.get("/topics/{topic_id}", summary="One topic: its stories in time order and their events",
            responses=NOT_FOUND, response_model=m.TopicDetail)
def topic(topic_id: ID, con: Con) -> dict:
    return _found(fetch.topic(con, topic_id), "topic", topic_id)


@router.get("/dyads", summary="Country-pair relations", response_model=m.Dyads)
def dyads(con: Con) -> dict:
    return fetch.dyads(con)


@router.get("/search", summary="Full-text search (BM25) with snippets; matching entities, quotes and claims",
            response_model=m.SearchPage)
def search(con: Con, page: SearchPaging,
           q: Annotated[str, Query(min_length=1, max_length=500, description="Search words.")],
           language: Language = None, outlet: Annotated[str | None, Query(max_length=200)] = None,
           date_from: From = None, date_to: To = None,
           duplicates: Annotated[bool, Query(description="List duplicates as hits of their own (default: "
                                                         "under their original's hit).")] = False) -> dict:
    lo, hi = _range(date_from, date_to)
    filters = {"language": language.lower() if language else None, "outlet": outlet, "date_from": lo, "date_to": hi}
    found = search_results(con, q, offset=page.offset, limit=page.limit, filters=filters, duplicates=duplicates)
    return page.page(api_hits(found))
