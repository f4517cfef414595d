"""The words around a number: its bound ("up to", "or more") and whether it is a quantity at all
("World War 2", "August 26", "10 a.m.", a list marker are not)."""

from __future__ import annotations

import re

from newsgraph.extract.quantities.lexicon import Lexicon, alt


def bound_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    """The bound word(s) just before ``start`` and where they begin ("up to 10" -> "<=")."""
    before = text[max(0, start - 30) : start].lower()
    for phrase in sorted(lex.data["bounds_before"], key=len, reverse=True):
        m = re.search(rf"(?<![\w-]){re.escape(phrase)}\s+$", before)
        if m:
            return lex.data["bounds_before"][phrase], start - (len(before) - m.start())
    return "=", start


def bound_after(text: str, end: int, lex: Lexicon) -> tuple[str | None, int]:
    for phrase, bound in lex.data["bounds_after"].items():
        m = re.match(rf"\s+{re.escape(phrase)}\b", text[end : end + 20], re.IGNORECASE)
        if m:
            return bound, end + m.end()
    return None, end


def words_before(text: str, start: int, n: int = 3) -> str:
    return " ".join(text[max(0, start - 40) : start].lower().split()[-n:])


def is_list_marker(text: str, start: int, end: int, surface: str) -> bool:
    """"1. Skip to content", "2) News": a small bare integer opening a line, then "." or ")"."""
    line_start = text.rfind("\n", 0, start) + 1
    bare = re.fullmatch(r"\d{1,3}", surface) is not None
    return bare and not text[line_start:start].strip() and text[end : end + 1] in (".", ")")


def is_name_or_date(text: str, start: int, end: int, lex: Lexicon, surface: str = "") -> bool:
    """"World War 2", "Article 9", "August 26", "26 August", "10 a.m.", list markers are not quantities."""
    if is_list_marker(text, start, end, surface or text[start:end]):
        return True
    before = words_before(text, start)
    if any(re.search(rf"(?:^|\s){re.escape(p)}$", before) for p in lex.data["name_prefixes"]):
        return True
    months = lex.data["months"]
    prev_word = before.split()[-1].strip(",") if before else ""
    next_word = re.match(r"\s*([A-Za-z.]*)", text[end : end + 12]).group(1).lower().rstrip(".,")
    if re.search(rf"\b(?:{alt(months)})\.?\s+\d{{1,2}},?\s*$", before):  # the year of "June 29, 2024"
        return True
    return prev_word in months or next_word in months or next_word in ("a.m", "p.m", "am", "pm", "gmt", "utc")


def is_pronoun_one(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """"one of", "one-on-one", "one another" are not counts."""
    if m.group("num").lower() != "one":
        return False
    after = text[m.end() : m.end() + 12].lower()
    return any(after.startswith(w) or after.startswith(" " + w) for w in lex.data["one_excluded_after"])


def is_discourse_ordinal(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """"First, we ...", "at first", "first-ever" do not count anything."""
    after = text[m.end() : m.end() + 12].lower()
    if any(after.startswith(w) or after.startswith(" " + w) for w in lex.data["ordinal_discourse_after"]):
        return True
    prev = words_before(text, m.start(), 1)
    return prev in lex.data["ordinal_discourse_before"]
