"""Claims: checkable attribute values a document states about an entity.

Each claim is document-local, with one ``ClaimValue``: the surface text, a
``normalized`` dict the cross-source comparer reads, the evidence clause as a
span, the sentence's modality and the document's publication date. Which values
count as which attribute (and the trigger words) is data: ``kb/attributes.yaml``,
documented in ``docs/claims.md``.

Normalized forms:
  numbers   {"kind", "unit", "low", "high", "bound"}; an interval, None = open ("up to 10" -> low None, high 10)
  ordinals  {"kind": "ordinal", "value": 6, "attribute": "generation"}
  dates     {"kind": "date", "start", "end", "granularity", "modifier", "bound"}
  sets      {"kind": "set", "items": [entity ids], "names": [...], "kb_ids": [...]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from newsgraph.extract.quantities import lexicon as unit_lexicon
from newsgraph.model import Analysis, Claim, ClaimValue, Mention, Quantity, Span, TimeValue, stable_id
from newsgraph.settings import KB_DIR
from newsgraph.stages import Context, stage

TRIGGER_WINDOW_TOKENS = 10
_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|&\s+)?|and\s+|&\s+)(?:the\s+)?$", re.IGNORECASE)


@cache
def attribute_specs() -> dict[str, Any]:
    """attributes.yaml as loaded (the attribute list, modality cues, look-back)."""
    return yaml.safe_load((KB_DIR / "attributes.yaml").read_text(encoding="utf-8"))


@dataclass
class Candidate:
    """A value found in a sentence, before it becomes a Claim."""

    attribute: str
    spec: dict[str, Any]
    span: tuple[int, int]
    surface: str
    normalized: dict[str, Any]
    anchor: Any  # spaCy token the modality and clause are read from
    trigger: Any = None  # the trigger token that licensed the value, when one did


# ---------------------------------------------------------------- normalisation


def _num(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


def normalize_quantity(q: Quantity) -> dict[str, Any]:
    """The comparable form of a quantity: an interval [low, high] with its bound."""
    if q.kind == "ordinal":
        return {"kind": "ordinal", "value": _num(q.value), "attribute": q.attribute}
    low, high = q.value, q.high if q.high is not None else q.value
    if q.bound in ("<=", "<"):
        low = None
    elif q.bound in (">=", ">"):
        high = None
    return {"kind": q.kind, "unit": q.unit, "low": _num(low), "high": _num(high), "bound": q.bound}


def normalize_time(t: TimeValue, bound: str = "=") -> dict[str, Any]:
    return {
        "kind": "date",
        "start": t.start,
        "end": t.end,
        "granularity": t.granularity,
        "modifier": t.modifier,
        "bound": bound,
    }


def _year_time(q: Quantity, times: list[TimeValue], text: str) -> dict[str, Any]:
    """A year quantity as a date: the time stage's reading of it when there is one."""
    bound = _year_bound(text[max(0, q.span.start - 40) : q.span.start])
    for t in times:
        if t.span and t.span.start <= q.span.start and q.span.end <= t.span.end and t.start:
            return normalize_time(t, bound)
    y = int(q.value)
    return {"kind": "date", "start": f"{y}-01-01", "end": f"{y}-12-31", "granularity": "year",
            "modifier": None, "bound": bound}


def _year_bound(before: str) -> str:
    """The bound the words right before a year give it: "by 2035" and "a target of 2035" are deadlines."""
    words = re.findall(r"[\w-]+", before.lower())
    for bound, phrases in attribute_specs()["year_bounds"].items():
        if any(words[-len(p.split()) :] == p.split() for p in phrases):
            return bound
    return "="


# ---------------------------------------------------------------- sentence helpers


def _has_trigger(sent: Any, spec: dict[str, Any], near: tuple[int, int], scope: set[int] | None = None) -> Any:
    """The trigger token closest to the value (within the window), or None.

    Hyphens are skipped ("in-service" matches "in service"); a trigger word may name its part of
    speech ("stop/NOUN"); with ``scope``, the trigger must start on one of those token indices.
    """
    toks = [t for t in sent if t.text not in _HYPHENS]
    best = None
    for phrase in spec.get("triggers") or []:
        words = [_trigger_word(w) for w in phrase.lower().split()]
        for i in range(len(toks) - len(words) + 1):
            window = toks[i : i + len(words)]
            if not all(_word_fits(t, w) for t, w in zip(window, words, strict=True)):
                continue
            if scope is not None and window[0].i not in scope:
                continue
            dist = _token_distance(window[0], near)
            if dist <= TRIGGER_WINDOW_TOKENS and (best is None or dist < best[0]):
                best = (dist, window[0])
    return best[1] if best else None


_HYPHENS = {"-", "\u2010", "\u2011"}


def _trigger_word(word: str) -> tuple[str, str | None]:
    text, _, pos = word.partition("/")
    return text, pos.upper() or None


def _word_fits(tok: Any, word: tuple[str, str | None]) -> bool:
    text, pos = word
    return (tok.lemma_.lower() == text or tok.lower_ == text) and (pos is None or tok.pos_ == pos)


def _token_distance(tok: Any, span: tuple[int, int]) -> int:
    doc = tok.doc
    first = doc.char_span(span[0], span[1], alignment_mode="expand")
    if first is None:
        return 10**6
    if tok.i < first.start:
        return first.start - tok.i
    return max(0, tok.i - (first.end - 1))


def _value_prefix(text: str, start: int, spec: dict[str, Any]) -> bool:
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in (spec.get("value_prefix") or [])


def _anchor(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else doc[0]


def _unit_fits(q: Quantity, spec: dict[str, Any]) -> bool:
    units = spec.get("units")
    if not units:
        return True
    if q.unit is None:
        return False
    if "@designation" in units and unit_lexicon().designation.fullmatch(q.unit):
        return True
    parts = q.unit.lower().split(" and ")
    return any(p in units for p in parts)


def _quantity_fits(q: Quantity, spec: dict[str, Any]) -> bool:
    if spec.get("kinds") and q.kind not in spec["kinds"]:
        return False
    if spec.get("quantity_attribute") != q.attribute and (spec.get("quantity_attribute") or q.attribute):
        return False
    return _unit_fits(q, spec)


# ---------------------------------------------------------------- candidates per value type


def _triggered(analysis: Analysis, sent: Any, spec: dict[str, Any], span: tuple[int, int]) -> Any:
    """The token that licenses this value: a trigger, a value prefix, or the value itself."""
    doc = analysis.nlp
    if not spec.get("triggers") and not spec.get("value_prefix"):
        return _anchor(doc, *span)
    if _value_prefix(analysis.document.text, span[0], spec):
        return _anchor(doc, *span)
    return _has_trigger(sent, spec, span)


def _quantity_candidates(analysis: Analysis, sent: Any, specs: dict[str, Any]) -> list[Candidate]:
    out = []
    for q in _in_sentence(analysis.quantities, sent):
        for name, spec in specs.items():
            fits = (spec["value"] == "quantity" and _quantity_fits(q, spec)) or (
                spec["value"] == "year" and q.kind == "year"
            )
            if not fits:
                continue
            span = (q.span.start, q.span.end)
            if _triggered(analysis, sent, spec, span) is None:
                continue
            norm = _year_time(q, analysis.times, analysis.document.text) if spec["value"] == "year" else normalize_quantity(q)
            attr = f"{name}:{q.unit}" if spec.get("unit_in_attribute") and q.unit else name
            out.append(Candidate(attr, spec, span, q.text, norm, _anchor(analysis.nlp, *span)))
    return out


def _time_candidates(analysis: Analysis, sent: Any, specs: dict[str, Any], kb: Any = None) -> list[Candidate]:
    out = []
    for name, spec in specs.items():
        if spec["value"] != "time":
            continue
        times = [t for t in _in_sentence(analysis.times, sent) if t.kind == "DATE" and t.start]
        best = None
        for t in times:
            span = (t.span.start, t.span.end)
            trigger = _has_trigger(sent, spec, span)
            if trigger is not None:
                dist = _token_distance(trigger, span) + (0 if trigger.idx < span[0] else 2)
                if best is None or dist < best[0]:
                    best = (dist, t, span, trigger)
        if not best or _governed_by(analysis.nlp, best[2], spec.get("not_governed_by")):
            continue
        _, t, span, trigger = best
        attr = name
        if spec.get("place_in_attribute"):  # "left Taranto" and "left Japanese waters" are two facts
            place = _place_left(analysis, trigger, kb)
            if place is None:
                continue
            attr = f"{name}:{place}"
        out.append(Candidate(attr, spec, span, t.text, normalize_time(t), _anchor(analysis.nlp, *span), trigger))
    return out


_PLACE_TYPES = ("COUNTRY", "PLACE", "FACILITY")


def _place_left(analysis: Analysis, trigger: Any, kb: Any) -> str | None:
    """The country (ISO3) of the place a departure verb leaves ("left Taranto" -> ITA), else its name."""
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    objects += [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "from"
                for g in c.children if g.dep_ == "pobj"]
    for obj in objects:
        lo, hi = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
        for m in (m for m in analysis.mentions if lo <= m.start and m.end <= hi and m.label in _PLACE_TYPES):
            code = kb.country_code(m.kb_id) if kb is not None else None
            return code or m.kb_id or m.text
    return None


def _governed_by(doc: Any, span: tuple[int, int], lemmas: list[str] | None) -> bool:
    """Is the verb governing the value one of ``lemmas`` ("left ... on Thursday" is no arrival date)?"""
    if not lemmas:
        return False
    verb = next((t for t in _path(_anchor(doc, *span)) if t.pos_ == "VERB"), None)
    return verb is not None and verb.lemma_.lower() in lemmas


def _set_candidates(analysis: Analysis, sent: Any, specs: dict[str, Any], ents: dict) -> list[Candidate]:
    out = []
    for name, spec in specs.items():
        if spec["value"] != "set":
            continue
        chains = _mention_chains(analysis, sent, spec["members"], ents)
        scored = []
        for chain in chains:
            span = (chain[0].start, chain[-1].end)
            scope = _clause_scope(analysis.nlp, span) if spec.get("trigger_scope") == "clause" else None
            trigger = _has_trigger(sent, spec, span, scope)
            if trigger is not None:
                scored.append((_token_distance(trigger, span), chain, span))
        if scored:
            _, chain, span = min(scored, key=lambda s: s[0])
            text = analysis.document.text[span[0] : span[1]]
            out.append(Candidate(name, spec, span, text, _set_value(chain, ents), _anchor(analysis.nlp, *span)))
    return out


def _clause_scope(doc: Any, span: tuple[int, int]) -> set[int]:
    """Tokens that say what a list of entities does together: the word governing the list
    ("X, Y and Z signed", "commits X, Y and Z", "a collaboration between X, Y and Z") with its
    particles, adverbs, objects and complements, never a relative, reported or fronted clause."""
    words = doc.char_span(*span, alignment_mode="expand")
    if words is None:
        return set()
    tok = words.root
    while tok.dep_ in ("conj", "appos", "compound", "flat") and tok.head is not tok:
        tok = tok.head
    gov = tok.head
    if gov.pos_ == "ADP" and gov.head is not gov:  # "between X and Y": the noun before the preposition
        gov = gov.head
    elif gov.pos_ not in ("VERB", "AUX"):  # a list modifying a noun ("X and Y partners") says nothing joint
        return set()
    return {gov.i} | _complements(gov, depth=2)


_SCOPE_DEPS = ("advmod", "prt", "dobj", "attr", "acomp", "npadvmod", "xcomp", "prep", "pobj", "pcomp", "amod")


def _complements(tok: Any, depth: int) -> set[int]:
    found: set[int] = set()
    for child in tok.children:
        # complements follow their word; only adverbs come before it ("will jointly develop")
        if child.dep_ in _SCOPE_DEPS and (child.i > tok.i or child.dep_ in ("advmod", "prt")):
            found.add(child.i)
            if depth > 0:
                found |= _complements(child, depth - 1)
    return found


def _mention_chains(analysis: Analysis, sent: Any, types: list[str], ents: dict) -> list[list[Mention]]:
    """Coordinated lists of mentions of the given types: "Japan, Italy and the U.K."."""
    text = analysis.document.text
    members = [m for m in _in_sentence(analysis.mentions, sent) if _type_of(m, ents) in types]
    chains, current = [], []
    for m in sorted(members, key=lambda m: m.start):
        if current and _LIST_GLUE.match(text[current[-1].end : m.start]):
            current.append(m)
        else:
            current = [m]
            chains.append(current)
    return [c for c in chains if len({_key(m) for m in c}) >= 2]


def _set_value(chain: list[Mention], ents: dict) -> dict[str, Any]:
    keys = sorted({_key(m) for m in chain})
    names = [ents[k].name if k in ents else k for k in keys]
    kb_ids = sorted({m.kb_id for m in chain if m.kb_id})
    return {"kind": "set", "items": keys, "names": names, "kb_ids": kb_ids}


# ---------------------------------------------------------------- subjects


def _key(m: Mention) -> str:
    return m.entity or m.text


def _type_of(m: Mention, ents: dict) -> str:
    e = ents.get(m.entity) if m.entity else None
    return e.type if e is not None else m.label


def _in_sentence(records: list, sent: Any) -> list:
    def span(r: Any) -> tuple[int, int] | None:
        s = getattr(r, "span", None)
        return (s.start, s.end) if s is not None else (r.start, r.end) if hasattr(r, "start") else None

    lo, hi = sent.start_char, sent.end_char
    return [r for r in records if (sp := span(r)) and lo <= sp[0] and sp[1] <= hi]


def _subject(analysis: Analysis, sents: list, si: int, cand: Candidate, ents: dict) -> Mention | None:
    """The nearest mention of a fitting type in the sentence, else the latest in the few sentences before.

    Type order comes first ("the ship's first visit" prefers the ship over a country named later).
    """
    types = cand.spec["subject_types"]
    lo, hi = cand.span

    def fits(m: Mention) -> bool:
        return _type_of(m, ents) in types and (m.end <= lo or m.start >= hi) and not _is_modifier(analysis.nlp, m)

    owner = _owner(cand)
    if owner is not None:  # "the Cavour, with 10 jets aboard", "the Cavour's port call": the owner is named
        named = _covering(analysis, owner, fits)
        if named is not None:
            return named
    described = _definite_description(analysis, cand, fits, owner)
    if described is not None:  # "The 27,100-ton carrier ...": the value describes an earlier-named entity
        found = _antecedent(analysis, described, fits)
        if found is not None:
            return found
    here = [m for m in _in_sentence(analysis.mentions, sents[si]) if fits(m)]
    if here:
        return min(here, key=lambda m: _subject_rank(analysis.nlp, m, types.index(_type_of(m, ents)), lo))
    if cand.spec.get("subject_fallback") == "document":  # "the partners" of the programme the article is about
        found = _most_mentioned(analysis, fits, types, ents)
        if found is not None:
            return found
    back = attribute_specs()["subject_lookback_sentences"]
    before = [m for prev in sents[max(0, si - back) : si] for m in _in_sentence(analysis.mentions, prev)]
    found = [m for m in before if fits(m)]
    if not found:
        return None
    return max(found, key=lambda m: (-types.index(_type_of(m, ents)), m.start))


def _most_mentioned(analysis: Analysis, fits: Any, types: list[str], ents: dict) -> Mention | None:
    """The first mention of the document's most mentioned fitting entity (preferred type first),
    if it is named often enough to be what the article is about; else None."""
    counts: dict[str, list[Mention]] = {}
    for m in analysis.mentions:
        if fits(m):
            counts.setdefault(_key(m), []).append(m)
    least = attribute_specs()["document_subject_min_mentions"]
    counts = {k: ms for k, ms in counts.items() if len(ms) >= least}
    if not counts:
        return None
    best = max(counts.values(), key=lambda ms: (-types.index(_type_of(ms[0], ents)), len(ms), -ms[0].start))
    return best[0]


def _covering(analysis: Analysis, tok: Any, fits: Any) -> Mention | None:
    return next((m for m in analysis.mentions if m.start <= tok.idx < m.end and fits(m)), None)


_WITH = ("with", "without")
_RELATIVE = ("WDT", "WP")
_CLAUSE_BREAKS = ("relcl", "ccomp", "advcl", "acl", "parataxis")


def _owner(cand: Candidate) -> Any:
    """The noun a value is said of by the phrase around it, when that is not the clause subject:
    "The carrier, with 10 F-35B jets aboard, ..." (the noun the with-phrase modifies) and
    "the carrier's port call ..., which began on Aug. 22" (the possessor of the trigger noun)."""
    for tok in _path(cand.anchor)[1:]:
        if tok.lower_ in _WITH and tok.dep_ == "prep":
            head = tok.head
            if head.pos_ in ("VERB", "AUX"):
                subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
                return subj[0] if subj else None
            return head
        if tok.dep_ in _CLAUSE_BREAKS:
            break
    trigger = cand.trigger
    if trigger is None:
        return None
    noun = trigger.head if trigger.dep_ == "compound" else trigger
    return next((c for c in noun.children if c.dep_ == "poss" and c.tag_ not in ("PRP$", "WP$")), None)


def _is_modifier(doc: Any, m: Mention) -> bool:
    """A nationality adjective ("an Italian carrier") qualifies a noun; it is not what the clause is about."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.dep_ == "amod" and span.root.pos_ == "ADJ"


_DEFINITE = ("the", "this", "that")


def _clause_subject(anchor: Any) -> Any:
    """The noun the value pre-modifies ("the 27,100-ton carrier"), else the subject of its clause."""
    tok = anchor
    while tok.dep_ in ("nummod", "compound", "amod", "quantmod") and tok.head is not tok and tok.i < tok.head.i:
        tok = tok.head
    if tok is not anchor and tok.pos_ == "NOUN":
        return tok
    for tok in _path(anchor):
        if tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "ROOT" and tok.pos_ == "NOUN"):  # fragment parse
            return tok
        if tok.pos_ in ("VERB", "AUX"):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                return subj[0]
    return None


def _definite_description(analysis: Analysis, cand: Candidate, fits: Any, owner: Any = None) -> Any:
    """A "the <common noun>" owner or clause subject that names no fitting entity itself, else None."""
    head = owner if owner is not None else _clause_subject(cand.anchor)
    if head is None or head.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children):
        return None
    lo, hi = head.left_edge.idx, head.idx + len(head)
    named = [m for m in analysis.mentions if m.start < hi and m.end > lo and fits(m)]
    return None if named else head


def _antecedent(analysis: Analysis, head: Any, fits: Any) -> Mention | None:
    """The entity a definite description refers back to: the latest earlier fitting mention introduced
    with the same noun ("the aircraft carrier Cavour" for "the carrier"), else the latest in the look-back."""
    before = [m for m in analysis.mentions if m.end <= head.left_edge.idx and fits(m)]
    text, noun = analysis.document.text, head.lemma_.lower()
    named_so = [m for m in before if noun in text[max(0, m.start - 30) : m.start].lower().split()[-3:]]
    if named_so:
        return max(named_so, key=lambda m: m.start)
    sent_start = head.sent.start_char
    back = attribute_specs()["subject_lookback_sentences"]
    sents = list(head.doc.sents)
    first = sents[max(0, [s.start_char for s in sents].index(sent_start) - back)].start_char
    recent = [m for m in before if m.start >= first]
    return max(recent, key=lambda m: m.start) if recent else None


def _subject_rank(doc: Any, m: Mention, type_rank: int, value_start: int) -> tuple[int, int, int]:
    """Preferred type first, then clause subjects (the first-named of coordinated ones), then nearest."""
    if _is_subject(doc, m):
        return (type_rank, 0, m.start)
    return (type_rank, 1, abs(m.start - value_start))


def _is_subject(doc: Any, m: Mention) -> bool:
    """Is the mention a clause subject ("the carrier Cavour and the ship Alpino visited": Cavour)?"""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("appos", "compound", "flat") and tok.head is not tok:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


# ---------------------------------------------------------------- modality and evidence


def _path(anchor: Any) -> list[Any]:
    """The value token and its syntactic ancestors, nearest first."""
    return [anchor, *anchor.ancestors]


def modality_of(anchor: Any, static: bool = False) -> str:
    """happened / planned / expected / announced / negated, read from the value's governing words."""
    cues = attribute_specs()["modality"]
    path = _path(anchor)
    for tok in path:
        if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in cues["negated"]) for c in tok.children):
            return "negated"
    if static:
        return "happened"
    for tok in path:
        lemmas = {tok.lemma_.lower(), *(c.lemma_.lower() for c in tok.children if c.dep_ in ("aux", "auxpass"))}
        for modality in ("planned", "expected", "announced"):
            if _cue(tok, lemmas, cues[modality]):
                return modality
    return "happened"


def _cue(tok: Any, lemmas: set[str], cues: list[str]) -> bool:
    hits = lemmas & set(cues)
    if hits == {"set"}:  # "is set to" plans; "a set of ..." does not
        return any(c.dep_ == "xcomp" for c in tok.children)
    return bool(hits)


def evidence_span(analysis: Analysis, anchor: Any, sent: Any, value: tuple[int, int]) -> Span:
    """The clause holding the value (a verb with its subject), else the sentence."""
    start, end = sent.start_char, sent.end_char
    for tok in _path(anchor):
        if tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
            if lo <= value[0] and value[1] <= hi:
                start, end = lo, hi
            break
    text = analysis.document.text
    # never cross a line break: a caption glued to the next sentence is not evidence
    start = max(start, text.rfind("\n", start, value[0]) + 1)
    nl = text.find("\n", value[1], end)
    end = nl if nl != -1 else end
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(analysis.document.id, start, end, text[start:end])


# ---------------------------------------------------------------- stage


def find_claims(analysis: Analysis, kb: Any = None) -> list[Claim]:
    """Claims for one analysed document (needs ``analysis.nlp`` and the earlier stages' records).

    ``kb`` (a KnowledgeBase, optional) maps the place a departure leaves to its country."""
    if analysis.nlp is None:
        return []
    specs = attribute_specs()["attributes"]
    ents = {e.id: e for e in analysis.entities}
    sents = list(analysis.nlp.sents)
    claims: dict[str, Claim] = {}
    for si, sent in enumerate(sents):
        cands = _quantity_candidates(analysis, sent, specs)
        cands += _time_candidates(analysis, sent, specs, kb) + _set_candidates(analysis, sent, specs, ents)
        claimed: set[tuple[int, int]] = set()
        for cand in cands:  # in attribute priority: a value goes to the first attribute with a subject
            if cand.span in claimed:
                continue
            claim = _to_claim(analysis, sents, si, cand, ents)
            if claim is not None:
                claimed.add(cand.span)
                claims.setdefault(claim.id, claim)
    return list(claims.values())


def _to_claim(analysis: Analysis, sents: list, si: int, cand: Candidate, ents: dict) -> Claim | None:
    subject = _subject(analysis, sents, si, cand, ents)
    if subject is None:  # a value about nobody cannot be compared across sources
        return None
    doc = analysis.document
    entity = ents.get(subject.entity) if subject.entity else None
    value = ClaimValue(
        value=cand.surface,
        normalized=cand.normalized,
        sources=[evidence_span(analysis, cand.anchor, sents[si], cand.span)],
        modality=modality_of(cand.anchor, bool(cand.spec.get("static"))),
        published=doc.published,
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
