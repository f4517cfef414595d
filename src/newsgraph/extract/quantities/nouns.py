"""The counted noun of a bare count ("two German *ships*", "10 F-35B jets"), read from the spaCy parse:
only the parse knows that the number modifies that noun."""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IDX

from newsgraph.extract.quantities.lexicon import Lexicon


def _token_at(doc: Any, char: int) -> int | None:
    """Index of the first token starting at or after ``char``."""
    starts = doc.to_array(IDX)  # the offsets straight from the parse, without a Python token each
    i = int(numpy.searchsorted(starts, char, side="left"))
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


def counted_unit(doc: Any, num_end: int, num_tok_start: int, lex: Lexicon) -> tuple[str | None, int]:
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

