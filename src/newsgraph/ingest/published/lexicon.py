"""The publication-date lexicon (``kb/published.yaml``) compiled into regular expressions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml

from newsgraph.settings import KB_DIR


@dataclass(frozen=True)
class Lexicon:
    confidence: dict[str, float]
    earliest_year: int
    dateline_lines: int
    dateline_chars: int
    dateline_max_other_words: int
    dateline_max_line_chars: int
    months: dict[str, int]  # name → month number
    weekdays: dict[str, int]  # name → weekday (Monday 0)
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    month_year: re.Pattern[str]
    weekday: re.Pattern[str]
    recency: re.Pattern[str]
    past_before: re.Pattern[str]
    statistic: re.Pattern[str]
    number: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _names(groups: dict[Any, list[str]]) -> dict[str, int]:
    return {str(name).lower(): int(number) for number, names in groups.items() for name in names}


@functools.cache
def lexicon() -> Lexicon:
    data = yaml.safe_load((KB_DIR / "published.yaml").read_text(encoding="utf-8"))
    months, weekdays = _names(data["months"]), _names(data["weekdays"])
    month = rf"(?P<month>{_alternation(list(months))})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
    year = r"(?P<year>(?:19|20)\d\d)"
    traps = data["traps"]
    return Lexicon(
        confidence={k: float(v) for k, v in data["confidence"].items()},
        earliest_year=int(data["earliest_year"]),
        dateline_lines=int(data["dateline_lines"]),
        dateline_chars=int(data["dateline_chars"]),
        dateline_max_other_words=int(data["dateline_max_other_words"]),
        dateline_max_line_chars=int(data["dateline_max_line_chars"]),
        months=months,
        weekdays=weekdays,
        day_month_year=re.compile(rf"(?<![\w.,])(?:{day})\s+(?:de\s+)?{month},?\s+(?:de\s+|del\s+)?{year}(?!\d)", re.I),
        month_day_year=re.compile(rf"(?<![\w])(?:{month})\s+(?:{day}),?\s+{year}(?!\d)", re.I),
        iso=re.compile(rf"(?<![\d.,/-]){year}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d])"),
        numeric=re.compile(r"(?<![\d.,/-])(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>(?:19|20)\d\d)(?![\d.,/])"),
        month_year=re.compile(rf"(?<![\w])(?:{month})\s+(?:of\s+|de\s+|del\s+)?{year}(?!\d)", re.I),
        weekday=re.compile(rf"\b(?P<weekday>{_alternation(list(weekdays))})\b\.?", re.I),
        recency=re.compile(rf"\b(?:{_alternation(data['recency_cues'])})\b", re.I),
        past_before=re.compile(rf"\b(?:{_alternation(traps['past_before'])})\s*$", re.I),
        statistic=re.compile("|".join(traps["statistic"]), re.I),
        number=re.compile("|".join(traps["number"]), re.I),
    )
