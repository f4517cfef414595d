"""The per-document stages, registered by name and run in data-flow order.

A stage is a function ``(analysis, ctx) -> None`` that reads the records earlier
stages left on the ``Analysis`` and appends its own. Stages are registered with
``@stage(name, order)`` so the pipeline (local or Spark) assembles them from the
registry instead of importing them ad hoc.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.model import Analysis
from newsgraph.settings import Settings, get_settings


@dataclass
class Context:
    """What every stage may read: settings, the knowledge base and the spaCy pipeline."""

    settings: Settings = field(default_factory=get_settings)
    kb: Any = None  # newsgraph.nlp.kb.KnowledgeBase
    nlp: Any = None  # spacy.language.Language


StageFn = Callable[[Analysis, Context], None]
_REGISTRY: dict[str, tuple[int, StageFn]] = {}


def stage(name: str, order: int) -> Callable[[StageFn], StageFn]:
    """Register a per-document stage. Lower ``order`` runs first."""

    def register(fn: StageFn) -> StageFn:
        _REGISTRY[name] = (order, fn)
        return fn

    return register


def registered() -> list[tuple[str, StageFn]]:
    """Stages in run order. Importing ``newsgraph.extract`` registers the built-in ones."""
    import newsgraph.extract  # noqa: F401  (registers stages on import)

    return [(name, fn) for name, (_, fn) in sorted(_REGISTRY.items(), key=lambda kv: kv[1][0])]
