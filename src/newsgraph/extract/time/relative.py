"""Resolvers for expressions relative to the anchor or to the narrative: "last week", "the end of the
year", "two years ago", "yesterday", "on Monday", "the next day", "now"."""

from __future__ import annotations

from datetime import date, timedelta

from newsgraph.extract.time.durations import _duration_tv, amount
from newsgraph.extract.time.grammar import Candidate
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.points import Point, choose, floor, rel_mode, shifted, step
from newsgraph.extract.time.scope import (
    INFERRED,
    RELATIVE,
    UNANCHORED,
    Scope,
    make_tv,
    point_tv,
    position,
    unanchored,
)
from newsgraph.model import TimeValue


def _unit_gran(unit: str) -> str | None:
    name, info = lexicon().unit(unit)
    if name == "weekend":
        return "week"
    return info.get("granularity")


def r_rel_unit(s: Scope, c: Candidate) -> TimeValue | None:
    rel, unit = c.groups["rel"].lower(), c.groups["unit"]
    gran = _unit_gran(unit)
    if unit.lower().endswith("s") and unit.lower() not in ("centuries",):
        return None  # "last years" is not a point; durations handle plurals
    if gran is None or gran == "day":
        return None  # "the last day of the talks": no anchor we can trust
    if "the" in c.groups and rel in ("past", "next", "coming"):
        return _duration_tv(s, c, 1, None, unit, rel)
    if s.anchor is None:
        return unanchored(s, c)
    p = floor(gran, s.anchor).shift(int(lexicon().relative[rel]))
    if p is None:
        return unanchored(s, c)
    tv = point_tv(s, c, p, RELATIVE, position(c))
    if unit.lower() == "weekend" and tv.value:
        tv.value += "-WE"
        tv.start = (p.first + timedelta(days=5)).isoformat()
    return tv


def r_pos_unit(s: Scope, c: Candidate) -> TimeValue | None:
    gran = _unit_gran(c.groups["unit"])
    if s.anchor is None or gran is None:
        return unanchored(s, c)
    p = floor(gran, s.anchor)
    tv = point_tv(s, c, p, RELATIVE, position(c))
    if tv.start and date.fromisoformat(tv.start) > s.anchor and s.tense(c) == "past":
        earlier = p.shift(-1)  # "peaked by the end of the year"
        if earlier is not None:
            tv = point_tv(s, c, earlier, RELATIVE, position(c))
    return tv


def r_ago(s: Scope, c: Candidate) -> TimeValue | None:
    n, modifier = amount(c)
    name, info = lexicon().unit(c.groups["unit"])
    if n is None or info.get("time"):
        return make_tv(s, c, basis=RELATIVE, value="PAST_REF", end=s.anchor.isoformat() if s.anchor else None)
    if s.anchor is None:
        return unanchored(s, c)
    gran = info["granularity"] if name != "weekend" else "week"
    back = shifted(s.anchor, step(gran, int(n)), -1) if float(n).is_integer() else s.anchor
    if back is None:
        return unanchored(s, c)
    tv = point_tv(s, c, floor(gran, back), RELATIVE)
    tv.modifier = modifier
    return tv


def _pod_code(c: Candidate) -> str | None:
    pod = c.groups.get("pod")
    return lexicon().parts_of_day[pod.lower()] if pod else None


def _day_tv(s: Scope, c: Candidate, d: date | None, basis: str, pod: str | None) -> TimeValue:
    if d is None:
        return unanchored(s, c)
    tv = point_tv(s, c, Point("day", d), basis)
    if pod:
        tv.value, tv.kind = f"{tv.value}T{pod}", "TIME"
    return tv


def r_deictic(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["deictic"].lower()
    pod = _pod_code(c) or ("NI" if word == "tonight" else None)
    if s.anchor is None:
        return unanchored(s, c)
    return _day_tv(s, c, shifted(s.anchor, timedelta(days=lexicon().deictic_days[word])), RELATIVE, pod)


def r_part_of_day(s: Scope, c: Candidate) -> TimeValue | None:
    rel = c.groups["prel"].lower()
    if s.anchor is None:
        return unanchored(s, c, kind="TIME")
    shift = {"this": 0, "yesterday": -1, "tomorrow": 1}.get(rel)
    if shift is None:  # "last night" is the night before; "last morning" is not said
        shift = -1
    return _day_tv(s, c, shifted(s.anchor, timedelta(days=shift)), RELATIVE, _pod_code(c))


def r_weekday(s: Scope, c: Candidate) -> TimeValue | None:
    wd = int(lexicon().weekdays[c.groups["weekday"]])
    if s.anchor is None:
        return unanchored(s, c, f"XXXX-WXX-{wd + 1}")
    days = [d for k in range(-7, 8) if (d := shifted(s.anchor, timedelta(days=k))) is not None]
    cands = [Point("day", d) for d in days if d.weekday() == wd]
    rel = (c.groups.get("rel") or "").lower()
    if lexicon().relative.get(rel) == 0:
        chosen: date | None = shifted(s.anchor, timedelta(days=wd - s.anchor.weekday()))
    else:
        mode = rel_mode(rel, s.tense(c))
        pool = [*cands, Point("day", s.anchor)] if s.anchor.weekday() == wd else cands
        chosen = choose(pool, s.anchor, mode).first if pool else None
    return _day_tv(s, c, chosen, RELATIVE, _pod_code(c))


def r_narrative(s: Scope, c: Candidate) -> TimeValue | None:
    ref, basis = (s.last_day, INFERRED) if s.last_day else (s.anchor, RELATIVE)
    if ref is None:
        return unanchored(s, c)
    if "nday" in c.groups:
        delta = timedelta(days=1 if c.groups["ndir"].lower() == "after" else -1)
        return _day_tv(s, c, shifted(ref, delta), basis, None)
    direction = 1 if c.groups["nrel"].lower() in ("next", "following") else -1
    unit = c.groups["nunit"].lower()
    if unit in ("morning", "night"):
        return _day_tv(s, c, shifted(ref, timedelta(days=direction)), basis, lexicon().parts_of_day[unit])
    p = floor(unit, ref).shift(direction)
    return point_tv(s, c, p, basis) if p is not None else unanchored(s, c)


def r_reference(s: Scope, c: Candidate) -> TimeValue | None:
    key = " ".join(c.groups["ref"].lower().split())
    value = lexicon().references[key]
    if key.startswith("in "):  # TimeML leaves the preposition out
        c = Candidate(c.rule, c.start + 3, c.end, c.groups)
    a = s.anchor.isoformat() if s.anchor else None
    start = a if value in ("PRESENT_REF", "FUTURE_REF") else None
    end = a if value in ("PRESENT_REF", "PAST_REF") else None
    basis = RELATIVE if a else UNANCHORED
    return make_tv(s, c, start=start, end=end, basis=basis, value=value,
                   granularity="day" if value == "PRESENT_REF" and a else None)
