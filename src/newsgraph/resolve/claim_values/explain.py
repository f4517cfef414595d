"""One-line explanations that name the sources ("Harbour Times (2024-08-23), quoting Adm. X, gives ...")."""

from __future__ import annotations

from newsgraph.resolve.claim_values.display import display, join_names, source_label
from newsgraph.resolve.claim_values.independence import outlet_key, outlet_name
from newsgraph.resolve.claim_values.records import StatedValue, rules


def _label(v: StatedValue) -> str:
    """The source with the speaker it quotes: "Harbour Times (2024-08-23), quoting Giancarlo Ferri"."""
    return f"{source_label(v)}, quoting {v.speaker_name}" if v.speaker_name else source_label(v)


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
                quoting = c.speaker is not None and c.speaker == first.speaker
                extra.append(f"{'also' if same or quoting else 'copied by'} {_label(c)}")
        parts.append(f"{_label(first)} [{'; '.join(extra)}]" if extra else _label(first))
    return join_names(parts), len(by_group)


def _gives(vals: list[StatedValue], groups: dict[str, str], reading: str) -> str:
    text, n = _sources(vals, groups)
    return f"{text} {'gives' if n == 1 else 'give'} {reading}"


def explain_conflict(current: list[StatedValue], groups: dict[str, str]) -> str:
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


def explain_superseded(values: list[StatedValue], old: dict[str, list[StatedValue]]) -> str:
    stale = [v for v in values if v.id in old]
    later = [w for v in stale for w in old[v.id] if w.id not in old]
    later = list({w.id: w for w in later}.values()) or [w for v in stale for w in old[v.id]]
    plans = join_names([f"{_label(v)} {v.modality} {display(v.normalized, v.value)}" for v in stale])
    labels = join_names([source_label(w).replace(" (", " ", 1).rstrip(")") for w in later])
    return f"Superseded: {plans}; later reports ({labels}) say {join_names(list(_readings(later)))}."


def explain_single(current: list[StatedValue], groups: dict[str, str]) -> str:
    readings = list(_readings(current))
    text, _ = _sources(current, groups)
    return f"Single source: {text} gives {join_names(readings)}."


def explain_corroborated(current: list[StatedValue], groups: dict[str, str]) -> str:
    reading = next(iter(_readings(current)))
    return f"Corroborated: {_gives(current, groups, reading)}, independently."


def explain_compatible(current: list[StatedValue], groups: dict[str, str]) -> str:
    parts = "; ".join(_gives(vs, groups, r) for r, vs in _readings(current).items())
    n = len({groups[v.id] for v in current})
    return f"Compatible: {parts}; the {n} independent sources differ in form but agree within intervals."


def undated_note(values: list[StatedValue], status: str) -> str:
    undated = [v for v in values if not v.date]
    dated_forecast = any(v.modality in rules()["forecast_modalities"] for v in values)
    if not undated or not (status == "superseded" or dated_forecast):
        return ""
    names = join_names([outlet_name(v.outlet) or v.doc for v in undated])
    return f" {names} {'is' if len(undated) == 1 else 'are'} undated, so cannot supersede or be superseded."


def explain_set_aside(aside: list[StatedValue]) -> str:
    """A note on values set aside: only inferred to be the attribute, and contradicted by a value the same
    document states as it."""
    if not aside:
        return ""
    parts = join_names([f"{_label(v)} gives {display(v.normalized, v.value)}" for v in aside])
    return f" Set aside: {parts}, not stated as this attribute and contradicted by the same source's stated value."
