"""Time expressions in any language: dates with month names, numeric dates, CJK dates, weekdays.

Month and weekday names come from dateparser's locale tables (about 200 languages), so no word
list is kept here. Each expression is normalised to an interval with its granularity, as the
English stage does: "4 giugno 2024" is the day 2024-06-04; "giugno 2024" the month; "2030" the
year; a month or day without a year takes the year nearest the publication date (basis
``relative``); a weekday is the latest such day on or before publication (``relative``).
What this stage does not do, unlike the English one: relative expressions ("tre settimane fa"),
durations, seasons and fuzzy periods; it leaves them out rather than guess.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newsgraph.ingest import published
from newsgraph.lang.conventions import stop_words
from newsgraph.lang.scripts import has_unspaced
from newsgraph.model import Analysis, Span, TimeValue
from newsgraph.stages import Context

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR = r"(?:19|20)\d{2}"
_CJK_DAY = re.compile(rf"(?:(?P<y>{_YEAR})\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号號]")
_CJK_MONTH = re.compile(rf"(?:(?P<y>{_YEAR})\s*年\s*)?(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*月(?![\d\s]*[日号號]|曜)")
_CJK_YEAR = re.compile(rf"(?P<y>{_YEAR})\s*年(?!\s*\d{{1,2}}\s*月)")
_ISO = re.compile(rf"(?<![\d.])(?P<y>{_YEAR})-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12]\d|0[1-9])(?![\d])")
_NUMERIC = re.compile(rf"(?<![\d./])(?P<d>3[01]|[12]\d|0?[1-9])[./](?P<m>1[0-2]|0?[1-9])[./](?P<y>{_YEAR})(?![\d])")
_BARE_YEAR = re.compile(rf"(?<![\w.,/-])(?P<y>{_YEAR})(?![\w%/-]|[.,]\d)")


@dataclass
class _Found:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None = None


@functools.cache
def _names(language: str) -> tuple[dict[str, int], dict[str, int]]:
    """(month name → 1..12, weekday name → 0..6) from dateparser's locale for ``language``."""
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (ValueError, KeyError):
        return {}, {}
    stops = stop_words(language)

    def usable(names: list[str]) -> list[str]:
        """Abbreviations ("mar", "Di") collide with words: alphabetic names need four letters, unless
        the full name is shorter ("mai"); names in scripts without spaces need two characters."""
        names = [n.strip().lower() for n in names if n.strip() and not n.strip().isdigit()]
        longest = max(names, key=len, default="")
        return [n for n in names if n not in stops and not n.startswith("(")
                and (len(n) >= 4 or n == longest or (has_unspaced(n) and len(n) >= 2))]

    months = {n: i + 1 for i, key in enumerate(MONTHS) for n in usable(info.get(key, []))}
    days = {n: i for i, key in enumerate(WEEKDAYS) for n in usable(info.get(key, []))}
    return months, days


@functools.cache
def _word_patterns(language: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    months, days = _names(language)
    if not months:
        return None, None
    alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    month = re.compile(
        rf"(?<!\w)(?:(?P<d>3[01]|[12]\d|0?[1-9])(?:\.|º|er|°)?\s+(?:de\s+|di\s+)?)?(?P<mon>{alt})(?!\w)"
        rf"(?:\s+(?P<d2>3[01]|[12]\d|0?[1-9])(?!\d),?)?(?:\s+(?:de\s+|del\s+|di\s+)?(?P<y>{_YEAR})(?!\d))?",
        re.IGNORECASE)
    dalt = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    weekday = re.compile(rf"(?<!\w)(?P<wd>{dalt})(?!\w)", re.IGNORECASE) if days else None
    return month, weekday


def _find(text: str, language: str) -> list[_Found]:
    found: list[_Found] = []
    for rx in (_CJK_DAY, _ISO, _NUMERIC):
        for m in rx.finditer(text):
            found.append(_Found(m.start(), m.end(), _int(m, "y"), int(m["m"]), int(m["d"])))
    for m in _CJK_MONTH.finditer(text):
        found.append(_Found(m.start(), m.end(), _int(m, "y"), int(m["m"]), None))
    for m in _CJK_YEAR.finditer(text):
        found.append(_Found(m.start(), m.end(), int(m["y"]), None, None))
    month_rx, weekday_rx = _word_patterns(language)
    months, days = _names(language)
    if month_rx is not None:
        for m in month_rx.finditer(text):
            day = m["d"] or m["d2"]
            found.append(_Found(m.start(), m.end(), _int(m, "y"), months[m["mon"].lower()], int(day) if day else None))
    if weekday_rx is not None:
        for m in weekday_rx.finditer(text):
            found.append(_Found(m.start(), m.end(), None, None, None, days[m["wd"].lower()]))
    for m in _BARE_YEAR.finditer(text):
        found.append(_Found(m.start(), m.end(), int(m["y"]), None, None))
    return _longest(found)


def _int(m: re.Match, group: str) -> int | None:
    value = m.groupdict().get(group)
    return int(value) if value else None


def _longest(found: list[_Found]) -> list[_Found]:
    chosen: list[_Found] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(f.start < c.end and c.start < f.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def _nearest_year(month: int, day: int | None, anchor: date | None) -> int | None:
    """The year that puts month/day nearest the anchor (within six months either side)."""
    if anchor is None:
        return None
    best = min((anchor.year - 1, anchor.year, anchor.year + 1),
               key=lambda y: abs((date(y, month, min(day or 15, 28)) - anchor).days))
    return best


def _value(f: _Found, anchor: date | None, text: str, doc_id: str) -> TimeValue | None:
    surface = text[f.start : f.end]
    span = Span(doc_id, f.start, f.end, surface)
    if f.weekday is not None:
        if anchor is None:
            return None
        day = anchor - timedelta(days=(anchor.weekday() - f.weekday) % 7)
        return TimeValue(surface, day.isoformat(), day.isoformat(), "day", "relative", span, day.isoformat())
    year, basis = f.year, "stated"
    if year is None and f.month is not None:
        year, basis = _nearest_year(f.month, f.day, anchor), "relative"
    if year is None:
        return None
    if f.month is None:
        return TimeValue(surface, f"{year}-01-01", f"{year}-12-31", "year", basis, span, str(year))
    if f.day is None:
        last = calendar.monthrange(year, f.month)[1]
        return TimeValue(surface, f"{year}-{f.month:02d}-01", f"{year}-{f.month:02d}-{last:02d}", "month", basis,
                         span, f"{year}-{f.month:02d}")
    try:
        day = date(year, f.month, f.day)
    except ValueError:
        return None
    return TimeValue(surface, day.isoformat(), day.isoformat(), "day", basis, span, day.isoformat())


def find_times(text: str, language: str, anchor: date | None, doc_id: str = "") -> list[TimeValue]:
    """Every date expression this stage understands in ``text`` (written in ``language``)."""
    out = []
    for f in _find(text, language):
        tv = _value(f, anchor, text, doc_id)
        if tv is not None:
            out.append(tv)
    return out


def _to_date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def run(analysis: Analysis, ctx: Context) -> None:
    """The time stage for documents that are not in English."""
    doc = analysis.document
    language = doc.language or "und"
    if doc.published_source is None and doc.published_confidence is None:
        published.apply(doc)  # a document made outside the ingest pipeline: date it the same way
    anchor = _to_date(doc.published)
    analysis.times = find_times(doc.text, language, anchor, doc.id)
