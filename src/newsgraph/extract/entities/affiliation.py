"""Affiliation: the country of each person, organisation, unit and ship, where the text or KB says it."""

from __future__ import annotations

from newsgraph.model import Analysis
from newsgraph.nlp.kb import KnowledgeBase


def assign_affiliations(analysis: Analysis, kb: KnowledgeBase) -> None:
    return None
