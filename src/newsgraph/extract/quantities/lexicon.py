"""The quantity lexicon (``kb/units.yaml``) and the patterns compiled from it.

A number's scale belongs to the number wherever the text puts it: "$1.8 billion", "$1.8-billion",
"$1.8billion", "$1.8 bn", "1.8 thousand million", "1.8 crore". The cardinal pattern therefore takes
a chain of scale words (separated by a space, a hyphen or nothing) and a scale abbreviation glued
or spaced; ``numbers.parse_number`` multiplies the chain out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def alt(words: Any) -> str:
    """A regex alternation, longest first so "per cent" beats "per"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """units.yaml plus the regexes compiled from it."""

    data: dict[str, Any]
    cardinal: re.Pattern[str]
    ordinal: re.Pattern[str]
    designation: re.Pattern[str]
    unit_after: re.Pattern[str]
    currency_after: re.Pattern[str]
    unit_forms: dict[str, str]

    def scale_of(self, word: str) -> float | None:
        """The multiplier of one scale word or abbreviation ("billion", "bn", "mln"), else None."""
        w = word.lower().rstrip(".")
        data = self.data
        value = data["scale_words"].get(w) or data["scale_suffixes"].get(w) or data["scale_abbreviations"].get(w)
        return float(value) if value else None


def _scale_pattern(data: dict[str, Any]) -> str:
    """What may follow the digits as their scale: words ("billion", "thousand million"), spaced or
    hyphenated or glued; abbreviations glued ("1bn", "$5m") or spaced ("$1.8 bn", "1.8 mln")."""
    words = alt(data["scale_words"])
    spaced = alt(data["scale_abbreviations"])
    glued = alt([*data["scale_suffixes"], *data["scale_abbreviations"]])
    word_chain = rf"(?:[ \t\u00a0]*-?[ \t\u00a0]*(?:{words})\b)+"
    return rf"(?:{word_chain}|(?:{glued})\b|(?:[ \t\u00a0]+|-)(?:{spaced})\b)?"


@cache
def lexicon() -> Lexicon:
    data = yaml.safe_load((KB_DIR / "units.yaml").read_text(encoding="utf-8"))
    words = alt([*data["number_words"], *data["scale_words"]])
    word_num = rf"\b(?:{words})(?:(?:\s+|-)(?:and\s+)?(?:{words}))*\b"
    phrases = rf"\b(?:{alt(data['number_phrases'])})\b"
    cur = alt(data["currency_before"])
    cardinal = (
        rf"(?<![\w.,/-])(?P<cur>(?:{cur})\s?)?"
        rf"(?P<num>(?:{DIGITS})(?![\d,]*\d){_scale_pattern(data)}|{phrases}|{word_num})(?![\w:]|\.\d)"
    )
    ordinal = (
        rf"(?<![\w-])(?P<num>\d+(?:st|nd|rd|th)|(?:(?:{alt(data['number_words'])})-)?"
        rf"(?:{alt(data['ordinal_words'])}))\b"
    )
    forms = {f: unit for unit, spec in data["units"].items() for f in spec["forms"]}
    return Lexicon(
        data=data,
        cardinal=re.compile(cardinal, re.IGNORECASE),
        ordinal=re.compile(ordinal, re.IGNORECASE),
        designation=re.compile(rf"(?P<d>{data['designation_pattern']})s?"),
        unit_after=re.compile(rf"(?:\s+|-)(?P<u>{alt(forms)})(?![\w%])", re.IGNORECASE),
        currency_after=re.compile(rf"(?:\s+|-)(?P<c>{alt(data['currency_after'])})(?![\w$])", re.IGNORECASE),
        unit_forms={f.lower(): u for f, u in forms.items()},
    )
