"""The attribution lexicon: cue verbs and nouns, evidence sources, pronouns and descriptions (``kb/speech.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from newsgraph.settings import KB_DIR

SPEECH_FILE = KB_DIR / "speech.yaml"
STATEMENT, BELIEF, INTENTION = "statement", "belief", "intention"


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: frozenset[str]
    cue_types: dict[str, frozenset[str]]  # lemma -> the statement types it can give
    object_cues: dict[str, frozenset[str]]  # lemma -> prepositions carrying the content (the object too)
    object_preps: frozenset[str]  # prepositions whose object a cue verb reports ("spoke about X")
    generic_objects: bool  # whether any cue verb's direct object is content, not only object_cues'
    perception_verbs: frozenset[str]  # cues only with an explicit "that" / wh- clause
    raising_verbs: frozenset[str]
    attitude_adjectives: frozenset[str]  # "confident that ...", "critical of ..."
    settings: frozenset[str]  # where or how something was said ("in an email", "on Twitter")  # "X seems Y": an appearance, reported with no source
    addressee_verbs: frozenset[str]  # verbs whose object is the one spoken to ("told reporters")
    evidence_verbs: frozenset[str]
    evidence_nouns: frozenset[str]
    reporting_nouns: dict[str, str]  # noun -> statement type
    phrasal: dict[str, str]
    channel: frozenset[str]
    according: frozenset[str]
    pronouns: dict[str, str | None]
    role_nouns: frozenset[str]
    org_nouns: dict[str, str]  # noun -> ORG / COUNTRY
    not_speakers: frozenset[str]
    names: dict[str, str]  # lower-case first name -> male / female
    honorifics: dict[str, str]  # lower-case title -> male / female
    max_scare_words: int
    minor_words: frozenset[str]
    message_nouns: frozenset[str] = frozenset()  # "issued a statement": the object is a message
    quantity_nouns: frozenset[str] = frozenset()  # "a flurry of tweets"
    reception_verbs: frozenset[str] = frozenset()  # "received a letter": the subject is no author
    stance_nouns: frozenset[str] = frozenset()  # "a staunch opponent of": one who takes a side
    predicate_cues: frozenset[str] = frozenset()  # object content only before a predicate ("judged X a Y")
    evidence_objects: frozenset[str] = frozenset()  # verbs whose object is content only after an evidence subject

    def is_cue_verb(self, lemma: str) -> bool:
        return lemma in self.cue_types or lemma in self.speech_verbs

    def speech_type(self, lemma: str) -> bool:
        """Whether the verb is a statement cue (not only a belief or an intention)."""
        return STATEMENT in self.cue_types.get(lemma, frozenset())

    def statement_type(self, lemma: str, infinitive: bool = False) -> str:
        """The type a cue gives its content: an infinitive complement of an intention verb is an
        intention ("plans to"), a verb listed only as belief gives a belief, anything else a statement."""
        types = self.cue_types.get(lemma, frozenset({STATEMENT}))
        if infinitive and INTENTION in types:
            return INTENTION
        if STATEMENT in types:
            return STATEMENT
        if BELIEF in types:
            return BELIEF
        return INTENTION if INTENTION in types else STATEMENT


def _types(groups: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for kind, words in (groups or {}).items():
        for w in words:
            out.setdefault(str(w).lower(), set()).add(kind)
    return {w: frozenset(kinds) for w, kinds in out.items()}


def _invert(groups: dict[str, list[str]] | None) -> dict[str, str]:
    return {str(w).lower(): kind for kind, words in (groups or {}).items() for w in words}


def _object_cues(data: dict) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for verb, prep in (data.get("object_cues") or {}).items():
        out.setdefault(str(verb), set()).update([prep] if prep else [])
    return out


_SWITCHES = frozenset({"use", "generic_objects"})


def _check_words(node: object, path: Path, field: str = "") -> None:
    """A word YAML read as true / false (a bare on, yes, no, off) is an error, not a silent ``True``:
    "object_prepositions: [on]" would otherwise never match the preposition "on"."""
    if isinstance(node, bool) and field.rsplit(".", 1)[-1] not in _SWITCHES:
        raise ValueError(f"{path}: {field}: the word {str(node).lower()!r} was read as a boolean; quote it ('on', 'yes')")
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, bool):
                raise ValueError(f"{path}: {field}: a key was read as a boolean; quote it ('on', 'yes')")
            _check_words(value, path, f"{field}.{key}" if field else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_words(value, path, f"{field}[{i}]")


def _add_classes(data: dict, cue_types: dict[str, frozenset[str]], objects: dict[str, set[str]],
                 evidence: set[str], predicates: set[str], path: Path = SPEECH_FILE) -> None:
    """Merge the switched-on ``verb_classes`` into the cue types and the object cues."""
    for name, cls in (data.get("verb_classes") or {}).items():
        if not cls.get("use", True):
            continue
        kind, frames = cls.get("type", STATEMENT), set(cls.get("frames") or [])
        if kind not in (STATEMENT, BELIEF, INTENTION):
            raise ValueError(f"{path}: verb class {name}: unknown type {kind!r}")
        preps = frames - {"clause", "object", "predicate"}
        for verb in (str(v) for v in cls.get("verbs") or []):
            if cls.get("subject") == "evidence":
                evidence.add(verb)
                continue
            cue_types[verb] = cue_types.get(verb, frozenset()) | {kind}
            if "predicate" in frames:
                predicates.add(verb)
            if "object" in frames or preps:
                objects.setdefault(verb, set()).update(preps)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = SPEECH_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check_words(data, path)
    speech = frozenset(data["speech_verbs"])
    cue_types = _types(data.get("cue_verbs") or {})
    for verb in speech:
        cue_types.setdefault(verb, frozenset({STATEMENT}))
    objects, evidence, predicates = _object_cues(data), set(data.get("evidence_verbs") or []), set()
    _add_classes(data, cue_types, objects, evidence, predicates, path)
    return Lexicon(
        speech_verbs=speech,
        cue_types=cue_types,
        object_cues={k: frozenset(v) for k, v in objects.items()},
        object_preps=frozenset(data.get("object_prepositions") or []),
        generic_objects=bool(data.get("generic_objects", False)),
        perception_verbs=frozenset(data.get("perception_verbs") or []),
        raising_verbs=frozenset(data.get("raising_verbs") or []),
        attitude_adjectives=frozenset(data.get("attitude_adjectives") or []),
        settings=frozenset(str(w).lower() for w in data.get("settings") or []),
        addressee_verbs=frozenset(data.get("addressee_verbs") or []),
        evidence_verbs=frozenset(evidence),
        evidence_objects=frozenset(evidence),
        predicate_cues=frozenset(predicates),
        stance_nouns=frozenset(str(w).lower() for w in data.get("stance_nouns") or []),
        message_nouns=frozenset(str(w).lower() for w in data.get("message_nouns") or []),
        quantity_nouns=frozenset(str(w).lower() for w in data.get("quantity_nouns") or []),
        reception_verbs=frozenset(str(w).lower() for w in data.get("reception_verbs") or []),
        evidence_nouns=frozenset(str(w).lower() for w in data.get("evidence_nouns") or []),
        reporting_nouns=_invert(data.get("reporting_nouns")),
        phrasal=dict(data.get("phrasal_verbs") or {}),
        channel=frozenset(data.get("channel_verbs") or []),
        according=frozenset(data.get("according_to") or []),
        pronouns=dict(data["pronouns"]),
        role_nouns=frozenset(data.get("role_nouns") or []),
        org_nouns=_invert(data.get("org_nouns")),
        not_speakers=frozenset(str(w).lower() for w in data.get("not_speakers") or []),
        names=_invert(data.get("first_names")),
        honorifics=_invert(data.get("honorifics")),
        max_scare_words=int(data.get("scare_quote_max_words", 3)),
        minor_words=frozenset(data.get("title_case_minor_words") or []),
    )
