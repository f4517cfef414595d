"""Pydantic response models of every JSON endpoint, so the OpenAPI description types every 200."""

from newsgraph.api.models.common import EntityRef, FieldError, Model, Page, Problem, Span, ValidationProblem
from newsgraph.api.models.misc import (
    ActorNetwork,
    Alert,
    Dyads,
    Facets,
    Index,
    SearchPage,
    TimelineEvent,
)
from newsgraph.api.models.records import (
    Attribution,
    ClaimDetail,
    ClaimSummary,
    DocumentDetail,
    DocumentSummary,
    EntityDetail,
    EntitySummary,
    Event,
    EventDetail,
    Quote,
    StoryDetail,
    StorySummary,
    TopicDetail,
    TopicSummary,
)

__all__ = [
    "ActorNetwork", "Alert", "Attribution", "ClaimDetail", "ClaimSummary", "DocumentDetail", "DocumentSummary", "Dyads",
    "EntityDetail", "EntityRef", "EntitySummary", "Event", "EventDetail", "Facets", "FieldError", "Index",
    "Model", "Page", "Problem", "Quote", "SearchPage", "Span", "StoryDetail", "StorySummary", "TimelineEvent",
    "TopicDetail", "TopicSummary", "ValidationProblem",
]
