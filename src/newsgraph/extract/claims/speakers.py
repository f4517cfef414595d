"""Who reports a claim: a value stated inside a quote or an attribution is the speaker's as well as
the outlet's.

``reported_speech(analysis)`` is the one reader of both records: the direct ``Quote`` records of the
quotes stage and the ``Attribution`` records (direct, mixed, indirect, according-to, evidence) of the
attribution stage, which runs before claims. An attribution that links a quote replaces it, so no
speech is counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgraph.model import Analysis


@dataclass(frozen=True)
class ReportedSpeech:
    """Content spans said by one source, with the record they come from."""

    spans: tuple[tuple[int, int], ...]
    speaker: str | None  # document-local entity key
    speaker_name: str | None
    record: str  # attribution or quote id


def reported_speech(analysis: Analysis) -> list[ReportedSpeech]:
    """Every stretch of text the document reports someone as saying, from attributions and quotes."""
    out = []
    linked = set()
    for a in analysis.attributions:
        spans = tuple((s.start, s.end) for s in a.content)
        if spans:
            out.append(ReportedSpeech(spans, a.speaker, a.speaker_name, a.id))
            if a.quote:
                linked.add(a.quote)
    for q in analysis.quotes:
        if q.id not in linked:
            out.append(ReportedSpeech(((q.start, q.end),), q.speaker, q.speaker_name, q.id))
    return out


def speech_of(speech: list[ReportedSpeech], span: tuple[int, int]) -> ReportedSpeech | None:
    """The innermost reported speech whose content holds the whole value span, else None."""
    inside = [(hi - lo, r) for r in speech for lo, hi in r.spans if lo <= span[0] and span[1] <= hi]
    return min(inside, key=lambda x: x[0])[1] if inside else None
