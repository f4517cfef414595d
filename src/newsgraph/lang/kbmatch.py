"""Knowledge-base names in documents of any language, without a statistical model.

A document in language L is matched against the KB's English names and demonyms plus its L names
(kb/i18n/L.yaml). Names match case-sensitively as written in the KB (a name written in lower case,
such as an Italian demonym, also matches with a capital first letter), on word boundaries in
spaced scripts and as substrings in scripts without spaces. The noise rules:

* a guarded alias (three letters or fewer, or a function word in any supported language: "UN",
  "EU", "US", "AU") must stand in a name context: not inside an all-capitals stretch (a shouted
  headline), not at the start of a sentence when it is also a word, and never alone in a language
  that capitalises nouns when it is a word of that language;
* a bare ship name ("Cavour", also a street and a statesman) needs a ship word shortly before it
  ("la portaerei Cavour", "空母カヴール"), or another such mention in the same document;
* people are matched by their KB names only (full names, or surnames the KB lists as distinctive).

A demonym of the document's language ("italiana", "イタリア人") is typed NORP, as the English pipeline
types "Italian": it names a nationality and stands for its state, it is not the state itself.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newsgraph.lang.conventions import capitalises_nouns, conventions, is_function_word, is_guarded_alias
from newsgraph.lang.scripts import has_unspaced
from newsgraph.nlp.kb import NORP, KnowledgeBase

SHIP_WORD_WINDOW = 40  # characters between a ship word and the ship's name


@dataclass(frozen=True)
class KBMatch:
    start: int
    end: int
    kb_id: str
    label: str
    text: str


@dataclass(frozen=True)
class _Alias:
    kb_id: str
    label: str
    guarded: bool
    vessel: bool
    initial_only: bool = False  # a lower-case word capitalised: only at the start of a sentence


class LanguageMatcher:
    """All KB names a document in one language may use, compiled into one regular expression."""

    def __init__(self, kb: KnowledgeBase, language: str) -> None:
        self.language = language
        self.aliases: dict[str, _Alias] = {}
        for entry in kb.entries.values():
            own = set(entry.names_by_language.get(language, []))
            # ``no_pattern`` only keeps an entry out of the English span ruler; an ``ambiguous`` bare
            # name ("Georgia", "Jordan") needs a name of the document's own language, or a ship context.
            skip_bare = bool(entry.attributes.get("ambiguous")) and entry.type != "VESSEL"
            for name in entry.names_for(language):
                if not (skip_bare and name not in own and name in (entry.name, *entry.aliases)):
                    self._add(name, entry.id, entry.type)
            for name in entry.demonyms_for(language):  # "italiana", "イタリア人": a nationality, not the state
                self._add(name, entry.id, NORP)
        spaced = sorted((n for n in self.aliases if not has_unspaced(n)), key=len, reverse=True)
        unspaced = sorted((n for n in self.aliases if has_unspaced(n)), key=len, reverse=True)
        parts = []
        if unspaced:
            parts.append("|".join(map(re.escape, unspaced)))
        if spaced:
            parts.append(r"(?<![\w\-])(?:" + "|".join(map(re.escape, spaced)) + r")(?!\w)")
        self.pattern = re.compile("|".join(parts)) if parts else None
        words = conventions().get("vessel_words", {})
        self.ship_words = [w for w in {*words.get(language, []), *words.get("en", [])} if w]

    def _add(self, name: str, kb_id: str, label: str) -> None:
        name = name.strip()
        if not name or (has_unspaced(name) and len(name) < 2):
            return
        forms = {name: False}
        if name[:1].islower():  # "italiana" also opens a sentence as "Italiana" (and only there)
            forms[name[:1].upper() + name[1:]] = True
        for form, initial_only in forms.items():
            if form not in self.aliases:  # the first entry to claim a name keeps it
                self.aliases[form] = _Alias(kb_id, label, is_guarded_alias(form), label == "VESSEL", initial_only)

    def find(self, text: str) -> list[KBMatch]:
        if self.pattern is None:
            return []
        found: list[KBMatch] = []
        pending_ships: list[KBMatch] = []
        for match in self.pattern.finditer(text):
            alias = self.aliases.get(match.group(0))
            if alias is None or not self._name_context(text, match, alias):
                continue
            hit = KBMatch(match.start(), match.end(), alias.kb_id, alias.label, match.group(0))
            if alias.vessel and not self._after_ship_word(text, match.start(), match.group(0)):
                pending_ships.append(hit)
            else:
                found.append(hit)
        confirmed = {m.kb_id for m in found if m.label == "VESSEL"}
        found.extend(m for m in pending_ships if m.kb_id in confirmed)
        return sorted(found, key=lambda m: m.start)

    def _name_context(self, text: str, match: re.Match, alias: _Alias) -> bool:
        if alias.initial_only and not _sentence_start(text, match.start()):
            return False  # "Indiana Jones" is no "indiana" (Indian)
        if not alias.guarded:
            return True
        surface = match.group(0)
        if surface.isupper() and _shouted(text, match.start(), match.end()):
            return False
        word = is_function_word(surface)
        if word and capitalises_nouns(self.language) and not surface.isupper():
            return False
        return not (word and not surface.isupper() and _sentence_start(text, match.start()))

    def _after_ship_word(self, text: str, start: int, name: str) -> bool:
        """A ship word in the name itself ("portaerei Cavour", "加富尔号") or shortly before it."""
        return self._has_ship_word(name) or self._has_ship_word(text[max(0, start - SHIP_WORD_WINDOW) : start])

    def _has_ship_word(self, text: str) -> bool:
        lowered = text.lower()
        return any((w.lower() in lowered) if has_unspaced(w) else re.search(
            rf"(?<![\w]){re.escape(w.lower())}(?![\w])", lowered) for w in self.ship_words)


def _neighbour_words(text: str, start: int, end: int) -> list[str]:
    before = re.findall(r"[^\W\d_]{2,}", text[max(0, start - 40) : start])[-2:]
    after = re.findall(r"[^\W\d_]{2,}", text[end : end + 40])[:2]
    return before + after


def _shouted(text: str, start: int, end: int) -> bool:
    """The alias sits among words in capitals: a headline in capitals, not a name."""
    around = _neighbour_words(text, start, end)
    return bool(around) and sum(w.isupper() for w in around) >= max(1, len(around) - 1)


def _sentence_start(text: str, start: int) -> bool:
    """Nothing but quotes or brackets between the match and the start of the text, a line, or a sentence."""
    before = text[max(0, start - 80) : start].rstrip(" \t\"'«“„‘(")
    return start == 0 or not before or before[-1] in ".!?。！？:\n"


@functools.lru_cache(maxsize=32)
def _matcher(kb_key: int, language: str, kb: KnowledgeBase) -> LanguageMatcher:
    return LanguageMatcher(kb, language)


def matcher_for(kb: KnowledgeBase, language: str) -> LanguageMatcher:
    """The compiled matcher of ``language`` for this KB (built once per KB and language)."""
    return _matcher(id(kb), language, kb)
