"""Cardinal numbers with their unit: money, measures, counted nouns, years, ranges.

A range shares its scale and currency: "$1.8 to $2 billion", "$1.8-2bn" and "between 1.5 and 1.8
billion euros" are read as 1.8e9..2e9 USD and 1.5e9..1.8e9 EUR, never as "$1.8".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsgraph.extract.quantities.context import is_name_or_date, is_pronoun_one, words_before
from newsgraph.extract.quantities.lexicon import Lexicon
from newsgraph.extract.quantities.nouns import counted_unit
from newsgraph.extract.quantities.numbers import digit_scale, has_scale, parse_number, valid_word_sequence


@dataclass
class Match:
    start: int
    end: int
    value: float
    high: float | None = None
    unit: str | None = None
    kind: str = "count"
    bound: str = "="
    attribute: str | None = None


@dataclass
class _Range:
    high: float
    end: int
    low_scale: float  # the multiplier the low end takes from the high end ("$1.8 to $2 billion": 1e9)
    currency: str | None  # the high end's currency, when it names one


def _currency_code(m: re.Match[str], lex: Lexicon) -> str | None:
    cur = m.group("cur")
    return lex.data["currency_before"][cur.strip().lower()] if cur else None


def _range(text: str, m: re.Match[str], lex: Lexicon) -> _Range | None:
    """"20 to 30", "20-30", "between 20 and 30", "$1.8 to $2 billion": the upper end, if any."""
    between = words_before(text, m.start(), 1) == "between"
    joiner = r"\s+and\s+" if between else r"\s*(?:-|–|to\b)\s*"
    nxt = re.match(joiner, text[m.end() :])
    if not nxt or _years(text, m, lex):
        return None
    start = m.end() + nxt.end()
    second = lex.cardinal.match(text[start : start + 80])  # a slice: the joiner may be a hyphen
    if not second:
        return None
    first_cur, second_cur = _currency_code(m, lex), _currency_code(second, lex)
    if second_cur and second_cur != first_cur:  # "$5 to €8" is two amounts, not a range
        return None
    high, low = parse_number(second.group("num"), lex), parse_number(m.group("num"), lex)
    if high is None or low is None:
        return None
    low_scale = 1.0
    shared = digit_scale(second.group("num"), lex)
    if shared > 1 and not has_scale(m.group("num"), lex) and low * shared <= high:
        low_scale = shared  # "$1.8 to $2 billion"; but "$500 to $2 billion" stays as written
    if high <= low * low_scale:  # "3-1" is a score, not a range
        return None
    return _Range(high, start + second.end(), low_scale, second_cur)


def _years(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """"2023-2024", "2023-24": a span of years, which the time stage reads, not a range of counts."""
    low, high = lex.data["year_range"]
    num = m.group("num")
    return not m.group("cur") and re.fullmatch(r"\d{4}", num) is not None and low <= int(num) <= high


def cardinal(text: str, m: re.Match[str], doc: Any, lex: Lexicon) -> Match | None:
    surface = m.group("num")
    words = re.split(r"[\s-]+", surface.lower())
    if valid_word_sequence(words, lex) < len(words):  # "two and three": keep only the first number
        return None
    value = parse_number(surface, lex)
    if value is None or is_name_or_date(text, m.start(), m.end(), lex, m.group(0)) or is_pronoun_one(text, m, lex):
        return None
    q = Match(m.start(), m.end(), value)
    rng = _range(text, m, lex)
    if rng is not None:
        q.value, q.high, q.end = value * rng.low_scale, rng.high, rng.end
    currency = _currency_code(m, lex) or (rng.currency if rng else None)
    if currency:
        return _money(q, currency)
    return _unit_of(text, q, m, doc, lex)


def _money(q: Match, code: str) -> Match:
    q.unit, q.kind = code, "money"
    return q


def _measure(text: str, end: int, lex: Lexicon) -> tuple[str, str, float, int] | None:
    """A unit from the lexicon right after the number: (unit, kind, factor, end)."""
    if text.startswith("%", end):
        return "percent", "percent", 1.0, end + 1
    m = lex.unit_after.match(text, end)
    if not m:
        return None
    unit = lex.unit_forms[m.group("u").lower()]
    spec = lex.data["units"][unit]
    stop = m.end()
    tail = re.match(rf"-(?:{'|'.join(map(re.escape, lex.data['unit_suffixes_ignored']))})\b", text[stop:])
    if tail:
        stop += tail.end()
    return spec.get("to", unit), spec["kind"], float(spec.get("factor", 1)), stop


def _unit_of(text: str, q: Match, m: re.Match[str], doc: Any, lex: Lexicon) -> Match | None:
    surface = m.group("num")
    cur = lex.currency_after.match(text, q.end)
    if cur:
        q.end = cur.end()
        return _money(q, lex.data["currency_after"][cur.group("c").lower()])
    if re.search(r"\d(?:m|k|b)$", surface.lower()):  # "200m" without a currency is ambiguous
        return None
    measure = _measure(text, q.end, lex)
    if measure:
        unit, q.kind, factor, q.end = measure
        q.unit, q.value = unit, q.value * factor
        q.high = q.high * factor if q.high is not None else None
        return q
    q.unit, q.end = counted_unit(doc, q.end, m.start("num"), lex)
    if q.unit is None:
        return _bare(q, surface, lex)
    return q


def _bare(q: Match, surface: str, lex: Lexicon) -> Match | None:
    """A number with no unit: a year if it looks like one, "one" never, else a bare count."""
    low, high = lex.data["year_range"]
    if re.fullmatch(r"\d{4}", surface) and low <= q.value <= high and q.high is None:
        q.kind = "year"
        return q
    if surface.lower() == "one":
        return None
    return q
