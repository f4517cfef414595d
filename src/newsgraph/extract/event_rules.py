"""Event lexicon and the spaCy rules that find triggers and their modality.

The vocabulary (types, PLOVER codes, trigger lemmas, modality cues) lives in ``kb/events.yaml``;
this module only turns it into lookups and applies them to a parsed sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.extract.event_place_roles import role_rules
from newsgraph.extract.sequences import indexed, sequences
from newsgraph.settings import KB_DIR

EVENTS_FILE = KB_DIR / "events.yaml"
CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "csubj", "pcomp", "parataxis"}
# Kinds of trigger, strongest first: a combo or phrase beats a bare verb, a verb beats its object noun.
KIND_RANK = {"obligation": -1, "combo": 0, "phrase": 1, "verb": 2, "noun": 3, "light": 4}
CONFLICT_QUADS = {"verbal_conflict", "material_conflict"}


@dataclass(frozen=True)
class EventType:
    name: str
    plover: str
    quad: str
    weight: float
    label: str
    plover_alone: str | None = None
    plover_joint: str | None = None
    plover_signed: str | None = None

    @property
    def conflictual(self) -> bool:
        return self.quad in CONFLICT_QUADS


@dataclass
class Lexicon:
    types: dict[str, EventType]
    verbs: dict[str, str]
    nouns: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    combos: dict[str, dict[str, str]]  # verb lemma -> object lemma -> type
    light_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    intent: dict[str, Any]
    modality: dict[str, frozenset[str]]
    partner_preps: frozenset[str]
    location_preps: frozenset[str]
    joint_modifiers: frozenset[str]
    actor_types: frozenset[str] = frozenset({"PERSON", "ORG", "COUNTRY", "NORP", "VESSEL"})
    instrument_types: frozenset[str] = frozenset({"AIRCRAFT", "WEAPON"})
    object_control: frozenset[str] = frozenset()
    gerund_preps: frozenset[str] = frozenset()
    topic_preps: frozenset[str] = frozenset()
    means_types: frozenset[str] = frozenset()
    noun_observer_verbs: frozenset[str] = frozenset()
    not_triggers: tuple[tuple[str, ...], ...] = ()
    role_rules: dict[str, frozenset[str]] = field(default_factory=dict)
    violence: dict[str, frozenset[str]] = field(default_factory=dict)
    signing_verbs: frozenset[str] = frozenset()


@dataclass
class Trigger:
    """A candidate trigger: the tokens that name the event and the clause that governs it."""

    type: str
    kind: str
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)
    anchor: Any  # spaCy Token: head word of the trigger
    clause: Any  # spaCy Token: the verb heading the trigger's clause (anchor itself for verbs)
    lemma: str
    extra: dict[str, Any] = field(default_factory=dict)


def _words(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or [])


@lru_cache(maxsize=4)
def load_lexicon(path: Path = EVENTS_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    types: dict[str, EventType] = {}
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    combos: dict[str, dict[str, str]] = {}
    for name, spec in data["types"].items():
        types[name] = EventType(
            name=name,
            plover=spec["plover"],
            quad=spec["quad"],
            weight=float(spec.get("weight", 0.0)),
            label=spec.get("label", name.lower().replace("_", " ")),
            plover_alone=spec.get("plover_alone"),
            plover_joint=spec.get("plover_joint"),
            plover_signed=spec.get("plover_signed"),
        )
        for lemma in spec.get("verbs", []):
            verbs.setdefault(str(lemma).lower(), name)
        for lemma in spec.get("nouns", []):
            nouns.setdefault(str(lemma).lower(), name)
        for phrase in spec.get("phrases", []):
            phrases.setdefault(tuple(str(phrase).lower().split()), name)
        for verb, objects in (spec.get("combos") or {}).items():
            for obj in objects:
                combos.setdefault(str(verb).lower(), {}).setdefault(str(obj).lower(), name)
    modality = {key: _words(vals) for key, vals in data["modality"].items()}
    roles = data.get("roles") or {}
    return Lexicon(
        types=types,
        verbs=verbs,
        nouns=nouns,
        phrases=phrases,
        combos=combos,
        light_verbs=_words(data["light_verbs"]),
        reporting_verbs=_words(data["reporting_verbs"]),
        intent=data.get("intent", {}),
        modality=modality,
        partner_preps=_words(data["partner_preps"]),
        location_preps=_words(data["location_preps"]),
        joint_modifiers=_words(data["joint_modifiers"]),
        actor_types=frozenset(roles.get("actor_types", [])),
        instrument_types=frozenset(roles.get("instrument_types", [])),
        object_control=_words(roles.get("object_control")),
        gerund_preps=_words(roles.get("gerund_preps")),
        topic_preps=_words(roles.get("topic_preps")),
        means_types=frozenset(roles.get("means_types", [])),
        noun_observer_verbs=_words(roles.get("noun_observer_verbs")),
        not_triggers=tuple(tuple(str(p).lower().split()) for p in data.get("not_triggers") or []),
        role_rules=role_rules(roles),
        violence={k: _words(v) for k, v in (data.get("violence") or {}).items()},
        signing_verbs=_words(data.get("signing_verbs")),
    )


# ---------------------------------------------------------------- trigger candidates


def lemma(token: Any) -> str:
    lem = token.lemma_.lower()
    return _lemma_fixes().get(lem, lem) if token.lower_ != lem else lem


@lru_cache(maxsize=1)
def _lemma_fixes() -> dict[str, str]:
    """Lemmas the small model gets wrong for inflected forms ("staged" -> "stag"), from ``lemma_fixes``."""
    data = yaml.safe_load(EVENTS_FILE.read_text(encoding="utf-8")) or {}
    return {str(k).lower(): str(v).lower() for k, v in (data.get("lemma_fixes") or {}).items()}


def clause_head(token: Any) -> Any:
    """The verb heading the clause a token belongs to (a verbless fragment heads itself)."""
    cur = token
    while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i:
        cur = cur.head
    return cur if cur.pos_ in ("VERB", "AUX") else token


def _objects(verb: Any) -> list[Any]:
    """Objects, particles and adverbs of a verb, and the objects of its prepositions."""
    out = []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "attr", "prt", "advmod", "nsubjpass", "oprd", "acomp", "npadvmod"):
            out.append(child)
        elif child.dep_ in ("prep", "agent"):
            out.append(child)
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
    return out


def _object_keys(token: Any) -> list[str]:
    """Keys an object is looked up by in a combo table: its lemma and form, with its compounds
    ("peacekeeping force"), its "of" complement ("state of emergency"), then each compound alone
    ("mediation efforts" -> "mediation") and its named-entity class ("@person")."""
    keys = [lemma(token), token.lower_]
    compounds = [c for c in token.children if c.dep_ == "compound"]
    if compounds:
        keys.append(" ".join([*(lemma(c) for c in compounds), lemma(token)]))
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
        keys.extend(f"{lemma(token)} of {lemma(p)}" for p in prep.children if p.dep_ == "pobj")
    keys.extend(lemma(c) for c in compounds)
    if token.ent_type_:
        keys.append(f"@{token.ent_type_.lower()}")
    return keys


@dataclass
class _Words:
    """A sentence's tokens with the lemma, form and part of speech the trigger rules read: each token
    is made and read once for all of them."""

    sent: Any
    toks: list[Any]
    lemmas: list[str]
    lowers: list[str]
    pos: list[str]


def _words_of(sent: Any) -> _Words:
    toks = list(sent)
    lowers = [t.lower_ for t in toks]
    lemmas = [_fixed(t.lemma_.lower(), low) for t, low in zip(toks, lowers, strict=True)]
    return _Words(sent, toks, lemmas, lowers, [t.pos_ for t in toks])


def _fixed(lem: str, lower: str) -> str:
    """``lemma`` from a token's lemma (lower case) and form."""
    return _lemma_fixes().get(lem, lem) if lower != lem else lem


def _combo_triggers(words: _Words, lex: Lexicon) -> list[Trigger]:
    found = []
    for tok, lem, pos in zip(words.toks, words.lemmas, words.pos, strict=True):
        table = lex.combos.get(lem)
        if not table or pos not in ("VERB", "AUX"):
            continue
        for obj in _objects(tok):
            hit = next((table[k] for k in _object_keys(obj) if k in table), None)
            if hit:
                found.append(Trigger(hit, "combo", tok.i, tok.i + 1, tok, tok, f"{lem} {lemma(obj)}"))
                break
    return found


def _phrase_triggers(words: _Words, lex: Lexicon) -> list[Trigger]:
    found = []
    names = list(lex.phrases.items())
    for rank, i in sequences(indexed(lex, "phrases", lex.phrases), words.lemmas, words.lowers):
        phrase, name = names[rank]
        span = words.sent[i : i + len(phrase)]
        root = span.root
        found.append(Trigger(name, "phrase", span.start, span.end, root, clause_head(root), " ".join(phrase)))
    return found


def _word_triggers(words: _Words, lex: Lexicon) -> list[Trigger]:
    found = []
    for tok, lem, low, pos in zip(words.toks, words.lemmas, words.lowers, words.pos, strict=True):
        if pos == "VERB" and lem in lex.verbs and lem not in lex.reporting_verbs:
            kind = "light" if lem in lex.light_verbs else "verb"
            found.append(Trigger(lex.verbs[lem], kind, tok.i, tok.i + 1, tok, tok, lem))
        elif pos in ("NOUN", "PROPN") and (lem in lex.nouns or low in lex.nouns):
            name = lex.nouns.get(lem) or lex.nouns[low]
            found.append(Trigger(name, "noun", tok.i, tok.i + 1, tok, clause_head(tok), lem))
    return found


def _obligation_triggers(words: _Words, lex: Lexicon) -> list[Trigger]:
    """"X said that Y must ..." is a demand by X (CAMEO 10), whatever Y must do."""
    name = lex.intent.get("obligation")
    if not name:
        return []
    modals = _words(lex.intent.get("obligation_modals"))
    frames = _words(lex.intent.get("frames")) | _words(lex.intent.get("obligation_frames")) | lex.reporting_verbs
    found = []
    for tok, lem, pos in zip(words.toks, words.lemmas, words.pos, strict=True):
        if pos not in ("VERB", "AUX") or not (_aux_words(tok) & modals):
            continue
        frame = next((v for v in governing_chain(tok)[1:] if lemma(v) in frames), None)
        if frame is not None:  # the speaker of the frame demands; the one who "must" is addressed
            found.append(Trigger(name, "obligation", tok.i, tok.i + 1, tok, tok, f"must {lem}", {"frame": frame}))
    return found


def _depth(token: Any) -> int:
    # Bounded: a retokenized parse can hold a head cycle, and an unbounded walk never ends.
    depth, limit = 0, len(token.doc)
    while token.head.i != token.i and depth < limit:
        token = token.head
        depth += 1
    return depth


def _best(cands: list[Trigger]) -> Trigger:
    """The trigger that speaks for a clause: strongest kind, then closest to the clause verb."""
    return min(cands, key=lambda t: (KIND_RANK[t.kind], _depth(t.anchor) - _depth(t.clause), t.start))


def find_triggers(sent: Any, lex: Lexicon) -> list[Trigger]:
    """One trigger per clause: combos and phrases first, a typed verb over its object noun,
    and an event noun over a light verb ("held talks" -> MEET on "talks")."""
    words = _words_of(sent)
    cands = _combo_triggers(words, lex) + _phrase_triggers(words, lex) + _word_triggers(words, lex)
    cands += _obligation_triggers(words, lex)
    blocked = _blocked_tokens(words, lex)
    cands = [t for t in cands if not blocked & set(range(t.start, t.end))]
    covered: set[int] = set()
    for t in cands:
        if t.kind in ("combo", "phrase"):
            covered.update(range(t.start, t.end))
    cands = [t for t in cands if t.kind in ("combo", "phrase", "obligation") or t.start not in covered]
    by_clause: dict[int, list[Trigger]] = {}
    for t in cands:
        by_clause.setdefault(t.clause.i, []).append(t)
    chosen = [_best(group) for group in by_clause.values()]
    taken = {t.anchor.i for t in chosen}
    chosen += [_as_nominal(t) for t in cands if t.anchor.i not in taken and _own_event(t, lex, chosen)]
    return sorted(chosen, key=lambda t: t.start)


def _blocked_tokens(words: _Words, lex: Lexicon) -> set[int]:
    """Tokens inside a ``not_triggers`` sequence ("a great deal")."""
    out: set[int] = set()
    start = words.sent.start
    for rank, i in sequences(indexed(lex, "not_triggers", lex.not_triggers), words.lowers):
        out.update(range(start + i, start + i + len(lex.not_triggers[rank])))
    return out


def _own_event(t: Trigger, lex: Lexicon, chosen: list[Trigger]) -> bool:
    """An event noun that names its own actor ("China's attack on ...") inside another trigger's clause
    is an event of its own: "condemned China's attack" is an accusation and an attack."""
    if t.kind != "noun" or t.anchor.dep_ not in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "conj"):
        return False
    if not any(c.clause.i == t.clause.i and c.anchor.i != t.anchor.i and c.kind != "light" for c in chosen):
        return False
    # a named possessor ("China's attack"), not a pronoun that refers back ("held their first meeting")
    return any((c.dep_ == "poss" and c.pos_ != "PRON") or (c.dep_ == "prep" and lemma(c) == "by")
               for c in t.anchor.children)


def _as_nominal(t: Trigger) -> Trigger:
    return Trigger(t.type, t.kind, t.start, t.end, t.anchor, t.anchor, t.lemma, {**t.extra, "nominal": True})


# ---------------------------------------------------------------- modality


def _neg_children(token: Any, lex: Lexicon) -> bool:
    neg = lex.modality["negation"]
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") or (c.dep_ == "neg" and c.lower_ in neg)
               for c in token.children)


def _aux_words(token: Any) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}


def governing_chain(token: Any) -> list[Any]:
    """The trigger's clause verb and the verbs/adjectives above it, nearest first."""
    chain = [token]
    cur = token
    while cur.head.i != cur.i and len(chain) < 6:
        if cur.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "acomp", "advcl", "pcomp", "conj",
                            "compound", "attr", "nsubj", "nsubjpass", "relcl", "acl"):
            break
        cur = cur.head
        chain.append(cur)
    return chain


def _subject_frame(anchor: Any, clause: Any, mod: dict[str, frozenset[str]]) -> str | None:
    """An event noun that is the subject of a planning or expecting verb: "further visits were planned
    for the autumn", "talks are scheduled for next week", "the exercise is expected to begin"."""
    if anchor.i == clause.i or anchor.dep_ not in ("nsubj", "nsubjpass") or anchor.head.i != clause.i:
        return None
    verb = lemma(clause)
    if verb in mod["planned_subject_frames"]:
        return "planned"
    if verb in mod["expected_frames"]:
        return "expected"
    return None


def modality(trigger: Trigger, lex: Lexicon) -> str:
    """happened / planned / announced / expected / negated, from auxiliaries, negation and frames."""
    mod = lex.modality
    anchor, clause = trigger.anchor, trigger.clause
    if _neg_children(anchor, lex) or _neg_children(clause, lex):
        return "negated"
    if any(c.dep_ == "amod" and lemma(c) in mod["planned_modifiers"] for c in anchor.children):
        return "planned"
    subject_frame = _subject_frame(anchor, clause, mod)
    if subject_frame:
        return subject_frame
    chain = governing_chain(clause)
    for i, verb in enumerate(chain):
        auxes = _aux_words(verb)
        lem = lemma(verb)
        if i > 0 and (lem in mod["negating_frames"] or (_neg_children(verb, lex) and lem in mod["planned_frames"])):
            return "negated"
        future = bool(auxes & mod["planned_aux"])
        if future or auxes & mod["expected_aux"]:
            announced = any(lemma(v) in mod["announced_frames"] for v in chain[i + 1 :])
            if announced and future:
                return "announced"
            return "planned" if future else "expected"
        if i > 0 and lem in mod["expected_frames"]:
            return "expected"
        if i > 0 and lem in mod["planned_frames"]:
            return "planned"
        # "acl": the noun a clause completes ("the navy's plan to send its carrier group")
        if verb.dep_ not in ("xcomp", "acomp", "dobj", "pobj", "prep", "pcomp", "compound", "attr", "conj", "acl"):
            break
    return "happened"
