"""The comparable (normalized) form of a claim value.

  numbers   {"kind", "unit", "low", "high", "bound"}; an interval, None = open ("up to 10" -> low None, high 10)
  ordinals  {"kind": "ordinal", "value": 6, "attribute": "generation"}
  dates     {"kind": "date", "start", "end", "granularity", "modifier", "bound"}
  sets      {"kind": "set", "items": [entity ids], "names": [...], "kb_ids": [...]}
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.claims.spec import attribute_specs
from newsgraph.model import Quantity, TimeValue


def _num(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


def normalize_quantity(q: Quantity) -> dict[str, Any]:
    """The comparable form of a quantity: an interval [low, high] with its bound."""
    if q.kind == "ordinal":
        return {"kind": "ordinal", "value": _num(q.value), "attribute": q.attribute}
    low, high = q.value, q.high if q.high is not None else q.value
    if q.bound in ("<=", "<"):
        low = None
    elif q.bound in (">=", ">"):
        high = None
    return {"kind": q.kind, "unit": q.unit, "low": _num(low), "high": _num(high), "bound": q.bound}


def normalize_time(t: TimeValue, bound: str = "=") -> dict[str, Any]:
    return {
        "kind": "date",
        "start": t.start,
        "end": t.end,
        "granularity": t.granularity,
        "modifier": t.modifier,
        "bound": bound,
    }


def year_time(q: Quantity, times: list[TimeValue], text: str) -> dict[str, Any]:
    """A year quantity as a date: the time stage's reading of it when there is one."""
    bound = year_bound(text[max(0, q.span.start - 40) : q.span.start])
    for t in times:
        if t.span and t.span.start <= q.span.start and q.span.end <= t.span.end and t.start:
            return normalize_time(t, bound)
    y = int(q.value)
    return {"kind": "date", "start": f"{y}-01-01", "end": f"{y}-12-31", "granularity": "year",
            "modifier": None, "bound": bound}


def year_bound(before: str) -> str:
    """The bound the words right before a year give it: "by 2035" and "a target of 2035" are deadlines."""
    words = re.findall(r"[\w-]+", before.lower())
    for bound, phrases in attribute_specs()["year_bounds"].items():
        if any(words[-len(p.split()) :] == p.split() for p in phrases):
            return bound
    return "="
