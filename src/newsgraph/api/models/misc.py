"""Response models of the other endpoints: the index, facets, search, relations, story views, alerts."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from newsgraph.api.models.common import Model, Page
from newsgraph.api.models.records import Participant, TimeValue

# --------------------------------------------------------------------------- index and facets


class Counts(Model):
    documents: int
    entities: int
    mentions: int
    events: int
    quotes: int
    attributions: int
    claims: int
    stories: int
    topics: int
    duplicates: int


class PublishedRange(Model):
    first: str | None = None
    last: str | None = None


class StoreInfo(Model):
    """How the server reads the store: a refreshed snapshot copy or the file in place."""

    mode: str
    read_only: bool
    refresh_s: float | None = None
    generation: int | None = None
    taken_at: float | None = Field(None, description="Unix time the current snapshot was taken.")


class Index(Model):
    counts: Counts
    published: PublishedRange | None = None
    store: StoreInfo
    public_bind: bool


class Facets(Model):
    """Each filter's values with the number of records having them."""

    entity_types: dict[str, int]
    event_types: dict[str, int]
    plover: dict[str, int]
    modalities: dict[str, int]
    claim_statuses: dict[str, int]
    outlets: dict[str, int]
    languages: dict[str, int]


# --------------------------------------------------------------------------- search and relations


class DuplicateRef(Model):
    """A duplicate of a hit (same article, another copy), listed under its original."""

    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class SearchHit(Model):
    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    score: float
    snippet: str = Field("", description="The passage where the query's words are densest.")
    highlights: list[list[int]] = Field(default_factory=list, description="[start, end] of each matched word in ``snippet``.")
    duplicates: list[DuplicateRef] = Field(default_factory=list)


class EntityMatch(Model):
    """An entity whose name, alias or KB id matches the query; ``matched`` ranks it."""

    id: str
    name: str
    type: str
    aliases: list[str] | None = None
    kb: str | None = None
    matched: int
    mentions: int


class QuoteMatch(Model):
    """An attribution in a matching document whose words or speaker match the query."""

    id: str
    kind: str
    doc: str
    speaker: str | None = None
    speaker_name: str | None = None
    content: str | None = None
    start: int | None = None
    end: int | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    snippet: str = ""
    highlights: list[list[int]] = Field(default_factory=list)
    link: str | None = Field(None, description="The document with the content highlighted.")


class ClaimMatch(Model):
    """A claim about a matching entity, or with a matching value in a matching document."""

    id: str
    subject: str | None = None
    subject_name: str | None = None
    attribute: str
    status: str
    explanation: str | None = None
    stated: str | None = None
    doc: str | None = None
    start: int | None = None
    end: int | None = None
    link: str | None = None


class SearchPage(Page[SearchHit]):
    query: str
    entities: list[EntityMatch] = Field(default_factory=list)
    quotes: list[QuoteMatch] = Field(default_factory=list)
    claims: list[ClaimMatch] = Field(default_factory=list)
    why_empty: list[str] | None = Field(None, description="Why nothing matched (null when something did).")


class DyadRow(Model):
    """One pair of states, one month, one PLOVER category."""

    pair: str
    month: str
    plover: str | None = None
    quad: str | None = None
    cooperative: int
    conflictual: int
    weight: float | None = None
    score: float | None = None
    month_score: float | None = None
    events: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)


class Dyads(Model):
    available: bool = Field(description="False when the relations module is not installed.")
    items: list[DyadRow]


# --------------------------------------------------------------------------- story views


class Actor(Model):
    id: str
    name: str
    type: str | None = None
    events: int = Field(description="The story's events the actor takes part in.")


class ActorLink(Model):
    source: str
    target: str
    weight: int = Field(description="Events the two actors share.")


class ActorNetwork(Model):
    """Actors taking part in the same events: the graph's nodes and edges, and every actor as a list."""

    nodes: list[Actor]
    edges: list[ActorLink]
    actors: list[Actor]
    hidden: int = Field(description="Actors left out of the graph (all are in ``actors``).")


class TimelineEvent(Model):
    id: str
    type: str | None = None
    plover: str | None = None
    modality: str | None = None
    summary: str | None = None
    date: TimeValue | None = None
    sources: int | None = None
    participants: list[Participant] = Field(default_factory=list)
    first_reported: str | None = Field(None, description="Earliest publication date of a report.")


# --------------------------------------------------------------------------- alerts


class Delivery(Model):
    target: str
    status: str | None = None
    attempts: int | None = None
    error: str | None = None


class Alert(Model):
    id: str
    rule: str
    kind: str | None = None
    subject: str | None = None
    title: str | None = None
    payload: dict[str, Any] = Field(description="The alert payload (docs/watch.md): fired, link, evidence ...")
    created_at: str | None = None
    deliveries: list[Delivery] = Field(default_factory=list)
