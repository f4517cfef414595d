"""The JSON endpoints under ``/api/``: parameter checking only; every read is in ``newsgraph.store.queries``.

List endpoints answer a page ``{"total", "limit", "offset", "items"}``; an unknown id is a 404
that names it; a bad date, an unknown enum value or a limit over the maximum is a 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from newsgraph.model import ATTRIBUTION_KINDS, CLAIM_STATUSES, ENTITY_TYPES, MODALITIES, STATEMENT_TYPES
from newsgraph.store import attributions as attribution_store
from newsgraph.store import queries, topic_queries
from newsgraph.store.request import Con
from newsgraph.views import fetch


class Problem(BaseModel):
    """An error that is not a parameter check: ``{"detail": "what went wrong"}``."""

    detail: str


# Answers every endpoint can give besides 200/422 (the guards in app.py, the store reader),
# declared so the OpenAPI description tells clients, and schemathesis, the whole truth.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": Problem, "description": "Request body too large"},
    414: {"model": Problem, "description": "Query string or path too long"},
    503: {"model": Problem, "description": "The store cannot be read"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No record with this id"}}

router = APIRouter(prefix="/api", tags=["api"], responses=COMMON_ERRORS)

ID = Annotated[str, Path(min_length=1, max_length=100, description="A record id, e.g. doc_… or entity_…")]
Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description=f"Page size, at most {queries.MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Records to skip.")]
From = Annotated[date | None, Query(alias="from", description="Earliest date, YYYY-MM-DD (inclusive).")]
To = Annotated[date | None, Query(alias="to", description="Latest date, YYYY-MM-DD (inclusive).")]
EntityRef = Annotated[str | None, Query(max_length=100, description="A corpus entity id.")]
StoryRef = Annotated[str | None, Query(max_length=100, description="A story id.")]
Language = Annotated[str | None, Query(max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$",
                                      description="A language code (ISO 639-1, e.g. it, ja; und: undetermined).")]
Code = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z_]+$")]
EntityType = Literal[ENTITY_TYPES]  # type: ignore[valid-type]
Modality = Literal[MODALITIES]  # type: ignore[valid-type]
Status = Literal[CLAIM_STATUSES]  # type: ignore[valid-type]
AttributionKind = Literal[ATTRIBUTION_KINDS]  # type: ignore[valid-type]
StatementType = Literal[STATEMENT_TYPES]  # type: ignore[valid-type]




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


@router.get("", summary="What the store holds")
def index(request: Request, con: Con) -> dict:
    """Counts per table, the reader's mode and whether the server is bound beyond loopback."""
    state = request.app.state
    return queries.overview(con) | {"store": state.store.info(), "public_bind": state.public_bind}


@router.get("/facets", summary="Filter values with counts")
def facets(con: Con) -> dict:
    return queries.facets(con)


@router.get("/documents", summary="Documents, newest first")
def documents(con: Con, date_from: From = None, date_to: To = None, story: StoryRef = None,
              entity: EntityRef = None, outlet: Annotated[str | None, Query(max_length=200)] = None,
              duplicates: bool = True, language: Language = None,
              limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    lo, hi = _range(date_from, date_to)
    return queries.list_documents(con, date_from=lo, date_to=hi, story=story, entity=entity, outlet=outlet,
                                  include_duplicates=duplicates, language=language.lower() if language else None,
                                  limit=limit, offset=offset)


@router.get("/documents/{doc_id}", summary="One document with its text and highlighted spans",
            responses=NOT_FOUND)
def document(doc_id: ID, con: Con) -> dict:
    return _found(queries.get_document(con, doc_id), "document", doc_id)


@router.get("/entities", summary="Entities, most mentioned first")
def entities(con: Con, type: EntityType | None = None, name: Annotated[str | None, Query(max_length=200)] = None,
             story: StoryRef = None, document: Annotated[str | None, Query(max_length=100)] = None,
             limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    return queries.list_entities(con, type=type, name=name, story=story, document=document,
                                 limit=limit, offset=offset)


@router.get("/entities/{entity_id}", summary="One entity: mentions, events, quotes, claims, related, coordinates",
            responses=NOT_FOUND)
def entity(entity_id: ID, con: Con) -> dict:
    return _found(fetch.entity(con, entity_id), "entity", entity_id)


@router.get("/events", summary="Events, by date")
def events(con: Con, type: Code = None, plover: Code = None, modality: Modality | None = None,
           entity: EntityRef = None, story: StoryRef = None, date_from: From = None, date_to: To = None,
           limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    lo, hi = _range(date_from, date_to)
    return queries.list_events(con, type=type, plover=plover, modality=modality, entity=entity, story=story,
                               date_from=lo, date_to=hi, limit=limit, offset=offset)


@router.get("/events/{event_id}", summary="One event with every source that reports it",
            responses=NOT_FOUND)
def event(event_id: ID, con: Con) -> dict:
    return _found(queries.get_event(con, event_id), "event", event_id)


@router.get("/quotes", summary="Quotes with speakers")
def quotes(con: Con, entity: EntityRef = None, document: Annotated[str | None, Query(max_length=100)] = None,
           story: StoryRef = None, date_from: From = None, date_to: To = None,
           text: Annotated[str | None, Query(max_length=200)] = None,
           limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    lo, hi = _range(date_from, date_to)
    return queries.list_quotes(con, speaker=entity, doc=document, story=story, date_from=lo, date_to=hi,
                               text=text, limit=limit, offset=offset)


@router.get("/attributions", summary="Attributions: who said, believes or intends what, with source, cue and content")
def attributions(con: Con, document: Annotated[str | None, Query(max_length=100)] = None, entity: EntityRef = None,
                 kind: AttributionKind | None = None, statement_type: StatementType | None = None,
                 story: StoryRef = None, text: Annotated[str | None, Query(max_length=200)] = None,
                 limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    return attribution_store.list_attributions(con, doc=document, speaker=entity, kind=kind,
                                               statement_type=statement_type, story=story, text=text,
                                               limit=limit, offset=offset)


@router.get("/attributions/{attribution_id}", summary="One attribution with its spans and document",
            responses=NOT_FOUND)
def attribution(attribution_id: ID, con: Con) -> dict:
    return _found(attribution_store.get_attribution(con, attribution_id), "attribution", attribution_id)


@router.get("/claims", summary="Claims with their cross-source status")
def claims(con: Con, status: Status | None = None, entity: EntityRef = None, attribute: Code = None,
           story: StoryRef = None, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    return queries.list_claims(con, status=status, entity=entity, attribute=attribute, story=story,
                               limit=limit, offset=offset)


@router.get("/claims/{claim_id}", summary="One claim with each source's value",
            responses=NOT_FOUND)
def claim(claim_id: ID, con: Con) -> dict:
    return _found(queries.get_claim(con, claim_id), "claim", claim_id)


@router.get("/stories", summary="Stories, largest first")
def stories(con: Con, entity: EntityRef = None, date_from: From = None, date_to: To = None,
            limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    lo, hi = _range(date_from, date_to)
    return queries.list_stories(con, entity=entity, date_from=lo, date_to=hi, limit=limit, offset=offset)


@router.get("/stories/{story_id}", summary="One story: documents, events, claims, quotes, entities",
            responses=NOT_FOUND)
def story(story_id: ID, con: Con) -> dict:
    return _found(fetch.story(con, story_id), "story", story_id)


@router.get("/topics", summary="Topics (stories grouped over months or years), largest first")
def topics(con: Con, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    return topic_queries.list_topics(con, limit=limit, offset=offset)


@router.get("/topics/{topic_id}", summary="One topic: its stories in time order and their events",
            responses=NOT_FOUND)
def topic(topic_id: ID, con: Con) -> dict:
    return _found(fetch.topic(con, topic_id), "topic", topic_id)


@router.get("/dyads", summary="Country-pair relations")
def dyads(con: Con) -> dict:
    return fetch.dyads(con)


@router.get("/search", summary="Full-text search (BM25) over titles and bodies")
def search(con: Con, q: Annotated[str, Query(min_length=1, max_length=500, description="Search words.")],
           limit: Limit = 20, offset: Offset = 0) -> dict:
    return queries.search(con, q, limit=limit, offset=offset)
