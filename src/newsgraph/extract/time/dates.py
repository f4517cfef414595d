"""Resolvers for calendar expressions: dates, months, years, decades, centuries, seasons, quarters.

Each takes the ``Scope`` and one ``Candidate`` and returns a ``TimeValue`` or None (not a time after
all). A month or day without a year takes the year that the governing verb's tense implies.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from newsgraph.extract.time.grammar import Candidate
from newsgraph.extract.time.lexicon import lexicon
from newsgraph.extract.time.points import Point, choose, pick, rel_mode, season_point
from newsgraph.extract.time.scope import (
    RELATIVE,
    STATED,
    Scope,
    point_tv,
    position,
    previous_word,
    unanchored,
    valid_day,
    years_around,
)
from newsgraph.model import TimeValue

# Plural nouns a year may count without being a count of things ("2024 elections").
_TIME_NOUNS = {"year", "years", "season", "budget", "election", "elections", "census", "olympics", "cup"}


def r_iso(s: Scope, c: Candidate) -> TimeValue | None:
    day = valid_day(int(c.groups["year"]), int(c.groups["mnum"]), int(c.groups["day"])) \
        if 1 <= int(c.groups["mnum"]) <= 12 else None
    return point_tv(s, c, Point("day", day), STATED) if day else None


def r_month_day(s: Scope, c: Candidate) -> TimeValue | None:
    m, d = lexicon().month_number(c.groups["month"]), int(c.groups["day"])
    if not 1 <= d <= 31:
        return None
    if "year" in c.groups:
        day = valid_day(int(c.groups["year"]), m, d)
        return point_tv(s, c, Point("day", day), STATED) if day else None
    if s.anchor is None:
        return unanchored(s, c, f"XXXX-{m:02d}-{d:02d}")
    cands = [Point("day", x) for y in range(s.anchor.year - 1, s.anchor.year + 2) if (x := valid_day(y, m, d))]
    return point_tv(s, c, choose(cands, s.anchor, s.tense(c)), RELATIVE) if cands else None


def r_month(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["month"]
    bare = not any(k in c.groups for k in ("pos", "rel", "year"))
    lx = lexicon()
    if bare and word.rstrip(".") in lx.ambiguous_months and previous_word(s.text, c.start) not in lx.month_cues:
        return None  # the verbs "may"/"march" at sentence start, or a name
    if bare and re.match(r"\s+[A-Z][a-z]", s.text[c.end : c.end + 3]):
        return None  # "June Smith"
    m = lx.month_number(word)
    if "year" in c.groups:
        return point_tv(s, c, Point("month", date(int(c.groups["year"]), m, 1)), STATED, position(c))
    if s.anchor is None:
        return unanchored(s, c, f"XXXX-{m:02d}")
    cands = years_around(s.anchor, lambda y: Point("month", date(y, m, 1)))
    mode = rel_mode(c.groups.get("rel"), s.tense(c))
    return point_tv(s, c, pick(cands, s.anchor, mode), RELATIVE, position(c))


def r_year(s: Scope, c: Candidate) -> TimeValue | None:
    if s.nlp_doc is not None and _is_count(s.nlp_doc, c):
        return None
    return point_tv(s, c, Point("year", date(int(c.groups["year"]), 1, 1)), STATED, position(c))


def _is_count(nlp_doc: Any, c: Candidate) -> bool:
    """A four-digit number counting things ("2000 troops") is not a year."""
    span = nlp_doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    tok = span[-1]
    # A plural name ("the 2008 Olympic Games") is an event of that year, not 2008 things.
    return tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.lower_ not in _TIME_NOUNS


def r_decade(s: Scope, c: Candidate) -> TimeValue | None:
    if "dec" in c.groups:
        first = int(c.groups["dec"]) * 10
    else:
        d = int(c.groups["dec2"]) * 10
        ref = s.anchor.year if s.anchor else 2000
        first = 2000 + d if 2000 + d <= ref else 1900 + d
    return point_tv(s, c, Point("decade", date(first, 1, 1)), STATED, position(c))


def r_century(s: Scope, c: Candidate) -> TimeValue | None:
    raw = c.groups["ord"].lower()
    n = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else lexicon().ordinals.get(raw)
    if not n or not 1 <= n <= 30:
        return None
    return point_tv(s, c, Point("century", date((n - 1) * 100 or 1, 1, 1)), STATED, position(c))


def r_season(s: Scope, c: Candidate) -> TimeValue | None:
    word = c.groups["season"].lower()
    if not any(k in c.groups for k in ("rel", "the", "year", "pos")):
        return None  # bare "summer" is too vague to anchor
    if word == "fall" and not any(k in c.groups for k in ("rel", "year")):
        return None  # "the fall of the city"
    code = lexicon().seasons[word]["code"]
    if "year" in c.groups:
        return point_tv(s, c, season_point(code, int(c.groups["year"])), STATED, position(c))
    if s.anchor is None:
        return unanchored(s, c, f"XXXX-{code}")
    cands = years_around(s.anchor, lambda y: season_point(code, y))
    rel = c.groups.get("rel")
    if rel and lexicon().relative.get(rel.lower()) == 0:  # "this winter": the one around now
        return point_tv(s, c, choose(cands, s.anchor, None), RELATIVE, position(c))
    return point_tv(s, c, pick(cands, s.anchor, rel_mode(rel, s.tense(c))), RELATIVE, position(c))


def r_quarter(s: Scope, c: Candidate) -> TimeValue | None:
    raw = c.groups.get("qord") or c.groups.get("qcode", "")
    unit = (c.groups.get("qunit") or ("quarter" if raw.upper().startswith("Q") else "half")).lower()
    digits = re.sub(r"\D", "", raw)
    n = int(digits) if digits else lexicon().ordinals.get(raw.lower(), 4 if unit == "quarter" else 2)
    if raw.lower() == "final":
        n = 4 if unit == "quarter" else 2
    if not 1 <= n <= (4 if unit == "quarter" else 2):
        return None
    months = 3 if unit == "quarter" else 6
    if "year" in c.groups:
        return point_tv(s, c, Point(unit, date(int(c.groups["year"]), (n - 1) * months + 1, 1)), STATED)
    if s.anchor is None:
        return unanchored(s, c)
    offset = lexicon().relative.get((c.groups.get("rel") or "").lower())
    if offset is not None:  # "the first quarter of last year"
        return point_tv(s, c, Point(unit, date(s.anchor.year + offset, (n - 1) * months + 1, 1)), RELATIVE)
    cands = [Point(unit, date(y, (n - 1) * months + 1, 1)) for y in range(s.anchor.year - 1, s.anchor.year + 2)]
    tense = s.tense(c)
    chosen = choose(cands, s.anchor, tense) if tense in ("past", "future") else cands[1]
    return point_tv(s, c, chosen, RELATIVE)
