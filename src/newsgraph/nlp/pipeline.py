"""The spaCy pipeline: the small English model plus a span ruler built from the knowledge base.

The ruler runs after the statistical NER and writes to ``doc.spans["kb"]`` (it never touches
``doc.ents``), so later stages still see the model's own DATE/CARDINAL... entities; the entities
stage merges the two views.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from newsgraph.nlp.kb import KnowledgeBase, load_kb
from newsgraph.settings import Settings, get_settings
from newsgraph.stages import Context

KB_SPANS = "kb"
_CACHE: dict[tuple, Language] = {}


def load_nlp(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> Language:
    """The cached pipeline for ``settings.spacy_model`` with the KB span ruler (patterns compiled once)."""
    settings = settings or get_settings()
    kb = kb or load_kb(settings.kb_dirs)
    key = (settings.spacy_model, id(kb))
    if key not in _CACHE:
        _CACHE[key] = _build(settings.spacy_model, kb)
    return _CACHE[key]


def _build(model: str, kb: KnowledgeBase) -> Language:
    nlp = spacy.load(model)
    ruler = nlp.add_pipe(
        "span_ruler",
        name="kb_ruler",
        last=True,
        config={"spans_key": KB_SPANS, "annotate_ents": False, "validate": False, "overwrite": True},
    )
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(kb.patterns())
    return nlp


def make_context(settings: Settings | None = None) -> Context:
    """Settings, the KB (with ``settings.kb_dirs``) and the pipeline, ready for the stages."""
    settings = settings or get_settings()
    kb = load_kb(settings.kb_dirs)
    return Context(settings=settings, kb=kb, nlp=load_nlp(settings, kb))
