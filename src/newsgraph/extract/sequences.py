"""Word sequences (trigger phrases) found in a sentence by their first word, not by a scan per phrase.

A rule table of phrases ("a great deal", "hold talks") is indexed once by first word; a sentence's
words are then read once, and a phrase is compared only where its first word stands. The matches are
reported in the order a scan of each phrase in turn over every position would report them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

Index = dict[str, list[tuple[int, tuple[str, ...]]]]


def first_words(phrases: Iterable[tuple[str, ...]]) -> Index:
    """Phrases by their first word, each with its rank in ``phrases`` (the order matches are reported in)."""
    index: Index = {}
    for rank, phrase in enumerate(phrases):
        if phrase:
            index.setdefault(phrase[0], []).append((rank, phrase))
    return index


def indexed(owner: Any, name: str, phrases: Collection[tuple[str, ...]]) -> Index:
    """``first_words`` of one of ``owner``'s phrase tables (a lexicon), built once per table: kept on
    the owner, and built again if the table was replaced or changed size."""
    key = f"_first_words_{name}"
    cached = owner.__dict__.get(key)
    if cached is None or cached[0] is not phrases or cached[1] != len(phrases):
        cached = (phrases, len(phrases), first_words(phrases))
        owner.__dict__[key] = cached
    return cached[2]


def sequences(index: Index, *words: Sequence[str]) -> list[tuple[int, int]]:
    """(rank, position) of every phrase of ``index`` that one of the word lists (say lemmas and forms,
    of equal length) holds whole at that position, sorted by rank, then position."""
    found: set[tuple[int, int]] = set()
    size = len(words[0]) if words else 0
    for i in range(size):
        for seq in words:
            for rank, phrase in index.get(seq[i], ()):
                n = len(phrase)
                if (rank, i) not in found and i + n <= size and any(tuple(w[i:i + n]) == phrase for w in words):
                    found.add((rank, i))
    return sorted(found)
