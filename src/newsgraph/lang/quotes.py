"""Direct quotes in any language, by the quotation marks that language uses (kb/languages.yaml):
« » in French, Italian and Spanish, „ “ and » « in German, 「 」 in Japanese, “ ” in Chinese.

A quote is the text between an opening mark and its closing mark on one paragraph, at least three
words long (or eight characters in scripts without spaces), so scare quotes around one term are
left out. Its speaker is found only where the sentence says who speaks: a speech cue of the
language ("ha detto", "a déclaré", "sagte", "と述べた", "表示") outside the quote, and the nearest
person (else organisation or country) named in that sentence outside the quote. Otherwise the
quote is kept unattributed: a missing speaker is better than a wrong one.
"""

from __future__ import annotations

import re

from newsgraph.lang.conventions import quote_marks, speech_cues
from newsgraph.lang.scripts import count_units, has_unspaced
from newsgraph.model import Analysis, Mention, Quote, Span, stable_id
from newsgraph.stages import Context

MIN_UNITS = 3
MIN_UNSPACED_CHARS = 8
MAX_QUOTE_CHARS = 2000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?。！？])\s+|\n+|(?<=[。！？])")
SPEAKER_LABELS = ("PERSON", "ORG", "COUNTRY")


def find_quote_marks(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted passage, marks excluded."""
    marks = quote_marks(language)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = marks.get(text[i])
        if close is None:
            i += 1
            continue
        end = text.find(close, i + 1, i + 1 + MAX_QUOTE_CHARS)
        newline = text.find("\n", i + 1, end if end > 0 else i + 1)
        if end > i + 1 and newline < 0:
            inner = text[i + 1 : end]
            if _long_enough(inner):
                out.append((i + 1, end))
            i = end + 1
        else:
            i += 1
    return out


def _long_enough(inner: str) -> bool:
    if has_unspaced(inner):
        return len(inner.strip()) >= MIN_UNSPACED_CHARS
    return count_units(inner) >= MIN_UNITS


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _SENTENCE_BREAK.finditer(text, end)), len(text))
    return left, right


def _cue(text: str, bounds: tuple[int, int], quote: tuple[int, int], cues: list[str]) -> re.Match | None:
    for cue in sorted(cues, key=len, reverse=True):
        rx = re.escape(cue) if has_unspaced(cue) else rf"(?<!\w){re.escape(cue)}(?!\w)"
        for m in re.finditer(rx, text[bounds[0] : bounds[1]], re.IGNORECASE):
            start = bounds[0] + m.start()
            if not (quote[0] - 1 <= start < quote[1] + 1):
                return m
    return None


def _speaker(mentions: list[Mention], bounds: tuple[int, int], quote: tuple[int, int]) -> Mention | None:
    inside = [m for m in mentions if bounds[0] <= m.start and m.end <= bounds[1]
              and not (quote[0] - 1 <= m.start < quote[1] + 1)]
    for label in SPEAKER_LABELS:
        found = [m for m in inside if m.label == label]
        if found:
            return min(found, key=lambda m: min(abs(m.start - quote[1]), abs(quote[0] - m.end)))
    return None


def find_quotes(analysis: Analysis) -> list[Quote]:
    doc = analysis.document
    language = doc.language or "und"
    cues = speech_cues(language)
    quotes = []
    names = {(m.start, m.end) for m in analysis.mentions}
    for start, end in find_quote_marks(doc.text, language):
        if (start, end) in names:  # 「アメリゴ・ヴェスプッチ」: a name in brackets, not a quotation
            continue
        quote = Quote(stable_id("quo", doc.id, start), doc.text[start:end], doc.id, start, end, method="unattributed")
        bounds = _sentence_bounds(doc.text, start - 1, end + 1)
        cue = _cue(doc.text, bounds, (start, end), cues)
        speaker = _speaker(analysis.mentions, bounds, (start, end)) if cue else None
        if cue and speaker is not None:
            quote.cue, quote.method = cue.group(0), "same_sentence"
            quote.speaker, quote.speaker_name = speaker.entity, speaker.text
            quote.speaker_span = Span(doc.id, speaker.start, speaker.end, speaker.text)
        quotes.append(quote)
    return quotes


def run(analysis: Analysis, ctx: Context) -> None:
    """The quotes stage for documents that are not in English."""
    analysis.quotes.extend(find_quotes(analysis))
