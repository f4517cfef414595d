"""Numbers written in digits, in any language: value, unit (the word or counter after the number),
and kind (count, percent, money). Decimal and thousands separators follow the language: "1.500,5"
is 1500.5 in German or Italian, "1,500.5" in English, Japanese or Chinese. Numbers inside dates
(found by the time stage) and inside designations ("F-35") are not quantities. Number words
("tre", "drei", "五") are left to the English stage's counterparts, which do not exist yet for
other languages: this stage reports only what digits say.
"""

from __future__ import annotations

import re

from newsgraph.lang.scripts import UNSPACED_CHARS
from newsgraph.model import Analysis, Quantity, Span
from newsgraph.stages import Context

DECIMAL_POINT_LANGUAGES = frozenset({"en", "ja", "zh", "ko", "th", "he", "hi"})
_EDGE_BEFORE = rf"(?<![\-.,/])(?<![^\W{UNSPACED_CHARS}])"  # not glued to a Latin word, a designation or a number
_EDGE_AFTER = rf"(?![^\W{UNSPACED_CHARS}])"
_NUMBER = re.compile(rf"{_EDGE_BEFORE}(?:\d{{1,3}}(?:[.,\u00a0\u202f ]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?){_EDGE_AFTER}")
_PERCENT = re.compile(r"^\s?(%|％|per ?cento|pour ?cent|prozent|por ?ciento|por ?cento|procent|процент\w*)", re.IGNORECASE)
_PERCENT_BEFORE = re.compile(r"(百分之|%)\s?$")
_CURRENCY = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "円": "JPY", "元": "CNY", "euro": "EUR", "euros": "EUR",
             "dollari": "USD", "dollars": "USD", "dólares": "USD", "dollar": "USD", "yen": "JPY", "yuan": "CNY"}
_UNIT_WORD = re.compile(rf"^\s?([^\W\d_{UNSPACED_CHARS}][^\W\d_]*|[{UNSPACED_CHARS}]|[€$£¥])", re.UNICODE)


def parse_number(surface: str, language: str) -> float | None:
    text = surface.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if language in DECIMAL_POINT_LANGUAGES:
        text = text.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def find_quantities(text: str, language: str, doc_id: str = "", skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    skip = skip or []
    out = []
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        value = parse_number(m.group(0), language)
        if value is None:
            continue
        end, kind, unit = m.end(), "count", None
        before = _PERCENT_BEFORE.search(text[max(0, m.start() - 4) : m.start()])
        percent = _PERCENT.match(text[end : end + 20])
        word = _UNIT_WORD.match(text[end : end + 40])
        if percent:
            end, kind, unit = end + percent.end(), "percent", "%"
        elif before and before.group(1) == "百分之":
            kind, unit = "percent", "%"
        elif word:
            unit = word.group(1)
            kind = "money" if unit.lower() in _CURRENCY else "count"
            end += word.end()
        start = m.start() - (len(before.group(0)) if before and kind == "percent" else 0)
        surface = text[start:end]
        out.append(Quantity(text=surface, value=value, unit=_CURRENCY.get((unit or "").lower(), unit), kind=kind,
                            span=Span(doc_id, start, end, surface)))
    return out


def run(analysis: Analysis, ctx: Context) -> None:
    """The quantities stage for documents that are not in English."""
    doc = analysis.document
    skip = [(t.span.start, t.span.end) for t in analysis.times if t.span is not None]
    analysis.quantities.extend(find_quantities(doc.text, doc.language or "und", doc.id, skip))
