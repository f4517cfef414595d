"""One document as the claim rules read it: text, parse, mentions by position, entity types, salience."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import cached_property
from typing import Any

from newsgraph.model import Analysis, Mention


class DocView:
    """Read-only lookups over an analysed document, built once per document."""

    def __init__(self, analysis: Analysis, kb: Any = None) -> None:
        self.analysis = analysis
        self.kb = kb
        self.nlp = analysis.nlp
        self.text = analysis.document.text
        self.ents = {e.id: e for e in analysis.entities}
        self.sents = list(analysis.nlp.sents)
        self.mentions = sorted(analysis.mentions, key=lambda m: (m.start, m.end))
        self._starts = [m.start for m in self.mentions]

    def type_of(self, m: Mention) -> str:
        e = self.ents.get(m.entity) if m.entity else None
        return e.type if e is not None else m.label

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        """Mentions that start inside [lo, hi)."""
        i = bisect.bisect_left(self._starts, lo)
        j = bisect.bisect_left(self._starts, hi)
        return self.mentions[i:j]

    def in_sentence(self, sent: Any) -> list[Mention]:
        return [m for m in self.mentions_in(sent.start_char, sent.end_char) if m.end <= sent.end_char]

    def sentence_index(self, char: int) -> int:
        starts = [s.start_char for s in self.sents]
        return max(0, bisect.bisect_right(starts, char) - 1)

    @cached_property
    def salience(self) -> dict[str, float]:
        """Entity key -> how central it is to the article: mentions (those in the lead paragraph count
        double) plus a bonus when the headline names it. The article's own subject ranks first even when
        it is named only after the value ("a sixth-generation fighter ... the GCAP programme")."""
        from newsgraph.extract.claims.spec import attribute_specs

        cfg = attribute_specs()["salience"]
        lead_end = self._lead_end()
        score: dict[str, float] = defaultdict(float)
        for m in self.mentions:
            score[key(m)] += cfg["lead_mention"] if m.start < lead_end else 1.0
        title = self.analysis.document.title or ""
        for k, names in self._names().items():
            if title and any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title, re.IGNORECASE) for n in names):
                score[k] += cfg["headline"]
        return dict(score)

    def _lead_end(self) -> int:
        para = re.search(r"\S.{40,}?(?:\n|$)", self.text)
        return para.end() if para else len(self.text)

    def _names(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = defaultdict(set)
        for m in self.mentions:
            if len(m.text) >= 3:
                names[key(m)].add(m.text)
        for e in self.ents.values():
            names[e.id] |= {n for n in (e.name, *e.aliases) if n and len(n) >= 3}
        return names


def key(m: Mention) -> str:
    """The document-local entity key of a mention (its text when it was never clustered)."""
    return m.entity or m.text
