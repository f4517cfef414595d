"""Values as intervals, and how two values relate: equal, compatible, conflict or incomparable.

Every normalized value (see ``newsgraph.extract.claims.normalize``) is read as an interval with open
ends: "up to 10" is (-inf, 10], "over two decades" is (20 y, +inf), "mid-2024" is the date range the
time stage gave it. Two values are *equal* when their intervals coincide (within rounding),
*compatible* when they intersect, in *conflict* when they are disjoint, and *incomparable* when
they measure different things (other unit dimension, other currency, other kind).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from newsgraph.resolve.claim_values.records import (
    COMPATIBLE,
    CONFLICT,
    EQUAL,
    INCOMPARABLE,
    StatedValue,
    rules,
)


def _to_base(x: float | None, unit: str | None, kind: str) -> tuple[float | None, str | None]:
    """Convert to the dimension's base unit when known; else keep the unit as its own dimension."""
    for dim, factors in rules()["units"].items():
        if unit in factors:
            return (None if x is None else x * factors[unit]), dim
    return x, f"{kind}:{unit}"


def numeric_interval(norm: dict[str, Any]) -> tuple[float | None, float | None, str]:
    """(low, high, dimension) in base units, widened by the rounding / "about" tolerance."""
    tol = rules()["tolerance"]["approx" if norm.get("bound") == "~" else "exact"]
    low, dim = _to_base(norm.get("low"), norm.get("unit"), norm.get("kind", ""))
    high, _ = _to_base(norm.get("high"), norm.get("unit"), norm.get("kind", ""))
    low = None if low is None else low - abs(low) * tol
    high = None if high is None else high + abs(high) * tol
    return low, high, dim


def date_interval(norm: dict[str, Any]) -> tuple[float | None, float | None]:
    """Inclusive day ordinals; "by 2035" (bound <=) is open on the left, ">=" on the right."""
    start = date.fromisoformat(norm["start"]).toordinal() if norm.get("start") else None
    end = date.fromisoformat(norm["end"]).toordinal() if norm.get("end") else start
    bound = norm.get("bound")
    if bound in ("<=", "<"):
        start = None
    elif bound in (">=", ">"):
        end = None
    return start, end


def _intersect(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> bool:
    lo = max((x for x in (a[0], b[0]) if x is not None), default=None)
    hi = min((x for x in (a[1], b[1]) if x is not None), default=None)
    return lo is None or hi is None or lo <= hi


def _same(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is y
        return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))

    return close(a[0], b[0]) and close(a[1], b[1])


# ---------------------------------------------------------------- relations


def relation(a: dict[str, Any], b: dict[str, Any], exclusive: bool = False) -> str:
    """equal / compatible / conflict / incomparable for two normalized values."""
    kind = a.get("kind")
    if kind != b.get("kind"):
        return INCOMPARABLE
    if kind == "set":
        return _set_relation(a, b, exclusive)
    if kind == "ordinal":
        if a.get("attribute") != b.get("attribute"):
            return INCOMPARABLE
        return EQUAL if a.get("value") == b.get("value") else CONFLICT
    if kind == "date":
        ia, ib = date_interval(a), date_interval(b)
    else:
        *ia, dim_a = numeric_interval(a)
        *ib, dim_b = numeric_interval(b)
        if dim_a != dim_b:
            return INCOMPARABLE
    if _same(tuple(ia), tuple(ib)):
        return EQUAL
    return COMPATIBLE if _intersect(tuple(ia), tuple(ib)) else CONFLICT


def _members(norm: dict[str, Any]) -> frozenset[str]:
    """Set members as resolved keys: ``members`` (global entity ids) when given, else local items."""
    return frozenset(norm.get("members") or norm.get("items") or ())


def _set_relation(a: dict[str, Any], b: dict[str, Any], exclusive: bool) -> str:
    ma, mb = _members(a), _members(b)
    if ma == mb:
        return EQUAL
    if ma <= mb or mb <= ma or not exclusive:
        return COMPATIBLE
    return CONFLICT


def stated_relation(a: StatedValue, b: StatedValue, exclusive: bool = False) -> str:
    """As ``relation``, with negation: "not X" conflicts with X and is compatible with what is not X."""
    neg_a, neg_b = a.modality == "negated", b.modality == "negated"
    rel = relation(a.normalized, b.normalized, exclusive)
    if neg_a == neg_b or rel == INCOMPARABLE:
        return rel
    return CONFLICT if rel in (EQUAL, COMPATIBLE) else COMPATIBLE
