"""Recognition: the regex grammar (``kb/time_grammar.yaml``) over the word lists (``kb/time.yaml``).

Each rule is a named regex; a match becomes a ``Candidate`` whose named groups the resolver of the
same name (``normalise.RESOLVERS``) turns into a TimeML value. Overlapping matches are reduced to the
longest, then the leftmost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from newsgraph.extract.time.lexicon import Lexicon, lexicon
from newsgraph.settings import KB_DIR

GRAMMAR_YAML = KB_DIR / "time_grammar.yaml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass
class Candidate:
    """One regex match: the rule that fired, its span and its named groups."""

    rule: str
    start: int
    end: int
    groups: dict[str, str]


def alternation(words: Any) -> str:
    """A regex alternation, longest first so "a couple of" wins over "a"."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def word_lists(lx: Lexicon) -> dict[str, str]:
    """The alternations the grammar's ``{name}`` placeholders may use."""
    full = [m for m in lx.months if len(m) > 4 or m in ("May", "June", "July")]
    numerals = lx.numerals.items()
    units = list(lx.units)
    lists = {
        "months_full": full,
        "months_abbr": [m for m in lx.months if m not in full],
        "tens": [k for k, v in numerals if isinstance(v, int) and 20 <= v < 100],
        "ones": [k for k, v in numerals if isinstance(v, int) and v < 10 and " " not in k],
        "units_any": [*units, "centuries"],
        "units_plural": [u + "s" for u in units if u != "century"],
    }
    for name in ("weekdays", "position_modifiers", "relative", "numerals", "vague_numerals", "amount_modifiers",
                 "amount_prepositions", "seasons", "parts_of_day", "ordinals", "deictic_days", "references", "sets"):
        lists[name] = list(getattr(lx, name))
    return {name: alternation(words) for name, words in lists.items()}


def expand(pattern: str, names: dict[str, str], depth: int = 0) -> str:
    """Replace ``{name}`` placeholders (pieces may use other pieces); regex quantifiers stay."""
    if depth > 5:
        raise ValueError(f"time grammar: placeholders nest too deep in {pattern[:60]!r}")

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        return expand(names[name], names, depth + 1) if name in names else m.group(0)

    return _PLACEHOLDER.sub(sub, pattern)


@lru_cache(maxsize=1)
def grammar() -> list[tuple[str, re.Pattern[str]]]:
    """The rules, compiled once, in file order."""
    spec = yaml.safe_load(GRAMMAR_YAML.read_text(encoding="utf-8"))
    names = word_lists(lexicon()) | spec["pieces"]
    guard = spec["start_guard"]
    out = []
    for name, pattern in spec["rules"].items():
        full = expand(pattern, names)
        out.append((name, re.compile(full if full.startswith("(?<") else guard + full)))
    return out


def _span(m: re.Match[str]) -> tuple[int, int]:
    if "t" in m.re.groupindex and m.group("t") is not None:
        return m.start("t"), m.end("t")
    return m.start(), m.end()


def find_candidates(text: str, start: int = 0, end: int | None = None) -> list[Candidate]:
    """All rule matches in ``text[start:end]``, reduced to non-overlapping spans (longest, then leftmost)."""
    end = len(text) if end is None else end
    found: list[Candidate] = []
    for name, rx in grammar():
        for m in rx.finditer(text, start, end):
            s, e = _span(m)
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            found.append(Candidate(name, s, e, groups))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[Candidate] = []
    for cand in found:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)
