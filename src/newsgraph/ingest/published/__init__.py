"""When was an article published, on what evidence, and how far to trust it.

Order of trust (``kb/published.yaml`` gives each its confidence):

1. **metadata**: a structured field (HTML meta tags, a JSON field, a feed entry, the ``--meta`` sidecar);
2. **dateline**: the page's own dateline or byline date (found by the page-dump cleaner, or a date
   standing alone on one of the first lines of the text);
3. **url**: a date in the article's URL (``/2024/06/29/``);
4. **relative**: a full date in a sentence that marks it as recent news ("on Monday, June 10, 2024");
5. **events**: the latest date the text mentions, outside past references and statistics.

A date before ``earliest_year`` (1990) or after the day of ingest is absurd: it is recorded in the
document's warnings and the next kind of evidence is used. ``Document.published_basis`` keeps its
coarse meaning (metadata / text / inferred); ``published_source``, ``published_confidence`` and
``published_evidence`` say exactly where the date came from. Only dates at or above
``Settings.story_date_confidence`` bound a story's time window (``is_confident``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from newsgraph.ingest.published import text as in_text
from newsgraph.ingest.published.lexicon import lexicon
from newsgraph.ingest.published.url import url_date
from newsgraph.model import Document

SOURCES = ("metadata", "dateline", "url", "relative", "events")
BASIS = {"metadata": "metadata", "url": "metadata", "dateline": "text", "relative": "inferred", "events": "inferred"}


@dataclass
class PublicationDate:
    day: date | None
    source: str | None  # one of SOURCES, None when nothing dates the article
    confidence: float | None
    evidence: dict[str, Any] | None = None  # {"text", "start", "end"} (cleaned text) or {"field"|"url", "text"}
    granularity: str | None = None  # day / month
    warnings: list[str] = field(default_factory=list)

    @property
    def basis(self) -> str | None:
        return BASIS.get(self.source or "")


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def absurd(day: date, today: date) -> str | None:
    """Why ``day`` cannot be a news article's publication date, else None."""
    earliest = lexicon().earliest_year
    if day.year < earliest:
        return f"is before {earliest}"
    if day > today + timedelta(days=1):  # a day of slack for time zones
        return f"is after the day of ingest ({today.isoformat()})"
    return None


def _given(doc: Document) -> PublicationDate | None:
    """The date the reader brought: structured metadata, or the dateline the page-dump cleaner read."""
    day = _iso(doc.published)
    if day is None:
        return None
    source = "metadata" if doc.published_basis in (None, "metadata") else "dateline"
    evidence: dict[str, Any] = {"field": "published", "text": doc.published}
    if source == "dateline":
        line = next((r.text for r in doc.removed if r.reason in ("dateline", "byline")), None)
        evidence = {"field": "removed", "text": line or doc.published}
    return PublicationDate(day, source, lexicon().confidence[source], evidence, "day")


def _from_text_and_url(doc: Document) -> list[PublicationDate]:
    """Every other kind of evidence, most trusted first (each one only when it is found)."""
    conf = lexicon().confidence
    text = doc.text or ""
    out = []
    line = in_text.dateline(text)
    if line:
        out.append(PublicationDate(line.day, "dateline", conf["dateline"], _span(line), "day"))
    in_url = url_date(doc.url)
    if in_url:
        day, granularity, matched = in_url
        out.append(PublicationDate(day, "url", conf[f"url_{granularity}"], {"url": doc.url, "text": matched},
                                   granularity))
    dates = in_text.full_dates(text)
    cue = in_text.relative(text, dates)
    if cue:
        out.append(PublicationDate(cue.day, "relative", conf["relative"], _span(cue), "day"))
    last = in_text.latest(text, dates + in_text.month_dates(text, dates))
    if last:
        out.append(PublicationDate(last.day, "events", conf[f"events_{last.granularity}"], _span(last),
                                   last.granularity))
    return out


def _span(found: in_text.Found) -> dict[str, Any]:
    return {"text": found.text, "start": found.start, "end": found.end}


def date_document(doc: Document, today: date | None = None) -> PublicationDate:
    """The best-supported publication date of ``doc``; absurd candidates become warnings."""
    today = today or date.today()
    warnings: list[str] = []
    given = _given(doc)
    candidates = ([given] if given else []) + _from_text_and_url(doc)
    for candidate in candidates:
        problem = absurd(candidate.day, today) if candidate.day else "is missing"
        if problem is None:
            candidate.warnings = warnings
            return candidate
        warnings.append(f"{candidate.source} date {candidate.day} "
                        f"({(candidate.evidence or {}).get('text', '')!s}) {problem}: not used")
    if doc.published and given is None:
        warnings.append(f"published {doc.published!r} is not a date: not used")
    return PublicationDate(None, None, None, None, None, warnings)


def apply(doc: Document, today: date | None = None) -> PublicationDate:
    """Date ``doc`` in place: ``published`` and its basis, source, confidence, evidence and warnings."""
    found = date_document(doc, today)
    doc.published = found.day.isoformat() if found.day else None
    doc.published_basis = found.basis
    doc.published_source = found.source
    doc.published_confidence = found.confidence
    doc.published_evidence = ({**found.evidence, "granularity": found.granularity}
                              if found.evidence else None)
    doc.published_warnings = list(found.warnings)
    return found


def is_confident(confidence: float | None, threshold: float) -> bool:
    return confidence is not None and confidence >= threshold


__all__ = ["SOURCES", "PublicationDate", "absurd", "apply", "date_document", "is_confident"]
