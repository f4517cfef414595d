"""Gold event anchors from NewsReader MEANTIME: which time expression each event mention is linked to.

MEANTIME annotates temporal links (TLINK) between event mentions and time expressions (TIMEX3), with
the TimeML relation types of the NewsReader guidelines (NWR-2014-2): ``BEFORE``, ``AFTER``,
``INCLUDES``, ``IS_INCLUDED``, ``SIMULTANEOUS``, ``BEGINS``/``BEGUN_BY``, ``ENDS``/``ENDED_BY`` and
``MEASURE`` (a duration measuring the event). A link may run either way (TIMEX3 → event too); it
is read from the event's side ("T INCLUDES e" is "e IS_INCLUDED T").

An event mention is *gold-anchored* when it has at least one link whose relation places the event
in time: ``IS_INCLUDED``, ``INCLUDES``, ``SIMULTANEOUS``, ``BEGINS``, ``BEGUN_BY``, ``ENDS``,
``ENDED_BY``: in each, the event's time and the expression's time share at least a moment. BEFORE
and AFTER only order the event against a time (no date) and MEASURE gives a length, so they do
not anchor. The TIMEX3 must be a DATE or TIME whose value names a stretch of the calendar
(``2009``, ``2009-Q1``, ``2009-05-07``, ``2010-W04-WE``, ``PRESENT_REF``...); values with unknown
parts (``XXXX-XX-XX``) are left out and counted. The document creation time (the TIMEX3 with
``functionInDocument="CREATION_TIME"``) is an anchor like any other; the scorer reports mentions
anchored only to it separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from newsgraph.eval.stories import CatDocument, read_cat

ANCHORING = {"IS_INCLUDED", "INCLUDES", "SIMULTANEOUS", "BEGINS", "BEGUN_BY", "ENDS", "ENDED_BY"}
INVERSE = {"INCLUDES": "IS_INCLUDED", "IS_INCLUDED": "INCLUDES", "BEGINS": "BEGUN_BY", "BEGUN_BY": "BEGINS",
           "ENDS": "ENDED_BY", "ENDED_BY": "ENDS", "BEFORE": "AFTER", "AFTER": "BEFORE"}
_SEASONS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
Interval = tuple[date | None, date | None]  # inclusive; None is open


@dataclass
class Anchor:
    relation: str
    value: str
    interval: Interval
    creation_time: bool


@dataclass
class GoldEvent:
    """One gold event mention with the time expressions that anchor it."""

    doc: str
    m_id: str
    start: int
    end: int
    head: int  # character offset of its last token
    anchors: list[Anchor] = field(default_factory=list)

    @property
    def creation_time_only(self) -> bool:
        return all(a.creation_time for a in self.anchors)


@dataclass
class GoldArticle:
    cat: CatDocument
    dct: date | None
    events: list[GoldEvent]
    unparsed: list[str]  # anchor values left out


def timeml_interval(value: str, dct: date | None) -> Interval | None:
    """The calendar stretch a TimeML DATE/TIME value names; None for values with unknown parts."""
    v = value.strip().upper()
    if v == "PRESENT_REF":
        return (dct, dct) if dct else None
    if v == "PAST_REF":
        return (None, dct) if dct else None
    if v == "FUTURE_REF":
        return (dct, None) if dct else None
    m = re.match(r"^(\d{4})(?:-(.+?))?(?:T.*)?$", v)
    if not m:
        return _decade(v)
    year, rest = int(m.group(1)), m.group(2) or ""
    try:
        return _within_year(year, rest)
    except ValueError:
        return None


def _decade(v: str) -> Interval | None:
    if re.fullmatch(r"\d{3}", v):
        first = int(v) * 10
        return date(first, 1, 1), date(first + 9, 12, 31)
    if re.fullmatch(r"\d{2}", v):
        first = int(v) * 100
        return date(max(first, 1), 1, 1), date(first + 99, 12, 31)
    return None


def _span(first: date, months: int = 0, days: int = 0) -> Interval:
    return first, first + relativedelta(months=months, days=days) - timedelta(days=1)


def _within_year(year: int, rest: str) -> Interval | None:
    if not rest:
        return _span(date(year, 1, 1), months=12)
    if m := re.fullmatch(r"(\d{2})", rest):
        return _span(date(year, int(m[1]), 1), months=1)
    if m := re.fullmatch(r"(\d{2})-(\d{2})", rest):
        day = date(year, int(m[1]), int(m[2]))
        return day, day
    if m := re.fullmatch(r"W(\d{2})(-WE)?", rest):
        monday = date.fromisocalendar(year, int(m[1]), 1)
        return (monday + timedelta(days=5), monday + timedelta(days=6)) if m[2] else _span(monday, days=7)
    if m := re.fullmatch(r"Q([1-4])", rest):
        return _span(date(year, 3 * int(m[1]) - 2, 1), months=3)
    if m := re.fullmatch(r"H([12])", rest):
        return _span(date(year, 6 * int(m[1]) - 5, 1), months=6)
    if rest in _SEASONS:
        return _span(date(year, _SEASONS[rest], 1), months=3)
    return None


def _iso(value: str) -> date | None:
    """The creation time as a date; one file writes it day first (DD-MM-YYYY)."""
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.match(r"(\d{2})-(\d{2})-(\d{4})$", value):
        return date(int(m[3]), int(m[2]), int(m[1]))
    return None


def read_article(path: Path) -> GoldArticle:
    cat = read_cat(path)
    markables = cat.root.find("Markables")
    marks = {m.get("m_id"): m for m in markables} if markables is not None else {}
    dct_el = next((m for m in marks.values() if m.tag == "TIMEX3" and m.get("functionInDocument") == "CREATION_TIME"),
                  None)
    dct = _iso(dct_el.get("value", "")) if dct_el is not None else None
    events: dict[str, GoldEvent] = {}
    unparsed: list[str] = []
    relations = cat.root.find("Relations")
    for link in relations.findall("TLINK") if relations is not None else []:
        source, target = link.find("source"), link.find("target")
        if source is None or target is None:
            continue
        a, b, rel = marks.get(source.get("m_id")), marks.get(target.get("m_id")), link.get("reltype", "")
        if a is not None and b is not None and a.tag == "TIMEX3" and b.tag == "EVENT_MENTION":
            a, b, rel = b, a, INVERSE.get(rel, rel)
        if a is None or b is None or (a.tag, b.tag) != ("EVENT_MENTION", "TIMEX3") or rel not in ANCHORING:
            continue
        if b.get("type") not in ("DATE", "TIME"):
            continue
        interval = timeml_interval(b.get("value", ""), dct)
        if interval is None:
            unparsed.append(b.get("value", ""))
            continue
        event = events.get(a.get("m_id")) or _gold_event(cat, a, path.stem)
        if event is None:
            continue
        events[event.m_id] = event
        event.anchors.append(Anchor(rel, b.get("value", ""), interval, b is dct_el))
    return GoldArticle(cat, dct, list(events.values()), unparsed)


def _gold_event(cat: CatDocument, mention, doc: str) -> GoldEvent | None:
    tokens = [cat.offsets[t.get("t_id")] for t in mention.findall("token_anchor") if t.get("t_id") in cat.offsets]
    if not tokens:
        return None
    return GoldEvent(doc, mention.get("m_id"), min(s for s, _ in tokens), max(e for _, e in tokens), tokens[-1][0])
