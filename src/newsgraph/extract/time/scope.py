"""What every resolver reads (the text, the anchor date, the tense lookup) and the TimeValue builders.

The ``basis`` of a normalised time says where its calendar position came from:

* ``stated``: the text gives it whole ("12 August 2024", "2035", "the 1990s");
* ``relative``: resolved against the document's date ("in August", "last week", "two years ago");
* ``inferred``: resolved against another date of the narrative ("the next day" after "12 August");
* ``duration`` / ``unanchored``: a length of time, or a point nothing could anchor.

``reported`` (an event with no time expression of its own, dated by its report) is set by
``anchor.py``, never here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from newsgraph.extract.time.grammar import Candidate
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.points import Point, sub_interval
from newsgraph.extract.time.tense import tense_from_parse, tense_from_text
from newsgraph.model import Span, TimeValue

STATED, RELATIVE, INFERRED, REPORTED = "stated", "relative", "inferred", "reported"
DURATION, UNANCHORED = "duration", "unanchored"


@dataclass
class Scope:
    """The text, its anchor (the publication date) and the tense lookup; ``tense`` forces one."""

    text: str
    anchor: date | None
    doc_id: str
    nlp_doc: Any
    last_day: date | None = None  # narrative reference time: the latest day mentioned so far
    forced_tense: str | None = None

    def tense(self, c: Candidate) -> str | None:
        if self.forced_tense is not None:
            return self.forced_tense
        if self.nlp_doc is not None:
            return tense_from_parse(self.nlp_doc, c.start, c.end)
        return tense_from_text(self.text, c.start, c.end)


def make_tv(s: Scope, c: Candidate, **kw: Any) -> TimeValue:
    text = s.text[c.start : c.end]
    kw.setdefault("granularity", None)
    kw.setdefault("start", None)
    kw.setdefault("end", None)
    return TimeValue(text=text, span=Span(s.doc_id, c.start, c.end, text), **kw)


def point_tv(s: Scope, c: Candidate, p: Point, basis: str, position: str | None = None, **kw: Any) -> TimeValue:
    first, last = sub_interval(p.first, p.last, position)
    return make_tv(s, c, start=first.isoformat(), end=last.isoformat(), granularity=p.granularity,
                   basis=basis, value=p.value, modifier=position, **kw)


def unanchored(s: Scope, c: Candidate, value: str | None = None, kind: str = "DATE") -> TimeValue:
    return make_tv(s, c, basis=UNANCHORED, value=value, kind=kind)


def position(c: Candidate) -> str | None:
    """"early", "mid-", "the end of" → start / mid / end."""
    pos = c.groups.get("pos")
    if not pos:
        return None
    key = " ".join(pos.lower().split())
    mods = lexicon().position_modifiers
    return mods.get(key) or mods.get(key.rstrip("-"))


def years_around(anchor: date, make: Callable[[int], Point | None]) -> list[Point]:
    # two years back: "last winter" said in February is the winter before the current one
    years = range(max(1, anchor.year - 2), min(9999, anchor.year + 2))
    return [p for y in years if (p := make(y)) is not None]


def valid_day(y: int, m: int, d: int) -> date | None:
    return date(y, m, d) if 1 <= y <= 9999 and 1 <= d <= calendar.monthrange(y, m)[1] else None


def previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[\s-]*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""
