"""Writing systems: which scripts write words without spaces, and how to count and split text in them.

Chinese, Japanese, Thai, Lao, Khmer and Burmese text has no spaces between words, so counting
"words" by spaces calls a 1,000-character Chinese article "19 words". Here every character of
those scripts counts as one unit (roughly a syllable or a short word), and tokens for shingles
are single characters there, words elsewhere. Korean is written with spaces and counts words.
"""

from __future__ import annotations

import re
import unicodedata

# Han (with extensions and compatibility forms), kana, CJK punctuation-free letters, Thai, Lao,
# Khmer and Myanmar: the scripts that do not separate words with spaces.
UNSPACED_CHARS = (
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
)
_UNSPACED = re.compile(f"[{UNSPACED_CHARS}]")
_UNSPACED_OR_WORD = re.compile(f"[{UNSPACED_CHARS}]|[^\\W{UNSPACED_CHARS}]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def count_units(text: str) -> int:
    """Words, counting each character of an unspaced script (CJK, Thai...) as one."""
    unspaced = len(_UNSPACED.findall(text))
    return unspaced + len(_UNSPACED.sub(" ", text).split())


def unspaced_share(text: str) -> float:
    """Share of the letters that belong to scripts written without spaces."""
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_UNSPACED.findall(text)) / letters if letters else 0.0


def weighted_chars(text: str, weight: int) -> int:
    """Characters, each unspaced-script character counting ``weight`` times (a Han character
    carries about as much as three Latin letters)."""
    stripped = text.strip()
    return len(stripped) + (weight - 1) * len(_UNSPACED.findall(stripped))


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; each character of an unspaced script is a token of its own."""
    return _UNSPACED_OR_WORD.findall(text.lower())


def has_unspaced(text: str) -> bool:
    return _UNSPACED.search(text) is not None


def script_hint(text: str) -> str | None:
    """A language that the script alone shows (kana: ja, Hangul: ko, Han without kana: zh), else None."""
    kana, han, hangul = (len(p.findall(text)) for p in (_KANA, _HAN, _HANGUL))
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    if kana and (kana + han) / letters > 0.3:
        return "ja"
    if hangul / letters > 0.3:
        return "ko"
    if han / letters > 0.3:
        return "zh"
    return None


def is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")
