"""Claims: checkable attribute values a document states about an entity.

Each claim is document-local, with one ``ClaimValue``: the surface text, a ``normalized`` dict the
cross-source comparer reads (``normalize``), the span of the value itself and its sentence as
context (``evidence``), the sentence's modality (``modality``), the document's publication date,
whether the text states the value as this attribute or only suggests it (``basis``), and the speaker
when the value is reported speech (``speakers``). Which values count as which attribute, the trigger
words and the syntax lists are data: ``kb/attributes.yaml``, documented in ``docs/claims.md``.

Modules, in the order a value goes through them: ``candidates`` and ``sets`` (values that fit),
``triggers`` and ``syntax`` (is the value stated as the attribute, in the trigger's clause?),
``subjects`` and ``owners`` (whom it is said of), ``modality``, ``evidence``, ``speakers``.
"""

from __future__ import annotations

from typing import Any

from newsgraph.extract.claims.candidates import quantity_candidates, time_candidates
from newsgraph.extract.claims.evidence import context_span, value_span
from newsgraph.extract.claims.modality import modality_of
from newsgraph.extract.claims.normalize import normalize_quantity, normalize_time
from newsgraph.extract.claims.sets import set_candidates
from newsgraph.extract.claims.speakers import ReportedSpeech, reported_speech, speech_of
from newsgraph.extract.claims.spec import Candidate, attribute_specs
from newsgraph.extract.claims.subjects import find_subject
from newsgraph.extract.claims.view import DocView
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Analysis, Claim, ClaimValue, stable_id
from newsgraph.stages import Context, stage

__all__ = ["attribute_specs", "find_claims", "modality_of", "normalize_quantity", "normalize_time",
           "reported_speech", "run"]


def find_claims(analysis: Analysis, kb: Any = None) -> list[Claim]:
    """Claims for one analysed document (needs ``analysis.nlp`` and the earlier stages' records).

    ``kb`` (a KnowledgeBase, optional) maps the place a departure leaves to its country. A failure in
    one sentence is recorded on ``analysis.failures`` and loses only that sentence's claims."""
    if analysis.nlp is None:
        return []
    view = DocView(analysis, kb)
    speech = reported_speech(analysis)
    claims: dict[str, Claim] = {}
    for si, sent in enumerate(view.sents):
        with sentence_guard(analysis, "claims", sent.start_char, sent.end_char):
            for claim in _sentence_claims(view, si, speech):
                claims.setdefault(claim.id, claim)
    return list(claims.values())


def _sentence_claims(view: DocView, si: int, speech: list[ReportedSpeech]) -> list[Claim]:
    specs = attribute_specs()["attributes"]
    sent = view.sents[si]
    cands = quantity_candidates(view, sent, specs) + time_candidates(view, sent, specs)
    cands += set_candidates(view, sent, specs)
    claimed: set[tuple[int, int]] = set()
    out = []
    for cand in cands:  # in attribute priority: a value goes to the first attribute with a subject
        if cand.span in claimed:
            continue
        claim = _to_claim(view, si, cand, speech)
        if claim is not None:
            claimed.add(cand.span)
            out.append(claim)
    return out


def _to_claim(view: DocView, si: int, cand: Candidate, speech: list[ReportedSpeech]) -> Claim | None:
    subject = find_subject(view, si, cand)
    if subject is None:  # a value about nobody cannot be compared across sources
        return None
    doc = view.analysis.document
    entity = view.ents.get(subject.entity) if subject.entity else None
    said = speech_of(speech, cand.span)
    value = ClaimValue(
        value=cand.surface,
        normalized=cand.normalized,
        sources=[value_span(doc.id, view.text, cand.span)],
        modality=modality_of(cand.anchor, bool(cand.spec.get("static"))),
        published=doc.published,
        context=context_span(doc.id, view.text, view.sents[si], cand.span),
        basis=cand.basis,
        speaker=said.speaker if said else None,
        speaker_name=said.speaker_name if said else None,
        attribution=said.record if said else None,
    )
    return Claim(
        id=stable_id("clm", doc.id, cand.attribute, cand.span[0]),
        subject=subject.entity,
        subject_name=entity.name if entity else subject.text,
        attribute=cand.attribute,
        values=[value],
    )


@stage("claims", 60)
def run(analysis: Analysis, ctx: Context) -> None:
    analysis.claims.extend(find_claims(analysis, getattr(ctx, "kb", None)))
