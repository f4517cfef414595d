"""Name-level helpers for the entities stage: span repairs, canonical names, person-name matching."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Captions glue a credit word onto the last name ("Fumio KishidaImage: ..."): cut at the glue.
_CAPTION_GLUE = re.compile(r"(?<=[a-z])(?:Image|Photo|Picture|Credit|Source|Video|Foto|Getty)s?\b")
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_BRACKETED_BEFORE = re.compile(r"\[[^\]\n]{1,40}\]\s*$")
_TRAILING_PUNCT = re.compile(r"[\s,;:.\-–—]+$")
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.)+$")  # "U.S.", "Gerald R." keep their final dot


def repair_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Fix a mention's character span: caption glue, credit slashes, editorial brackets, edge spaces."""
    piece = text[start:end]
    glue = _CAPTION_GLUE.search(piece)
    if glue:
        end = start + glue.start()
    slash = text.find("/", start, end)
    if slash > start:
        end = slash
    if start > 0 and text[start - 1] == "[" and "]" in text[start:end]:
        start -= 1  # "Donald] Trump" → "[Donald] Trump"
    elif "[" not in text[start:end]:
        match = _BRACKETED_BEFORE.search(text, max(0, start - 42), start)
        if match and match.end() == start:
            start = match.start()  # "[Donald] Trump" when the model found only "Trump"
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ").]":
        if _ABBREV_END.search(text, start, end):
            break
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def clean_name(text: str) -> str:
    """Canonical form of a mention: no editorial brackets, no leading "the", no possessive."""
    name = text.replace("[", "").replace("]", "")
    name = _LEADING_DET.sub("", " ".join(name.split()))
    name = _POSSESSIVE.sub("", name)
    if _ABBREV_END.search(name):
        return name
    return _TRAILING_PUNCT.sub("", name)


def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t.lower().strip(".") for t in clean_name(name).split() if t.strip("."))


def same_person(a: str, b: str) -> bool:
    """Same token set, so "Kishida Fumio" (family name first) is "Fumio Kishida"."""
    ta, tb = name_tokens(a), name_tokens(b)
    return len(ta) > 1 and sorted(ta) == sorted(tb)


def is_part_name(short: str, full: str) -> bool:
    """A one-word mention that is a word of a fuller name ("Kishida" of "Fumio Kishida")."""
    ts, tf = name_tokens(short), name_tokens(full)
    return len(ts) == 1 and len(tf) > 1 and ts[0] in tf


def initials(name: str) -> str:
    """Initials of the capitalised words, hyphen parts included ("Air Self-Defense Force" → "ASDF")."""
    parts = re.split(r"[\s\-]+", clean_name(name))
    return "".join(p[0] for p in parts if p and p[0].isupper())


def is_acronym_of(acronym: str, name: str) -> bool:
    """Loose check that ``acronym`` abbreviates ``name``: its letters are the name's initials, in order."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    heads = initials(name).upper()
    if len(letters) < 2 or not heads or letters[0] != heads[0]:
        return False
    pos = 0
    for letter in letters:
        pos = heads.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return len(letters) >= len(heads) - 1


# -- roles: titles before a name, appositions after it ------------------------------------------
_APPOS = re.compile(r",\s+(?:who\s+(?:is|was)\s+)?(?:(?:an?|the)\s+)?(?P<body>[^.;:!?\"“”()\n]+)")
_COPULA = re.compile(r"\s+(?:is|was)\s+(?:an?|the)\s+(?P<body>[^.;:!?\"“”()\n]+)")
_BODY_END = re.compile(
    r",\s+(?!(?:the|a|an|and|or)\b)[a-z]|\s+(?:who|which|that|says|said|told|adds|added)\b"
)
_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.I)


@dataclass
class Role:
    titles: list[str]
    aff_start: int  # character range of the affiliation part (may be empty)
    aff_end: int
    aff_text: str


def apposition(text: str, end: int, lex: dict) -> Role | None:
    """The role described right after a name: ", an assistant professor of X at Y" / " is a Z at Y"."""
    match = _APPOS.match(text, end) or _COPULA.match(text, end)
    if not match:
        return None
    body_start = match.start("body")
    body = match.group("body")
    stop = _BODY_END.search(body)
    body = body[: stop.start()] if stop else body
    title, aff_offset = _split_affiliation(body)
    titles = [_ARTICLE.sub("", t).strip() for t in re.split(r"\s+and\s+(?=an?\s)", title)]
    nouns = set(lex.get("title_nouns", []))
    titles = [t for t in titles if t and len(t.split()) <= 8 and nouns & set(t.lower().split())]
    if not titles:
        return None
    aff = body[aff_offset:] if aff_offset is not None else ""
    start = body_start + (aff_offset or 0)
    return Role(titles, start, start + len(aff) if aff else start, aff)


def _split_affiliation(body: str) -> tuple[str, int | None]:
    """Split "assistant professor of X at Y" into the title and the offset of Y."""
    at = body.rfind(" at ")
    if at >= 0:
        return body[:at], at + 4
    match = re.search(r"\s(?:of|for|with)\s+(?=(?:the\s+)?[A-Z])", body)
    if match:
        return body[: match.start()], match.end()
    return body, None


def title_before(text: str, start: int, titles: list[str]) -> tuple[str, int] | None:
    """A known title right before a name ("Defense Minister Guido Crosetto"): (title, its start)."""
    window_start = max(0, start - 60)
    match = _titles_regex(tuple(titles)).search(text[window_start:start])
    if match is None:
        return None
    return match.group(1), window_start + match.start(1)


@functools.lru_cache(maxsize=4)
def _titles_regex(titles: tuple[str, ...]) -> re.Pattern:
    """One alternation, longest title first, anchored at the end of the window."""
    ordered = sorted(titles, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(map(re.escape, ordered)) + r")\s+$", re.I)


def words_before(text: str, pos: int, n: int = 2) -> list[str]:
    """Up to ``n`` word candidates ending at ``pos`` (longest first), possessive stripped."""
    words = re.findall(r"[\w.'’\-]+", text[max(0, pos - 40) : pos])
    out = [" ".join(words[-k:]) for k in range(min(n, len(words)), 0, -1)]
    return [re.sub(r"['’]s$", "", w) for w in out]
