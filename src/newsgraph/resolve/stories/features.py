"""What a document is about, as a vector: sublinear TF-IDF over its words, its entities and its dates.

Two channels, each L2-normalised on its own, then joined with the share ``Settings.story_name_share``
for the second (so that the whole vector has length 1 and a cosine stays a cosine):

* **Words** (``t:word``), the language-dependent channel: every word of the title and the cleaned
  body, lower-cased, minus the stop words of the document's language (``kb/stopwords/<lang>.txt``;
  English when the language is unknown) and the page-furniture words (``kb/stopwords/boilerplate.txt``).
  English plurals lose their "s" so that "carriers" meets "carrier"; elided articles ("l'esercito")
  lose their article. Scripts written without spaces (Chinese, Japanese, Thai...) give overlapping
  character bigrams, as the search index does, not one "word" per run of characters.
* **Names and dates**, the language-independent channel: a resolved entity with a knowledge-base id
  is ``k:<id>`` (an Italian and an English article about the same event meet on "k:Q38"), any other
  ``e:<entity id>``, counted once per mention; and each day the text names (``d:2024-08-22``, from
  the time stage: "22 agosto 2024", "2024年8月22日" and "Thursday" in a report of that week).

Two reports of one event in different languages share almost no words; in one vector their many
words would dilute the names they share below any threshold. Kept apart, the names channel carries
the same share of every document's vector whatever its language, so an Italian, a Japanese and an
English report of one port call meet on their names and dates.

* **Weights**: ``(1 + ln count) × (ln((N + 1) / (df + 1)) + 1)``, with ``df`` and ``N`` kept in the
  store (``feature_df``, ``doc_features``) and updated by every ingest. A word in more than
  ``Settings.story_max_df`` of the documents (once the store holds ``MIN_DOCS_FOR_DF_FILTER``) says
  nothing about any story and is dropped: the language-neutral filter that catches what a stop-word
  list misses. Names and dates are never function words: IDF alone weighs them (a corpus about
  Italy and Japan keeps "Japan", with a low weight).

A document with too few content words (``too_short``) or made mostly of page furniture
(``boilerplate``) is not usable: it gets a story of its own, marked, and never joins or drags one.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from newsgraph.lang.scripts import UNSPACED_CHARS
from newsgraph.settings import KB_DIR, Settings

STOPWORD_DIR = KB_DIR / "stopwords"
DEFAULT_LANGUAGE = "en"
MIN_DOCS_FOR_DF_FILTER = 20
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?", re.U)
_APOSTROPHE = re.compile(r"['’]")
_UNSPACED_RUN = re.compile(f"[{UNSPACED_CHARS}]+")
WORD_PREFIX = "t:"

Vector = dict[str, float]


@functools.cache
def _word_file(name: str) -> frozenset[str]:
    path = STOPWORD_DIR / f"{name}.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def stopwords(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (a code such as "it"); English when unknown or not listed."""
    code = (language or DEFAULT_LANGUAGE).lower()[:2]
    return _word_file(code) or _word_file(DEFAULT_LANGUAGE)


def boilerplate_words() -> frozenset[str]:
    return _word_file("boilerplate")


def _normalise(word: str, english: bool) -> str:
    word = word.lower()
    if "'" in word or "’" in word:
        parts = [p for p in _APOSTROPHE.split(word) if p]
        if english:
            word = parts[0] if len(parts) > 1 and parts[-1] in ("s", "t", "re", "ve", "ll", "d", "m") else "".join(parts)
        else:
            word = max(parts, key=len) if parts else word  # l'esercito, dell'Italia, d'une
    word = word.strip("-")
    if english and len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def bigrams(text: str) -> Counter:
    """Overlapping character bigrams of the runs of text written without spaces (a lone character is left out)."""
    return Counter(run[i:i + 2] for run in _UNSPACED_RUN.findall(text) for i in range(len(run) - 1))


def terms(text: str, language: str | None = None) -> Counter:
    """Content words of ``text`` with their counts (stop words and furniture words left out); in
    scripts without spaces, overlapping character bigrams (a lone character is left out)."""
    stop, furniture = stopwords(language), boilerplate_words()
    english = (language or DEFAULT_LANGUAGE).lower().startswith("en")
    counts = bigrams(text)
    for match in _WORD.finditer(_UNSPACED_RUN.sub(" ", text)):
        raw = match.group().lower()
        if raw in stop or raw in furniture:
            continue
        word = _normalise(raw, english)
        if len(word) < 3 or word in stop or word in furniture:
            continue
        counts[word] += 1
    return counts


def unusable(text: str, language: str | None, settings: Settings) -> str | None:
    """Why a text cannot be clustered (``too_short``, ``boilerplate``), or None when it can (in a
    script without spaces, each character bigram counts as a word, as in ``terms``)."""
    tokens = [m.group().lower() for m in _WORD.finditer(_UNSPACED_RUN.sub(" ", text))]
    stop = stopwords(language)
    words = [w for w in tokens if w not in stop and len(w) >= 3]
    words += list(bigrams(text).elements())
    furniture = boilerplate_words()
    noise = sum(w in furniture for w in words)
    content = len(words) - noise
    if words and noise / len(words) > settings.story_max_boilerplate_share:
        return "boilerplate"
    if content < settings.story_min_content_words or len({w for w in words if w not in furniture}) < \
            settings.story_min_content_words // 2:
        return "too_short"
    return None


@dataclass
class Doc:
    """One document on its way into a story."""

    id: str
    title: str | None
    published: date | None  # any publication date, for the story's shown range
    dated: date | None  # a confident publication date: the only kind the time window uses
    counts: Counter  # raw feature counts (terms and entities)
    unusable: str | None = None
    vector: Vector = field(default_factory=dict)
    language: str | None = None


def is_word(feature: str) -> bool:
    return feature.startswith(WORD_PREFIX)


def weigh(counts: Counter, df: dict[str, int], n_docs: int, settings: Settings) -> Vector:
    """The sublinear TF-IDF vector of one document: words and names each normalised, then joined."""
    limit = settings.story_max_df * n_docs if n_docs >= MIN_DOCS_FOR_DF_FILTER else math.inf
    words: Vector = {}
    names: Vector = {}
    for feature, count in counts.items():
        seen = df.get(feature, 1)
        word = is_word(feature)
        if word and seen > limit:
            continue
        (words if word else names)[feature] = (1 + math.log(count)) * (math.log((n_docs + 1) / (seen + 1)) + 1)
    return joined(words, names, settings.story_name_share)


def joined(words: Vector, names: Vector, share: float) -> Vector:
    """One unit vector from the two channels, the names channel with ``share`` of the squared length
    (a document with only one channel gives it all: its vector is still a unit vector)."""
    words, names = normalised(words), normalised(names)
    if not words or not names:
        return words or names
    scale_words, scale_names = math.sqrt(1 - share), math.sqrt(share)
    return {**{k: w * scale_words for k, w in words.items()}, **{k: w * scale_names for k, w in names.items()}}


def normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {k: w / norm for k, w in vector.items()} if norm else {}


def dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def cosine(a: Vector, b: Vector) -> float:
    na, nb = math.sqrt(dot(a, a)), math.sqrt(dot(b, b))
    return dot(a, b) / (na * nb) if na and nb else 0.0


def top(vector: Vector, n: int) -> Vector:
    return dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def date_feature(value: str | None) -> str | None:
    """``d:YYYY-MM-DD`` for a time expression's value that names one day, else None."""
    return f"d:{value}" if value and _DAY.fullmatch(value) else None


_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def entity_feature(entity_id: str, kb_ids: dict[str, str] | None) -> str:
    """``k:<kb id>`` when the knowledge base knows the entity (language-independent), else ``e:<id>``."""
    known = sorted(v for v in (kb_ids or {}).values() if v)
    return f"k:{known[0]}" if known else f"e:{entity_id}"
