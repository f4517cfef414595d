"""Response models of the record endpoints: documents, entities, events, quotes, claims, stories."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from newsgraph.api.models.common import EntityRef, Model, Span

# --------------------------------------------------------------------------- documents


class Removal(Model):
    """Page text the cleaner dropped: its reason, raw line, and offset in the cleaned text (``at``)."""

    text: str
    reason: str | None = None
    line: int | None = None
    at: int | None = Field(None, description="Offset in the cleaned text where it stood (null: not recorded).")


class Highlight(Model):
    """A marked span of a document: ``kind`` is mention, quote, event or claim; ``ref`` its corpus record."""

    start: int
    end: int
    text: str | None = None
    kind: str
    label: str | None = None
    ref: str | None = None


class DocumentSummary(Model):
    id: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD")
    published_basis: str | None = None
    source: str
    url: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    language_basis: str | None = None
    charset: str | None = None
    encoding_issue: str | None = Field(None, description="Why the page's bytes needed repair (null: none).")
    format: str | None = None
    story: str | None = None
    duplicate_of: str | None = None
    words: int | None = None


class DocumentEntity(EntityRef):
    mentions: int


class EventBrief(Model):
    id: str
    type: str | None = None
    plover: str | None = None
    modality: str | None = None
    summary: str | None = None


class ClaimBrief(Model):
    id: str
    subject: str | None = None
    subject_name: str | None = None
    attribute: str | None = None
    status: str | None = None


# --------------------------------------------------------------------------- quotes and attributions


class Quote(Model):
    id: str
    text: str
    doc: str
    start: int
    end: int
    speaker: str | None = Field(None, description="Corpus entity id of the speaker.")
    speaker_name: str | None = None
    cue: str | None = None
    method: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class TextSpan(Model):
    """A span of the document the record belongs to: ``text == document.text[start:end]``."""

    start: int | None = None
    end: int | None = None
    text: str | None = None


class Attribution(Model):
    """Who said, believes or intends what: the source, the cue and the content (possibly in parts)."""

    id: str
    kind: str = Field(description="direct, mixed, indirect, according_to or evidence")
    doc: str
    speaker: str | None = Field(None, description="Corpus entity id of the source.")
    speaker_name: str | None = None
    statement_type: str | None = Field(None, description="statement, belief or intention")
    source: TextSpan | None = None
    cue: TextSpan
    content: list[TextSpan]
    quote: str | None = Field(None, description="The quote record this attribution also is, if any.")
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class DocumentDetail(DocumentSummary):
    text: str
    removed: list[Removal]
    highlights: list[Highlight]
    entities: list[DocumentEntity]
    events: list[EventBrief]
    quotes: list[Quote]
    attributions: list[Attribution] = Field(default_factory=list)
    claims: list[ClaimBrief]


# --------------------------------------------------------------------------- events


class TimeValue(Model):
    """A normalised date: an inclusive ISO interval with its granularity and how it was anchored."""

    start: str | None = None
    end: str | None = None
    granularity: str | None = None
    text: str | None = None
    basis: str | None = None
    value: str | None = None


class Participant(Model):
    entity: str | None = Field(None, description="Corpus entity id (null when unresolved).")
    name: str | None = None
    role: str | None = None


class Quantity(Model):
    text: str | None = None
    value: float | None = None
    high: float | None = None
    unit: str | None = None
    bound: str | None = None
    kind: str | None = None
    attribute: str | None = None
    start: int | None = None
    end: int | None = None


class HistoryEntry(Model):
    """How one report gave the event: its document, publication date, modality and date."""

    doc: str | None = None
    published: str | None = None
    modality: str | None = None
    date: TimeValue | None = None


class EventCore(Model):
    id: str
    type: str | None = None
    plover: str | None = None
    modality: str | None = None
    summary: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    location: EntityRef | None = None
    date: TimeValue | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    story: str | None = None


class Event(EventCore):
    sources: int = Field(description="Documents reporting the event.")


class EventSource(Model):
    """One report of an event: the trigger and sentence spans, and the document's outlet and date."""

    mention: str
    doc: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    type: str | None = None
    modality: str | None = None
    summary: str | None = None
    trigger: Span
    sentence: Span


class EventDetail(EventCore):
    sources: list[EventSource]


# --------------------------------------------------------------------------- entities


class EntitySummary(Model):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    mentions: int
    documents: int


class Coordinates(Model):
    lat: float
    lon: float


class EntityMention(Model):
    doc: str
    start: int
    end: int
    text: str
    label: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


class RelatedEntity(EntityRef):
    shared_documents: int


class ClaimSummary(ClaimBrief):
    explanation: str | None = None
    values: int = Field(description="Values stated across sources.")
    sources: int = Field(description="Documents stating a value.")


class EntityDetail(Model):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    kb_ids: dict[str, Any] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(default_factory=dict)
    coordinates: Coordinates | None = None
    mentions: list[EntityMention]
    documents: list[str]
    events: list[Event]
    quotes: list[Quote]
    claims: list[ClaimSummary]
    related: list[RelatedEntity]


# --------------------------------------------------------------------------- claims


class ClaimValue(Model):
    value: str | None = None
    normalized: dict[str, Any] = Field(default_factory=dict)
    modality: str | None = None
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    source: Span = Field(description="The value's own characters.")
    context: Span | None = Field(None, description="The sentence (or clause) stating the value.")
    basis: str | None = Field(None, description="How the value was read: stated, reported ...")
    speaker: str | None = Field(None, description="Corpus entity id of who states the value, if anyone.")
    speaker_name: str | None = None


class ClaimDetail(ClaimBrief):
    explanation: str | None = None
    values: list[ClaimValue]


# --------------------------------------------------------------------------- stories


class StorySummary(Model):
    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    documents: int
    events: int
    topic: str | None = Field(None, description="The topic the story belongs to.")
    unclusterable: str | None = Field(None, description="Why the story's documents could not be clustered.")


class StoryDetail(Model):
    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    topic: str | None = None
    topic_title: str | None = None
    unclusterable: str | None = None
    documents: list[DocumentSummary]
    events: list[Event]
    claims: list[ClaimSummary]
    quotes: list[Quote]
    entities: list[EntitySummary]


# --------------------------------------------------------------------------- topics


class TopicSummary(Model):
    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    stories: int
    documents: int


class TopicStory(Model):
    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    documents: int
    events: int


class TopicDetail(Model):
    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    stories: list[TopicStory]
    events: list[Event]
