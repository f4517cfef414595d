"""Resolvers for lengths of time and repetitions: durations ("two decades"), sets ("every week"), clock times.

"the past two years" is a duration and also, with the anchor, the interval that ends at it.
"""

from __future__ import annotations

from datetime import timedelta

from newsgraph.extract.time.grammar import Candidate
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.points import Point, choose, shifted, step
from newsgraph.extract.time.scope import (
    DURATION,
    RELATIVE,
    UNANCHORED,
    Scope,
    make_tv,
    previous_word,
    unanchored,
)
from newsgraph.model import TimeValue

_SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M",
              "weekend": "XXXX-WXX-WE", "season": "P3M"}


def amount(c: Candidate) -> tuple[float | None, str | None]:
    """The count and its TimeML mod; a preposition before "the past N years" is no mod."""
    lx, modifier = lexicon(), None
    if c.groups.get("amod"):
        modifier = lx.amount_modifiers.get(" ".join(c.groups["amod"].lower().split()))
    elif c.groups.get("aprep") and "the" not in c.groups:
        modifier = lx.amount_prepositions.get(" ".join(c.groups["aprep"].lower().split()))
    if "vague" in c.groups:
        return None, modifier
    return lx.number(c.groups["num"]), modifier


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def duration_value(n: float | None, unit: str) -> tuple[str, str, float | None]:
    """TimeML period value, the unit it is expressed in, and the count in that unit."""
    name, info = lexicon().unit(unit)
    factor = info.get("factor", 1)
    count: float | None = n * factor if n is not None else None
    if count is not None and float(count).is_integer():
        count = int(count)
    code = info["code"]
    if n is None and factor != 1:
        code = "DE" if factor == 10 else "CE"
    text_amount = "X" if count is None else _fmt(count)
    prefix = "PT" if info.get("time") else "P"
    out_unit = "year" if factor != 1 else name
    return f"{prefix}{text_amount}{code}", out_unit, count


def _duration_tv(s: Scope, c: Candidate, n: float | None, modifier: str | None, unit: str,
                 rel: str | None = None) -> TimeValue:
    value, out_unit, count = duration_value(n, unit)
    low = None if modifier == "less_than" else count
    high = None if modifier == "more_than" else count
    tv = make_tv(s, c, kind="DURATION", basis=DURATION, value=value, modifier=modifier,
                 duration={"unit": out_unit, "low": low, "high": high})
    _name, info = lexicon().unit(unit)
    offset = lexicon().relative.get(rel.lower()) if rel else None
    if s.anchor is None or count is None or info.get("time") or offset not in (-1, 1):
        return tv
    if not float(count).is_integer():
        return tv
    # "the past two years" / "the next two quarters": an interval ending (starting) now
    other = shifted(s.anchor, step(out_unit, int(count)), offset)
    if other is not None:
        first, last = (other, s.anchor) if offset == -1 else (s.anchor, other)
        tv.start, tv.end, tv.basis, tv.granularity = first.isoformat(), last.isoformat(), RELATIVE, "day"
    return tv


def r_duration(s: Scope, c: Candidate) -> TimeValue | None:
    unit = c.groups["unit"]
    num = c.groups.get("num", "").lower()
    if (unit.lower() == "second" and num in ("a", "one")) or (num in ("a", "an") and "the" in c.groups):
        return None  # "a second term"
    if previous_word(s.text, c.start) in lexicon().age_cues:
        return None  # an age, not a time: "children aged 6 months"
    n, modifier = amount(c)
    if n is None and "vague" not in c.groups:
        return None
    return _duration_tv(s, c, n, modifier, unit, c.groups.get("drel"))


def r_vague_span(s: Scope, c: Candidate) -> TimeValue | None:
    return _duration_tv(s, c, None, None, c.groups["unit"], None)


def r_bare_span(s: Scope, c: Candidate) -> TimeValue | None:
    return _duration_tv(s, c, None, None, c.groups["unit"], None)


def r_set(s: Scope, c: Candidate) -> TimeValue | None:
    if "setword" in c.groups:
        info = lexicon().sets[c.groups["setword"].lower()]
        return make_tv(s, c, kind="SET", basis=UNANCHORED, value=info["value"], granularity=info["granularity"])
    unit = c.groups["sunit"].lower()
    pods = lexicon().parts_of_day
    value = f"XXXX-XX-XXT{pods[unit]}" if unit in pods else _SET_UNITS[unit]
    return make_tv(s, c, kind="SET", basis=UNANCHORED, value=value)



def r_clock(s: Scope, c: Candidate) -> TimeValue | None:
    hour, minute = int(c.groups["hour"]), int(c.groups.get("minute", "0"))
    ampm = (c.groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or (not ampm and "minute" not in c.groups):
        return None
    day = s.anchor
    if day is not None and "weekday" in c.groups:
        wd = int(lexicon().weekdays[c.groups["weekday"]])
        near = [d for k in range(-6, 7) if (d := shifted(day, timedelta(days=k))) is not None]
        cands = [Point("day", d) for d in near if d.weekday() == wd]
        day = choose(cands, day, s.tense(c)).first if cands else day
    clock = f"T{hour:02d}:{minute:02d}" if "minute" in c.groups else f"T{hour:02d}"
    if day is None:
        return unanchored(s, c, f"XXXX-XX-XX{clock}", kind="TIME")
    return make_tv(s, c, kind="TIME", basis=RELATIVE, value=f"{day.isoformat()}{clock}",
                   start=day.isoformat(), end=day.isoformat(), granularity="day")
