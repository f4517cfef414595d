"""Ordinals ("sixth-generation", "5th"), and "first ... in N years" as one duration."""

from __future__ import annotations

import re

from newsgraph.extract.quantities.cardinals import Match
from newsgraph.extract.quantities.context import is_discourse_ordinal
from newsgraph.extract.quantities.lexicon import Lexicon, alt
from newsgraph.extract.quantities.numbers import ordinal_value

_SENTENCE_BREAK = re.compile(r"[.;!?]\s")


def ordinals(text: str, lex: Lexicon) -> list[Match]:
    found = []
    for m in lex.ordinal.finditer(text):
        value = ordinal_value(m.group("num"), lex)
        if value is None or is_discourse_ordinal(text, m, lex):
            continue
        q = Match(m.start(), m.end(), float(value), kind="ordinal")
        attr = re.match(rf"[\s-]+(?P<a>{alt(lex.data['ordinal_attributes'])})\b", text[m.end() :], re.I)
        if attr:
            q.attribute, q.end = attr.group("a").lower(), m.end() + attr.end()
        found.append(q)
    return found


def merge_first_in(text: str, found: list[Match], lex: Lexicon) -> list[Match]:
    """"first visit in 27 years" / "first time in over two decades" -> one duration, attribute first_in."""
    window = lex.data["first_in_window_words"]
    out, used = [], set()
    for q in found:
        if q.kind != "ordinal" or q.value != 1 or q.attribute:
            continue
        for d in found:
            between = text[q.end : d.start]
            fits = d.kind == "duration" and d.start > q.end and len(between.split()) <= window
            if fits and not _SENTENCE_BREAK.search(between) and re.search(r"\bin\s*$", between):
                merged = Match(q.start, d.end, d.value, d.high, d.unit, "duration", d.bound)
                merged.attribute = lex.data["first_in_attribute"]
                out.append(merged)
                used.update({id(q), id(d)})
                break
    return [q for q in found if id(q) not in used] + out
