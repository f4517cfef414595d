"""Normalisation: every time expression of a text → a TimeML value and an honest interval.

HeidelTime-style: ``grammar`` finds candidate expressions; the resolver named after each rule
normalises it against an anchor (the publication date) and, for a month or weekday without a year,
the tense of the verb that governs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from newsgraph.extract.time import dates, durations, relative
from newsgraph.extract.time.grammar import Candidate, find_candidates
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.points import shifted
from newsgraph.extract.time.scope import Scope, previous_word
from newsgraph.model import TimeValue

Resolver = Callable[[Scope, Candidate], TimeValue | None]
Guard = Callable[[int, int], AbstractContextManager[Any]]
# A publication date outside these years is broken metadata, not an anchor (and the arithmetic of
# "next year" or "the past two quarters" must stay inside the calendar's years 1 to 9999).
ANCHOR_RANGE = (date(1000, 1, 1), date(9000, 12, 31))
# Rules whose year (or week) comes from the governing verb's tense: the only ones a re-reading changes.
TENSE_RULES = {"month", "month_day", "day_month", "season", "weekday", "clock", "pos_unit"}

RESOLVERS: dict[str, Resolver] = {
    "iso": dates.r_iso, "month_day": dates.r_month_day, "day_month": dates.r_month_day,
    "month": dates.r_month, "year": dates.r_year, "decade": dates.r_decade, "century": dates.r_century,
    "season": dates.r_season, "quarter": dates.r_quarter, "quarter_code": dates.r_quarter,
    "rel_unit": relative.r_rel_unit, "pos_unit": relative.r_pos_unit, "ago": relative.r_ago,
    "deictic": relative.r_deictic, "part_of_day": relative.r_part_of_day, "weekday": relative.r_weekday,
    "narrative": relative.r_narrative, "reference": relative.r_reference,
    "duration": durations.r_duration, "vague_span": durations.r_vague_span,
    "bare_span": durations.r_bare_span, "set": durations.r_set, "clock": durations.r_clock,
}


def apply_boundary(s: Scope, tv: TimeValue) -> None:
    """"by 2035" ends at the end of 2035; "after 2020" starts after it; "since 2020" starts with it."""
    if tv.kind != "DATE" or tv.modifier or tv.span is None or tv.start is None:
        return
    word = previous_word(s.text, tv.span.start)
    prep = lexicon().boundary_prepositions.get(word)
    if prep is None:
        return
    first, last = date.fromisoformat(tv.start), date.fromisoformat(tv.end or tv.start)
    if prep == "before":
        end = last if word in ("by", "until", "till") else shifted(first, timedelta(days=1), -1)
        tv.start, tv.end = None, end.isoformat() if end else None
    else:
        begin = first if word == "since" else shifted(last, timedelta(days=1))
        tv.start, tv.end = begin.isoformat() if begin else None, None
    tv.modifier = prep


def usable_anchor(anchor: date | None) -> date | None:
    return anchor if anchor is not None and ANCHOR_RANGE[0] <= anchor <= ANCHOR_RANGE[1] else None


def _resolve(scope: Scope, cand: Candidate) -> TimeValue | None:
    tv = RESOLVERS[cand.rule](scope, cand)
    if tv is not None:
        apply_boundary(scope, tv)
    return tv


def find_times(text: str, anchor: date | None, doc_id: str = "", nlp_doc: Any = None,
               guard: Guard | None = None) -> list[TimeValue]:
    """Every time expression in ``text``, normalised against ``anchor`` (the publication date).

    ``guard(start, end)``, when given, wraps the work on each expression (the stage passes
    ``sentence_guard``, so one expression that breaks a resolver never loses the document).
    """
    scope = Scope(text, usable_anchor(anchor), doc_id, nlp_doc)
    out: list[TimeValue] = []
    for cand in find_candidates(text):
        tv = None
        with guard(cand.start, cand.end) if guard else contextlib.nullcontext():
            tv = _resolve(scope, cand)
        if tv is None:
            continue
        if tv.kind == "DATE" and tv.granularity == "day" and tv.start and tv.value != "PRESENT_REF":
            scope.last_day = date.fromisoformat(tv.start)
        out.append(tv)
    return out


def resolve_again(tv: TimeValue, text: str, anchor: date, tense: str, nlp_doc: Any = None) -> TimeValue | None:
    """The same expression resolved as if its verb had ``tense`` ("future" / "past").

    Used when the event an expression dates says more than its verb's tense: "a port call is
    planned for June" in a July article is next June. None when the expression is not found again.
    """
    if tv.span is None or usable_anchor(anchor) is None:
        return None
    for cand in find_candidates(text, tv.span.start, tv.span.end):
        if (cand.start, cand.end) == (tv.span.start, tv.span.end) and cand.rule in TENSE_RULES:
            scope = Scope(text, anchor, tv.span.doc, nlp_doc, forced_tense=tense)
            return _resolve(scope, cand)
    return None
