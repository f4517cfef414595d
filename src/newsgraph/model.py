"""The one record model every stage reads and writes.

Every extracted record carries provenance: a ``Span`` of (document id, start, end)
character offsets into the document's cleaned ``text``. Records are plain
dataclasses so they serialise to the store, to JSON and to Spark rows alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# One entity vocabulary for every stage (issue 2).
ENTITY_TYPES = (
    "PERSON",
    "ORG",
    "COUNTRY",
    "NORP",  # a nationality or group named by its demonym ("Polish citizens"): stands for its country
    "PLACE",
    "FACILITY",
    "VESSEL",
    "AIRCRAFT",
    "WEAPON",
    "PROGRAM",
    "EVENT",
    "OTHER",
)
EntityType = Literal[
    "PERSON", "ORG", "COUNTRY", "NORP", "PLACE", "FACILITY", "VESSEL",
    "AIRCRAFT", "WEAPON", "PROGRAM", "EVENT", "OTHER",
]

PUBLISHED_BASIS = ("metadata", "text", "inferred")
# Where a publication date came from, most trusted first (newsgraph.ingest.published).
PUBLISHED_SOURCES = ("metadata", "dateline", "url", "relative", "events")
MODALITIES = ("happened", "planned", "announced", "expected", "negated")
ATTRIBUTION_KINDS = ("direct", "mixed", "indirect", "according_to", "evidence")
STATEMENT_TYPES = ("statement", "belief", "intention")
CLAIM_STATUSES = ("corroborated", "single_source", "conflict", "compatible", "superseded")
GRANULARITIES = ("day", "week", "month", "quarter", "season", "half", "year", "decade", "century")


def stable_id(prefix: str, *parts: object) -> str:
    """A deterministic id: the same input always gets the same id, so re-ingest is idempotent."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


@dataclass(frozen=True)
class Span:
    """Provenance: a character span of one document's cleaned text."""

    doc: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Removal:
    """A piece of page text the cleaner dropped, and why.

    ``line`` is its 1-based line in the raw text; ``at`` is where it stood in the cleaned text:
    the offset just after the kept paragraph before it (0 when none), so a reader can show it in place.
    """

    text: str
    reason: str
    line: int | None = None
    at: int | None = None


@dataclass
class Document:
    id: str
    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    published_basis: str | None = None  # metadata / text / inferred
    published_source: str | None = None  # one of PUBLISHED_SOURCES: the evidence the date rests on
    published_confidence: float | None = None  # 0..1; the story window trusts only confident dates
    published_evidence: dict[str, Any] | None = None  # {"text", "start", "end"} or {"field"|"url", "text"}
    published_warnings: list[str] = field(default_factory=list)  # absurd dates seen and not used
    language: str | None = None  # ISO 639-1 code (or 639-3 where none exists); "und" when undetermined
    language_confidence: float | None = None  # 0..1; 1.0 when the metadata named the language
    language_basis: str | None = None  # metadata / detected / script / none
    charset: str | None = None  # the character encoding the bytes were decoded with
    encoding_issue: str | None = None  # why the bytes did not decode cleanly under that charset, if they did not
    url: str | None = None
    removed: list[Removal] = field(default_factory=list)
    duplicate_of: str | None = None
    story: str | None = None
    format: str = "txt"
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the whitespace-normalised body: equal for exact duplicates."""
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()


@dataclass
class Mention:
    """A name in the text, typed in the entity vocabulary.

    ``entity`` is the document-local cluster key (filled by within-document
    resolution); the corpus-level entity id is assigned by ``resolve``.
    """

    doc: str
    start: int
    end: int
    text: str
    label: str
    entity: str | None = None
    kb_id: str | None = None
    source: str = "model"  # model / kb / rule: which component typed it

    @property
    def span(self) -> Span:
        return Span(self.doc, self.start, self.end, self.text)


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    kb_ids: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    mentions: list[Span] = field(default_factory=list)

    def absorb(self, other: Entity) -> None:
        """Take in ``other``, an entity of the same id (the same type and name in one document): its
        mentions, its names, and the KB ids and attributes this one lacks."""
        self.mentions = sorted([*self.mentions, *other.mentions], key=lambda m: (m.start, m.end))
        self.aliases = sorted((set(self.aliases) | set(other.aliases) | {other.name}) - {self.name})
        for key, value in other.kb_ids.items():
            self.kb_ids.setdefault(key, value)
        for key, value in other.attributes.items():
            self.attributes.setdefault(key, value)


def one_entity_per_id(entities: list[Entity]) -> list[Entity]:
    """A document's entities with those of one id merged into the first (two groups of mentions that
    end with the same type and name, e.g. a full name the model found and its KB-matched surname, are
    one entity: two rows of one id would also make the document unstorable)."""
    first: dict[str, Entity] = {}
    for entity in entities:
        if entity.id in first:
            first[entity.id].absorb(entity)
        else:
            first[entity.id] = entity
    return list(first.values())


# How a time's calendar position was found (TimeValue.basis). An event's date is one of the first four;
# newsgraph/1 stores and exports said "absolute" for stated and "publication" for relative.
TIME_BASES = ("stated", "relative", "inferred", "reported", "duration", "unanchored")


@dataclass
class TimeValue:
    """A normalised time expression: an interval with honest granularity.

    ``start``/``end`` are ISO dates (inclusive); ``basis`` (one of ``TIME_BASES``) says where the
    calendar position came from: ``stated`` (the text gives the whole date), ``relative`` (resolved
    against the document's date), ``inferred`` (resolved against another date of the narrative),
    ``reported`` (an event the text does not date: its report's date; no span), ``duration`` (for
    "27 years": ``duration`` holds an ISO-8601 period instead) or ``unanchored``. ``span`` is the
    text the date came from.
    """

    text: str
    start: str | None
    end: str | None
    granularity: str | None
    basis: str
    span: Span | None = None
    value: str | None = None  # TimeML-style value, e.g. 2024-08, 2024-W23, P27Y
    kind: str = "DATE"  # DATE / TIME / DURATION / SET
    modifier: str | None = None  # approx / more_than / less_than / start / mid / end
    duration: dict[str, Any] | None = None  # {"unit": "year", "low": 20, "high": None}

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "granularity": self.granularity,
            "text": self.text,
            "basis": self.basis,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass
class Quantity:
    """A number with its unit and bound: "up to 10 F-35B" is (<=, 10, F-35B)."""

    text: str
    value: float
    unit: str | None
    bound: str = "="  # = / <= / >= / < / > / ~
    kind: str = "count"  # count / mass / money / duration / year / ordinal / percent
    attribute: str | None = None  # e.g. "generation" for "sixth-generation"
    span: Span | None = None
    high: float | None = None  # for ranges "20 to 30"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("span")
        if self.span is not None:
            d.update(start=self.span.start, end=self.span.end)
        return d


@dataclass
class Participant:
    entity: str | None  # entity id (local key before resolution)
    name: str
    role: str  # actor / partner / target / location / instrument
    # The state this participant stands for in this event when its entity alone does not say so
    # (ISO3), and the rule that decided it: "location" (the affected population of a place),
    # "placed" (a group the sentence places in a state), "unnamed" (an unnamed perpetrator or
    # authority of the place where it happened), "own_state" (a domestic protest addresses its state).
    country: str | None = None
    basis: str | None = None


@dataclass
class Event:
    id: str
    type: str
    plover: str
    modality: str
    summary: str
    participants: list[Participant] = field(default_factory=list)
    location: str | None = None
    date: TimeValue | None = None
    quantities: list[Quantity] = field(default_factory=list)
    sources: list[Span] = field(default_factory=list)  # trigger spans, one per reporting doc
    sentences: list[Span] = field(default_factory=list)
    trigger: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)  # modality over time


@dataclass
class Quote:
    id: str
    text: str
    doc: str
    start: int
    end: int
    speaker: str | None = None  # entity id
    speaker_name: str | None = None
    cue: str | None = None  # said / told / according to / colon ...
    speaker_span: Span | None = None
    method: str | None = None  # how the speaker was found: same_sentence / previous / pronoun ...


@dataclass
class Attribution:
    """Who said (or believes, or intends) what, modelled on PARC/PolNeAR: source, cue and content spans.

    ``kind`` is one of ``ATTRIBUTION_KINDS``; ``content`` may be discontinuous (a mixed quote's quoted
    and paraphrased parts). ``speaker`` is the document-local entity key before resolution.
    ``quote`` links a direct or mixed attribution to its ``Quote`` record.
    """

    id: str
    kind: str
    doc: str
    cue: Span | None
    content: list[Span] = field(default_factory=list)
    source: Span | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    statement_type: str = "statement"
    quote: str | None = None


CLAIM_BASES = ("stated", "inferred")


@dataclass
class ClaimValue:
    """One source's statement of an attribute's value.

    ``sources`` are the spans of the value itself ("$1.8 billion"); ``context`` is the sentence it
    stands in. ``basis`` is ``stated`` when the text says the value is this attribute (a trigger word
    governs it, or its form names the attribute) and ``inferred`` when only the value's kind suggests
    it. A value inside a quote or attribution carries its ``speaker`` (document-local entity key),
    ``speaker_name`` and the ``attribution`` (attribution or quote id).
    """

    value: str
    normalized: dict[str, Any]
    sources: list[Span] = field(default_factory=list)
    modality: str = "happened"
    published: str | None = None
    context: Span | None = None
    basis: str = "stated"
    speaker: str | None = None
    speaker_name: str | None = None
    attribution: str | None = None


@dataclass
class Claim:
    id: str
    subject: str | None
    subject_name: str
    attribute: str
    status: str = "single_source"
    explanation: str = ""
    values: list[ClaimValue] = field(default_factory=list)


@dataclass
class Story:
    """Documents about one happening (days to weeks), clustered by ``resolve.stories``."""

    id: str
    title: str
    documents: list[str] = field(default_factory=list)
    topic: str | None = None
    unclusterable: str | None = None  # too_short / boilerplate: its one document had no usable text


@dataclass
class Topic:
    """Stories an analyst follows together (months to years), clustered at a looser threshold, no time window."""

    id: str
    title: str
    stories: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None


@dataclass
class StageFailure:
    """An exception inside one stage's work on one sentence (or the whole stage when the span is unknown)."""

    stage: str
    doc: str
    start: int | None
    end: int | None
    error: str

    @property
    def where(self) -> str:
        return f"offset {self.start}-{self.end}" if self.start is not None else "whole document"


@dataclass
class Analysis:
    """Everything the per-document stages learn about one document.

    Stages run in order (nlp → entities → time → quantities → quotes → events →
    claims); each reads what the earlier ones wrote and appends its own records.
    ``nlp`` holds the spaCy ``Doc`` while the document is in flight; it is never stored.
    """

    document: Document
    nlp: Any = None
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)  # document-local entities
    times: list[TimeValue] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # one value each, document-local
    warnings: list[str] = field(default_factory=list)
    failures: list[StageFailure] = field(default_factory=list)  # isolated errors; the document is kept
