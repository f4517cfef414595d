"""The temporal normaliser: time expressions → TimeML values and honest intervals.

HeidelTime-style: ``timex_rules`` finds candidate expressions, this module
normalises each one against an anchor (the publication date) and, for a month or
weekday without a year, the tense of the verb that governs it ("will make port in
August" → the next August; "was pulling out in December" → the last December).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from newsgraph.extract.timex_rules import Candidate, Lexicon, find_candidates, lexicon
from newsgraph.ingest import published
from newsgraph.model import Analysis, Span, TimeValue
from newsgraph.stages import Context, stage

# ---------------------------------------------------------------- calendar units


@dataclass(frozen=True)
class Point:
    """A calendar unit (a day, an ISO week, a month, a season...) identified by its first day."""

    granularity: str
    first: date
    code: str = ""  # season code (SU, WI...) or half/quarter marker

    @property
    def last(self) -> date:
        length = relativedelta(months=3) if self.granularity == "season" else _step(self.granularity, 1)
        return self.first + length - timedelta(days=1)

    def shift(self, n: int) -> Point:
        return Point(self.granularity, self.first + _step(self.granularity, n), self.code)

    @property
    def value(self) -> str:
        d, g = self.first, self.granularity
        if g == "day":
            return d.isoformat()
        if g == "week":
            y, w, _ = d.isocalendar()
            return f"{y:04d}-W{w:02d}"
        if g == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if g == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if g == "half":
            return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
        if g == "season":
            return f"{d.year:04d}-{self.code}"
        if g == "decade":
            return f"{d.year // 10:03d}"
        if g == "century":
            return f"{d.year // 100:02d}"
        return f"{d.year:04d}"


_STEPS = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
    "half": relativedelta(months=6),
    "season": relativedelta(months=3),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
    "century": relativedelta(years=100),
}


def _step(granularity: str, n: int) -> relativedelta:
    if granularity == "season":  # the same season n years away
        return relativedelta(years=n)
    return _STEPS[granularity] * n


def floor(granularity: str, d: date) -> Point:
    """The unit of the given granularity that contains ``d``."""
    if granularity == "week":
        return Point("week", d - timedelta(days=d.weekday()))
    if granularity == "month":
        return Point("month", d.replace(day=1))
    if granularity == "quarter":
        return Point("quarter", date(d.year, (d.month - 1) // 3 * 3 + 1, 1))
    if granularity == "half":
        return Point("half", date(d.year, 1 if d.month <= 6 else 7, 1))
    if granularity == "decade":
        return Point("decade", date(d.year // 10 * 10, 1, 1))
    if granularity == "century":
        return Point("century", date(d.year // 100 * 100, 1, 1))
    if granularity == "year":
        return Point("year", date(d.year, 1, 1))
    return Point("day", d)


def season_point(code: str, year: int) -> Point:
    first_month = {s["code"]: s["months"][0] for s in lexicon().seasons.values()}[code]
    return Point("season", date(year, first_month, 1), code)


def sub_interval(first: date, last: date, position: str | None) -> tuple[date, date]:
    """The first, middle or last third of an interval ("early 2024", "mid-June", "end of August")."""
    if position not in ("start", "mid", "end"):
        return first, last
    n = (last - first).days + 1
    third = max(1, n // 3)
    if position == "start":
        return first, first + timedelta(days=third - 1)
    if position == "mid":
        return first + timedelta(days=third), first + timedelta(days=2 * third - 1)
    return first + timedelta(days=2 * third), last


# ---------------------------------------------------------------- choosing among candidates


def choose(cands: list[Point], anchor: date, mode: str | None) -> Point:
    """Pick the candidate consistent with tense/relative word.

    past: the latest that has begun by the anchor; future: the earliest not yet over;
    before/after: strictly before/after the anchor ("last December", "next August");
    otherwise the nearest (ties go to the past, as news mostly reports).
    """
    cands = sorted(cands, key=lambda p: p.first)
    if mode == "past":
        ok = [p for p in cands if p.first <= anchor]
        return ok[-1] if ok else cands[0]
    if mode == "future":
        ok = [p for p in cands if p.last >= anchor]
        return ok[0] if ok else cands[-1]
    if mode == "before":
        ok = [p for p in cands if p.last < anchor]
        return ok[-1] if ok else cands[0]
    if mode == "after":
        ok = [p for p in cands if p.first > anchor]
        return ok[0] if ok else cands[-1]

    def distance(p: Point) -> int:
        if p.first <= anchor <= p.last:
            return 0
        return (p.first - anchor).days if p.first > anchor else (anchor - p.last).days

    return min(cands, key=lambda p: (distance(p), p.first > anchor))


def rel_mode(rel: str | None, tense: str | None) -> str | None:
    offset = lexicon().relative.get((rel or "").lower())
    if offset is None:
        return tense
    return {-1: "before", 1: "after"}.get(offset, "this")


def pick(cands: list[Point], anchor: date, mode: str | None) -> Point:
    if mode == "this":
        inside = [p for p in cands if p.first.year == anchor.year or p.first <= anchor <= p.last]
        return choose(inside or cands, anchor, None)
    return choose(cands, anchor, mode)


# ---------------------------------------------------------------- tense


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n")
    rights = [i for i in (text.find(ch, end) for ch in ".!?\n") if i != -1]
    return text[left + 1 : min(rights) if rights else len(text)]


def tense_from_text(text: str, start: int, end: int) -> str | None:
    """Fallback without a parse: regex cues in the sentence (future cues win)."""
    sent = _sentence(text, start, end).lower()
    lx = lexicon()
    if any(re.search(p, sent) for p in lx.future_cues):
        return "future"
    if any(re.search(p, sent) for p in lx.past_cues):
        return "past"
    return None


_INFINITIVE = "infinitive"
_PERFECT = {"has", "have", "'ve", "'s"}


def _verb_tense(verb: Any, lx: Lexicon) -> str | None:
    """Tense of one verb: future, past, None (present/modal), or "infinitive" (look further up)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & set(lx.future_auxiliaries):
        return "future"
    past_aux = any(a.tag_ == "VBD" or a.lower_ in lx.past_auxiliaries for a in auxes)
    if verb.lemma_.lower() in lx.future_lemmas and verb.tag_ != "VBD":
        return None if past_aux else "future"
    if verb.tag_ == "VBD" or past_aux:
        return "past"
    if words & _PERFECT:
        return None  # present perfect reaches up to now: "has been postponed until Saturday"
    if verb.tag_ == "VBN" and not auxes:
        return "past"  # "... and peaked by the end of the year" (a conjoined past participle)
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # present progressive with a time: "is visiting in August"
    if verb.tag_ == "VB" and "to" in words:
        return _INFINITIVE
    return None


def tense_from_parse(nlp_doc: Any, start: int, end: int) -> str | None:
    """Tense/modality of the verb governing the expression (walk up ``token.head``).

    An infinitive ("to run through June") defers to the verb above it, but a past verb
    above an infinitive ("agreed to visit in August") says nothing about the visit.
    """
    span = nlp_doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok, lx, infinitive = span.root, lexicon(), False
    for _ in range(10):
        if tok.head is tok:
            break
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            result = _verb_tense(tok, lx)
            if result == _INFINITIVE:
                infinitive = True
                continue
            return None if infinitive and result == "past" else result
    return None


# ---------------------------------------------------------------- normalisation


@dataclass
class Scope:
    """What every resolver may read: the text, the anchor and the tense lookup."""

    text: str
    anchor: date | None
    doc_id: str
    nlp_doc: Any
    last_day: date | None = None  # narrative reference time: the latest day mentioned so far

    def tense(self, c: Candidate) -> str | None:
        if self.nlp_doc is not None:
            return tense_from_parse(self.nlp_doc, c.start, c.end)
        return tense_from_text(self.text, c.start, c.end)


def _tv(s: Scope, c: Candidate, **kw: Any) -> TimeValue:
    text = s.text[c.start : c.end]
    kw.setdefault("granularity", None)
    kw.setdefault("start", None)
    kw.setdefault("end", None)
    return TimeValue(text=text, span=Span(s.doc_id, c.start, c.end, text), **kw)


def _point_tv(s: Scope, c: Candidate, p: Point, basis: str, position: str | None = None, **kw: Any) -> TimeValue:
    first, last = sub_interval(p.first, p.last, position)
    return _tv(
        s, c, start=first.isoformat(), end=last.isoformat(), granularity=_gran(p),
        basis=basis, value=p.value, modifier=position, **kw,
    )


def _gran(p: Point) -> str:
    return p.granularity


def _position(c: Candidate) -> str | None:
    pos = c.groups.get("pos")
    if not pos:
        return None
    key = " ".join(pos.lower().split())
    return lexicon().position_modifiers.get(key) or lexicon().position_modifiers.get(key.rstrip("-"))


def _unanchored(s: Scope, c: Candidate, value: str | None = None, kind: str = "DATE") -> TimeValue:
    return _tv(s, c, basis="unanchored", value=value, kind=kind)


def _years_around(anchor: date, make: Callable[[int], Point | None]) -> list[Point]:
    # two years back: "last winter" said in February is the winter before the current one
    return [p for y in range(anchor.year - 2, anchor.year + 2) if (p := make(y)) is not None]


def r_iso(s: Scope, c: Candidate) -> TimeValue | None:
    try:
        d = date(int(c.groups["year"]), int(c.groups["mnum"]), int(c.groups["day"]))
    except ValueError:
        return None
    return _point_tv(s, c, Point("day", d), "absolute")


def _valid_day(y: int, m: int, d: int) -> date | None:
    return date(y, m, d) if 1 <= d <= calendar.monthrange(y, m)[1] else None


def r_month_day(s: Scope, c: Candidate) -> TimeValue | None:
    m, d = lexicon().month_number(c.groups["month"]), int(c.groups["day"])
    if not 1 <= d <= 31:
        return None
    if "year" in c.groups:
        day = _valid_day(int(c.groups["year"]), m, d)
        return _point_tv(s, c, Point("day", day), "absolute") if day else None
    if s.anchor is None:
        return _unanchored(s, c, f"XXXX-{m:02d}-{d:02d}")
    cands = [Point("day", x) for y in range(s.anchor.year - 1, s.anchor.year + 2) if (x := _valid_day(y, m, d))]
    return _point_tv(s, c, choose(cands, s.anchor, s.tense(c)), "publication") if cands else None


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def r_month(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["month"]
    bare = not any(k in c.groups for k in ("pos", "rel", "year"))
    lx = lexicon()
    if bare and word.rstrip(".") in lx.ambiguous_months and _previous_word(s.text, c.start) not in lx.month_cues:
        return None  # the verbs "may"/"march" at sentence start, or a name
    if bare and re.match(r"\s+[A-Z][a-z]", s.text[c.end : c.end + 3]):
        return None  # "June Smith"
    m = lx.month_number(word)
    if "year" in c.groups:
        return _point_tv(s, c, Point("month", date(int(c.groups["year"]), m, 1)), "absolute", _position(c))
    if s.anchor is None:
        return _unanchored(s, c, f"XXXX-{m:02d}")
    cands = _years_around(s.anchor, lambda y: Point("month", date(y, m, 1)))
    mode = rel_mode(c.groups.get("rel"), s.tense(c))
    return _point_tv(s, c, pick(cands, s.anchor, mode), "publication", _position(c))


def r_year(s: Scope, c: Candidate) -> TimeValue | None:
    if s.nlp_doc is not None and _is_count(s.nlp_doc, c):
        return None
    return _point_tv(s, c, Point("year", date(int(c.groups["year"]), 1, 1)), "absolute", _position(c))


_TIME_NOUNS = {"year", "years", "season", "budget", "election", "elections", "census", "olympics", "cup"}


def _is_count(nlp_doc: Any, c: Candidate) -> bool:
    """A four-digit number counting things ("2000 troops") is not a year."""
    span = nlp_doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span[-1]
    return tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS") and tok.head.lower_ not in _TIME_NOUNS


def r_decade(s: Scope, c: Candidate) -> TimeValue | None:
    if "dec" in c.groups:
        first = int(c.groups["dec"]) * 10
    else:
        d = int(c.groups["dec2"]) * 10
        ref = s.anchor.year if s.anchor else 2000
        first = 2000 + d if 2000 + d <= ref else 1900 + d
    return _point_tv(s, c, Point("decade", date(first, 1, 1)), "absolute", _position(c))


def r_century(s: Scope, c: Candidate) -> TimeValue | None:
    raw = c.groups["ord"].lower()
    n = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else lexicon().ordinals.get(raw)
    if not n or not 1 <= n <= 30:
        return None
    return _point_tv(s, c, Point("century", date((n - 1) * 100 or 1, 1, 1)), "absolute", _position(c))


def r_season(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["season"].lower()
    if not any(k in c.groups for k in ("rel", "the", "year", "pos")):
        return None  # bare "summer" is too vague to anchor
    if word == "fall" and not any(k in c.groups for k in ("rel", "year")):
        return None  # "the fall of the city"
    code = lexicon().seasons[word]["code"]
    if "year" in c.groups:
        return _point_tv(s, c, season_point(code, int(c.groups["year"])), "absolute", _position(c))
    if s.anchor is None:
        return _unanchored(s, c, f"XXXX-{code}")
    cands = _years_around(s.anchor, lambda y: season_point(code, y))
    rel = c.groups.get("rel")
    if rel and lexicon().relative.get(rel.lower()) == 0:  # "this winter": the one around now
        return _point_tv(s, c, choose(cands, s.anchor, None), "publication", _position(c))
    return _point_tv(s, c, pick(cands, s.anchor, rel_mode(rel, s.tense(c))), "publication", _position(c))


def r_quarter(s: Scope, c: Candidate) -> TimeValue | None:
    raw = c.groups.get("qord") or c.groups.get("qcode", "")
    unit = (c.groups.get("qunit") or ("quarter" if raw.upper().startswith("Q") else "half")).lower()
    digits = re.sub(r"\D", "", raw)
    n = int(digits) if digits else lexicon().ordinals.get(raw.lower(), 4 if unit == "quarter" else 2)
    if raw.lower() == "final":
        n = 4 if unit == "quarter" else 2
    if (unit == "quarter" and n > 4) or (unit == "half" and n > 2):
        return None
    year = int(c.groups["year"]) if "year" in c.groups else (s.anchor.year if s.anchor else None)
    if year is None:
        return _unanchored(s, c)
    months = 3 if unit == "quarter" else 6
    p = Point(unit, date(year, (n - 1) * months + 1, 1))
    return _point_tv(s, c, p, "absolute" if "year" in c.groups else "publication")


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
        return _unanchored(s, c)
    p = floor(gran, s.anchor).shift(int(lexicon().relative[rel]))
    tv = _point_tv(s, c, p, "publication", _position(c))
    if unit.lower() == "weekend" and tv.value:
        tv.value += "-WE"
        tv.start = (p.first + timedelta(days=5)).isoformat()
    return tv


def r_pos_unit(s: Scope, c: Candidate) -> TimeValue | None:
    gran = _unit_gran(c.groups["unit"])
    if s.anchor is None or gran is None:
        return _unanchored(s, c)
    p = floor(gran, s.anchor)
    tv = _point_tv(s, c, p, "publication", _position(c))
    if tv.start and date.fromisoformat(tv.start) > s.anchor and s.tense(c) == "past":
        tv = _point_tv(s, c, p.shift(-1), "publication", _position(c))  # "peaked by the end of the year"
    return tv


def _amount(c: Candidate) -> tuple[float | None, str | None]:
    """The count and its TimeML mod; a preposition before "the past N years" is no mod."""
    lx, modifier = lexicon(), None
    if c.groups.get("amod"):
        modifier = lx.amount_modifiers.get(" ".join(c.groups["amod"].lower().split()))
    elif c.groups.get("aprep") and "the" not in c.groups:
        modifier = lx.amount_prepositions.get(" ".join(c.groups["aprep"].lower().split()))
    if "vague" in c.groups:
        return None, modifier
    return lexicon().number(c.groups["num"]), modifier


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
    amount = "X" if count is None else _fmt(count)
    prefix = "PT" if info.get("time") else "P"
    out_unit = "year" if factor != 1 else name
    return f"{prefix}{amount}{code}", out_unit, count


def _duration_tv(s: Scope, c: Candidate, n: float | None, modifier: str | None, unit: str,
                 rel: str | None = None) -> TimeValue:
    value, out_unit, count = duration_value(n, unit)
    low = None if modifier == "less_than" else count
    high = None if modifier == "more_than" else count
    tv = _tv(s, c, kind="DURATION", basis="duration", value=value, modifier=modifier,
             duration={"unit": out_unit, "low": low, "high": high})
    _name, info = lexicon().unit(unit)
    if s.anchor is not None and count is not None and rel and not info.get("time"):
        span = relativedelta(**{f"{out_unit}s": int(count)}) if float(count).is_integer() else None
        offset = lexicon().relative.get(rel.lower())
        if span is not None and offset in (-1, 1):  # "the past two years": an interval ending now
            first, last = (s.anchor - span, s.anchor) if offset == -1 else (s.anchor, s.anchor + span)
            tv.start, tv.end, tv.basis = first.isoformat(), last.isoformat(), "publication"
            tv.granularity = "day"
    return tv


def r_duration(s: Scope, c: Candidate) -> TimeValue | None:
    unit = c.groups["unit"]
    num = c.groups.get("num", "").lower()
    if (unit.lower() == "second" and num in ("a", "one")) or (num in ("a", "an") and "the" in c.groups):
        return None  # "a second term"
    if _previous_word(s.text, c.start) in lexicon().age_cues:
        return None  # an age, not a time: "children aged 6 months"
    n, modifier = _amount(c)
    if n is None and "vague" not in c.groups:
        return None
    return _duration_tv(s, c, n, modifier, unit, c.groups.get("drel"))


def r_vague_span(s: Scope, c: Candidate) -> TimeValue | None:
    return _duration_tv(s, c, None, None, c.groups["unit"], None)


def r_bare_span(s: Scope, c: Candidate) -> TimeValue | None:
    return _duration_tv(s, c, None, None, c.groups["unit"], None)


def r_ago(s: Scope, c: Candidate) -> TimeValue | None:
    n, modifier = _amount(c)
    name, info = lexicon().unit(c.groups["unit"])
    if n is None or info.get("time"):
        return _tv(s, c, basis="publication", value="PAST_REF", end=s.anchor.isoformat() if s.anchor else None)
    if s.anchor is None:
        return _unanchored(s, c)
    gran = info["granularity"] if name != "weekend" else "week"
    back = s.anchor - _step(gran, int(n)) if float(n).is_integer() else s.anchor
    tv = _point_tv(s, c, floor(gran, back), "publication")
    tv.modifier = modifier
    return tv


def _pod_code(c: Candidate) -> str | None:
    pod = c.groups.get("pod")
    return lexicon().parts_of_day[pod.lower()] if pod else None


def _day_tv(s: Scope, c: Candidate, d: date, basis: str, pod: str | None) -> TimeValue:
    tv = _point_tv(s, c, Point("day", d), basis)
    if pod:
        tv.value, tv.kind = f"{tv.value}T{pod}", "TIME"
    return tv


def r_deictic(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["deictic"].lower()
    pod = _pod_code(c) or ("NI" if word == "tonight" else None)
    if s.anchor is None:
        return _unanchored(s, c)
    return _day_tv(s, c, s.anchor + timedelta(days=lexicon().deictic_days[word]), "publication", pod)


def r_part_of_day(s: Scope, c: Candidate) -> TimeValue | None:
    rel = c.groups["prel"].lower()
    if s.anchor is None:
        return _unanchored(s, c, kind="TIME")
    shift = {"this": 0, "yesterday": -1, "tomorrow": 1}.get(rel)
    if shift is None:  # "last night" is the night before; "last morning" is not said
        shift = -1
    return _day_tv(s, c, s.anchor + timedelta(days=shift), "publication", _pod_code(c))


def r_weekday(s: Scope, c: Candidate) -> TimeValue | None:
    wd = int(lexicon().weekdays[c.groups["weekday"]])
    if s.anchor is None:
        return _unanchored(s, c, f"XXXX-WXX-{wd + 1}")
    days = [s.anchor + timedelta(days=k) for k in range(-7, 8)]
    cands = [Point("day", d) for d in days if d.weekday() == wd]
    rel = (c.groups.get("rel") or "").lower()
    if lexicon().relative.get(rel) == 0:
        monday = s.anchor - timedelta(days=s.anchor.weekday())
        chosen = Point("day", monday + timedelta(days=wd))
    else:
        mode = rel_mode(rel, s.tense(c))
        chosen = choose([*cands, Point("day", s.anchor)] if s.anchor.weekday() == wd else cands, s.anchor, mode)
    return _day_tv(s, c, chosen.first, "publication", _pod_code(c))


def r_narrative(s: Scope, c: Candidate) -> TimeValue | None:
    ref, basis = (s.last_day, "inferred") if s.last_day else (s.anchor, "publication")
    if ref is None:
        return _unanchored(s, c)
    if "nday" in c.groups:
        return _day_tv(s, c, ref + timedelta(days=1 if c.groups["ndir"].lower() == "after" else -1), basis, None)
    direction = 1 if c.groups["nrel"].lower() in ("next", "following") else -1
    unit = c.groups["nunit"].lower()
    if unit in ("morning", "night"):
        return _day_tv(s, c, ref + timedelta(days=direction), basis, lexicon().parts_of_day[unit])
    return _point_tv(s, c, floor(unit, ref).shift(direction), basis)


def r_reference(s: Scope, c: Candidate) -> TimeValue | None:
    key = " ".join(c.groups["ref"].lower().split())
    value = lexicon().references[key]
    if key.startswith("in "):  # TimeML leaves the preposition out
        c = Candidate(c.rule, c.start + 3, c.end, c.groups)
    a = s.anchor.isoformat() if s.anchor else None
    start = a if value in ("PRESENT_REF", "FUTURE_REF") else None
    end = a if value in ("PRESENT_REF", "PAST_REF") else None
    basis = "publication" if a else "unanchored"
    return _tv(s, c, start=start, end=end, basis=basis, value=value,
               granularity="day" if value == "PRESENT_REF" and a else None)


_SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P3M", "weekend": "XXXX-WXX-WE",
              "season": "P3M"}


def r_set(s: Scope, c: Candidate) -> TimeValue | None:
    if "setword" in c.groups:
        info = lexicon().sets[c.groups["setword"].lower()]
        return _tv(s, c, kind="SET", basis="unanchored", value=info["value"], granularity=info["granularity"])
    unit = c.groups["sunit"].lower()
    pods = lexicon().parts_of_day
    value = f"XXXX-XX-XXT{pods[unit]}" if unit in pods else _SET_UNITS[unit]
    return _tv(s, c, kind="SET", basis="unanchored", value=value)


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
        cands = [Point("day", day + timedelta(days=k)) for k in range(-6, 7) if (day + timedelta(days=k)).weekday() == wd]
        day = choose(cands, day, s.tense(c)).first
    clock = f"T{hour:02d}:{minute:02d}" if "minute" in c.groups else f"T{hour:02d}"
    if day is None:
        return _unanchored(s, c, f"XXXX-XX-XX{clock}", kind="TIME")
    return _tv(s, c, kind="TIME", basis="publication", value=f"{day.isoformat()}{clock}",
               start=day.isoformat(), end=day.isoformat(), granularity="day")


RESOLVERS: dict[str, Callable[[Scope, Candidate], TimeValue | None]] = {
    "iso": r_iso, "month_day": r_month_day, "day_month": r_month_day, "month": r_month, "year": r_year,
    "decade": r_decade, "century": r_century, "season": r_season, "quarter": r_quarter,
    "quarter_code": r_quarter, "rel_unit": r_rel_unit, "pos_unit": r_pos_unit, "ago": r_ago,
    "duration": r_duration, "vague_span": r_vague_span, "bare_span": r_bare_span, "deictic": r_deictic,
    "part_of_day": r_part_of_day, "weekday": r_weekday, "narrative": r_narrative,
    "reference": r_reference, "set": r_set, "clock": r_clock,
}


def _apply_boundary(s: Scope, tv: TimeValue) -> None:
    """"by 2035" ends at the end of 2035; "after 2020" starts after it; "since 2020" starts with it."""
    if tv.kind != "DATE" or tv.modifier or tv.span is None or tv.start is None:
        return
    prep = lexicon().boundary_prepositions.get(_previous_word(s.text, tv.span.start))
    if prep is None:
        return
    word = _previous_word(s.text, tv.span.start)
    first, last = date.fromisoformat(tv.start), date.fromisoformat(tv.end or tv.start)
    if prep == "before":
        tv.start, tv.end = None, (last if word in ("by", "until", "till") else first - timedelta(days=1)).isoformat()
    else:
        tv.start = (first if word == "since" else last + timedelta(days=1)).isoformat()
        tv.end = None
    tv.modifier = prep


def find_times(text: str, anchor: date | None, doc_id: str = "", nlp_doc: Any = None) -> list[TimeValue]:
    """Every time expression in ``text``, normalised against ``anchor`` (the publication date)."""
    scope = Scope(text, anchor, doc_id, nlp_doc)
    out: list[TimeValue] = []
    for cand in find_candidates(text):
        tv = RESOLVERS[cand.rule](scope, cand)
        if tv is None:
            continue
        _apply_boundary(scope, tv)
        if tv.kind == "DATE" and tv.granularity == "day" and tv.start and tv.value not in ("PRESENT_REF",):
            scope.last_day = date.fromisoformat(tv.start)
        out.append(tv)
    return out


# ---------------------------------------------------------------- the stage


def _to_date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


@stage("time", 20)
def run(analysis: Analysis, ctx: Context) -> None:
    doc = analysis.document
    if doc.published_source is None and doc.published_confidence is None:
        published.apply(doc)  # a document made outside the ingest pipeline: date it the same way
    anchor = _to_date(doc.published)
    analysis.times = find_times(doc.text, anchor, doc.id, analysis.nlp)
