"""Claim values as a reader sees them in explanations: "27,100 tons", "up to 10 F-35B", "by 2035"."""

from __future__ import annotations

from datetime import date
from typing import Any

from newsgraph.resolve.claim_values.independence import outlet_name
from newsgraph.resolve.claim_values.records import StatedValue

_BOUND_WORDS = {"<=": "up to", "<": "under", ">=": "at least", ">": "over", "~": "about"}
_DATE_BOUND = {"<=": "by", "<": "before", ">=": "from", ">": "after"}


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def _unit(unit: str | None, kind: str, n: float) -> str:
    if not unit:
        return ""
    plural = n != 1 and unit.isalpha() and unit.islower() and not unit.endswith("s") and kind != "money"
    return unit + "s" if plural else unit


def display(norm: dict[str, Any], surface: str = "") -> str:
    """A short reading of a normalized value for explanations: "27,100 tons", "up to 10 F-35B"."""
    kind = norm.get("kind")
    if kind == "set":
        return " + ".join(sorted(norm.get("names") or [])) or surface
    if kind == "ordinal":
        return f"{norm.get('value')} ({norm.get('attribute') or 'ordinal'})"
    if kind == "date":
        return _display_date(norm) or surface
    return _display_number(norm) or surface


def _display_number(norm: dict[str, Any]) -> str:
    low, high, unit, kind = norm.get("low"), norm.get("high"), norm.get("unit"), norm.get("kind", "")
    shown = high if low is None else low
    if shown is None:
        return ""
    text = _number(shown) if low is None or high is None or low == high else f"{_number(low)} to {_number(high)}"
    unit_text = _unit(unit, kind, high if high is not None else shown)
    text = f"{unit} {text}" if kind == "money" and unit else f"{text} {unit_text}".strip()
    bound = _BOUND_WORDS.get(norm.get("bound") or "=")
    return f"{bound} {text}" if bound else text


def _display_date(norm: dict[str, Any]) -> str:
    start, end, gran = norm.get("start"), norm.get("end"), norm.get("granularity")
    if not start:
        return ""
    if gran == "day" or start == end:
        text = start
    elif gran == "month":
        text = date.fromisoformat(start).strftime("%B %Y")
    elif gran == "year" and norm.get("modifier"):
        text = f"{norm['modifier']} of {end[:4]}"
    elif gran == "year":
        text = start[:4]
    else:
        text = f"{start} to {end}"
    bound = _DATE_BOUND.get(norm.get("bound") or "=")
    return f"{bound} {text}" if bound else text


def source_label(v: StatedValue) -> str:
    """ "Harbour Times (2024-08-23)", "The Naval Observer (inferred 2024-08-29)", "X (undated)"."""
    name = outlet_name(v.outlet) or v.doc
    if not v.date:
        return f"{name} (undated)"
    return f"{name} (inferred {v.date})" if v.date_basis == "inferred" else f"{name} ({v.date})"


def join_names(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

