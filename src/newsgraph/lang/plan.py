"""Which stages run on a document, by its language: the one routing decision of the pipeline.

English gets the full pipeline with the English spaCy model. Every other language (and text whose
language is undetermined) gets only the stages that do not depend on English: KB names plus the
language's own NER model where one is installed (entities), dates through dateparser's locale
tables (time), numbers in digits (quantities), and quotes by the language's quotation marks
(quotes). The English model's NER, parser and the stages built on them (events, claims, and any
stage registered later unless it is listed here) never run on such a document.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.stages import Context, StageFn, registered

ENGLISH = "en"
# Stage name → the function that replaces it for documents not in English.
LANGUAGE_INDEPENDENT = ("entities", "time", "quantities", "quotes")


@dataclass(frozen=True)
class LanguagePlan:
    language: str
    english_model: bool  # parse with the English spaCy model and run every registered stage
    ner_model: str | None  # the language's own spaCy NER pipeline, if any
    stages: tuple[str, ...]  # names of the stages that run, in order


def plan_for(language: str | None) -> LanguagePlan:
    """The stage plan of a document in ``language`` (an ISO 639-1 code, "und" or None)."""
    from newsgraph.lang.conventions import ner_model

    code = (language or "und").lower()
    if code == ENGLISH:
        return LanguagePlan(code, True, None, tuple(name for name, _ in registered()))
    model = ner_model(code)
    names = tuple(name for name, _ in registered() if name in LANGUAGE_INDEPENDENT)
    return LanguagePlan(code, False, model["model"] if model else None, names)


def _multilingual() -> dict[str, StageFn]:
    from newsgraph.lang import entities, quantities, quotes, timex

    return {"entities": entities.run, "time": timex.run, "quantities": quantities.run, "quotes": quotes.run}


def stage_functions(plan: LanguagePlan) -> list[tuple[str, StageFn]]:
    """The (name, function) pairs to run for ``plan``, in the registry's order."""
    if plan.english_model:
        return registered()
    replacements = _multilingual()
    return [(name, replacements[name]) for name in plan.stages if name in replacements]


def needs_english_parse(language: str | None) -> bool:
    return plan_for(language).english_model


__all__ = ["LANGUAGE_INDEPENDENT", "Context", "LanguagePlan", "needs_english_parse", "plan_for", "stage_functions"]
