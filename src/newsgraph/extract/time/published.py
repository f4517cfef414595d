"""The publication date of a document that has none: a dateline, else the latest date it states."""

from __future__ import annotations

import re
from typing import Any

from newsgraph.extract.time.normalise import find_times
from newsgraph.extract.time.scope import STATED, UNANCHORED, valid_day

_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40},\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?)\s*\((?:[A-Za-z .&-]+)\)\s*[-–—]"
)
_DATE_LINE = re.compile(
    r"^\s*(?P<date>(?:[A-Z][a-z]+,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}))\s*$"
)


def _dateline(text: str) -> tuple[str | None, str | None]:
    """A full date from a dateline or a date alone on a line near the top; else a year-less dateline."""
    head = text.lstrip()[:2000]
    for line in head.splitlines()[:25]:
        m = _DATE_LINE.match(line) or _DATELINE.match(line.strip())
        if not m:
            continue
        times = [t for t in find_times(m.group("date"), None) if t.granularity == "day" or t.basis == UNANCHORED]
        if times and times[0].basis == STATED and times[0].start:
            return times[0].start, None
        if times and times[0].value and times[0].value.startswith("XXXX-"):
            return None, times[0].value[5:]  # "Aug. 27": month-day without a year
    return None, None


def infer_published(text: str, nlp_doc: Any = None) -> tuple[str | None, str, str | None]:
    """(ISO date, basis, granularity) for a document without a publication date.

    A dateline at the top gives basis "text"; otherwise the latest stated date in the
    text gives basis "inferred", with its honest granularity (a bare month returns its
    first day with granularity "month"). (None, "unknown", None) when nothing fits.
    """
    full, month_day = _dateline(text)
    if full:
        return full, "text", "day"
    stated = [t for t in find_times(text, None, "", nlp_doc) if t.basis == STATED and t.start
              and t.kind == "DATE" and t.modifier is None]
    if month_day:
        years = [int(t.start[:4]) for t in stated if t.start]
        if years:
            m, d = (int(x) for x in month_day.split("-"))
            day = valid_day(max(years), m, d)
            if day:
                return day.isoformat(), "inferred", "day"
    for gran in ("day", "month", "year"):
        found = [t.start for t in stated if t.granularity == gran and t.start]
        if found:
            return max(found), "inferred", gran
    return None, "unknown", None
