"""Shared response models: the base class, errors, spans, entity references and the page envelope.

Every model allows fields it does not declare (``extra="allow"``): a field a query adds before its
model declares it still reaches the client (untyped until declared), instead of being dropped.
Declare new fields here when you add them to a query (docs/api.md, "Adding an endpoint").
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    """Base of every response model: open to fields added later, documented field by field."""

    # Fields with a default are always in an answer, so the schema marks them required (nullable where None).
    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=True)


class Problem(Model):
    """An error that is not a parameter check: ``{"detail": "what went wrong"}``."""

    detail: str


class FieldError(Model):
    """One failed parameter check, in FastAPI's shape (``input`` and ``ctx`` only when they apply)."""

    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=False)

    loc: list[str | int] = Field(description='Where: ["query", "limit"], ["path", "doc_id"] ...')
    msg: str
    type: str
    input: Any = None
    ctx: dict[str, Any] | None = None


class ValidationProblem(Model):
    """422: the parameters did not pass their checks (unknown names included)."""

    detail: list[FieldError]


class Span(Model):
    """A character span of a document's cleaned text: ``text == document.text[start:end]``."""

    doc: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


class EntityRef(Model):
    """A corpus entity by id, with its name and type when it exists."""

    id: str
    name: str | None = None
    type: str | None = None


class Page(Model, Generic[T]):
    """One page of a list. ``next``/``prev`` are the URLs of the neighbour pages (also in ``Link``)."""

    total: int = Field(description="Records matching the filters, on every page.")
    limit: int
    offset: int
    items: list[T]
    next: str | None = Field(None, description="URL of the next page; null on the last.")
    prev: str | None = Field(None, description="URL of the previous page; null on the first.")
