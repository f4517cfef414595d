"""Clean text copied from a browser page: drop page furniture, keep every paragraph.

A page dump is a list of lines. Lines are grouped into units (one paragraph each),
furniture is recognised by patterns from ``kb/boilerplate.yaml`` and by layout
(short lines without final punctuation between paragraphs are headings, a line
before a photo credit is a caption, what follows the last paragraph is page tail),
and the title, byline, date, outlet and dateline are read on the way.
Every dropped unit is recorded as a ``Removal`` with its reason and raw line number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import yaml
from dateutil import parser as dateparser

from newsgraph.lang.scripts import UNSPACED_CHARS
from newsgraph.model import Removal
from newsgraph.settings import KB_DIR

BOILERPLATE_FILE = KB_DIR / "boilerplate.yaml"


@dataclass
class CleanResult:
    """The article body (paragraphs joined by a blank line) and what was learnt about the page."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO YYYY-MM-DD
    outlet: str | None = None
    dateline: str | None = None
    removed: list[Removal] = field(default_factory=list)


# --- light normalisation shared by every reader -------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\f\v\u2028\u2029\x85]")


def _normalise_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _split_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))
    return [_normalise_line(ln) for ln in _LINE_BREAKS.sub("\n", text).split("\n")]


def clean_text_body(text: str) -> str:
    """NBSP and odd spaces to one space, zero-width characters out, one kind of line break."""
    body = "\n".join(_split_lines(text))
    return re.sub(r"\n{3,}", "\n\n", body).strip()


# --- patterns from the knowledge base ------------------------------------------------------


def _whole(alternatives: list[str]) -> re.Pattern[str]:
    # A trailing colon or full stop is allowed: "Share:", "Hot News:".
    return re.compile(r"^(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")\s*[:.]?$", re.I)


def _prefix(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(f"(?:{a})" for a in alternatives) + r")", re.I)


@dataclass(frozen=True)
class _Patterns:
    max_words: int
    nav: re.Pattern[str]
    banner: re.Pattern[str]
    breadcrumb_sep: re.Pattern[str]
    breadcrumb_part_words: int
    share: re.Pattern[str]
    comments_start: re.Pattern[str]
    copyright: re.Pattern[str]
    copyright_any: re.Pattern[str]
    widget: re.Pattern[str]
    widget_alone: re.Pattern[str]
    teaser: re.Pattern[str]
    credit: re.Pattern[str]
    caption_credit: re.Pattern[str]
    byline: re.Pattern[str]
    particles: frozenset[str]
    located: re.Pattern[str]
    roles: re.Pattern[str]
    bio_heading: re.Pattern[str]
    date_prefix: re.Pattern[str]
    dates: list[re.Pattern[str]]
    date_other_words: int
    dateline: re.Pattern[str]
    outlet_patterns: list[re.Pattern[str]]
    outlets: list[dict[str, Any]]
    minor_words: frozenset[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    kb = yaml.safe_load(BOILERPLATE_FILE.read_text(encoding="utf-8"))
    prefixes = sorted(kb["dates"]["prefixes"], key=len, reverse=True)
    return _Patterns(
        max_words=kb["max_furniture_words"],
        nav=_whole(kb["nav"]["line"]),
        banner=re.compile("|".join(kb["nav"]["contains"]), re.I),
        breadcrumb_sep=re.compile(rf"\s+(?:{kb['nav']['breadcrumb_separators']})\s+"),
        breadcrumb_part_words=kb["nav"]["breadcrumb_max_part_words"],
        share=_whole(kb["share_prompt"]["line"]),
        comments_start=_whole(kb["share_prompt"]["section_start"]),
        copyright=_prefix(kb["copyright"]["prefix"]),
        copyright_any=re.compile("|".join(kb["copyright"]["contains"]), re.I),
        widget=_whole(kb["widget"]["line"]),
        widget_alone=_whole(kb["widget"]["alone"]),
        teaser=_prefix(kb["teaser"]["prefix"]),
        credit=_prefix(kb["credit"]["prefix"]),
        caption_credit=re.compile(kb["caption_credit"], re.I),
        byline=re.compile(r"^(?:" + "|".join(kb["byline"]["prefix"]) + r")\s+", re.I),
        particles=frozenset(kb["byline"]["name_particles"]),
        located=re.compile(kb["byline"]["located"]),
        roles=re.compile(r"\b(?:" + "|".join(kb["bio"]["roles"]) + r")s?\b", re.I),
        bio_heading=_whole(kb["bio"]["heading"]),
        date_prefix=re.compile(r"^(?:(?:" + "|".join(prefixes) + r")\b\s*:?\s*)+", re.I),
        dates=[re.compile(p, re.I) for p in kb["dates"]["patterns"]],
        date_other_words=kb["dates"]["max_other_words"],
        dateline=re.compile(kb["dateline"]),
        outlet_patterns=[re.compile(p) for p in kb["outlet"]["patterns"]],
        outlets=kb["outlet"]["known"],
        minor_words=frozenset(kb["title_case_minor"]),
    )


# --- units: one paragraph (or one furniture line) each ------------------------------------


@dataclass
class _Unit:
    text: str
    line: int  # 1-based line number in the raw text
    block: int  # index of the blank-line separated block
    reason: str | None = None


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\S")
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.)]|[•·▪►*-])\s+")
_CLOSERS = "\"'”’»)]*"
_WORD = re.compile(rf"(?:[^\W{UNSPACED_CHARS}]|['’-])+")
_UNSPACED = re.compile(f"[{UNSPACED_CHARS}]")


def _bare(text: str) -> str:
    """The line without list numbering, for pattern matching only."""
    return _LIST_MARK.sub("", text).strip()


@lru_cache(maxsize=4096)
def _words(text: str) -> int:
    # Cached: each line is measured by several rules, and a huge line would be re-scanned each time.
    # A CJK/Thai character counts as a word: a line of Chinese is no "one-word" furniture.
    return len(_WORD.findall(text)) + len(_UNSPACED.findall(text))


def _units(raw: str, join_wrapped: bool = True) -> list[_Unit]:
    units: list[_Unit] = []
    block: list[tuple[int, str]] = []
    n_block = 0
    for number, line in enumerate([*_split_lines(raw), ""], start=1):
        if line:
            block.append((number, line))
            continue
        if block:
            lines = _join_wrapped(block) if join_wrapped else block
            units.extend(_Unit(text, first, n_block) for first, text in lines)
            n_block += 1
            block = []
    return units


def _join_wrapped(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Hard-wrapped blocks (every line near the same width) become paragraphs; else a line each."""
    width = max(len(text) for _, text in block)
    if len(block) < 2 or not 50 <= width <= 100:
        return block
    joined: list[tuple[int, str]] = []
    open_line = False
    for number, text in block:
        if open_line:
            joined[-1] = (joined[-1][0], f"{joined[-1][1]} {text}")
        else:
            joined.append((number, text))
        open_line = len(text) >= 0.7 * width and not _ends_sentence(text)
    return joined


# --- line shapes ---------------------------------------------------------------------------


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in ".!?…:;。！？"


def _is_heading(text: str, p: _Patterns) -> bool:
    """Short and not a sentence: a headline, subhead, label or teaser."""
    if _words(text) > p.max_words:
        return False
    if text.rstrip(_CLOSERS).endswith(("?", "？")):
        return not re.search(r"[.!?]\s+[A-Z]", text)  # a one-sentence question line
    return not _ends_sentence(text)


def _is_paragraph(text: str, p: _Patterns) -> bool:
    # Length in characters too: scripts without spaces have few "words".
    return (_words(text) >= 3 or len(text) >= 20) and not _is_heading(text, p)


def _is_title_case(text: str, p: _Patterns) -> bool:
    words = [w for w in _WORD.findall(text) if w.lower() not in p.minor_words]
    return len(words) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in words)


def _same(a: str, b: str | None) -> bool:
    return b is not None and _WORD.findall(a.lower()) == _WORD.findall(b.lower())


# --- furniture by pattern ------------------------------------------------------------------


def _breadcrumb(text: str, p: _Patterns) -> bool:
    if text[:1] in "|>" or text[-1:] in "|>":  # table rows and quotes, not trails
        return False
    parts = p.breadcrumb_sep.split(text)
    return len(parts) >= 2 and all(
        0 < _words(x) <= p.breadcrumb_part_words and not re.search(r"\d", x) for x in parts
    )


def _pattern_reason(text: str, p: _Patterns) -> str | None:
    bare = _bare(text)
    if p.caption_credit.search(bare):
        return "credit" if p.credit.match(bare) else "caption"
    if _words(bare) <= 60 and p.banner.search(bare):
        return "nav"
    short = _words(bare) <= p.max_words
    if p.copyright.match(bare) or (short and p.copyright_any.search(bare)):
        return "copyright"
    if not short:
        return None
    checks = (
        ("nav", p.nav.match(bare) or _breadcrumb(bare, p)),
        ("share_prompt", p.share.match(bare)),
        ("widget", p.widget.match(bare)),
        ("teaser", p.teaser.match(bare)),
        ("credit", p.credit.match(bare)),
        ("bio", p.bio_heading.match(bare)),
    )
    return next((reason for reason, hit in checks if hit), None)


def _mark_patterns(units: list[_Unit], p: _Patterns) -> None:
    for unit in units:
        unit.reason = _pattern_reason(unit.text, p)


def _mark_captions(units: list[_Unit], p: _Patterns) -> None:
    """The heading-like line right above a photo credit (same block) is its caption."""
    for i, unit in enumerate(units[1:], start=1):
        prev = units[i - 1]
        credited = unit.reason in ("caption", "credit") and prev.block == unit.block
        if credited and prev.reason is None and not _ends_sentence(prev.text):
            prev.reason = "caption"


def _mark_widget_lists(units: list[_Unit], p: _Patterns) -> None:
    """Headlines listed under a widget heading ("Most read") belong to the widget."""
    in_widget = False
    for unit in units:
        if unit.reason == "widget":
            in_widget = not p.widget_alone.match(_bare(unit.text))
        elif in_widget and unit.reason is None and _is_heading(unit.text, p) and not _is_byline_or_date(unit.text, p):
            unit.reason = "widget"
        elif unit.reason is None:
            in_widget = False


def _is_byline_or_date(text: str, p: _Patterns) -> bool:
    return bool(p.byline.match(_bare(text)) or _parse_date(text, p))


# --- metadata ------------------------------------------------------------------------------


def _person_name(text: str, p: _Patterns) -> str | None:
    """Capitalised name tokens from the start of ``text`` ("Jane Doe and John Roe, Reuters")."""
    names: list[list[str]] = [[]]
    for token in re.findall(r"[\w'’.-]+|[,&|]", text):
        if token[0].isupper() or (names[-1] and token.lower() in p.particles):
            names[-1].append(token)
        elif token in (",", "&", "and") and len(names[-1]) >= 2:
            names.append([])
        else:
            break
    people = [" ".join(n) for n in names if len(n) >= 2 and len(n) <= 5]
    return " and ".join(people) if people else None


def _byline(text: str, p: _Patterns, located_ok: bool) -> tuple[str | None, str | None]:
    """(author, place) when ``text`` is a byline line."""
    bare = _bare(text)
    if _words(bare) > 12:
        return None, None
    match = p.byline.match(bare)
    if match:
        return _person_name(bare[match.end():], p), None
    located = p.located.match(bare) if located_ok else None
    if located:
        return located["name"], located["place"]
    return None, None


def _parse_date(text: str, p: _Patterns) -> str | None:
    """ISO date when ``text`` is a date line ("Published 29.06.2024", "June 29, 2024 10:00 CET")."""
    bare = p.date_prefix.sub("", _bare(text))
    for pattern in p.dates:
        match = pattern.search(bare)
        if not match:
            continue
        rest = bare[: match.start()] + bare[match.end():]
        rest = re.sub(r"\b\d{1,2}[:.]\d{2}\b|\b(?:am|pm|[A-Z]{2,4}|UTC|GMT)\b", "", rest)
        if _words(rest) > p.date_other_words:
            return None
        return _to_iso(match.group(0))
    return None


def _to_iso(expression: str) -> str | None:
    dayfirst = "." in expression or not re.match(r"\d+/", expression)
    try:
        value = dateparser.parse(expression.replace(". ", "."), dayfirst=dayfirst)
    except (ValueError, OverflowError, dateparser.ParserError):
        return None
    return value.date().isoformat() if 1900 <= value.year <= 2100 else None


def _known_outlet(name: str, p: _Patterns) -> str | None:
    for outlet in p.outlets:
        if any(name.lower() == alias.lower() for alias in [outlet["name"], *outlet["aliases"]]):
            return outlet["name"]
    return None


def _outlet_from_host(source: str, p: _Patterns) -> str | None:
    host = urlparse(source if "://" in source else f"//{source}").hostname or ""
    for outlet in p.outlets:
        if any(host == h or host.endswith("." + h) for h in outlet.get("hosts", [])):
            return outlet["name"]
    return None


def _outlet_from_lines(lines: list[str], p: _Patterns) -> str | None:
    for text in lines:
        for pattern in p.outlet_patterns:
            match = pattern.search(_bare(text))
            if match:
                # "© 2024 Harbour Times. All rights reserved." — the pattern stops after "All"
                name = re.sub(r"[.,]?\s+(?:All(?: rights reserved)?|Ltd|Inc|GmbH|LLC)\b.*$", "", match["outlet"])
                return _known_outlet(name.strip(" .,"), p) or name.strip(" .,")
    for text in lines:
        for outlet in p.outlets:
            if any(re.search(rf"\b{re.escape(a)}\b", text) for a in outlet["aliases"]):
                return outlet["name"]
    return None


def canonical_outlet(name: str | None, url: str | None = None) -> str | None:
    """The known outlet's canonical name for a site name or a page URL, else the name as given."""
    p = _patterns()
    known = _known_outlet(name, p) if name else None
    return known or (_outlet_from_host(url, p) if url else None) or name


def _outlet(units: list[_Unit], source: str, p: _Patterns) -> str | None:
    if "://" in source or source.startswith("www."):
        found = _outlet_from_host(source, p)
        if found:
            return found
    furniture = ("nav", "copyright", "share_prompt", "widget", "byline")
    return _outlet_from_lines([u.text for u in units if u.reason in furniture], p)


# --- the page regions ----------------------------------------------------------------------


@dataclass
class _Meta:
    title: str | None = None
    author: str | None = None
    published: str | None = None
    place: str | None = None


def _read_dates_and_bylines(units: list[_Unit], first: int, meta: _Meta, p: _Patterns) -> None:
    """Byline and date lines anywhere that is not a paragraph."""
    for i, unit in enumerate(units):
        if unit.reason not in (None, "nav") or _is_sentence_not_label(unit.text, p):
            continue
        author, place = _byline(unit.text, p, located_ok=i < first and meta.title is not None)
        date = _parse_date(unit.text, p)
        if author:
            unit.reason = "byline"
            meta.author = meta.author or author
            meta.place = meta.place or place
            date = date or _date_in_line(unit.text, p)
        if date:
            unit.reason = unit.reason if author else "dateline"
            meta.published = meta.published or date


def _is_sentence_not_label(text: str, p: _Patterns) -> bool:
    """A sentence that mentions a date ("The vote is set for June 29, 2024.") is body text."""
    bare = _bare(text)
    labelled = p.date_prefix.match(bare) or p.byline.match(bare)
    return _is_paragraph(text, p) and (not labelled or _words(text) > 12)


def _date_in_line(text: str, p: _Patterns) -> str | None:
    """A date after a separator in a byline: "By Jane Doe | June 29, 2024"."""
    parts = re.split(r"\s[|•·–—-]\s|,\s(?=\w+ \d)", text)
    return next((d for d in (_parse_date(x, p) for x in parts[1:]) if d), None)


def _mark_header(units: list[_Unit], first: int, meta: _Meta, p: _Patterns) -> None:
    """Before the first paragraph: the title, bylines and dates; short leftovers are labels.

    The title is the longest heading there: a masthead ("Harbour Times") comes first but is short.
    """
    headings = [i for i in range(first) if units[i].reason is None and _is_heading(units[i].text, p)
                and _words(units[i].text) >= 2]
    if meta.title is None and headings:
        best = max(headings, key=lambda i: (_words(units[i].text), i))
        meta.title, units[best].reason = units[best].text, "title"
        _read_dates_and_bylines(units, first, meta, p)
    for i in range(first):
        unit = units[i]
        if unit.reason is not None:
            continue
        if _same(unit.text, meta.title):
            unit.reason = "repeated_headline"
        elif _is_heading(unit.text, p) and _words(unit.text) < 12:
            unit.reason = "nav"


def _heading_reason(units: list[_Unit], i: int, title: str | None, p: _Patterns) -> str:
    """Subhead or teaser: a related-article headline is a full headline, a subhead is short."""
    text = units[i].text
    if _same(text, title):
        return "repeated_headline"
    following = units[i + 1] if i + 1 < len(units) else None
    if following and following.reason is None and _is_heading(following.text, p):
        return "teaser"  # a headline stacked on a section heading
    if _is_title_case(text, p) or _words(text) <= 6:
        return "subhead"
    return "teaser"


def _mark_body(units: list[_Unit], first: int, last: int, title: str | None, p: _Patterns) -> None:
    """Headings between paragraphs go; list items under an introducing colon, or numbered, stay."""
    in_list = False
    for i in range(first, last + 1):
        unit = units[i]
        if unit.reason is not None:
            continue
        if not _is_heading(unit.text, p):
            in_list = unit.text.rstrip(_CLOSERS).endswith(":")
        elif not (in_list or _NUMBERED.match(unit.text)):
            unit.reason = _heading_reason(units, i, title, p)


def _is_bio(text: str, author: str | None, p: _Patterns) -> bool:
    if author and text.startswith(author.split(" and ")[0]):
        return True
    return bool(p.roles.search(text)) and not _ends_sentence(text)


def _mark_tail(units: list[_Unit], last: int, meta: _Meta, p: _Patterns) -> None:
    """After the last paragraph: bios, and teaser or label lines."""
    for unit in units[last + 1:]:
        if unit.reason is not None:
            continue
        if _same(unit.text, meta.title):
            unit.reason = "repeated_headline"
        elif _is_bio(unit.text, meta.author, p):
            unit.reason = "bio"
        else:
            unit.reason = "teaser" if _words(unit.text) >= 3 else "nav"


def _mark_closing_bios(units: list[_Unit], meta: _Meta, p: _Patterns) -> None:
    """Closing lines about the author: the name alone, or "Jane Doe is a reporter in Rome."."""
    if not meta.author:
        return
    name = meta.author.split(" and ")[0]
    for unit in reversed([u for u in units if u.reason is None]):
        if not unit.text.startswith(name) or _words(unit.text) > 40:
            return
        if not (p.roles.search(unit.text) or _is_heading(unit.text, p)):
            return
        unit.reason = "bio"


def _cut_comments(units: list[_Unit], p: _Patterns) -> None:
    """Everything after the comments heading, once the article is behind us.

    "Behind us" means three paragraphs or half the paragraph words: a comment thread can be
    longer than the article, and a "12 comments" counter near the headline must not cut it.
    """
    total = sum(_words(u.text) for u in units if u.reason is None and _is_paragraph(u.text, p))
    seen = paragraphs = 0
    for i, unit in enumerate(units):
        if unit.reason is None and _is_paragraph(unit.text, p):
            seen, paragraphs = seen + _words(unit.text), paragraphs + 1
        behind = paragraphs >= 3 or (total and seen >= 0.5 * total)
        if behind and p.comments_start.match(_bare(unit.text)):
            for later in units[i:]:
                later.reason = later.reason or "share_prompt"
            unit.reason = "share_prompt"
            return


def _paragraph_range(units: list[_Unit], p: _Patterns) -> tuple[int, int]:
    found = [i for i, u in enumerate(units) if u.reason is None and _is_paragraph(u.text, p)]
    return (found[0], found[-1]) if found else (0, len(units) - 1)


def _dateline(units: list[_Unit], meta: _Meta, p: _Patterns) -> str | None:
    first = next((u for u in units if u.reason is None), None)
    match = p.dateline.match(first.text) if first else None
    if match:
        return match["place"].strip(" ,")
    return meta.place


def _assemble(units: list[_Unit]) -> tuple[str, list[Removal]]:
    """The kept units as paragraphs joined by a blank line, and each dropped one with where it stood.

    A removal's ``at`` is the offset in the body just after the kept paragraph before it (0 when none).
    """
    kept: list[str] = []
    removed: list[Removal] = []
    offset = 0
    for unit in units:
        if unit.reason is None:
            offset += (2 if kept else 0) + len(unit.text)
            kept.append(unit.text)
        else:
            removed.append(Removal(unit.text, unit.reason, unit.line, at=offset))
    return "\n\n".join(kept), removed


def strip_furniture(text: str, reasons: frozenset[str] | None = None) -> tuple[str, list[Removal]]:
    """Drop only the lines that page-furniture patterns recognise (captions, share prompts, teasers...).

    For text an extractor already isolated (trafilatura's output): no layout rules, so
    headings and short paragraphs stay. ``reasons`` limits which kinds are dropped.
    """
    p = _patterns()
    units = _units(text, join_wrapped=False)  # extractor output is one paragraph a line
    _mark_patterns(units, p)
    _mark_captions(units, p)
    _mark_widget_lists(units, p)
    for unit in units:
        if reasons is not None and unit.reason not in reasons:
            unit.reason = None
    return _assemble(units)


def clean_page_text(raw: str, source: str = "") -> CleanResult:
    """Clean a page dump: the body paragraphs, the metadata, and a record of what was dropped."""
    p = _patterns()
    units = _units(raw)
    if not units:
        return CleanResult(text="")
    _mark_patterns(units, p)
    _mark_captions(units, p)
    _mark_widget_lists(units, p)
    _cut_comments(units, p)
    meta = _Meta()
    first, last = _paragraph_range(units, p)
    _read_dates_and_bylines(units, first, meta, p)
    _mark_header(units, first, meta, p)
    _mark_closing_bios(units, meta, p)
    first, last = _paragraph_range(units, p)
    _mark_body(units, first, last, meta.title, p)
    _mark_tail(units, last, meta, p)
    body, removed = _assemble(units)
    return CleanResult(
        text=body,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        outlet=_outlet(units, source, p),
        dateline=_dateline(units, meta, p),
        removed=removed,
    )
