"""Cross-document event coreference: which event mentions report the same real event.

Pure functions over ``EventMentionFeatures``; the store step (``resolve.events``) and the
ECB+ scorer (``eval.ecbplus``) build the features and call ``cluster``.

1. Blocking: mentions are compared only inside a block (same story/topic; a block
   larger than ``max_block`` is split by event type, then by trigger lemma), never
   all pairs over the corpus.
2. Pair score: a weighted mean of the evidence both mentions have: trigger lemma
   (equal, same derivational stem, or in one synonym group of ``kb/event_synonyms.yaml``;
   unrelated triggers score 0 but veto nothing), argument overlap (participants, location),
   TF-IDF cosine of the sentences and of the wider context (the document), and matching dates.
   Evidence one side lacks is left out of the mean rather than counted as disagreement.
3. Hard constraints (cannot-link): dates whose intervals do not overlap (two meetings
   a year apart), conflicting actors of the same entity type (two ships each making a port
   call), reporting events ("said") whose sentences differ (two statements), and statements
   (types listed under ``statements``: warnings, accusations, demands) whose sentences differ
   unless both name the same speaker and no different addressee. Modality is no constraint:
   "planned" and "happened" reports of one event belong together.
4. Average-link agglomeration inside each block, stopping at ``threshold``.

``trigger_lemma`` turns a trigger token into the lemma compared here ("found ... guilty" ->
"find guilty").
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml

from newsgraph.settings import KB_DIR

SYNONYMS_FILE = KB_DIR / "event_synonyms.yaml"
_WORD = re.compile(r"[a-z][a-z0-9'-]+")
# Roles whose fillers identify the event: two different ships = two port calls.
IDENTIFYING_ROLES = ("actor",)


class Arg(NamedTuple):
    """One participant: its (global or document-local) entity id, entity type and role."""

    id: str
    type: str = ""
    role: str = ""


@dataclass
class EventMentionFeatures:
    id: str
    doc: str
    trigger_lemma: str
    type: str | None = None
    sentence: str = ""
    context: str = ""  # wider text: the document (same for all mentions of a doc)
    participants: set[Arg] = field(default_factory=set)
    location: str | None = None
    date_start: str | None = None  # ISO dates, inclusive interval
    date_end: str | None = None
    granularity: str | None = None
    modality: str | None = None
    published: str | None = None
    story: str | None = None
    head_lemma: str = ""  # the trigger's own head lemma before phrase/antecedent rules (baselines)


@dataclass
class CorefParams:
    # A pair of synonym triggers with no other evidence scores 0.75 * 0.45 / 1.1 = 0.31: they merge
    # unless something contradicts (a cannot-link, or a cluster whose other pairs disagree).
    threshold: float = 0.3
    w_lemma: float = 0.45
    w_args: float = 0.2
    w_sentence: float = 0.1
    w_context: float = 0.25
    w_date: float = 0.1
    synonym_sim: float = 0.75  # lemma similarity of two lemmas in one synonym group
    max_block: int = 400
    # Triggers that are neither equal nor synonyms score 0 ("attack" / "condemn" in one sentence):
    # such a pair never merges alone, but does not veto two clusters that agree otherwise.
    require_lemma: bool = True
    # When set, documents of a block are first clustered by context cosine (average link at this
    # threshold) and mentions of different document clusters cannot co-refer: a stand-in for
    # story clustering when no stories are given (the ECB+ topic setting).
    doc_threshold: float | None = None
    synonyms_file: Path = SYNONYMS_FILE
    # Reporting events ("said", "according to") are as many as there are statements: two of them
    # co-refer only when their sentences are this similar (the same statement quoted twice).
    reporting_min_sentence: float = 0.5
    # Join each report's own mentions of an event before comparing reports (``average_link``'s ``docs``).
    within_document_first: bool = True


# -- lexicon -------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def synonym_groups(path: Path = SYNONYMS_FILE) -> dict[str, frozenset[str]]:
    """lemma -> names of the synonym groups it belongs to."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups: dict[str, set[str]] = defaultdict(set)
    for name, lemmas in (data.get("groups") or {}).items():
        for lemma in lemmas:
            groups[normalise_lemma(lemma)].add(name)
    return {k: frozenset(v) for k, v in groups.items()}


@lru_cache(maxsize=4)
def statement_types(path: Path = SYNONYMS_FILE) -> frozenset[str]:
    """Event types that are statements (threats, accusations, demands ...): as many as are made."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(str(t) for t in data.get("statements") or [])


@lru_cache(maxsize=4)
def reporting_lemmas(path: Path = SYNONYMS_FILE) -> frozenset[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(normalise_lemma(lemma) for lemma in data.get("reporting") or [])


# Dependents that complete a verb into a phrase ("take over", "found guilty", "shot dead").
_PHRASE_DEPS = ("prt", "oprd", "acomp", "ccomp", "xcomp", "dobj", "advmod")
_PHRASE_HEAD_DEPS = ("prt", "oprd", "acomp", "ccomp")


def trigger_lemma(head: Any, path: Path = SYNONYMS_FILE) -> str:
    """The lemma that names the event of a trigger token (a spaCy token).

    A verb completed by a dependent into a lexicon phrase gives the phrase ("found ... guilty" ->
    "find guilty"), as does such a dependent itself ("guilty" under "found").
    """
    lemma = head.lemma_.lower()
    phrases = {k for k in synonym_groups(path) if " " in k}
    for child in head.children:
        if child.dep_ in _PHRASE_DEPS and f"{lemma} {child.lemma_.lower()}" in phrases:
            return f"{lemma} {child.lemma_.lower()}"
    if head.dep_ in _PHRASE_HEAD_DEPS and f"{head.head.lemma_.lower()} {lemma}" in phrases:
        return f"{head.head.lemma_.lower()} {lemma}"
    return lemma


def normalise_lemma(lemma: str) -> str:
    return " ".join(lemma.lower().replace("_", " ").split())


# Derivational endings: a verb and its nominalisation ("arrive"/"arrival", "shoot"/"shooting").
_SUFFIXES = ("ations", "ation", "ions", "ion", "ments", "ment", "ings", "ing", "als", "al", "ed", "es", "e", "s")


def stem(lemma: str) -> str:
    """Crude derivational stem; keeps at least four letters so short words stay distinct."""
    for suffix in _SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= 4:
            return lemma[: -len(suffix)]
    return lemma


def lemma_similarity(a: str, b: str, groups: dict[str, frozenset[str]], synonym_sim: float) -> float:
    a, b = normalise_lemma(a), normalise_lemma(b)
    if a == b:
        return 1.0
    if stem(a) == stem(b):
        return 0.9
    if groups.get(a, frozenset()) & groups.get(b, frozenset()):
        return synonym_sim
    return 0.0


# -- blocking ------------------------------------------------------------------------------------


def type_key(m: EventMentionFeatures, groups: dict[str, frozenset[str]]) -> str:
    """Second-level blocking key: the event type, else the first synonym group, else the lemma."""
    if m.type:
        return m.type
    lemma = normalise_lemma(m.trigger_lemma)
    found = sorted(groups.get(lemma, ()))
    return f"group:{found[0]}" if found else f"lemma:{lemma}"


def blocks(mentions: list[EventMentionFeatures], params: CorefParams) -> list[list[EventMentionFeatures]]:
    """Story blocks, split by type (then lemma) while larger than ``max_block``."""
    groups = synonym_groups(params.synonyms_file)
    keys = (
        lambda m: m.story or "",
        lambda m: type_key(m, groups),
        lambda m: normalise_lemma(m.trigger_lemma),
    )
    pending = [(mentions, 0)]
    out: list[list[EventMentionFeatures]] = []
    while pending:
        block, level = pending.pop()
        if level > 0 and (len(block) <= params.max_block or level >= len(keys)):
            out.append(block)
            continue
        split: dict[str, list[EventMentionFeatures]] = defaultdict(list)
        for m in block:
            split[keys[level](m)].append(m)
        pending.extend((b, level + 1) for b in split.values())
    return out


# -- evidence ------------------------------------------------------------------------------------


def tfidf_matrix(texts: list[str], stop_words: Iterable[str] = ()) -> np.ndarray:
    """L2-normalised TF-IDF rows (IDF over ``texts`` themselves), so row dot products are cosines."""
    stop = set(stop_words)
    return tfidf_rows([Counter(w for w in _WORD.findall(t.lower()) if w not in stop) for t in texts])


def tfidf_rows(bags: list[Counter]) -> np.ndarray:
    """L2-normalised TF-IDF rows of term bags (IDF over ``bags`` themselves)."""
    vocab = {w: i for i, w in enumerate(sorted({w for b in bags for w in b}))}
    matrix = np.zeros((len(bags), max(len(vocab), 1)))
    df = Counter(w for b in bags for w in b)
    n = len(bags)
    for row, bag in enumerate(bags):
        for w, tf in bag.items():
            matrix[row, vocab[w]] = (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[w])) + 1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def dates_conflict(a: EventMentionFeatures, b: EventMentionFeatures) -> bool:
    """Both dated and the intervals do not overlap (ISO strings compare as dates)."""
    if not (a.date_start and b.date_start):
        return False
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a_end < b.date_start or b_end < a.date_start


def actors_conflict(a: EventMentionFeatures, b: EventMentionFeatures) -> bool:
    """Same role and entity type filled by disjoint entities on both sides."""
    for role in IDENTIFYING_ROLES:
        by_type_a = _ids_by_type(a.participants, role)
        by_type_b = _ids_by_type(b.participants, role)
        for type_, ids in by_type_a.items():
            if type_ and type_ in by_type_b and not ids & by_type_b[type_]:
                return True
    return False


def _ids_by_type(args: set[Arg], role: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for arg in args:
        if arg.role == role:
            out[arg.type].add(arg.id)
    return out


def _ids(m: EventMentionFeatures, roles: tuple[str, ...]) -> set[str]:
    return {arg.id for arg in m.participants if arg.role in roles}


def statements_differ(a: EventMentionFeatures, b: EventMentionFeatures, sentence_cos: float,
                      params: CorefParams) -> bool:
    """Two statements (a warning, an accusation) are one only when quoted alike, or when both name who
    made them and to whom, and those agree: "the US warned China" and "a spokesperson warned the
    Philippines" in one story are two warnings, not one."""
    types = statement_types(params.synonyms_file)
    if not ({a.type, b.type} & types) or sentence_cos >= params.reporting_min_sentence:
        return False
    actors_a, actors_b = _ids(a, ("actor",)), _ids(b, ("actor",))
    others_a, others_b = _ids(a, ("partner", "target")), _ids(b, ("partner", "target"))
    if not (actors_a and actors_b) or not actors_a & actors_b:
        return True
    return bool(others_a and others_b and not others_a & others_b)


def argument_overlap(a: EventMentionFeatures, b: EventMentionFeatures) -> float | None:
    """Jaccard of participant ids (location included); None when either side has none."""
    ids_a = {arg.id for arg in a.participants} | ({a.location} if a.location else set())
    ids_b = {arg.id for arg in b.participants} | ({b.location} if b.location else set())
    if not ids_a or not ids_b:
        return None
    return len(ids_a & ids_b) / len(ids_a | ids_b)


def pair_score(a: EventMentionFeatures, b: EventMentionFeatures, sentence_cos: float, context_cos: float | None,
               params: CorefParams) -> float:
    """Weighted mean of the evidence both mentions carry, in [0, 1]; -inf when they cannot co-refer."""
    if dates_conflict(a, b) or actors_conflict(a, b):
        return -math.inf
    groups = synonym_groups(params.synonyms_file)
    lemma = lemma_similarity(a.trigger_lemma, b.trigger_lemma, groups, params.synonym_sim)
    if params.require_lemma and lemma == 0:
        return 0.0
    reporting = reporting_lemmas(params.synonyms_file)
    if {normalise_lemma(a.trigger_lemma), normalise_lemma(b.trigger_lemma)} & reporting and (
            sentence_cos < params.reporting_min_sentence):
        return -math.inf
    if statements_differ(a, b, sentence_cos, params):
        return -math.inf
    parts = [(params.w_lemma, lemma)]
    args = argument_overlap(a, b)
    if args is not None:
        parts.append((params.w_args, args))
    if a.sentence and b.sentence:
        parts.append((params.w_sentence, sentence_cos))
    if context_cos is not None:
        parts.append((params.w_context, context_cos))
    if a.date_start and b.date_start:
        parts.append((params.w_date, 1.0))  # overlapping (conflicts were ruled out above)
    return sum(w * v for w, v in parts) / sum(w for w, _ in parts)


def score_matrix(block: list[EventMentionFeatures], params: CorefParams,
                 stop_words: Iterable[str] = (), fixed: list[bool] | None = None) -> np.ndarray:
    """Pair scores of one block (diagonal -inf).

    ``fixed`` marks mentions already resolved (seeds of ``average_link``): a pair of two of them is not
    scored (0), since seeds start merged and two seeds never merge, so no such score can decide anything;
    an increment then costs new × block rather than block × block."""
    stop = list(stop_words)
    sent = tfidf_matrix([m.sentence for m in block], stop)
    sent_cos = sent @ sent.T
    docs = sorted({m.doc for m in block})
    context_of = {m.doc: m.context for m in block}
    ctx = tfidf_matrix([context_of[d] for d in docs], stop)
    ctx_cos = ctx @ ctx.T
    row = {d: i for i, d in enumerate(docs)}
    story_of = document_clusters(ctx_cos, params.doc_threshold)
    n = len(block)
    scores = np.full((n, n), -math.inf)
    fixed = fixed or [False] * n
    settled = [i for i in range(n) if fixed[i]]
    if settled:
        scores[np.ix_(settled, settled)] = 0.0
        scores[settled, settled] = -math.inf
    for i, j in _pairs_to_score(fixed):
        a, b = block[i], block[j]
        if story_of[row[a.doc]] != story_of[row[b.doc]]:
            continue
        c = ctx_cos[row[a.doc], row[b.doc]] if a.context and b.context else None
        scores[i, j] = scores[j, i] = pair_score(a, b, float(sent_cos[i, j]), c, params)
    return scores


def _pairs_to_score(fixed: list[bool]) -> Iterator[tuple[int, int]]:
    """Every pair (i < j) with at least one mention not ``fixed``."""
    n = len(fixed)
    free = [j for j in range(n) if not fixed[j]]
    for i in range(n):
        if fixed[i]:
            yield from ((i, j) for j in free[bisect.bisect_right(free, i):])
        else:
            yield from ((i, j) for j in range(i + 1, n))


def document_clusters(ctx_cos: np.ndarray, threshold: float | None) -> list[int]:
    """Document -> cluster number (all one cluster when ``threshold`` is None)."""
    n = len(ctx_cos)
    if threshold is None or n < 2:
        return [0] * n
    sim = ctx_cos.copy()
    np.fill_diagonal(sim, -math.inf)
    label = [0] * n
    for k, group in enumerate(average_link(sim, threshold)):
        for i in group:
            label[i] = k
    return label


# -- agglomeration -------------------------------------------------------------------------------


def average_link(scores: np.ndarray, threshold: float, seeds: list[list[int]] | None = None,
                 docs: list[str] | None = None) -> list[list[int]]:
    """Average-link clustering; a merge is refused when any cross pair is -inf (cannot-link).

    ``seeds`` are groups that start merged (existing events); two seeds are never merged,
    so clusters already in the store stay stable when new mentions arrive.

    ``docs`` (each mention's document), when given, makes the clustering run within each document
    first: the mentions one report makes of its own event ("held a joint exercise off Tokyo" ... "the
    exercise lasted four days") are joined before any is compared across reports, so a mention
    with few arguments of its own ("the frigate led the exercise") carries its report's actors into
    the cross-document step, where they veto a merge with another report's exercise, instead of
    being pulled to whichever other report words it most alike.
    """
    n = len(scores)
    members = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    forbidden = np.isneginf(scores)
    total = np.where(forbidden, 0.0, scores)
    seeded = np.zeros(n, dtype=bool)
    for group in seeds or []:
        for j in group[1:]:
            _merge(group[0], j, members, alive, forbidden, total)
        seeded[group[0]] = True
    forbidden |= np.outer(seeded, seeded)
    size = np.array([len(m) for m in members], dtype=float)
    if docs is not None:
        label = np.unique(np.asarray(docs, dtype=object), return_inverse=True)[1].astype(int)
        label[seeded] = -1  # an existing event is not one document's: it waits for the second step
        apart = (label[:, None] != label[None, :]) | (label[:, None] < 0)
        _agglomerate(members, alive, forbidden, total, size, threshold, apart)
    _agglomerate(members, alive, forbidden, total, size, threshold)
    return [members[i] for i in range(n) if alive[i]]


def _agglomerate(members: list[list[int]], alive: np.ndarray, forbidden: np.ndarray, total: np.ndarray,
                 size: np.ndarray, threshold: float, apart: np.ndarray | None = None) -> None:
    """Merge the best-scoring allowed pair of clusters until none reaches ``threshold`` (in place).

    ``apart``: pairs this step may not merge, though a later one may (unlike ``forbidden``)."""
    n = len(members)
    while True:
        avg = total / np.outer(size, size)
        avg[forbidden | ~np.outer(alive, alive)] = -math.inf
        if apart is not None:
            avg[apart] = -math.inf
        np.fill_diagonal(avg, -math.inf)
        best = int(np.argmax(avg))
        i, j = divmod(best, n)
        if avg[i, j] < threshold:
            break
        _merge(i, j, members, alive, forbidden, total)
        size[i] += size[j]


def _merge(i: int, j: int, members: list[list[int]], alive: np.ndarray, forbidden: np.ndarray,
           total: np.ndarray) -> None:
    members[i].extend(members[j])
    alive[j] = False
    total[i, :] += total[j, :]
    total[:, i] += total[:, j]
    forbidden[i, :] |= forbidden[j, :]
    forbidden[:, i] |= forbidden[:, j]


def cluster(mentions: list[EventMentionFeatures], params: CorefParams | None = None,
            seeds: list[list[str]] | None = None, stop_words: Iterable[str] = ()) -> list[list[str]]:
    """Group event mention ids into events. ``seeds``: id groups already known to be one event."""
    params = params or CorefParams()
    stop = frozenset(stop_words) or _default_stop_words()
    seed_of = {mid: k for k, group in enumerate(seeds or []) for mid in group}
    out: list[list[str]] = []
    for block in blocks(mentions, params):
        index = {m.id: i for i, m in enumerate(block)}
        block_seeds: dict[int, list[int]] = defaultdict(list)
        for m in block:
            if m.id in seed_of:
                block_seeds[seed_of[m.id]].append(index[m.id])
        scores = score_matrix(block, params, stop, fixed=[m.id in seed_of for m in block])
        docs = [m.doc for m in block] if params.within_document_first else None
        groups = average_link(scores, params.threshold, list(block_seeds.values()), docs)
        out.extend(sorted(block[i].id for i in g) for g in groups)
    return sorted(out)


@lru_cache(maxsize=1)
def _default_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
