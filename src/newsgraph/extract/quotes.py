"""Direct quotes and who said them (stage ``quotes``, order 40).

Quote marks are paired by a character scanner (curly and straight double quotes, the
multi-paragraph convention, single quotes only where they clearly quote). Speakers are
found by rules over the spaCy parse and the entity mentions, because no coreference model
can be loaded offline. In order of preference:

1. a speech cue in the quote's own sentence ("..., said X", "X told DW that ...",
   "according to X", "X ...: '...'"); ``same_sentence`` / ``apposition`` / ``pronoun``;
2. a colon-ended introduction closing the paragraph before (``colon_intro``);
3. the speaker of a quote in the paragraph before, when this paragraph opens with a
   quote and names no one (``paragraph_continuation``);
4. a speech cue in the sentence before (``previous_sentence``);
5. otherwise the quote is kept with no speaker (``unattributed``).

A paragraph of first-person speech that ends ", he told DW." is taken as a direct quote whose
marks were lost (``unmarked``): a reporter's own paraphrase would not say "we".

Pronouns ("he told DW") and role nouns ("the expert noted") resolve to the most recent
PERSON of a fitting gender that spoke nearby, else to the most recent fitting PERSON.
The lexicon (speech verbs, pronouns, role nouns, first-name gender hints) is data:
``kb/speech.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from newsgraph.model import Analysis, Mention, Quote, Span, stable_id
from newsgraph.settings import KB_DIR
from newsgraph.stages import Context, stage

SPEECH_FILE = KB_DIR / "speech.yaml"
QUOTE_CHARS = frozenset("“”„\"‘’'")
_SENTENCE_END = frozenset(".!?")
# spaCy labels used only when the entities stage has not run (mentions empty).
_FALLBACK_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "COUNTRY", "FAC": "FACILITY"}
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "COUNTRY"})


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: frozenset[str]
    phrasal: dict[str, str]
    channel: frozenset[str]
    according: frozenset[str]
    pronouns: dict[str, str | None]
    role_nouns: frozenset[str]
    names: dict[str, str]  # lower-case first name -> male / female
    honorifics: dict[str, str]  # lower-case title -> male / female
    max_scare_words: int
    minor_words: frozenset[str]


@lru_cache(maxsize=4)
def load_lexicon(path: Path = SPEECH_FILE) -> Lexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def invert(groups: dict[str, list[str]]) -> dict[str, str]:
        return {w.lower(): gender for gender, words in groups.items() for w in words}

    return Lexicon(
        speech_verbs=frozenset(data["speech_verbs"]),
        phrasal=dict(data.get("phrasal_verbs") or {}),
        channel=frozenset(data.get("channel_verbs") or []),
        according=frozenset(data.get("according_to") or []),
        pronouns=dict(data["pronouns"]),
        role_nouns=frozenset(data.get("role_nouns") or []),
        names=invert(data.get("first_names") or {}),
        honorifics=invert(data.get("honorifics") or {}),
        max_scare_words=int(data.get("scare_quote_max_words", 3)),
        minor_words=frozenset(data.get("title_case_minor_words") or []),
    )


# --------------------------------------------------------------------------- quote marks


@dataclass(frozen=True)
class Marked:
    """A quoted stretch: ``start``/``end`` bound the words, ``open_at``/``close_at`` the marks."""

    start: int
    end: int
    open_at: int
    close_at: int | None  # None: the quote runs to a paragraph end without a closing mark


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, leading and trailing blanks excluded."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s](?:[^\n]*[^\s])?", text)]


def find_quote_marks(text: str) -> list[Marked]:
    """Every quoted stretch in ``text``: double quotes first, then single quotes outside them."""
    paras = paragraphs(text)
    doubles = _double_quotes(text, paras)
    return sorted(doubles + _single_quotes(text, paras, doubles), key=lambda m: m.open_at)


def _double_quotes(text: str, paras: list[tuple[int, int]]) -> list[Marked]:
    found: list[Marked] = []
    open_at: int | None = None
    for k, (ps, pe) in enumerate(paras):
        for m in re.finditer(r"[“”„\"]", text[ps:pe]):
            pos, ch = ps + m.start(), m.group()
            if open_at is None:
                open_at = pos if _can_open(text, pos, ps) else None  # stray closing marks open nothing
            elif pos == ps and ch != "”" and open_at < ps:
                continue  # the paragraph re-opens a quote carried over: it goes on
            elif ch in "“„":
                open_at = pos  # an opening mark while open: the earlier one was never closed
            else:
                found += _marked(text, open_at, pos, pos)
                open_at = None
        if open_at is not None and not _continues(text, paras, k):
            found += _marked(text, open_at, None, pe)
            open_at = None
    return found


def _can_open(text: str, pos: int, ps: int) -> bool:
    """Curly openers always open; a straight mark only at a word start (not the inch in 12")."""
    ch = text[pos]
    if ch != '"':
        return ch != "”"
    before = text[pos - 1] if pos > ps else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _continues(text: str, paras: list[tuple[int, int]], k: int) -> bool:
    """An unclosed quote goes on if the next paragraph re-opens it or closes it first."""
    if k + 1 >= len(paras):
        return False
    ns, ne = paras[k + 1]
    nxt = text[ns:ne]
    if nxt[0] in "“„\"":
        return True
    first = re.search(r"[“”„\"]", nxt)
    if first is None:
        return False
    i = first.start()
    closing_straight = nxt[i] == '"' and i > 0 and not nxt[i - 1].isspace()
    return nxt[i] == "”" or closing_straight


def _marked(text: str, open_at: int, close_at: int | None, end: int) -> list[Marked]:
    start = open_at + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return [Marked(start, end, open_at, close_at)] if end > start else []


_SINGLE_OPEN = re.compile(r"(?<![^\s(\[—–“\"])[‘'](?=[^\W\d_]|\[)")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s‘'])[’'](?![^\W_])")


def _single_quotes(text: str, paras: list[tuple[int, int]], doubles: list[Marked]) -> list[Marked]:
    """Single quotes only as a clear pair in one paragraph: an apostrophe never opens one."""
    covered = [(d.open_at, d.close_at if d.close_at is not None else d.end) for d in doubles]

    def inside(pos: int) -> bool:
        return any(a <= pos <= b for a, b in covered)

    found: list[Marked] = []
    for ps, pe in paras:
        pos = ps
        while (op := _SINGLE_OPEN.search(text, pos, pe)) is not None:
            pos = op.end()
            if inside(op.start()):
                continue
            cl = _SINGLE_CLOSE.search(text, op.end() + 1, pe)
            if cl is None or inside(cl.start()):
                continue
            found += _marked(text, op.start(), cl.start(), cl.start())
            pos = cl.end()
    return found


# --------------------------------------------------------------------------- attribution


@dataclass
class Cue:
    token: Any  # spacy Token: the verb, "according", or the colon
    text: str
    subject: Any  # spacy Token or None
    channel: bool = False  # "X reported": X carries the quote, a person's own cue wins


@dataclass
class Found:
    """A speaker: the mention (None when only a name phrase or nothing resolved) and how."""

    mention: Mention | None
    span: Span
    name: str | None
    method: str


@dataclass
class _Doc:
    """Per-document working state shared by the attribution rules."""

    analysis: Analysis
    lex: Lexicon
    marks: list[Marked]
    mentions: list[Mention]
    names: dict[str, str]
    paras: list[tuple[int, int]] = field(default_factory=list)
    inside: list[bool] = field(default_factory=list)
    # PERSON mentions outside quotes and resolved speakers: (position, mention, salient)
    persons: list[tuple[int, Mention, bool]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        doc, text = self.analysis.nlp, self.analysis.document.text
        self.paras = paragraphs(text)
        self._pstarts = [p[0] for p in self.paras]
        self._tstarts = [t.idx for t in doc]
        self._mstarts = [m.start for m in self.mentions]
        self.inside = [False] * len(doc)
        for q in self.marks:
            last = q.close_at if q.close_at is not None else q.end
            for i in range(bisect_left(self._tstarts, q.open_at), bisect_right(self._tstarts, last)):
                self.inside[i] = True

    @property
    def doc(self) -> Any:
        return self.analysis.nlp

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

    def token_before(self, pos: int) -> Any:
        i = bisect_left(self._tstarts, pos) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text in QUOTE_CHARS):
            i -= 1
        return self.doc[i] if i >= 0 else None

    def token_after(self, pos: int) -> Any:
        i = bisect_left(self._tstarts, pos)
        while i < len(self.doc) and (self.doc[i].is_space or self.doc[i].text in QUOTE_CHARS):
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def outside(self, tokens: Any, para: int) -> list[Any]:
        """Tokens of the same paragraph that are not inside any quote."""
        return [t for t in tokens if not self.inside[t.i] and not t.is_space and self.para_of(t.idx) == para]


def _build(analysis: Analysis, lex: Lexicon) -> _Doc:
    mentions = sorted(analysis.mentions or _fallback_mentions(analysis), key=lambda m: m.start)
    names = {e.id: e.name for e in analysis.entities}
    state = _Doc(analysis, lex, find_quote_marks(analysis.document.text), mentions, names)
    state.persons = _persons(state)
    return state


def _fallback_mentions(analysis: Analysis) -> list[Mention]:
    """Mentions from spaCy's own entities, for when the entities stage has not run."""
    doc_id = analysis.document.id
    return [
        Mention(doc_id, e.start_char, e.end_char, e.text, _FALLBACK_LABELS[e.label_], None, None, "model")
        for e in analysis.nlp.ents
        if e.label_ in _FALLBACK_LABELS
    ]


def _persons(state: _Doc) -> list[tuple[int, Mention, bool]]:
    """PERSON mentions outside quotes, flagged salient when they head a main clause or speak."""
    out = []
    for m in state.mentions:
        if m.label == "PERSON" and not _in_quote(state, m.start):
            out.append((m.start, m, _salient(state, m)))
    return out


def _salient(state: _Doc, m: Mention) -> bool:
    """Subject of a main clause or of a speech verb, or the agent of a passive ("by X")."""
    i, j = bisect_left(state._tstarts, m.start), bisect_left(state._tstarts, m.end)
    for t in state.doc[i:j]:
        if t.dep_ in ("nsubj", "nsubjpass"):
            verb = t.head
            return verb.dep_ in ("ROOT", "conj", "parataxis") or _cue_at(state, verb) is not None
        if t.dep_ == "pobj" and t.head.dep_ == "agent":
            return True
    return False


def _cue_at(state: _Doc, tok: Any) -> Cue | None:
    lex = state.lex
    if tok.lower_ in lex.according and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
        obj = next((c for c in tok.nbor().children if c.dep_ == "pobj"), None)
        return Cue(tok, "according to", obj, channel=True)
    if not (tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")):
        return None
    lemma = tok.lemma_.lower()
    text = tok.text
    if lemma in lex.phrasal:
        prt = next((c for c in tok.children if c.dep_ == "prt" and c.lower_ == lex.phrasal[lemma]), None)
        if prt is None:
            return None
        text = f"{tok.text} {prt.text}"
    elif lemma not in lex.speech_verbs:
        return None
    subject = _subject(tok)
    if subject is not None and subject.tag_ in ("WP", "WDT"):
        return None  # "who writes on defense": a relative clause describes, it does not speak
    return Cue(tok, text, subject, channel=lemma in lex.channel)


def _subject(verb: Any, depth: int = 0) -> Any:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    for c in verb.children:
        if c.dep_ == "agent":  # "was announced by X"
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if verb.dep_ == "conj" and depth < 3:  # "said ... but added": the subject is shared
        return _subject(verb.head, depth + 1)
    # inverted order misparsed as an object: '..., said Zappa.'
    return next((c for c in verb.rights if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ == "PROPN"), None)


# --------------------------------------------------------------------------- speakers


def _speaker_of(state: _Doc, subj: Any, method: str) -> Found | None:
    """Who the subject token of a cue refers to, or None when it cannot be told."""
    doc_id = state.analysis.document.id
    anaphor = "pronoun" if method == "same_sentence" else method
    if subj.lower_ in state.lex.pronouns:
        m = _antecedent(state, subj.idx, state.lex.pronouns[subj.lower_])
        return _found(state, m, _tok_span(doc_id, subj, subj), anaphor)
    m = _mention_in_subject(state, subj)
    if m is not None:
        if method == "same_sentence" and _has_apposition(subj):
            method = "apposition"
        return Found(m, m.span, _name(state, m), method)
    if subj.pos_ == "PROPN":  # a name the entity stage missed: keep the words, no entity id
        return _description(doc_id, subj, method)
    described = subj.tag_ == "NNS" or any(c.dep_ in ("det", "poss", "nummod") for c in subj.children)
    if subj.pos_ != "NOUN" or not described:
        return None  # a bare singular noun ("time said") is no speaker
    if _is_role_noun(state, subj):  # "the expert noted": the person quoted before
        m = _antecedent(state, subj.idx, None)
        if m is not None:
            return Found(m, _description(doc_id, subj, method).span, _name(state, m), anaphor)
    return _description(doc_id, subj, method)  # "the ministry said": words, no entity


def _description(doc_id: str, subj: Any, method: str) -> Found:
    """The subject's own words (determiner, modifiers, name parts), with no entity behind them."""
    parts = [c for c in subj.lefts if c.dep_ in ("det", "poss", "nummod", "compound", "amod", "flat")]
    span = _tok_span(doc_id, parts[0] if parts else subj, subj)
    return Found(None, span, span.text, method)


def _found(state: _Doc, m: Mention | None, span: Span, method: str) -> Found | None:
    if m is None:
        return None
    return Found(m, span, _name(state, m), method)


def _tok_span(doc_id: str, first: Any, last: Any) -> Span:
    start, end = first.idx, last.idx + len(last.text)
    return Span(doc_id, start, end, first.doc.text[start:end])


def _is_role_noun(state: _Doc, tok: Any) -> bool:
    if tok.pos_ != "NOUN":
        return False
    phrase = " ".join(t.lower_ for t in tok.subtree if t.dep_ == "compound" or t is tok)
    has_det = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)
    return has_det and (tok.lemma_.lower() in state.lex.role_nouns or phrase in state.lex.role_nouns)


def _has_apposition(subj: Any) -> bool:
    """The name is followed by a descriptor before its verb: "X, an expert at Y, says"."""
    return subj.i < subj.head.i and any(
        c.dep_ in ("appos", "relcl", "acl") and c.i > subj.i for c in subj.children
    )


def _mention_in_subject(state: _Doc, subj: Any) -> Mention | None:
    m = state.mention_at(subj.idx)
    if m is not None and m.label in _SPEAKER_LABELS:
        return m
    # the head may be a title ("Minister") next to the name: look in the phrase before any comma
    for t in subj.subtree:
        if t.text == "," and t.i > subj.i:
            break
        m = state.mention_at(t.idx)
        if m is not None and m.label == "PERSON":
            return m
    return None


def _name(state: _Doc, m: Mention) -> str:
    return state.names.get(m.entity or "", m.text)


def _key(m: Mention) -> str:
    return m.entity or m.text


def _gender(state: _Doc, m: Mention) -> str | None:
    known = state.gender.get(_key(m))
    if known:
        return known
    before = state.token_before(m.start)
    if before is not None and before.lower_ in state.lex.honorifics:
        return state.lex.honorifics[before.lower_]
    first = _name(state, m).split()[0].lower() if _name(state, m).split() else ""
    return state.lex.names.get(first)


def _fits(state: _Doc, m: Mention, gender: str | None) -> bool:
    g = _gender(state, m)
    return gender is None or g is None or g == gender


def _antecedent(state: _Doc, pos: int, gender: str | None) -> Mention | None:
    """The most recent fitting PERSON that is salient (a main-clause subject or a speaker) in the
    last few paragraphs, else the most recent fitting PERSON."""
    para = state.para_of(pos)
    window = state.paras[max(0, para - 3)][0] if para >= 0 else 0
    earlier = [(p, m, salient) for p, m, salient in state.persons if p < pos and _fits(state, m, gender)]
    for p, m, salient in reversed(earlier):
        if salient and p >= window:
            return _learn(state, m, gender)
    return _learn(state, earlier[-1][1], gender) if earlier else None


def _learn(state: _Doc, m: Mention, gender: str | None) -> Mention:
    if gender is not None:
        state.gender.setdefault(_key(m), gender)
    return m


def _in_quote(state: _Doc, pos: int) -> bool:
    return any(q.open_at <= pos < (q.close_at if q.close_at is not None else q.end) for q in state.marks)


# --------------------------------------------------------------------------- contexts


def _left_tokens(state: _Doc, q: Marked) -> list[Any]:
    """The quote's own sentence before the opening mark (empty when the quote starts it)."""
    t = state.token_before(q.open_at)
    para = state.para_of(q.open_at)
    if t is None or state.para_of(t.idx) != para or t.text in _SENTENCE_END:
        return []
    return state.outside(state.doc[t.sent.start : t.i + 1], para)


def _right_tokens(state: _Doc, q: Marked) -> list[Any]:
    """The quote's own sentence after the closing mark (empty when a new sentence starts)."""
    if q.close_at is None:
        return []
    t = state.token_after(q.close_at + 1)
    text = state.analysis.document.text
    para = state.para_of(q.close_at)
    if t is None or state.para_of(t.idx) != para:
        return []
    ended = text[q.close_at - 1] in _SENTENCE_END
    if ended and t.text[:1].isupper() and _cue_at(state, t) is None:
        return []
    return state.outside(state.doc[t.i : t.sent.end], para)


def _previous_sentence(state: _Doc, q: Marked) -> list[Any]:
    """The sentence just before the quote: in its paragraph, else ending the paragraph before."""
    t = state.token_before(q.open_at)
    if t is None:
        return []
    para = state.para_of(t.idx)
    if para < state.para_of(q.open_at) - 1:
        return []
    return state.outside(state.doc[t.sent.start : t.i + 1], para)


def _quote_tokens(state: _Doc, q: Marked) -> list[Any]:
    i, j = bisect_left(state._tstarts, q.start), bisect_left(state._tstarts, q.end)
    return list(state.doc[i:j])


# --------------------------------------------------------------------------- rules


def _cue_speakers(state: _Doc, cues: list[Cue], method: str) -> list[tuple[Cue, Found]]:
    out = []
    for cue in cues:
        if cue.subject is None or cue.subject.lower_ in ("i", "we", "me"):
            continue  # the writer speaking for themselves is not a quoted speaker
        found = _speaker_of(state, cue.subject, method)
        if found is not None:
            out.append((cue, found))
    return out


def _prefer_person(pairs: list[tuple[Cue, Found]]) -> tuple[Cue, Found] | None:
    """The first pair, unless it is an outlet that carried a person's own words."""
    if not pairs:
        return None
    if pairs[0][0].channel:
        for other in pairs[1:]:
            if not other[0].channel and other[1].mention is not None and other[1].mention.label == "PERSON":
                return other
    return pairs[0]


def _same_sentence(state: _Doc, q: Marked, short: bool) -> tuple[Cue, Found] | None:
    left, right = _left_tokens(state, q), _right_tokens(state, q)
    right_cues = [c for t in right if (c := _cue_at(state, t)) is not None]
    left_cues = [c for t in reversed(left) if (c := _cue_at(state, t)) is not None]
    adjacent = [c for c in right_cues[:1] if c.token.i - right[0].i <= 4]
    if short:  # a scare quote counts only when a cue governs it or follows its closing comma
        inner = _quote_tokens(state, q)
        left_cues = [c for c in left_cues if any(c.token.is_ancestor(t) for t in inner)]
        text = state.analysis.document.text
        attributed = q.close_at is not None and text[q.close_at - 1] in ",?!"
        ranked = (right_cues if attributed else adjacent) + left_cues
    else:
        ranked = adjacent + left_cues + [c for c in right_cues if c not in adjacent]
    best = _prefer_person(_cue_speakers(state, ranked, "same_sentence"))
    if best is None and not short and left and left[-1].text == ":":
        best = _colon_speaker(state, left, "same_sentence")
    return best


def _colon_speaker(state: _Doc, tokens: list[Any], method: str) -> tuple[Cue, Found] | None:
    """"X gave me more context: '...'": the subject of the clause that ends in the colon."""
    cues = [c for t in reversed(tokens) if (c := _cue_at(state, t)) is not None]
    best = _prefer_person(_cue_speakers(state, cues, method))
    if best is not None:
        return best
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in t.children)]
    for verb in sorted(verbs, key=_depth):
        cue = Cue(tokens[-1], "colon", _subject(verb))
        if cue.subject.tag_ in ("WP", "WDT"):
            continue
        pairs = _cue_speakers(state, [cue], method)
        if pairs:
            return pairs[0]
    return None


def _depth(tok: Any) -> int:
    d = 0
    while tok.head is not tok and d < 50:
        tok, d = tok.head, d + 1
    return d


def _colon_intro(state: _Doc, q: Marked) -> tuple[Cue, Found] | None:
    prev = _previous_sentence(state, q)
    if not prev or prev[-1].text != ":" or state.para_of(prev[-1].idx) == state.para_of(q.open_at):
        return None
    return _colon_speaker(state, prev, "colon_intro")


def _from_previous_sentence(state: _Doc, q: Marked) -> tuple[Cue, Found] | None:
    prev = _previous_sentence(state, q)
    cues = [c for t in reversed(prev) if (c := _cue_at(state, t)) is not None]
    return _prefer_person(_cue_speakers(state, cues, "previous_sentence"))


def _continuation(state: _Doc, q: Marked, done: list[Quote]) -> Quote | None:
    """An attributed quote in the paragraph before: a cue-less quote paragraph goes on with it."""
    para = state.para_of(q.open_at)
    if para == 0 or state.paras[para][0] != q.open_at or not done:
        return None
    last = done[-1]
    return last if state.para_of(last.start) == para - 1 and last.speaker_name else None


def _is_scare(lex: Lexicon, text: str) -> bool:
    """Too short to be speech, or a quoted name in Title Case ("Belt and Road Initiative")."""
    words = re.findall(r"[^\W_][\w’'-]*", text)
    if len(words) <= lex.max_scare_words:
        return True
    content = [w for w in words if w.lower() not in lex.minor_words]
    return len(words) <= 6 and bool(content) and all(w[0].isupper() for w in content)


# --------------------------------------------------------------------------- unmarked speech

_FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours"})


def _unmarked(state: _Doc) -> list[tuple[int, int, Cue, Found]]:
    """Direct speech whose marks were lost: a first-person sentence closing its paragraph with
    ", he told DW." A reporter's paraphrase says "they", so first person marks it as quoted."""
    out = []
    for k, (ps, pe) in enumerate(state.paras):
        if any(ps <= q.open_at < pe for q in state.marks):
            continue
        last = state.token_before(pe)
        if last is None or last.text != "." or state.para_of(last.idx) != k:
            continue
        found = _trailing_cue(state, last.sent, ps)
        if found is not None:
            out.append(found)
    return out


def _first_person(tok: Any) -> bool:
    return tok.pos_ == "PRON" and tok.lower_ in _FIRST_PERSON and tok.text != "US"


def _trailing_cue(state: _Doc, sent: Any, ps: int) -> tuple[int, int, Cue, Found] | None:
    start = max(sent.start_char, ps)
    tokens = [t for t in sent if t.idx >= start and not t.is_space]
    for t in tokens:
        cue = _cue_at(state, t)
        if cue is None or cue.subject is None or len(tokens) - tokens.index(t) > 5:
            continue
        first = min(t.i, cue.subject.left_edge.i)
        comma = state.doc[first - 1] if first > 0 else None
        spoken = [x for x in tokens if x.i < first - 1]
        if comma is None or comma.text != "," or not any(_first_person(x) for x in spoken):
            continue
        pairs = _cue_speakers(state, [cue], "unmarked")
        if pairs and spoken:
            return spoken[0].idx, comma.idx, pairs[0][0], pairs[0][1]
    return None


# --------------------------------------------------------------------------- stage


def attribute(analysis: Analysis, lex: Lexicon | None = None) -> list[Quote]:
    """All direct quotes of ``analysis.document`` with their speakers, in text order."""
    lex = lex or load_lexicon()
    state = _build(analysis, lex)
    quotes: list[Quote] = []
    for q in state.marks:
        quote = _attribute_one(state, q, quotes)
        if quote is not None:
            quotes.append(quote)
    for start, end, cue, found in _unmarked(state):
        quotes.append(_quote(state, Marked(start, end, start, end), (cue, found)))
    return sorted(quotes, key=lambda q: q.start)


def _attribute_one(state: _Doc, q: Marked, done: list[Quote]) -> Quote | None:
    text = state.analysis.document.text
    short = _is_scare(state.lex, text[q.start : q.end])
    best = _same_sentence(state, q, short)
    if short:
        return _quote(state, q, best) if best is not None else None
    best = best or _colon_intro(state, q)
    if best is None and (prior := _continuation(state, q, done)) is not None:
        return _copy_speaker(state, q, prior)
    best = best or _from_previous_sentence(state, q)
    return _quote(state, q, best)


def _quote(state: _Doc, q: Marked, best: tuple[Cue, Found] | None) -> Quote:
    doc_id, text = state.analysis.document.id, state.analysis.document.text
    quote = Quote(stable_id("quo", doc_id, q.start), text[q.start : q.end], doc_id, q.start, q.end)
    if best is None:
        quote.method = "unattributed"
        return quote
    cue, found = best
    quote.cue, quote.method = cue.text, found.method
    quote.speaker = found.mention.entity if found.mention is not None else None
    quote.speaker_name, quote.speaker_span = found.name, found.span
    if found.mention is not None and found.mention.label == "PERSON":
        state.persons.append((found.span.start, found.mention, True))
        state.persons.sort(key=lambda pm: pm[0])
    return quote


def _copy_speaker(state: _Doc, q: Marked, prior: Quote) -> Quote:
    doc_id, text = state.analysis.document.id, state.analysis.document.text
    return Quote(
        stable_id("quo", doc_id, q.start), text[q.start : q.end], doc_id, q.start, q.end,
        speaker=prior.speaker, speaker_name=prior.speaker_name, cue=prior.cue,
        speaker_span=prior.speaker_span, method="paragraph_continuation",
    )


def _unparsed(analysis: Analysis, lex: Lexicon) -> list[Quote]:
    """Without a parse no speaker can be found: keep the non-scare quotes, unattributed."""
    doc_id, text = analysis.document.id, analysis.document.text
    return [
        Quote(stable_id("quo", doc_id, q.start), text[q.start : q.end], doc_id, q.start, q.end,
              method="unattributed")
        for q in find_quote_marks(text)
        if not _is_scare(lex, text[q.start : q.end])
    ]


@stage("quotes", 40)
def run(analysis: Analysis, ctx: Context) -> None:
    lex = load_lexicon()
    if analysis.nlp is None and ctx.nlp is not None:
        analysis.nlp = ctx.nlp(analysis.document.text)
    if analysis.nlp is None:
        analysis.warnings.append("quotes: no spaCy parse, speakers not attributed")
        analysis.quotes.extend(_unparsed(analysis, lex))
        return
    analysis.quotes.extend(attribute(analysis, lex))


__all__ = ["Lexicon", "Marked", "attribute", "find_quote_marks", "load_lexicon", "paragraphs", "run"]
