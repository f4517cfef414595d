"""What the comparer reads: the comparison rules (kb/claim_compare.yaml) and one source's stated value."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

EQUAL, COMPATIBLE, CONFLICT, INCOMPARABLE = "equal", "compatible", "conflict", "incomparable"
SET_ASIDE = "set_aside"  # a per-value status: see assess.set_aside


@cache
def rules() -> dict[str, Any]:
    return yaml.safe_load((KB_DIR / "claim_compare.yaml").read_text(encoding="utf-8"))


@dataclass
class StatedValue:
    """One source's statement of the value, with what the comparer needs to know about the source."""

    id: str
    doc: str
    normalized: dict[str, Any]
    value: str = ""  # surface text
    modality: str = "happened"
    outlet: str | None = None
    date: str | None = None  # ISO date of the source: published, else inferred, else None
    date_basis: str | None = None  # metadata / text / inferred
    context: str = ""  # the paragraph holding the evidence (syndication check)
    duplicate_of: str | None = None  # the document this one duplicates, if any
    basis: str = "stated"  # stated: the text states it as this attribute; inferred: only its kind fits
    speaker: str | None = None  # who the source quotes for it (a global entity id, else the name)
    speaker_name: str | None = None


@dataclass
class Assessment:
    status: str
    explanation: str
    value_status: dict[str, str] = field(default_factory=dict)  # value id -> per-value status
    independent_of: dict[str, str] = field(default_factory=dict)  # value id -> representative value id
    superseded_by: dict[str, list[str]] = field(default_factory=dict)  # plan value id -> later value ids

