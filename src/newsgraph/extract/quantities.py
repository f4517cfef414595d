"""Quantities: numbers with their unit, bound and kind, each with an exact span.

"up to 10 F-35B" is (<=, 10, F-35B); "27,100-ton" is (=, 27100, ton, mass);
"sixth-generation" is (ordinal 6, attribute generation); "over two decades" is
(>, 20, year, duration). Numbers are found with patterns built from
``kb/units.yaml``; the counted noun ("two German *ships*") comes from the spaCy
parse, because only the parse knows that the number modifies that noun.

Library choice: quantulum3 was rejected because it reads "10 F-35B" as a
quantity of "F" units and has no notion of bounds such as "up to"; the
lexicon-driven scanner below is small, fast and keeps exact spans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from newsgraph.errors import RejectedInput
from newsgraph.extract.guard import sentence_guard
from newsgraph.model import Analysis, Quantity, Span
from newsgraph.settings import KB_DIR, get_settings
from newsgraph.stages import Context, stage

_SENTENCE_BREAK = re.compile(r"[.;!?]\s")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _alt(words: Any) -> str:
    """A regex alternation, longest first so "per cent" beats "per"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """units.yaml plus the regexes compiled from it."""

    data: dict[str, Any]
    cardinal: re.Pattern[str]
    ordinal: re.Pattern[str]
    designation: re.Pattern[str]
    unit_after: re.Pattern[str]
    currency_after: re.Pattern[str]
    unit_forms: dict[str, str]


@cache
def lexicon() -> Lexicon:
    data = yaml.safe_load((KB_DIR / "units.yaml").read_text(encoding="utf-8"))
    words = _alt([*data["number_words"], *data["scale_words"]])
    word_num = rf"\b(?:{words})(?:(?:\s+|-)(?:and\s+)?(?:{words}))*\b"
    phrases = rf"\b(?:{_alt(data['number_phrases'])})\b"
    scale = rf"(?:\s+(?:{_alt(data['scale_words'])})\b|(?:{_alt(data['scale_suffixes'])})\b)?"
    cur = _alt(data["currency_before"])
    cardinal = (
        rf"(?<![\w.,/-])(?P<cur>(?:{cur})\s?)?"
        rf"(?P<num>(?:{_DIGITS})(?![\d,]*\d){scale}|{phrases}|{word_num})(?![\w:]|\.\d)"
    )
    ordinal = (
        rf"(?<![\w-])(?P<num>\d+(?:st|nd|rd|th)|(?:(?:{_alt(data['number_words'])})-)?"
        rf"(?:{_alt(data['ordinal_words'])}))\b"
    )
    forms = {f: unit for unit, spec in data["units"].items() for f in spec["forms"]}
    return Lexicon(
        data=data,
        cardinal=re.compile(cardinal, re.IGNORECASE),
        ordinal=re.compile(ordinal, re.IGNORECASE),
        designation=re.compile(rf"(?P<d>{data['designation_pattern']})s?"),
        unit_after=re.compile(rf"(?:\s+|-)(?P<u>{_alt(forms)})(?![\w%])", re.IGNORECASE),
        currency_after=re.compile(rf"\s+(?P<c>{_alt(data['currency_after'])})\b", re.IGNORECASE),
        unit_forms={f.lower(): u for f, u in forms.items()},
    )


# ---------------------------------------------------------------- number values


def parse_number(surface: str, lex: Lexicon | None = None) -> float | None:
    """The value of "27,100", "2.5 billion", "1bn", "twenty-five", "a dozen"; None if not a number."""
    lex = lex or lexicon()
    s = surface.strip().lower()
    phrases = lex.data["number_phrases"]
    if s in phrases:
        return float(phrases[s])
    m = re.fullmatch(rf"({_DIGITS})\s*([a-z]*)", s)
    if m:
        base = float(m.group(1).replace(",", ""))
        scale = m.group(2)
        mult = lex.data["scale_words"].get(scale) or lex.data["scale_suffixes"].get(scale)
        if scale and not mult:
            return None
        return round(base * mult, 6) if mult else base  # round: 4.1 * 1e9 is not 4099999999.9999995
    return _word_value(re.split(r"[\s-]+", s), lex)


def _word_value(words: list[str], lex: Lexicon) -> float | None:
    small, scales = lex.data["number_words"], lex.data["scale_words"]
    total = current = 0
    for w in words:
        if w == "and":
            continue
        if w in small:
            current += small[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in scales:
            total += max(current, 1) * scales[w]
            current = 0
        else:
            return None
    return float(total + current)


def _valid_word_sequence(words: list[str], lex: Lexicon) -> int:
    """How many leading words form one number ("two and three" is two numbers, not five)."""
    scales = lex.data["scale_words"]
    for i, w in enumerate(words):
        if w == "and" and (i == 0 or words[i - 1] not in scales):
            return i
    return len(words)


def _ordinal_value(surface: str, lex: Lexicon) -> int | None:
    s = surface.lower()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", s)
    if m:
        return int(m.group(1))
    tens, _, unit = s.rpartition("-")
    value = lex.data["ordinal_words"].get(unit)
    if value is None:
        return None
    return value + (lex.data["number_words"].get(tens, 0) if tens else 0)


# ---------------------------------------------------------------- context checks


def _bound_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    """The bound word(s) just before ``start`` and where they begin ("up to 10" -> "<=")."""
    before = text[max(0, start - 30) : start].lower()
    for phrase in sorted(lex.data["bounds_before"], key=len, reverse=True):
        m = re.search(rf"(?<![\w-]){re.escape(phrase)}\s+$", before)
        if m:
            return lex.data["bounds_before"][phrase], start - (len(before) - m.start())
    return "=", start


def _bound_after(text: str, end: int, lex: Lexicon) -> tuple[str | None, int]:
    for phrase, bound in lex.data["bounds_after"].items():
        m = re.match(rf"\s+{re.escape(phrase)}\b", text[end : end + 20], re.IGNORECASE)
        if m:
            return bound, end + m.end()
    return None, end


def _words_before(text: str, start: int, n: int = 3) -> str:
    return " ".join(text[max(0, start - 40) : start].lower().split()[-n:])


def _is_name_or_date(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """"World War 2", "Article 9", "August 26", "26 August", "10 a.m.", list markers are not quantities."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip() and text[end : end + 1] in (".", ")"):
        return True  # "1. Skip to content": a list marker
    before = _words_before(text, start)
    if any(re.search(rf"(?:^|\s){re.escape(p)}$", before) for p in lex.data["name_prefixes"]):
        return True
    months = lex.data["months"]
    prev_word = before.split()[-1].strip(",") if before else ""
    next_word = re.match(r"\s*([A-Za-z.]*)", text[end : end + 12]).group(1).lower().rstrip(".,")
    if re.search(rf"\b(?:{_alt(months)})\.?\s+\d{{1,2}},?\s*$", before):  # the year of "June 29, 2024"
        return True
    return prev_word in months or next_word in months or next_word in ("a.m", "p.m", "am", "pm", "gmt", "utc")


# ---------------------------------------------------------------- counted nouns


def _token_at(doc: Any, char: int) -> int | None:
    """Index of the first token starting at or after ``char``."""
    starts = [t.idx for t in doc]
    i = bisect.bisect_left(starts, char)
    return i if i < len(doc) else None


_MODIFIER_DEPS = {"compound", "nmod", "amod", "npadvmod"}


def _walk_noun_phrase(doc: Any, first: int, lex: Lexicon) -> tuple[str | None, Any, list[Any]]:
    """From the token after a number, walk to the counted noun: returns (designation, head, walked)."""
    designation, walked = None, []
    for tok in doc[first : first + 6]:
        m = lex.designation.fullmatch(tok.text)
        if m:
            designation = designation or m.group("d")
            walked.append(tok)
            if tok.dep_ not in _MODIFIER_DEPS:
                return designation, tok, walked
            continue
        if tok.pos_ == "ADJ" or (tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in _MODIFIER_DEPS):
            walked.append(tok)
            continue
        if tok.pos_ in ("NOUN", "PROPN"):
            walked.append(tok)
            return designation, tok, walked
        break
    nouns = [t for t in walked if t.pos_ in ("NOUN", "PROPN")]
    return designation, (nouns[-1] if nouns else None), walked


def _conjoined_noun(doc: Any, head: Any) -> Any:
    """"three frigates and destroyers": the bare noun conjoined to the counted noun, if any."""
    i = head.i
    if i + 2 < len(doc) and doc[i + 1].lower_ in ("and", "or"):
        nxt = doc[i + 2]
        bare = not any(c.dep_ in ("det", "nummod") for c in nxt.children)
        if nxt.pos_ == "NOUN" and nxt.head.i == i and nxt.dep_ == "conj" and bare:
            return nxt
    return None


def _counted_unit(doc: Any, num_end: int, num_tok_start: int, lex: Lexicon) -> tuple[str | None, int]:
    """The unit of a bare count and where the noun phrase ends (num_end if no noun)."""
    first = _token_at(doc, num_end)
    num_i = _token_at(doc, num_tok_start)
    if first is None or num_i is None:
        return None, num_end
    designation, head, walked = _walk_noun_phrase(doc, first, lex)
    if head is None:
        return None, num_end
    numbers = list(doc[num_i:first]) or [doc[first - 1]]
    attached = any(t.head in walked for t in numbers) or any(w.head in numbers for w in walked)
    if not attached:
        return None, num_end
    end = head.idx + len(head.text)
    if designation:
        return designation, end
    unit = head.lemma_.lower() if head.pos_ == "NOUN" else head.text
    conj = _conjoined_noun(doc, head)
    if conj is not None:
        return f"{unit} and {conj.lemma_.lower()}", conj.idx + len(conj.text)
    return unit, end


# ---------------------------------------------------------------- cardinals


@dataclass
class _Match:
    start: int
    end: int
    value: float
    high: float | None = None
    unit: str | None = None
    kind: str = "count"
    bound: str = "="
    attribute: str | None = None


def _range_high(text: str, m: re.Match[str], lex: Lexicon) -> tuple[float | None, int]:
    """"20 to 30", "20-30", "between 20 and 30": the upper value and the new end."""
    between = _words_before(text, m.start(), 1) == "between"
    joiner = r"\s+and\s+" if between else r"\s*(?:-|–|to\b)\s*"
    nxt = re.match(joiner, text[m.end() :])
    if not nxt:
        return None, m.end()
    second = lex.cardinal.match(text, m.end() + nxt.end())
    if not second or second.group("cur"):
        return None, m.end()
    value = parse_number(second.group("num"), lex)
    low = parse_number(m.group("num"), lex)
    if value is None or low is None or value <= low:  # "2023-24" is not a range of counts
        return None, m.end()
    return value, second.end()


def _measure(text: str, end: int, lex: Lexicon) -> tuple[str, str, float, int] | None:
    """A unit from the lexicon right after the number: (unit, kind, factor, end)."""
    if text.startswith("%", end):
        return "percent", "percent", 1.0, end + 1
    m = lex.unit_after.match(text, end)
    if not m:
        return None
    unit = lex.unit_forms[m.group("u").lower()]
    spec = lex.data["units"][unit]
    stop = m.end()
    tail = re.match(rf"-(?:{_alt(lex.data['unit_suffixes_ignored'])})\b", text[stop:])
    if tail:
        stop += tail.end()
    return spec.get("to", unit), spec["kind"], float(spec.get("factor", 1)), stop


def _cardinal(text: str, m: re.Match[str], doc: Any, lex: Lexicon) -> _Match | None:
    surface = m.group("num")
    words = re.split(r"[\s-]+", surface.lower())
    keep = _valid_word_sequence(words, lex)
    if keep < len(words):  # "two and three": keep only the first number
        return None
    value = parse_number(surface, lex)
    if value is None or _is_name_or_date(text, m.start(), m.end(), lex) or _is_pronoun_one(text, m, lex):
        return None
    high, end = _range_high(text, m, lex)
    q = _Match(m.start(), end, value, high)
    currency = m.group("cur")
    if currency:
        return _money(q, lex.data["currency_before"][currency.strip().lower()])
    return _unit_of(text, q, m, doc, lex)


def _is_pronoun_one(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """"one of", "one-on-one", "one another" are not counts."""
    if m.group("num").lower() != "one":
        return False
    after = text[m.end() : m.end() + 12].lower()
    return any(after.startswith(w) or after.startswith(" " + w) for w in lex.data["one_excluded_after"])


def _money(q: _Match, code: str) -> _Match:
    q.unit, q.kind = code, "money"
    return q


def _unit_of(text: str, q: _Match, m: re.Match[str], doc: Any, lex: Lexicon) -> _Match | None:
    surface = m.group("num")
    if re.search(r"\d(?:m|k|b)$", surface.lower()):  # "200m" without a currency is ambiguous
        return None
    cur = lex.currency_after.match(text, q.end)
    if cur:
        q.end = cur.end()
        return _money(q, lex.data["currency_after"][cur.group("c").lower()])
    measure = _measure(text, q.end, lex)
    if measure:
        unit, q.kind, factor, q.end = measure
        q.unit, q.value = unit, q.value * factor
        q.high = q.high * factor if q.high is not None else None
        return q
    q.unit, q.end = _counted_unit(doc, q.end, m.start("num"), lex)
    if q.unit is None:
        return _bare(text, q, surface, lex)
    return q


def _bare(text: str, q: _Match, surface: str, lex: Lexicon) -> _Match | None:
    """A number with no unit: a year if it looks like one, "one" never, else a bare count."""
    low, high = lex.data["year_range"]
    if re.fullmatch(r"\d{4}", surface) and low <= q.value <= high and q.high is None:
        q.kind = "year"
        return q
    if surface.lower() == "one":
        return None
    return q


# ---------------------------------------------------------------- ordinals


def _ordinals(text: str, lex: Lexicon) -> list[_Match]:
    found = []
    for m in lex.ordinal.finditer(text):
        value = _ordinal_value(m.group("num"), lex)
        if value is None or _is_discourse(text, m, lex):
            continue
        q = _Match(m.start(), m.end(), float(value), kind="ordinal")
        attr = re.match(rf"[\s-]+(?P<a>{_alt(lex.data['ordinal_attributes'])})\b", text[m.end() :], re.I)
        if attr:
            q.attribute, q.end = attr.group("a").lower(), m.end() + attr.end()
        found.append(q)
    return found


def _is_discourse(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    after = text[m.end() : m.end() + 12].lower()
    if any(after.startswith(w) or after.startswith(" " + w) for w in lex.data["ordinal_discourse_after"]):
        return True
    prev = _words_before(text, m.start(), 1)
    return prev in lex.data["ordinal_discourse_before"]


def _merge_first_in(text: str, found: list[_Match], lex: Lexicon) -> list[_Match]:
    """"first visit in 27 years" / "first time in over two decades" -> one duration, attribute first_in."""
    window = lex.data["first_in_window_words"]
    out, used = [], set()
    for q in found:
        if q.kind != "ordinal" or q.value != 1 or q.attribute:
            continue
        for d in found:
            between = text[q.end : d.start]
            fits = d.kind == "duration" and d.start > q.end and len(between.split()) <= window
            if fits and not _SENTENCE_BREAK.search(between) and re.search(r"\bin\s*$", between):
                merged = _Match(q.start, d.end, d.value, d.high, d.unit, "duration", d.bound)
                merged.attribute = lex.data["first_in_attribute"]
                out.append(merged)
                used.update({id(q), id(d)})
                break
    return [q for q in found if id(q) not in used] + out


# ---------------------------------------------------------------- public API


@cache
def _nlp() -> Any:
    import spacy

    return spacy.load(get_settings().spacy_model, disable=["ner"])


def find_quantities(text: str, doc_id: str = "", nlp_doc: Any = None) -> list[Quantity]:
    """Every quantity in ``text`` with an exact span; ``nlp_doc`` is parsed here when not given."""
    lex = lexicon()
    doc = nlp_doc if nlp_doc is not None else _nlp()(text)
    found = _ordinals(text, lex)
    taken = [(q.start, q.end) for q in found]
    for m in lex.cardinal.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        q = _cardinal(text, m, doc, lex)
        if q is not None:
            found.append(q)
            taken.append((q.start, q.end))
    found = _merge_first_in(text, [_with_bounds(text, q, lex) for q in found], lex)
    return [_to_quantity(text, q, doc_id) for q in sorted(found, key=lambda q: q.start)]


def _with_bounds(text: str, q: _Match, lex: Lexicon) -> _Match:
    if q.kind == "ordinal":
        return q
    bound, start = _bound_before(text, q.start, lex)
    after, end = _bound_after(text, q.end, lex)
    q.bound, q.start, q.end = after or bound, start, end
    return q


def _to_quantity(text: str, q: _Match, doc_id: str) -> Quantity:
    surface = text[q.start : q.end]
    return Quantity(
        text=surface,
        value=q.value,
        unit=q.unit,
        bound=q.bound,
        kind=q.kind,
        attribute=q.attribute,
        span=Span(doc_id, q.start, q.end, surface),
        high=q.high,
    )


@stage("quantities", 30)
def run(analysis: Analysis, ctx: Context) -> None:
    """The whole document at once; if that fails, sentence by sentence, each in ``sentence_guard``,
    so one sentence that breaks the parser is recorded (document id, offsets) and the rest is kept."""
    doc = analysis.document
    try:
        found = find_quantities(doc.text, doc.id, analysis.nlp)
    except RejectedInput:
        raise
    except Exception:  # recorded below, against the sentence that fails
        found = None
    if found is None:
        found = []
        for start, end, sent_doc in _sentences(analysis):
            with sentence_guard(analysis, "quantities", start, end):
                found.extend(_shifted(q, start) for q in find_quantities(doc.text[start:end], doc.id, sent_doc))
    analysis.quantities.extend(found)


def _sentences(analysis: Analysis) -> list[tuple[int, int, Any]]:
    """(start, end, parse or None) of each sentence: the parse's sentences, else the text's lines."""
    if analysis.nlp is not None:
        return [(s.start_char, s.end_char, s.as_doc()) for s in analysis.nlp.sents]
    text, out, start = analysis.document.text, [], 0
    for line in text.splitlines(keepends=True):
        out.append((start, start + len(line), None))
        start += len(line)
    return out


def _shifted(q: Quantity, offset: int) -> Quantity:
    span = q.span
    if span is not None:
        q.span = Span(span.doc, span.start + offset, span.end + offset, span.text)
    return q
