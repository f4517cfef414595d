"""Recognition half of the temporal normaliser: the word lists and the regex grammar.

Patterns are assembled from ``kb/time.yaml`` so the vocabulary lives in data. Each
rule is a named regex; a match becomes a ``Candidate`` whose named groups the
normaliser (``timex.py``) turns into a TimeML value. Spans follow TimeML extent
conventions: determiners and modifiers ("the", "early", "mid-", "about") are
inside, prepositions ("in", "on", "by") are outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

TIME_YAML = KB_DIR / "time.yaml"


@dataclass
class Candidate:
    """One regex match: the rule that fired, its span and its named groups."""

    rule: str
    start: int
    end: int
    groups: dict[str, str]


def _alt(words: Any) -> str:
    """A regex alternation, longest first so "a couple of" wins over "a"."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass
class Lexicon:
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def month_number(self, word: str) -> int:
        return int(self.months[word.rstrip(".")])

    def number(self, word: str) -> float | None:
        """Numeric value of a digit string or number word; None for vague amounts."""
        w = " ".join(word.lower().replace("-", " ").split())
        if w.replace(".", "", 1).isdigit():
            return float(w)
        if w in self.numerals:
            return float(self.numerals[w])
        parts = w.split()
        if len(parts) == 2 and all(p in self.numerals for p in parts):  # "twenty five"
            return float(self.numerals[parts[0]] + self.numerals[parts[1]])
        return None

    def unit(self, word: str) -> tuple[str, dict[str, Any]]:
        w = word.lower()
        if w == "centuries":
            w = "century"
        elif w.endswith("s") and w[:-1] in self.units:
            w = w[:-1]
        return w, self.units[w]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with TIME_YAML.open(encoding="utf-8") as fh:
        return Lexicon(yaml.safe_load(fh))


def _ci(pattern: str) -> str:
    """Case-insensitive group: month and weekday names stay case-sensitive elsewhere."""
    return f"(?i:{pattern})"


@lru_cache(maxsize=1)
def grammar() -> list[tuple[str, re.Pattern[str]]]:
    """The rules, compiled once. Order only matters for equal-length ties."""
    lx = lexicon()
    full = [m for m in lx.months if len(m) > 4 or m in ("May", "June", "July")]
    abbr = [m for m in lx.months if m not in full]
    month = rf"(?P<month>(?:{_alt(full)})\b|(?:{_alt(abbr)})(?:\.|\b))"
    weekday = rf"(?P<weekday>{_alt(lx.weekdays)})(?!s)\b"
    # A year is not part of a longer number, an amount, a code ("F-2035") or an ISO date.
    year = r"(?<![\w$£€#.,/])(?P<year>(?:1[6-9]|20)\d\d)(?![\d%]|,\d|\.\d|-[01]?\d-)"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
    pos = rf"(?P<pos>{_ci(_alt(lx.position_modifiers))})"
    rel = rf"(?P<rel>{_ci(_alt(lx.relative))})"
    tens = _alt(k for k, v in lx.numerals.items() if isinstance(v, int) and 20 <= v < 100)
    ones = _alt(k for k, v in lx.numerals.items() if isinstance(v, int) and v < 10 and " " not in k)
    words = _alt(lx.numerals)
    num = rf"(?P<num>\d+(?:\.\d+)?|{_ci(f'(?:{tens})[- ](?:{ones})|{words}')}|(?P<vague>{_ci(_alt(lx.vague_numerals))}))"
    unit_words = list(lx.units)
    units = rf"(?P<unit>{_ci(_alt([*unit_words, 'centuries']))})(?:s\b|\b)"
    plural_units = rf"(?P<unit>{_ci(_alt(u + 's' for u in unit_words if u != 'century'))})\b"
    amod = rf"(?P<amod>{_ci(_alt(lx.amount_modifiers))})"
    aprep = rf"(?:(?P<aprep>{_ci(_alt(lx.amount_prepositions))})\s+)?"
    not_age = r"(?![\s-]+old\b)"
    season = rf"(?P<season>{_ci(_alt(lx.seasons))})\b"
    pod = rf"(?P<pod>{_ci(_alt(lx.parts_of_day))})\b"
    ordinal = rf"(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{_ci(_alt(lx.ordinals))})"
    the = _ci(r"the\s+")
    ampm = _ci(r"a\.m\.|p\.m\.|am\b|pm\b")
    yr_tail = rf"(?:(?:\s+{_ci('of')})?,?\s+{year})"
    rules = {
        "iso": r"\b(?P<year>\d{4})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b",
        "month_day": rf"(?:{weekday},?\s+)?{month}\s+{day}(?:,?\s+{year})?",
        "day_month": rf"(?:{weekday},?\s+)?(?:{the})?{day}\s+(?:{_ci('of')}\s+)?{month}(?:,?\s+{year})?",
        "month": rf"(?:{pos}\s*)?(?:{rel}\s+)?{month}{yr_tail}?",
        "year": rf"(?:{pos}\s*)?(?:{_ci('fiscal')}\s+)?{year}",
        "decade": rf"(?:{pos}\s*)?(?:{the})?(?:(?P<dec>(?:1[6-9]|20)\d)0|'(?P<dec2>\d)0)s\b",
        "century": rf"(?:{pos}\s*)?(?:{the})?{ordinal}[\s-]+{_ci('century')}",
        "season": rf"(?:{pos}\s*)?(?:{rel}\s+|(?P<the>{the}))?{season}{yr_tail}?",
        "quarter": rf"(?:{the})?(?P<qord>{_ci('first|second|third|fourth|final|1st|2nd|3rd|4th')})\s+"
        rf"(?P<qunit>{_ci('quarter|half')})(?:\s+{_ci('of')}(?:\s+{_ci('the year')})?)?(?:,?\s+{year})?",
        "quarter_code": rf"\b(?P<qcode>[QH][1-4])(?:\s+{year})?\b",
        "narrative": rf"{the}(?:(?P<nrel>{_ci('next|following|previous|preceding')})\s+(?P<nunit>{_ci('day|week|month|year|morning|night')})\b"
        rf"|(?P<nday>{_ci('day')})\s+(?P<ndir>{_ci('after|before')})\b)",
        "rel_unit": rf"(?:{pos}\s*)?(?P<the>{the})?{rel}\s+(?:{_ci('fiscal')}\s+)?{units}",
        "pos_unit": rf"{pos}\s*(?:{the})?(?P<unit>{_ci('year|month|week|decade|century|day')})\b",
        "ago": rf"{aprep}(?P<t>(?:{amod}\s+)?{num}[\s-]+{units}\s+{_ci('ago')})",
        "duration": rf"{aprep}(?P<t>(?:(?P<the>{the})(?:(?P<drel>{_ci('past|last|next|coming|previous|following|first|final')})\s+)?|{amod}\s+)?"
        rf"{num}[\s-]+{units}(?P<long>-long)?){not_age}",
        "vague_span": rf"(?:{the})?(?P<vrel>{_ci('recent|past|coming|next|last')})\s+{plural_units}",
        "bare_span": rf"(?P<prep>{_ci('for|over|within|after|in|took|take|lasted|spent|spend')})\s+(?P<t>{plural_units})",
        "deictic": rf"(?P<deictic>{_ci(_alt(lx.deictic_days))})\b(?:\s+{pod})?",
        "part_of_day": rf"(?P<prel>{_ci('this|last|yesterday|tomorrow')})\s+{pod}",
        "weekday": rf"(?:{rel}\s+)?{weekday}(?:\s+{pod})?",
        "reference": rf"(?P<ref>{_ci(_alt(lx.references))})\b",
        "set": rf"(?:(?P<each>{_ci('each|every')})\s+(?P<sunit>{_ci('day|week|month|year|season|morning|afternoon|evening|night|weekend|quarter')})\b"
        rf"|(?P<setword>{_ci(_alt(lx.sets))})\b)",
        "clock": rf"(?<![\d:])(?P<hour>[0-2]?\d)(?::(?P<minute>[0-5]\d))?\s*(?:(?P<ampm>{ampm})"
        rf"|(?P<tz>GMT|UTC|BST|CET|EST|EDT|PST|JST)\b)(?:\s+{weekday})?",
    }
    start_guard = r"(?<![\w'])(?<![A-Za-z]-)"  # a rule never starts inside a word
    return [(name, re.compile(pat if pat.startswith("(?<") else start_guard + pat)) for name, pat in rules.items()]


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "t" in m.re.groupindex and m.group("t") is not None:
        return m.start("t"), m.end("t")
    return m.start(), m.end()


def find_candidates(text: str) -> list[Candidate]:
    """All rule matches, reduced to non-overlapping spans (longest, then leftmost, wins)."""
    found: list[Candidate] = []
    for name, rx in grammar():
        for m in rx.finditer(text):
            start, end = _span(m)
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            found.append(Candidate(name, start, end, groups))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[Candidate] = []
    for cand in found:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)
