"""Per-language data (kb/languages.yaml) and the function-word test that guards knowledge-base aliases.

"Common word" here means a word on spaCy's stop-word list of any supported language: spaCy ships
these lists for every language without a model, and they hold the function words and most
frequent verbs and adverbs ("un", "die", "dem", "das", "wie", "us"). A frequency list such as
wordfreq was tried and rejected: its lists are case-folded, so every country and city name
("italia", "kiel", "china") counts as a common word there.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import runpy
from pathlib import Path
from typing import Any

import yaml

from newsgraph.lang.scripts import has_unspaced
from newsgraph.settings import KB_DIR

LANGUAGES_FILE = KB_DIR / "languages.yaml"
SHORT_ALIAS_LETTERS = 3  # an alias with this many letters or fewer matches only in a name context


@functools.cache
def conventions() -> dict[str, Any]:
    with LANGUAGES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def supported_languages() -> list[str]:
    return list(conventions()["supported"])


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words for ``language`` (lower case), or an empty set where spaCy has none.

    The list is read from spaCy's ``lang/<language>/stop_words.py`` on its own: importing it as a
    module first imports the language's package, whose tokenizer exceptions take seconds to build
    (French: 3.8 s) and are never used here. A list that cannot be read that way is imported."""
    words = _stop_word_file(language)
    if words is None:
        try:
            words = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
        except ImportError:
            return frozenset()
    return frozenset(w.lower() for w in words)


def _stop_word_file(language: str) -> set[str] | None:
    """``STOP_WORDS`` of spaCy's stop-word file for ``language``, run alone; None where that fails."""
    spec = importlib.util.find_spec("spacy.lang")
    folders = spec.submodule_search_locations if spec else None
    if not folders or not re.fullmatch(r"[a-z]{2,3}", language):
        return None
    path = Path(next(iter(folders))) / language / "stop_words.py"
    if not path.is_file():
        return None
    try:
        words = runpy.run_path(str(path)).get("STOP_WORDS")
    except Exception:  # a list that imports its package's helpers: the import below reads it
        return None
    return words if isinstance(words, set) else None


@functools.cache
def _all_stop_words() -> frozenset[str]:
    words: set[str] = set()
    for language in supported_languages():
        words |= stop_words(language)
    return frozenset(words)


def is_function_word(word: str, language: str | None = None) -> bool:
    """A stop word of ``language``, or of any supported language when none is given."""
    key = word.strip().lower()
    return key in (stop_words(language) if language else _all_stop_words())


def is_guarded_alias(alias: str) -> bool:
    """An alias that may match only case-sensitively and in a name context: three letters or fewer
    (in an alphabetic script), or a function word in any supported language."""
    letters = re.sub(r"[^\w]|[\d_]", "", alias)
    if has_unspaced(alias):
        return len(letters) < 2
    return len(letters) <= SHORT_ALIAS_LETTERS or is_function_word(alias)


def capitalises_nouns(language: str) -> bool:
    return language in conventions().get("capitalised_nouns", [])


def quote_marks(language: str) -> dict[str, str]:
    """Opening → closing marks of ``language`` (the default set where the language has none listed)."""
    marks = conventions()["quotes"]
    return dict(marks.get(language) or marks["default"])


def speech_cues(language: str) -> list[str]:
    return list(conventions().get("speech_cues", {}).get(language, []))


def ner_model(language: str) -> dict[str, Any] | None:
    return conventions().get("ner_models", {}).get(language)
