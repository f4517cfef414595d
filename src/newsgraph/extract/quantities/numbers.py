"""Number values: digits with their scale, number words and phrases, ordinals."""

from __future__ import annotations

import re

from newsgraph.extract.quantities.lexicon import DIGITS, Lexicon, lexicon


def parse_number(surface: str, lex: Lexicon | None = None) -> float | None:
    """The value of "27,100", "2.5 billion", "$1.8-billion" (without the currency), "1bn", "1.8 thousand
    million", "twenty-five", "a dozen"; None if not a number."""
    lex = lex or lexicon()
    s = surface.strip().lower()
    phrases = lex.data["number_phrases"]
    if s in phrases:
        return float(phrases[s])
    m = re.fullmatch(rf"({DIGITS})[\s\u00a0-]*(.*)", s)
    if m:
        base = float(m.group(1).replace(",", ""))
        mult = scale_multiplier(m.group(2), lex)
        if mult is None:
            return None
        return round(base * mult, 6) if mult != 1 else base  # round: 4.1 * 1e9 is not 4099999999.9999995
    return _word_value(re.split(r"[\s-]+", s), lex)


def scale_multiplier(tail: str, lex: Lexicon | None = None) -> float | None:
    """The product of the scale words after the digits ("" -> 1, "billion" -> 1e9, "thousand million"
    -> 1e9, "bn" -> 1e9); None when the tail holds anything that is not a scale."""
    lex = lex or lexicon()
    tail = tail.strip().lower()
    if not tail:
        return 1.0
    mult = 1.0
    for token in re.split(r"[\s\u00a0-]+", tail):
        if not token:
            continue
        scale = lex.scale_of(token)
        if scale is None:
            return None
        mult *= scale
    return mult


def has_scale(surface: str, lex: Lexicon | None = None) -> bool:
    """Does a matched number carry its own scale ("2 billion", "5bn", "two million")?"""
    lex = lex or lexicon()
    m = re.fullmatch(rf"({DIGITS})[\s\u00a0-]*(.*)", surface.strip().lower())
    if m:
        return bool(m.group(2).strip())
    return any(w in lex.data["scale_words"] for w in re.split(r"[\s-]+", surface.lower()))


def digit_scale(surface: str, lex: Lexicon | None = None) -> float:
    """The scale multiplier written after a number's digits ("2 billion" -> 1e9, "30" -> 1)."""
    m = re.fullmatch(rf"({DIGITS})[\s\u00a0-]*(.*)", surface.strip().lower())
    return (scale_multiplier(m.group(2), lex) or 1.0) if m else 1.0


def _word_value(words: list[str], lex: Lexicon) -> float | None:
    small, scales = lex.data["number_words"], lex.data["scale_words"]
    total = current = 0
    for w in words:
        if w == "and":
            continue
        if w in small:
            current += small[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in scales:
            total += max(current, 1) * scales[w]
            current = 0
        else:
            return None
    return float(total + current)


def valid_word_sequence(words: list[str], lex: Lexicon) -> int:
    """How many leading words form one number ("two and three" is two numbers, not five)."""
    scales = lex.data["scale_words"]
    for i, w in enumerate(words):
        if w == "and" and (i == 0 or words[i - 1] not in scales):
            return i
    return len(words)


def ordinal_value(surface: str, lex: Lexicon) -> int | None:
    s = surface.lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", s)
    if m:
        return int(m.group(1))
    tens, _, unit = s.rpartition("-")
    value = lex.data["ordinal_words"].get(unit)
    if value is None:
        return None
    return value + (lex.data["number_words"].get(tens, 0) if tens else 0)
