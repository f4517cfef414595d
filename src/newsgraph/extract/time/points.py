"""Calendar units (a day, an ISO week, a month, a season...) and the choice among candidate years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from newsgraph.extract.time.lexicon import lexicon

# One step of each granularity. Unit words that are not granularities map onto one
# ("weekend" moves by weeks, "quarter" by three months), so no unit name ever reaches
# relativedelta as a keyword it does not know (``relativedelta(quarters=2)`` is a TypeError).
_STEPS = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "weekend": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
    "half": relativedelta(months=6),
    "season": relativedelta(months=3),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
    "century": relativedelta(years=100),
}


def step(granularity: str, n: int) -> relativedelta:
    """``n`` units of ``granularity``; a season steps by years (the same season n years away)."""
    if granularity == "season":
        return relativedelta(years=n)
    return _STEPS[granularity] * n


def shifted(d: date, delta: relativedelta | timedelta, sign: int = 1) -> date | None:
    """``d`` plus (or minus) ``delta``; None when the result leaves the calendar (year 1 to 9999)."""
    try:
        return d + delta if sign > 0 else d - delta
    except (OverflowError, ValueError):
        return None


@dataclass(frozen=True)
class Point:
    """A calendar unit identified by its granularity and first day."""

    granularity: str
    first: date
    code: str = ""  # season code (SU, WI...)

    @property
    def last(self) -> date:
        length = relativedelta(months=3) if self.granularity == "season" else step(self.granularity, 1)
        end = shifted(self.first, length)
        return end - timedelta(days=1) if end else date.max

    def shift(self, n: int) -> Point | None:
        first = shifted(self.first, step(self.granularity, n))
        return Point(self.granularity, first, self.code) if first else None

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


def floor(granularity: str, d: date) -> Point:
    """The unit of the given granularity that contains ``d``."""
    if granularity == "week":
        return Point("week", max(date.min, d - timedelta(days=d.weekday())))
    if granularity == "month":
        return Point("month", d.replace(day=1))
    if granularity == "quarter":
        return Point("quarter", date(d.year, (d.month - 1) // 3 * 3 + 1, 1))
    if granularity == "half":
        return Point("half", date(d.year, 1 if d.month <= 6 else 7, 1))
    if granularity == "decade":
        return Point("decade", date(max(1, d.year // 10 * 10), 1, 1))
    if granularity == "century":
        return Point("century", date(max(1, d.year // 100 * 100), 1, 1))
    if granularity == "year":
        return Point("year", date(d.year, 1, 1))
    return Point("day", d)


def season_point(code: str, year: int) -> Point:
    first_month = {s["code"]: s["months"][0] for s in lexicon().seasons.values()}[code]
    return Point("season", date(year, first_month, 1), code)


def sub_interval(first: date, last: date, position: str | None) -> tuple[date, date]:
    """The first, middle or last third of an interval ("early 2024", "mid-June", "end of August")."""
    n = (last - first).days + 1
    if position not in ("start", "mid", "end") or n < 3:  # a day has no thirds: "late Monday" is Monday
        return first, last
    third = max(1, n // 3)
    if position == "start":
        return first, first + timedelta(days=third - 1)
    if position == "mid":
        return first + timedelta(days=third), first + timedelta(days=2 * third - 1)
    return first + timedelta(days=2 * third), last


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
    """A relative word ("last", "next", "this") decides; without one, the tense does."""
    offset = lexicon().relative.get((rel or "").lower())
    if offset is None:
        return tense
    return {-1: "before", 1: "after"}.get(offset, "this")


def pick(cands: list[Point], anchor: date, mode: str | None) -> Point:
    if mode == "this":
        inside = [p for p in cands if p.first.year == anchor.year or p.first <= anchor <= p.last]
        return choose(inside or cands, anchor, None)
    return choose(cands, anchor, mode)
