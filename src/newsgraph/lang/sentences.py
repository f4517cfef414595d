"""Sentence boundaries in any script, for the places that cut a text to one sentence (a brief's lead
sentence, a quote's first sentence) or check that a text is one sentence.

* **Scripts with spaces** (Latin, Cyrillic, Greek...): ``.``, ``!`` or ``?`` after a word of at least
  three lower-case letters, then (after closing quotes or brackets) white space and a letter that is
  not lower-case. The lower-case word keeps abbreviations and initials ("U.S.", "Mr.", "No. 3",
  "J. Smith") from ending a sentence.
* **Chinese and Japanese**: the ideographic full stop and the full-width marks (``。！？``) end a
  sentence wherever they stand; no space follows them.
* **Other scripts with their own marks**: the Devanagari danda (``।``, ``॥``), the Arabic question mark
  (``؟``), the Urdu full stop (``۔``), the Ethiopic (``።``), Myanmar (``။``) and Khmer (``។``) full stops.

Closing quotes and brackets right after the mark belong to the sentence they close ('… he said."'
stays whole). A Chinese or Japanese mark inside corner brackets or full-width parentheses ends the
quoted sentence, not the one quoting it: 「全員が無事だ。」と述べた。 is one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CLOSERS = "\"'”’»)]」』）】〉》"
OPENERS = "\"'“‘«([「『（【〈《"
UNSPACED_STOPS = "。！？｡"
OTHER_STOPS = "।॥؟۔።။។"
SPACED_STOPS = ".!?"
ENDINGS = SPACED_STOPS + UNSPACED_STOPS + OTHER_STOPS + "…"

_SPACED = re.compile(rf"[{re.escape(SPACED_STOPS)}][{re.escape(CLOSERS)}]*(?=\s+[{re.escape(OPENERS)}]*(\w))")
_CJK_OPEN, _CJK_CLOSE = "「『（【〈《", "」』）】〉》"
_MARKS = frozenset(UNSPACED_STOPS + OTHER_STOPS)
_MARKED = re.compile(rf"[{UNSPACED_STOPS}{OTHER_STOPS}][{re.escape(CLOSERS)}]*")


def boundaries(text: str) -> Iterator[int]:
    """Offsets just after each sentence-ending mark (and its closing quotes) that more text follows."""
    found = []
    for match in _SPACED.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        after = match.group(1)
        if len(before) == 3 and all(ch.isalpha() and ch.islower() for ch in before) and after.isalpha() \
                and not after.islower():
            found.append(match.end())
    depth = 0
    for i, ch in enumerate(text):
        if ch in _CJK_OPEN:
            depth += 1
        elif ch in _CJK_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in _MARKS:
            match = _MARKED.match(text, i)
            if match and text[match.end() :].strip():
                found.append(match.end())
    yield from sorted(set(found))


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (all of it when it is one sentence)."""
    end = next(boundaries(text), None)
    return text[:end] if end is not None else text


def is_single_sentence(text: str) -> bool:
    return next(boundaries(text), None) is None


def ends_sentence(text: str) -> bool:
    """The text ends with a sentence-ending mark (closing quotes and brackets after it allowed)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in ENDINGS
