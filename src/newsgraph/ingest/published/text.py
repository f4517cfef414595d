"""Dates written in an article's text, and which of them say when it was published.

Three readings, from most to least trusted:

* a **dateline**: a line near the top that is a date and little else ("June 29, 2024", "By Jane
  Doe | 29 June 2024", "Published 29.06.2024");
* a **relative cue**: a full date in a sentence that also says it is recent news ("on Monday,
  June 10, 2024", "said today (12 May 2024)"); the article appeared on or soon after that day;
* the **latest event date**: the latest full date (else month) the text mentions, outside the
  contexts that name the past or a statistic's period.

A date is only ever read from a day-month-year or month-year expression. A bare year is never
evidence: "1920 x 1080", "$2005", "2005 people", "117 percent in 2020", "the bombings of 2005"
and "since 1999" all name something other than the day the article appeared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from newsgraph.ingest.published.lexicon import Lexicon, lexicon

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“‘(])|\n+")
_WORD = re.compile(r"[^\W_]+", re.U)


@dataclass(frozen=True)
class Found:
    """A date written in the text: its value, granularity and where it stands."""

    day: date
    granularity: str  # day / month
    start: int
    end: int
    text: str


def _month(lex: Lexicon, value: str) -> int | None:
    return int(value) if value.isdigit() else lex.months.get(value.lower().rstrip("."))


def _make(year: str, month: int | None, day: str | None) -> date | None:
    try:
        return date(int(year), month or 0, int(day) if day else 1)
    except (TypeError, ValueError):
        return None


def full_dates(text: str, lex: Lexicon | None = None) -> list[Found]:
    """Every day-month-year date in ``text`` (any of the lexicon's languages), in text order."""
    lex = lex or lexicon()
    found: dict[int, Found] = {}
    for pattern in (lex.day_month_year, lex.month_day_year, lex.iso, lex.numeric):
        for m in pattern.finditer(text):
            if any(f.start <= m.start() < f.end for f in found.values()):
                continue
            day = _make(m["year"], _month(lex, m["month"]), m["day"])
            if day is not None:
                found[m.start()] = Found(day, "day", m.start(), m.end(), m.group())
    return [found[k] for k in sorted(found)]


def month_dates(text: str, taken: list[Found], lex: Lexicon | None = None) -> list[Found]:
    """Month-year dates ("August 2024") not inside a full date already found."""
    lex = lex or lexicon()
    out = []
    for m in lex.month_year.finditer(text):
        if any(f.start <= m.start() < f.end for f in taken):
            continue
        day = _make(m["year"], _month(lex, m["month"]), None)
        if day is not None:
            out.append(Found(day, "month", m.start(), m.end(), m.group()))
    return out


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    hi = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    return lo, hi


def is_trap(text: str, found: Found, lex: Lexicon | None = None) -> str | None:
    """Why a date in the text does not date the article (a past reference, a statistic's period,
    a number that is a dimension, an amount or a count), else None."""
    lex = lex or lexicon()
    before = text[max(0, found.start - 30):found.start]
    if lex.past_before.search(before):
        return "past reference"
    around = text[max(0, found.start - 12):min(len(text), found.end + 12)]
    if lex.number.search(around):
        return "number"
    lo, hi = _sentence(text, found.start, found.end)
    if lex.statistic.search(text[lo:hi]):
        return "statistic"
    return None


def dateline(text: str, lex: Lexicon | None = None) -> Found | None:
    """A full date standing (nearly) alone on one of the first lines."""
    lex = lex or lexicon()
    head = text[:lex.dateline_chars]
    offset = 0
    for number, line in enumerate(head.split("\n")):
        if number >= lex.dateline_lines:
            break
        dates = full_dates(line, lex) if len(line.strip()) <= lex.dateline_max_line_chars else []
        if dates:
            rest = line[:dates[0].start] + line[dates[0].end:]
            others = [w for w in _WORD.findall(rest) if not lex.weekday.fullmatch(w) and not w.isdigit()]
            if len(others) <= lex.dateline_max_other_words:
                d = dates[0]
                return Found(d.day, "day", offset + d.start, offset + d.end, d.text)
        offset += len(line) + 1
    return None


def relative(text: str, dates: list[Found], lex: Lexicon | None = None) -> Found | None:
    """The latest full date whose sentence marks it as recent news, with a weekday that fits it when
    one stands next to it ("Monday, June 10, 2024" only if June 10 was a Monday)."""
    lex = lex or lexicon()
    best = None
    for found in dates:
        if found.granularity != "day" or is_trap(text, found, lex):
            continue
        lo, hi = _sentence(text, found.start, found.end)
        near = text[max(lo, found.start - 16):found.start]
        weekday = lex.weekday.search(near)
        if weekday and lex.weekdays[weekday["weekday"].lower()] != found.day.weekday():
            continue  # "Monday, June 11" when June 11 was a Tuesday: a typo or another year
        if weekday or lex.recency.search(text[lo:hi]):
            best = found if best is None or found.day > best.day else best
    return best


def latest(text: str, dates: list[Found], lex: Lexicon | None = None) -> Found | None:
    """The latest date the text mentions outside the trap contexts: days first, then months."""
    lex = lex or lexicon()
    kept = [f for f in dates if not is_trap(text, f, lex)]
    for granularity in ("day", "month"):
        pool = [f for f in kept if f.granularity == granularity]
        if pool:
            return max(pool, key=lambda f: (f.day, -f.start))
    return None
