"""The claim rules as data (``kb/attributes.yaml``) and the candidate a rule finds in a sentence."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from newsgraph.model import CLAIM_BASES
from newsgraph.settings import KB_DIR

STATED, INFERRED = CLAIM_BASES


@cache
def attribute_specs() -> dict[str, Any]:
    """attributes.yaml as loaded (the attribute list, modality cues, syntax lists, look-back)."""
    return yaml.safe_load((KB_DIR / "attributes.yaml").read_text(encoding="utf-8"))


def syntax() -> dict[str, Any]:
    """The dependency labels and word lists the claim rules read the parse with."""
    return attribute_specs()["syntax"]


@dataclass
class Candidate:
    """A value found in a sentence, before it becomes a Claim."""

    attribute: str
    spec: dict[str, Any]
    span: tuple[int, int]
    surface: str
    normalized: dict[str, Any]
    anchor: Any  # spaCy token the modality and clause are read from (the value's root)
    trigger: Any = None  # the trigger token that licensed the value, when one did
    basis: str = STATED  # stated: a trigger (or the value's own form) says it is this attribute; else inferred
