"""Entities stage: typed mentions (model + KB ruler + rules) and document-local entities.

Three views of the names in a document are merged: the statistical NER (``doc.ents``), the KB
span ruler (``doc.spans["kb"]``) and the rules below (ship prefixes and class words, military
designations, acronyms defined in the text). KB and rule spans win where they agree with or
contain the model's span; the model wins where its name is longer and carries more capitalised
words ("Washington Post" over the KB's "Washington"). Mentions are then clustered within the
document: KB id, person names (surname, family-name-first order), acronyms and bare ship names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph.extract import names
from newsgraph.model import Analysis, Entity, Mention, stable_id
from newsgraph.model import Span as TextSpan
from newsgraph.nlp.kb import KBEntry, KnowledgeBase, normalise, place_coordinates
from newsgraph.nlp.pipeline import KB_SPANS
from newsgraph.stages import Context, stage

MODEL_LABELS = {
    "PERSON": "PERSON",
    "NORP": "NORP",
    "GPE": "GPE",
    "LOC": "PLACE",
    "ORG": "ORG",
    "FAC": "FACILITY",
    "PRODUCT": "PRODUCT",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}  # DATE/TIME/CARDINAL/ORDINAL/QUANTITY/MONEY/PERCENT belong to other stages
PRIORITY = {"kb": 2, "rule": 2, "model": 1}
KEEP_ATTRS = (
    "iso2",
    "iso3",
    "capital",
    "country",
    "countries",
    "acronym",
    "class",
    "operator",
    "lat",
    "lon",
    "seat",
)


@dataclass
class Cand:
    start: int
    end: int
    label: str
    kb_id: str | None = None
    source: str = "model"
    extra: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: Cand) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Cand) -> bool:
        return self.start <= other.start and other.end <= self.end


@stage("entities", 10)
def run(analysis: Analysis, ctx: Context) -> None:
    doc = analysis.nlp if analysis.nlp is not None else ctx.nlp(analysis.document.text)
    analysis.nlp = doc
    kb: KnowledgeBase = ctx.kb
    text = analysis.document.text
    strong = _longest([*_kb_cands(doc), *vessel_cands(doc, kb), *designation_cands(doc, kb)])
    cands = _merge(_model_cands(doc, text), strong, text)
    cands = _type_model_cands(cands, kb, text)
    cands = _apply_metonymy(cands, doc, kb)
    cands = _drop_non_names(cands, kb, text)
    cands = _fix_persons(cands, text, kb)
    cands = _add_acronyms(cands, text, kb)
    cands = _propagate_names(cands, text)
    analysis.mentions, analysis.entities = _cluster(cands, analysis.document.id, text, kb)


# -- candidates ---------------------------------------------------------------------
def _model_cands(doc: Doc, text: str) -> list[Cand]:
    out = []
    for ent in doc.ents:
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = names.repair_span(text, ent.start_char, ent.end_char)  # doc.text is O(n): pass it
        if end > start:
            out.append(Cand(start, end, label))
    return out


def _kb_cands(doc: Doc) -> list[Cand]:
    spans = doc.spans.get(KB_SPANS, [])
    return [Cand(s.start_char, s.end_char, s.label_, s.id_ or None, "kb") for s in spans]


def _longest(cands: list[Cand]) -> list[Cand]:
    """Non-overlapping, longest first (ties: the earlier one)."""
    chosen: list[Cand] = []
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(cand.overlaps(c) for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def _title_tokens(doc: Doc, i: int, lex: dict) -> int:
    """Index after a ship name starting at token ``i`` (capitalised words and joiners), max 5 words."""
    joiners = set(lex.get("vessel_name_joiners", []))
    j = i
    while j < len(doc) and j - i < 5:
        tok = doc[j]
        joined = tok.lower_ in joiners and j > i and j + 1 < len(doc) and _is_name_word(doc[j + 1])
        if not (_is_name_word(tok) or joined):
            break
        j += 1
    return j


def _is_name_word(tok: Token) -> bool:
    text = tok.text
    return text[:1].isupper() and (text[1:].islower() or len(text) <= 4 or "-" in text or "." in text)


def vessel_cands(doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    """Ships named after a prefix ("HMAS Sydney") or after a class word ("escort ship Alpino")."""
    lex = kb.lexicon
    prefixes = lex.get("vessel_prefixes", {})
    class_words = set(lex.get("vessel_class_words", []))
    stop = set(lex.get("vessel_name_stopwords", []))
    out = []
    for tok in doc:
        if tok.text in prefixes and tok.i + 1 < len(doc) and _is_name_word(doc[tok.i + 1]):
            start = tok.i
        elif tok.lower_ in class_words and tok.pos_ != "VERB" and tok.i + 1 < len(doc):
            nxt = doc[tok.i + 1]
            if (
                nxt.text in prefixes
                or nxt.text in stop
                or not _is_name_word(nxt)
                or nxt.ent_type_
                in (
                    "DATE",
                    "TIME",
                    "GPE",
                    "NORP",
                    "CARDINAL",
                )
            ):
                continue
            start = tok.i + 1
        else:
            continue
        end = _title_tokens(doc, start + (1 if doc[start].text in prefixes else 0), lex)
        span = doc[start:end]
        if len(span) and span[-1].text not in prefixes:
            entry = kb.lookup(span.text, "VESSEL")
            country = prefixes.get(doc[start].text)
            extra = {"country": country} if country else {}
            out.append(
                Cand(span.start_char, span.end_char, "VESSEL", entry.id if entry else None, "rule", extra)
            )
    return out


def designation_cands(doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    """Military designations ("F-35B", "Su-57", "SM-6") typed by prefix, else by a nearby context word."""
    lex = kb.lexicon
    regex = _designation_regex(
        lex.get("designation_regex", r"^(?P<prefix>[A-Z][A-Za-z]{0,3})-\d{1,3}[A-Z]{0,2}$")
    )
    aircraft, weapons = set(lex.get("aircraft_prefixes", [])), set(lex.get("weapon_prefixes", []))
    out = []
    for tok in doc:
        match = regex.match(tok.text)
        if not match:
            continue
        label = _designation_type(doc, tok, match.group("prefix"), aircraft, weapons, lex)
        if label:
            entry = kb.lookup(tok.text.rstrip("s"), label)
            out.append(Cand(tok.idx, tok.idx + len(tok.text), label, entry.id if entry else None, "rule"))
    return out


_REGEX_CACHE: dict[str, re.Pattern] = {}


def _designation_regex(pattern: str) -> re.Pattern:
    if pattern not in _REGEX_CACHE:
        _REGEX_CACHE[pattern] = re.compile(pattern.rstrip("$") + "s?$")
    return _REGEX_CACHE[pattern]


def _designation_type(
    doc: Doc, tok: Token, prefix: str, aircraft: set, weapons: set, lex: dict
) -> str | None:
    if prefix in aircraft:
        return "AIRCRAFT"
    if prefix in weapons:
        return "WEAPON"
    window = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i + 5]}
    if window & set(lex.get("aircraft_context", [])):
        return "AIRCRAFT"
    if window & set(lex.get("weapon_context", [])):
        return "WEAPON"
    return None


# -- merging ------------------------------------------------------------------------
def _merge(model: list[Cand], strong: list[Cand], text: str) -> list[Cand]:
    """Model spans against KB/rule spans: the more specific view wins, never both."""
    chosen: list[Cand] = []
    for cand in model:
        inner = [s for s in strong if cand.overlaps(s)]
        if not inner or (all(cand.contains(s) for s in inner) and _has_more_names(cand, inner, text)):
            chosen.append(cand)
    for cand in strong:
        if not any(cand.overlaps(c) for c in chosen):
            chosen.append(cand)
    return sorted(_longest(chosen), key=lambda c: c.start)


def _has_more_names(outer: Cand, inner: list[Cand], text: str) -> bool:
    """True when the model's longer span has capitalised words beyond the KB/rule spans inside it."""
    chars = list(text[outer.start : outer.end])
    for s in inner:
        chars[s.start - outer.start : s.end - outer.start] = " " * (s.end - s.start)
    rest = re.findall(r"[A-Za-z][\w'’\-]*", "".join(chars))
    return any(w[0].isupper() and w.lower() != "the" for w in rest)


def _type_model_cands(cands: list[Cand], kb: KnowledgeBase, text: str) -> list[Cand]:
    """Map the model's labels into the vocabulary, linking to the KB where a name is known."""
    for cand in cands:
        if cand.source != "model":
            continue
        name = names.clean_name(text[cand.start : cand.end])
        entry = _kb_for_model(kb, name, cand.label)
        if entry is not None:
            cand.label, cand.kb_id, cand.source = entry.type, entry.id, "kb"
        elif cand.label == "GPE" or cand.label == "NORP":
            cand.label = "PLACE" if cand.label == "GPE" else "OTHER"
        elif cand.label == "PRODUCT":
            cand.label = "OTHER"
    return cands


def _kb_for_model(kb: KnowledgeBase, name: str, label: str) -> KBEntry | None:
    found = kb.candidates(name)
    if label == "PERSON":  # only a KB name that is never a person (ships, kit) overrides a PERSON
        found = [e for e in found if e.type in ("VESSEL", "AIRCRAFT", "WEAPON", "PROGRAM")]
    return found[0] if found else None


def _drop_non_names(cands: list[Cand], kb: KnowledgeBase, text: str) -> list[Cand]:
    """Drop model mentions that are bare title words ("Defense", "Navy") or have no letters."""
    titles = {t.lower() for t in kb.lexicon.get("titles", [])}
    generic = {t.lower() for t in kb.lexicon.get("not_names", [])} | titles
    out = []
    for cand in cands:
        name = names.clean_name(text[cand.start : cand.end])
        if cand.source == "model" and (name.lower() in generic or not re.search(r"[A-Za-z]{2}", name)):
            continue
        out.append(cand)
    return out


def _fix_persons(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """Model ORG/OTHER spans that are people: a person's role follows them, or they repeat a person's name."""
    for cand in cands:
        name = names.clean_name(text[cand.start : cand.end])
        words = name.split()
        if (
            cand.source == "model"
            and cand.label in ("ORG", "OTHER")
            and 1 < len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and names.apposition(text, cand.end, kb.lexicon)
        ):
            cand.label = "PERSON"
    people = [names.clean_name(text[c.start : c.end]) for c in cands if c.label == "PERSON"]
    full = {normalise(p) for p in people if len(p.split()) > 1}
    surnames = {normalise(p.split()[-1]) for p in people if len(p.split()) > 1}
    for cand in cands:
        key = normalise(names.clean_name(text[cand.start : cand.end]))
        if cand.source == "model" and cand.label in ("ORG", "OTHER") and (key in full or key in surnames):
            cand.label = "PERSON"
    return _drop_titles(cands, text, kb)


def _drop_titles(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """A model ORG inside a person's role title ("the Sea Power Research Fellow at ...") is no name."""
    titles: list[tuple[int, int]] = []
    for cand in cands:
        role = names.apposition(text, cand.end, kb.lexicon) if cand.label == "PERSON" else None
        if role is not None:
            titles.append((cand.end, role.aff_start if role.aff_text else role.aff_start + 200))
    return [
        c
        for c in cands
        if not (
            c.source == "model" and c.label == "ORG" and any(a <= c.start and c.end <= b for a, b in titles)
        )
    ]


def _person_roles(group: list[Cand], cands: list[Cand], text: str, kb: KnowledgeBase) -> dict[str, Any]:
    """Titles, affiliations and nationality from the words around each mention of a person."""
    lex = kb.lexicon
    titles: list[str] = []
    affiliations: list[str] = []
    nationality: KBEntry | None = None
    for cand in group:
        before = names.title_before(text, cand.start, lex.get("titles", []))
        if before:
            _append(titles, before[0])
            nationality = nationality or _nationality(kb, text, before[1])
        role = names.apposition(text, cand.end, lex)
        if role:
            for title in role.titles:
                _append(titles, title)
            for org in _affiliations(role, cands, text, kb):
                _append(affiliations, org)
    attrs: dict[str, Any] = {"titles": titles, "affiliations": affiliations}
    if nationality is not None:
        attrs["nationality"] = nationality.name
        attrs["country"] = nationality.attributes.get("iso3")
    return attrs


def _append(items: list[str], item: str) -> None:
    if item and item.lower() not in (i.lower() for i in items):
        items.append(item)


def _nationality(kb: KnowledgeBase, text: str, pos: int) -> KBEntry | None:
    for words in names.words_before(text, pos):
        entry = kb.lookup(words, "COUNTRY")
        if entry is not None:
            return entry
    return None


def _affiliations(role: names.Role, cands: list[Cand], text: str, kb: KnowledgeBase) -> list[str]:
    """ORG mentions inside the affiliation part; else its leading capitalised phrase."""
    orgs = [c for c in cands if c.label == "ORG" and role.aff_start <= c.start and c.end <= role.aff_end]
    if orgs:
        return [_display_name(c, text, kb) for c in orgs]
    phrase = re.split(r",|\s+in\s+|\s+and\s+", role.aff_text)[0].strip()
    phrase = names.clean_name(phrase)
    return [phrase] if phrase[:1].isupper() else []


def _display_name(cand: Cand, text: str, kb: KnowledgeBase) -> str:
    entry = kb.get(cand.kb_id) if cand.kb_id else None
    return entry.name if entry else names.clean_name(text[cand.start : cand.end])


# -- metonymy: a capital or seat of government standing for its state ----------------------
def _apply_metonymy(cands: list[Cand], doc: Doc, kb: KnowledgeBase) -> list[Cand]:
    lex = kb.lexicon
    for cand in cands:
        entry = kb.get(cand.kb_id) if cand.kb_id else None
        if entry is None or not (entry.attributes.get("capital") or entry.attributes.get("seat")):
            continue
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is not None and _names_state(span, lex):
            state = kb.country(entry.attributes.get("country"))
            if state is not None:
                cand.label, cand.kb_id, cand.extra["via"] = "COUNTRY", state.id, entry.id
    return cands


def _names_state(span: Span, lex: dict) -> bool:
    """Subject/object, possessor of a non-place noun, or object of a relational preposition."""
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    head = root.head
    if root.dep_ in lex.get("state_dependencies", []):
        return head.lemma_ not in lex.get("place_verbs", [])
    if root.dep_ == "poss":
        return head.lemma_.lower() not in lex.get("place_nouns", [])
    if root.dep_ == "pobj":
        if head.lower_ in lex.get("state_prepositions", []):
            return True
        return head.lower_ in ("to", "of", "with", "from") and head.head.lemma_.lower() in lex.get(
            "relational_nouns", []
        )
    return False


# -- acronyms and name propagation ---------------------------------------------------------
_PAREN_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*)\)")
_OR_ACRONYM = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*),?\s+or\s+(?:the\s+)?$")


def _add_acronyms(cands: list[Cand], text: str, kb: KnowledgeBase) -> list[Cand]:
    """ "Long Name (ACR)" and "ACR, or Long Name": the acronym becomes a mention of the long name's entity."""
    out = list(cands)
    for cand in cands:
        long_name = names.clean_name(text[cand.start : cand.end])
        after = _PAREN_ACRONYM.match(text, cand.end)
        before = _OR_ACRONYM.search(text, max(0, cand.start - 20), cand.start)
        for match in (after, before):
            if match and names.is_acronym_of(match.group(1), long_name):
                cand.extra["acronym"] = match.group(1)
                if cand.source == "model" and long_name.split()[-1].lower() in kb.lexicon.get(
                    "program_words", []
                ):
                    cand.label = "PROGRAM"
                out.append(
                    Cand(
                        match.start(1), match.end(1), cand.label, cand.kb_id, "rule", {"alias_of": long_name}
                    )
                )
    return _longest_keep_rules(out)


def _longest_keep_rules(cands: list[Cand]) -> list[Cand]:
    """Drop earlier mentions that an acronym rule span overlaps, then de-duplicate."""
    rules = [c for c in cands if "alias_of" in c.extra]
    rest = [c for c in cands if "alias_of" not in c.extra and not any(c.overlaps(r) for r in rules)]
    return sorted(_longest(rules) + rest, key=lambda c: c.start)


PROPAGATED = ("VESSEL", "AIRCRAFT", "WEAPON", "PROGRAM", "ORG")


def _propagate_names(cands: list[Cand], text: str) -> list[Cand]:
    """A name typed by KB/rule (ship, kit, acronym) types its other occurrences in the document too."""
    known: dict[str, Cand] = {}
    for cand in cands:
        if (cand.source != "model" and cand.label in PROPAGATED) or "alias_of" in cand.extra:
            for form in _short_forms(text[cand.start : cand.end], cand):
                known.setdefault(form, cand)
    if not known:
        return _propagate_surnames(cands, text)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, sorted(known, key=len, reverse=True))) + r")(?![\w-])"
    )
    out = list(cands)
    for match in pattern.finditer(text):
        model = Cand(match.start(), match.end(), "", None)
        clash = [c for c in out if c.overlaps(model)]
        if all(c.source == "model" and model.contains(c) for c in clash):
            src = known[match.group(1)]
            out = [c for c in out if c not in clash]
            out.append(
                Cand(
                    match.start(),
                    match.end(),
                    src.label,
                    src.kb_id,
                    "rule",
                    {"alias_of": src.extra.get("alias_of") or names.clean_name(text[src.start : src.end])},
                )
            )
    return _propagate_surnames(sorted(out, key=lambda c: c.start), text)


def _propagate_surnames(cands: list[Cand], text: str) -> list[Cand]:
    """A person's surname alone, where the model saw no name, is a mention of that person."""
    surnames = set()
    for cand in cands:
        words = names.clean_name(text[cand.start : cand.end]).split()
        if cand.label == "PERSON" and len(words) > 1 and len(words[-1]) > 2 and words[-1][0].isupper():
            surnames.add(words[-1])
    if not surnames:
        return cands
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(surnames))) + r")(?![\w-])")
    out = list(cands)
    for match in pattern.finditer(text):
        new = Cand(match.start(), match.end(), "PERSON", None, "rule")
        if not any(new.overlaps(c) for c in cands):
            out.append(new)
    return sorted(out, key=lambda c: c.start)


def _short_forms(name: str, cand: Cand) -> list[str]:
    forms = [names.clean_name(name)]
    if cand.label == "VESSEL" and cand.extra.get("country") and " " in forms[0]:
        forms.append(forms[0].split(" ", 1)[1])  # "HMAS Sydney" → "Sydney" only as a typed mention
    return [f for f in forms if len(f) > 2]


# -- clustering into document-local entities -----------------------------------------------
def _cluster(cands: list[Cand], doc_id: str, text: str, kb: KnowledgeBase) -> tuple[list, list]:
    keys = _cluster_keys(cands, text)
    groups: dict[str, list[Cand]] = {}
    for cand, key in zip(cands, keys, strict=True):
        groups.setdefault(key, []).append(cand)
    mentions, entities = [], []
    for group in groups.values():
        entity = _entity(group, cands, doc_id, text, kb)
        entities.append(entity)
        for cand in group:
            mentions.append(
                Mention(
                    doc_id,
                    cand.start,
                    cand.end,
                    text[cand.start : cand.end],
                    cand.label,
                    entity.id,
                    cand.kb_id,
                    cand.source,
                )
            )
    mentions.sort(key=lambda m: m.start)
    return mentions, entities


def _cluster_keys(cands: list[Cand], text: str) -> list[str]:
    persons = [
        (i, names.clean_name(text[c.start : c.end])) for i, c in enumerate(cands) if c.label == "PERSON"
    ]
    full = [(i, n) for i, n in persons if len(n.split()) > 1]
    keys = []
    for i, cand in enumerate(cands):
        name = names.clean_name(text[cand.start : cand.end])
        if cand.kb_id:
            keys.append(f"kb:{cand.kb_id}")
        elif cand.label == "PERSON":
            keys.append("person:" + " ".join(sorted(names.name_tokens(_person_anchor(i, name, full)))))
        else:
            keys.append(f"{cand.label}:{normalise(cand.extra.get('alias_of') or name)}")
    return keys


def _person_anchor(i: int, name: str, full: list[tuple[int, str]]) -> str:
    """The full name a surname-only mention stands for: the nearest earlier one, else the nearest later."""
    if len(name.split()) > 1:
        return name
    matches = [(j, n) for j, n in full if names.is_part_name(name, n)]
    surname = [(j, n) for j, n in matches if names.name_tokens(n)[-1] == name.lower()]
    matches = surname or matches
    if not matches:
        return name
    earlier = [m for m in matches if m[0] < i]
    return (earlier[-1] if earlier else matches[0])[1]


def _entity(group: list[Cand], cands: list[Cand], doc_id: str, text: str, kb: KnowledgeBase) -> Entity:
    entry = kb.get(group[0].kb_id) if group[0].kb_id else None
    label = _group_label(group)
    forms = [names.clean_name(text[c.start : c.end]) for c in group]
    canonical = entry.name if entry else _canonical(forms, label)
    aliases = sorted(
        {f for f in forms if f != canonical} | {c.extra["acronym"] for c in group if "acronym" in c.extra}
    )
    entity = Entity(
        id=stable_id("ent", doc_id, label, canonical),
        name=canonical,
        type=label,
        aliases=aliases,
        mentions=[TextSpan(doc_id, c.start, c.end, text[c.start : c.end]) for c in group],
    )
    country = next((c.extra["country"] for c in group if c.extra.get("country")), None)
    if country:
        entity.attributes["country"] = country  # e.g. the state of a ship prefix ("HMS" → GBR)
    if entry is not None:
        _kb_attributes(entity, entry)
    elif label in ("PLACE", "FACILITY"):
        entity.attributes.update(_geo(canonical))
    if label == "PERSON":
        entity.attributes.update(_person_roles(group, cands, text, kb))
    return entity


def _group_label(group: list[Cand]) -> str:
    best = max(PRIORITY.get(c.source, 0) for c in group)
    return Counter(c.label for c in group if PRIORITY.get(c.source, 0) == best).most_common(1)[0][0]


def _canonical(forms: list[str], label: str) -> str:
    if label == "PERSON":
        longest = max(forms, key=lambda f: len(f.split()))
        return longest
    counts = Counter(forms)
    return max(forms, key=lambda f: (len(f.split()) > 1, counts[f], len(f)))


def _kb_attributes(entity: Entity, entry: KBEntry) -> None:
    entity.kb_ids["kb"] = entry.id
    if entry.wikidata:
        entity.kb_ids["wikidata"] = entry.wikidata
    entity.attributes.update({k: v for k, v in entry.attributes.items() if k in KEEP_ATTRS})
    if (
        "lat" not in entity.attributes
        and entry.type in ("PLACE", "FACILITY")
        and entry.attributes.get("country")
    ):
        entity.attributes.update(_geo(entry.name, entry.attributes.get("country")))


def _geo(name: str, iso3: str | None = None) -> dict[str, Any]:
    found = place_coordinates(name, iso3)
    if not found:
        return {}
    return {
        "lat": found["lat"],
        "lon": found["lon"],
        "country": found["country"],
        "geonames": str(found["geonameid"]),
    }
