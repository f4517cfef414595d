"""Per-document working state shared by the attribution rules: the parse, the quotes, the mentions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from newsgraph.extract.attribution.cues import cue_at
from newsgraph.extract.attribution.lexicon import Lexicon
from newsgraph.extract.attribution.marks import QUOTE_CHARS, Marked, find_quote_marks, paragraphs
from newsgraph.model import Analysis, Mention, Span

# The registered name of the attribution stage (its name from when it found only quotes; kept so the
# per-language plan and failure records keep addressing it).
STAGE = "quotes"
# spaCy labels used only when the entities stage has not run (mentions empty).
FALLBACK_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "COUNTRY", "NORP": "NORP", "FAC": "FACILITY"}
# The only mention types that may speak (NORP once the entity vocabulary has it).
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "COUNTRY", "NORP"})


@dataclass
class DocState:
    analysis: Analysis
    lex: Lexicon
    marks: list[Marked]
    mentions: list[Mention]
    names: dict[str, str]
    paras: list[tuple[int, int]] = field(default_factory=list)
    inside: list[bool] = field(default_factory=list)
    # speaker candidates outside quotes: (position, mention, salient), PERSON and ORG/COUNTRY/NORP apart
    persons: list[tuple[int, Mention, bool]] = field(default_factory=list)
    groups: list[tuple[int, Mention, bool]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        doc = self.analysis.nlp
        self.paras = paragraphs(self.text)
        self._pstarts = [p[0] for p in self.paras]
        self._tstarts = [t.idx for t in doc]
        self._mstarts = [m.start for m in self.mentions]
        self.mention_starts = self._mstarts
        self.inside = [False] * len(doc)
        self.quote_of: list[Marked | None] = [None] * len(doc)
        for q in self.marks:
            for i in range(bisect_left(self._tstarts, q.open_at), bisect_right(self._tstarts, q.last)):
                self.inside[i] = True
                self.quote_of[i] = q

    @property
    def doc(self) -> Any:
        return self.analysis.nlp

    @property
    def text(self) -> str:
        return self.analysis.document.text

    @property
    def doc_id(self) -> str:
        return self.analysis.document.id

    def para_of(self, pos: int) -> int:
        return bisect_right(self._pstarts, pos) - 1

    def mention_at(self, pos: int) -> Mention | None:
        i = bisect_right(self._mstarts, pos) - 1
        while i >= 0 and self.mentions[i].start > pos - 200:
            m = self.mentions[i]
            if m.start <= pos < m.end:
                return m
            i -= 1
        return None

    def token_index(self, pos: int) -> int:
        """The index of the first token starting at or after ``pos``."""
        return bisect_left(self._tstarts, pos)

    def token_before(self, pos: int) -> Any:
        i = bisect_left(self._tstarts, pos) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text in QUOTE_CHARS or self.doc[i].text == "''"):
            i -= 1
        return self.doc[i] if i >= 0 else None

    def token_after(self, pos: int) -> Any:
        i = bisect_left(self._tstarts, pos)
        while i < len(self.doc) and (self.doc[i].is_space or self.doc[i].text in QUOTE_CHARS
                                     or self.doc[i].text == "''"):
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def sentence(self, tok: Any) -> Any:
        """The token's sentence, clipped to its paragraph (the parser may run a sentence across a line
        break: "..., Mr. Lee said.\n\nThe plant ...")."""
        sent = tok.sent
        ps, pe = self.paras[self.para_of(tok.idx)]
        start = max(sent.start, self.token_index(ps))
        end = min(sent.end, max(self.token_index(pe), tok.i + 1))
        return self.doc[start:end]

    def outside(self, tokens: Any, para: int) -> list[Any]:
        """Tokens of the same paragraph that are not inside any quote."""
        return [t for t in tokens if not self.inside[t.i] and not t.is_space and self.para_of(t.idx) == para]

    def span(self, start: int, end: int) -> Span:
        return Span(self.doc_id, start, end, self.text[start:end])

    def tokens_span(self, first: Any, last: Any) -> Span:
        return self.span(first.idx, last.idx + len(last.text))

    def name(self, m: Mention) -> str:
        return self.names.get(m.entity or "", m.text)

    def in_quote(self, pos: int) -> bool:
        return any(q.open_at <= pos < q.last for q in self.marks)


def build_state(analysis: Analysis, lex: Lexicon) -> DocState:
    mentions = sorted(analysis.mentions or fallback_mentions(analysis), key=lambda m: m.start)
    names = {e.id: e.name for e in analysis.entities}
    state = DocState(analysis, lex, find_quote_marks(analysis.document.text), mentions, names)
    for m in state.mentions:
        if m.label in SPEAKER_LABELS and not state.in_quote(m.start):
            entry = (m.start, m, salient(state, m))
            (state.persons if m.label == "PERSON" else state.groups).append(entry)
    return state


def fallback_mentions(analysis: Analysis) -> list[Mention]:
    """Mentions from spaCy's own entities, for when the entities stage has not run."""
    doc_id = analysis.document.id
    return [
        Mention(doc_id, e.start_char, e.end_char, e.text, FALLBACK_LABELS[e.label_], None, None, "model")
        for e in analysis.nlp.ents
        if e.label_ in FALLBACK_LABELS
    ]


def salient(state: DocState, m: Mention) -> bool:
    """Subject of a main clause or of a cue verb, or the agent of a passive ("by X")."""
    i, j = state.token_index(m.start), state.token_index(m.end)
    for t in state.doc[i:j]:
        if t.dep_ in ("nsubj", "nsubjpass"):
            verb = t.head
            return verb.dep_ in ("ROOT", "conj", "parataxis") or cue_at(state.lex, verb) is not None
        if t.dep_ == "pobj" and t.head.dep_ == "agent":
            return True
    return False
