"""Comparing claim values across sources: pure logic, no store.

Every normalized value (see ``newsgraph.extract.claims``) is read as an interval with open
ends: "up to 10" is (-inf, 10], "over two decades" is (20 y, +inf), "mid-2024" is the date range
the time stage gave it. Two values are *equal* when their intervals coincide (within rounding),
*compatible* when they intersect, in *conflict* when they are disjoint, and *incomparable* when
they measure different things (other unit dimension, other currency, other kind).

``assess`` turns one group of values (one subject, one attribute) into a group status with a
one-line explanation naming the sources, plus a status per value. The rules and their precedence
are documented in docs/resolution.md ("Claims across documents"); the numbers are data in
``kb/claim_compare.yaml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

EQUAL, COMPATIBLE, CONFLICT, INCOMPARABLE = "equal", "compatible", "conflict", "incomparable"


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


@dataclass
class Assessment:
    status: str
    explanation: str
    value_status: dict[str, str] = field(default_factory=dict)  # value id -> per-value status
    independent_of: dict[str, str] = field(default_factory=dict)  # value id -> representative value id
    superseded_by: dict[str, list[str]] = field(default_factory=dict)  # plan value id -> later value ids


# ---------------------------------------------------------------- intervals


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


# ---------------------------------------------------------------- independence


_SEPARATORS = re.compile(r"\s+[-–—|:]\s+|\.\s+|,\s+")
_DOMAIN = re.compile(r"^(?:www\.)?([a-z0-9-]+)\.[a-z.]+$")


def outlet_key(outlet: str | None) -> str | None:
    """A comparable outlet name: "Harbour Times - World", "Harbour Times" and "harbourtimes.example" agree."""
    if not outlet:
        return None
    head = _SEPARATORS.split(outlet.strip())[0].lower()
    domain = _DOMAIN.match(head)
    if domain:
        head = domain.group(1)
    key = re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", head))
    return key or None


def outlet_name(outlet: str | None) -> str | None:
    """The outlet as a reader knows it: "Harbour Times - World" and "Harbour Times. All" read "Harbour Times"."""
    return _SEPARATORS.split(outlet.strip())[0] if outlet else None


def shingles(text: str, size: int) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def independent_groups(values: list[StatedValue]) -> dict[str, str]:
    """value id -> id of the first value of its independent source.

    One source = one outlet; a document's duplicates and near-identical evidence paragraphs in
    other outlets (syndicated copies) join the source they copy.
    """
    parent = {v.id: v.id for v in values}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry, key=order.__getitem__)] = min(rx, ry, key=order.__getitem__)

    order = {v.id: i for i, v in enumerate(values)}
    first: dict[tuple[str, str], str] = {}
    for v in values:  # same document (or its duplicate), same outlet: keyed, not compared in pairs
        for key in (("doc", v.duplicate_of or v.doc), ("outlet", outlet_key(v.outlet))):
            if key[1] is None:
                continue
            if key in first:
                union(first[key], v.id)
            else:
                first[key] = v.id
    for a, b in _syndicated_pairs(values):
        union(a, b)
    return {v.id: find(v.id) for v in values}


def _syndicated_pairs(values: list[StatedValue]) -> list[tuple[str, str]]:
    """Values whose evidence paragraphs are near-identical. Identical paragraphs join at once;
    only distinct paragraphs are compared, each one's shingles computed once."""
    cfg = rules()["syndication"]
    pairs, seen, distinct = [], {}, []
    for v in values:
        if not v.context or len(v.context.split()) < cfg["min_words"]:
            continue
        sh = frozenset(shingles(v.context, cfg["shingle_size"]))
        if sh in seen:
            pairs.append((seen[sh], v.id))
            continue
        seen[sh] = v.id
        distinct.append((v.id, sh))
    for i, (ida, sa) in enumerate(distinct):
        for idb, sb in distinct[i + 1 :]:
            if len(sa & sb) / len(sa | sb) >= cfg["threshold"]:
                pairs.append((ida, idb))
    return pairs


# ---------------------------------------------------------------- display

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


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- assessment


def superseded_by(values: list[StatedValue], exclusive: bool = False,
                  rel: Any = None) -> dict[str, list[StatedValue]]:
    """Forecast values (planned/expected/announced) contradicted by a strictly later dated source.

    An undated value can neither supersede nor be superseded: without a date there is no "later".
    A later report that agrees with the plan (equal or compatible) fulfils it instead.
    """
    forecasts = set(rules()["forecast_modalities"])
    out: dict[str, list[StatedValue]] = {}
    for v in values:
        if v.modality not in forecasts or not v.date:
            continue
        later = [w for w in values
                 if w.date and w.date > v.date
                 and (rel(v, w) if rel else stated_relation(v, w, exclusive)) == CONFLICT]
        if later:
            out[v.id] = later
    return out


def _form(v: StatedValue) -> tuple[str, bool]:
    """What the comparison of two values depends on: their normalised value and negation."""
    return json.dumps(v.normalized, sort_keys=True, default=str), v.modality == "negated"


class _Forms:
    """Relations between the distinct forms of a group's values: a group can hold thousands of
    values (one per report) but only a handful of distinct forms, so pairs of forms are compared."""

    def __init__(self, values: list[StatedValue], exclusive: bool) -> None:
        self.exclusive = exclusive
        self.example: dict[tuple[str, bool], StatedValue] = {}
        for v in values:
            self.example.setdefault(_form(v), v)
        self._rel: dict[tuple, str] = {}

    def rel(self, a: StatedValue, b: StatedValue) -> str:
        return self.between(_form(a), _form(b))

    def between(self, fa: tuple[str, bool], fb: tuple[str, bool]) -> str:
        key = (fa, fb) if fa <= fb else (fb, fa)
        if key not in self._rel:
            self._rel[key] = stated_relation(self.example[key[0]], self.example[key[1]], self.exclusive)
        return self._rel[key]


def _value_statuses(current: list[StatedValue], groups: dict[str, str], forms: _Forms) -> dict[str, str]:
    """Per value: corroborated (an independent source states the same), conflict, compatible or single."""
    groups_of: dict[tuple[str, bool], set[str]] = {}
    for w in current:
        groups_of.setdefault(_form(w), set()).add(groups[w.id])
    out = {}
    for v in current:
        f, g = _form(v), groups[v.id]
        related = {h: forms.between(f, h) for h in groups_of}
        independent = [h for h, r in related.items() if r != INCOMPARABLE and groups_of[h] - {g}]
        if any(related[h] == EQUAL for h in independent):
            out[v.id] = "corroborated"
        elif any(r == CONFLICT for r in related.values()):
            out[v.id] = "conflict"
        else:
            out[v.id] = "compatible" if independent else "single_source"
    return out


def assess(values: list[StatedValue], exclusive: bool = False) -> Assessment:
    """Group status, one-line explanation and per-value status for one (subject, attribute) group."""
    values = sorted(values, key=lambda v: (v.date or "9999-99-99", v.doc, v.id))
    groups = independent_groups(values)
    forms = _Forms(values, exclusive)
    old = superseded_by(values, exclusive, forms.rel)
    current = [v for v in values if v.id not in old]
    per_value = {v.id: "superseded" for v in values if v.id in old}
    per_value |= _value_statuses(current, groups, forms)
    distinct = sorted({_form(v) for v in current})
    pairs = [(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]]
    if any(forms.between(a, b) == CONFLICT for a, b in pairs):
        status, text = "conflict", _explain_conflict(current, groups)
        if old:
            text += " " + _explain_superseded(values, old).replace("Superseded: ", "Also superseded: ", 1)
    elif old:
        status, text = "superseded", _explain_superseded(values, old)
    elif len({groups[v.id] for v in current}) <= 1:
        status, text = "single_source", _explain_single(current, groups)
    elif all(forms.between(a, b) == EQUAL for a, b in pairs):
        status, text = "corroborated", _explain_corroborated(current, groups)
    else:
        status, text = "compatible", _explain_compatible(current, groups)
    text += _undated_note(values, status)
    later = {k: [w.id for w in ws] for k, ws in old.items()}
    return Assessment(status, text, per_value, {v.id: groups[v.id] for v in values}, later)


# ---------------------------------------------------------------- explanations


def _readings(values: list[StatedValue]) -> dict[str, list[StatedValue]]:
    """Values grouped by how they read ("27,100 tons"), the most widely sourced reading first."""
    out: dict[str, list[StatedValue]] = {}
    for v in values:
        out.setdefault(display(v.normalized, v.value), []).append(v)
    return dict(sorted(out.items(), key=lambda kv: -len({v.doc for v in kv[1]})))


def _sources(vals: list[StatedValue], groups: dict[str, str]) -> tuple[str, int]:
    """The sources of one reading, one per independent source with its copies; and how many."""
    by_group: dict[str, list[StatedValue]] = {}
    for v in vals:
        by_group.setdefault(groups[v.id], []).append(v)
    parts = []
    for members in by_group.values():
        first, seen, extra = members[0], {members[0].doc}, []
        for c in members[1:]:
            if c.doc not in seen:
                seen.add(c.doc)
                same = outlet_key(c.outlet) == outlet_key(first.outlet)
                extra.append(f"{'also' if same else 'copied by'} {source_label(c)}")
        parts.append(f"{source_label(first)} [{'; '.join(extra)}]" if extra else source_label(first))
    return _join(parts), len(by_group)


def _gives(vals: list[StatedValue], groups: dict[str, str], reading: str) -> str:
    text, n = _sources(vals, groups)
    return f"{text} {'gives' if n == 1 else 'give'} {reading}"


def _explain_conflict(current: list[StatedValue], groups: dict[str, str]) -> str:
    readings = _readings(current)
    counts = {r: len({groups[v.id] for v in vs}) for r, vs in readings.items()}
    total = len({groups[v.id] for v in current})
    best = max(counts.values())
    top = [r for r, c in counts.items() if c == best]
    parts = "; ".join(_gives(vs, groups, r) for r, vs in readings.items())
    if total == 1:
        verdict = "all from one source"
    elif len(top) == 1:
        verdict = f"most independent sources ({best} of {total}) give {top[0]}"
    else:
        verdict = f"no majority among {total} independent sources"
    return f"Conflict: {parts}; {verdict}."


def _explain_superseded(values: list[StatedValue], old: dict[str, list[StatedValue]]) -> str:
    stale = [v for v in values if v.id in old]
    later = [w for v in stale for w in old[v.id] if w.id not in old]
    later = list({w.id: w for w in later}.values()) or [w for v in stale for w in old[v.id]]
    plans = _join([f"{source_label(v)} {v.modality} {display(v.normalized, v.value)}" for v in stale])
    labels = _join([source_label(w).replace(" (", " ", 1).rstrip(")") for w in later])
    return f"Superseded: {plans}; later reports ({labels}) say {_join(list(_readings(later)))}."


def _explain_single(current: list[StatedValue], groups: dict[str, str]) -> str:
    readings = list(_readings(current))
    text, _ = _sources(current, groups)
    return f"Single source: {text} gives {_join(readings)}."


def _explain_corroborated(current: list[StatedValue], groups: dict[str, str]) -> str:
    reading = next(iter(_readings(current)))
    return f"Corroborated: {_gives(current, groups, reading)}, independently."


def _explain_compatible(current: list[StatedValue], groups: dict[str, str]) -> str:
    parts = "; ".join(_gives(vs, groups, r) for r, vs in _readings(current).items())
    n = len({groups[v.id] for v in current})
    return f"Compatible: {parts}; the {n} independent sources differ in form but agree within intervals."


def _undated_note(values: list[StatedValue], status: str) -> str:
    undated = [v for v in values if not v.date]
    dated_forecast = any(v.modality in rules()["forecast_modalities"] for v in values)
    if not undated or not (status == "superseded" or dated_forecast):
        return ""
    names = _join([outlet_name(v.outlet) or v.doc for v in undated])
    return f" {names} {'is' if len(undated) == 1 else 'are'} undated, so cannot supersede or be superseded."
