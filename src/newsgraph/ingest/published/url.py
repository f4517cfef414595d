"""A publication date in an article's URL: ``/2024/06/29/``, ``/2024-06-29/``, ``/20240629/``,
``/2024/jun/29/`` (a day); ``/2024/06/`` (a month only). Ids and other numbers are not dates:
the pieces must be path segments (or a whole ``YYYY-MM-DD`` token) and form a real calendar day."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from newsgraph.ingest.published.lexicon import lexicon

_SEGMENTED = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]?\d|[a-z]{3,9})/(?:(?P<day>[0-3]?\d)(?=/|$|[-_.]))?",
                        re.I)
_JOINED = re.compile(r"(?<![\d])(?P<year>(?:19|20)\d\d)[-_]?(?P<month>[01]\d)[-_]?(?P<day>[0-3]\d)(?![\d])")


def url_date(url: str | None) -> tuple[date, str, str] | None:
    """(date, granularity, matched text) from the URL's path, or None."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    months = lexicon().months
    for m in _SEGMENTED.finditer(path):
        raw = m["month"].lower()
        month = int(raw) if raw.isdigit() else months.get(raw)
        day = _day(m["year"], month, m["day"])
        if day is not None:
            return day, ("day" if m["day"] else "month"), m.group().strip("/")
    for m in _JOINED.finditer(path):
        day = _day(m["year"], int(m["month"]), m["day"])
        if day is not None:
            return day, "day", m.group()
    return None


def _day(year: str, month: int | None, day: str | None) -> date | None:
    if not month:
        return None
    try:
        return date(int(year), month, int(day) if day else 1)
    except ValueError:
        return None
