"""Stories: documents clustered incrementally by shared entities, content and time.

A document is a TF-IDF vector of its canonical entities ("e:<id>", weighted by mention count) and
its content words ("t:<word>", title and body). A story keeps a centroid (the mean of its members'
vectors, top features only) and an inverted index ``story_keys`` from its top features to the story.
A new document looks up its own top features there, keeps the candidate stories whose date range
widened by ``Settings.story_window_days`` holds its date, and joins the most similar one (cosine to
the centroid) at or above ``Settings.story_threshold``; otherwise it starts a story. Documents are
taken in date order; stories already made are extended, never reclustered, so adding articles
later leaves earlier assignments as they were. Near-duplicates take their original's story.

The window is strict on purpose: two events of the same kind a year apart ("the 2023 exercise",
"the 2024 exercise") are two stories even when they share every entity.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pyarrow as pa

from newsgraph.model import stable_id
from newsgraph.resolve.entities import bulk_insert, rules
from newsgraph.resolve.scope import in_scope
from newsgraph.settings import Settings, get_settings

TERMS_PER_DOC = 40  # content words kept per document vector
ENTITIES_PER_DOC = 20
LOOKUP_KEYS = 12  # a document's strongest features looked up in story_keys
STORY_KEYS = 25  # a story's strongest features written to story_keys
CENTROID_SIZE = 80
ENTITY_BOOST = 1.5  # a shared named entity says more about the story than a shared word
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")

Vector = dict[str, float]


@functools.cache
def stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | frozenset(rules().get("story_stopwords", []))


def terms(text: str) -> Counter:
    """Content words, lower-cased, plural "s" dropped so "carriers" meets "carrier"."""
    stop = stopwords()
    counts: Counter = Counter()
    for match in _WORD.finditer(text):
        word = match.group().lower().strip("-'")
        if len(word) < 3 or word in stop:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        counts[word] += 1
    return counts


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    na, nb = math.sqrt(sum(w * w for w in a.values())), math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def top(vector: Vector, n: int) -> Vector:
    return dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def normalised(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {k: w / norm for k, w in vector.items()} if norm else {}


@dataclass
class Doc:
    id: str
    title: str | None
    published: date | None
    counts: Counter  # raw feature counts
    vector: Vector = field(default_factory=dict)


@dataclass
class StoryState:
    id: str
    centroid: Vector
    n: int
    first: date | None
    last: date | None
    title: str | None = None
    members: list[str] = field(default_factory=list)

    def accepts(self, when: date | None, window: int) -> bool:
        if when is None or self.first is None or window <= 0:
            return True
        return self.first - timedelta(days=window) <= when <= self.last + timedelta(days=window)

    def add(self, doc: Doc) -> None:
        total = Counter({k: w * self.n for k, w in self.centroid.items()})
        total.update(doc.vector)
        self.n += 1
        self.centroid = top({k: w / self.n for k, w in total.items()}, CENTROID_SIZE)
        if doc.published:
            self.first = min(self.first or doc.published, doc.published)
            self.last = max(self.last or doc.published, doc.published)
        self.members.append(doc.id)


class StoryClusterer:
    """One incremental pass over the documents that have no story yet."""

    def __init__(self, con, settings: Settings) -> None:
        self.con = con
        self.settings = settings
        self.stories: dict[str, StoryState] = {}
        self.index: dict[str, set[str]] = {}
        self.assigned: list[list[Any]] = []

    def run(self) -> None:
        docs = self._pending()
        if docs:
            self._weigh(docs)
            self._load_candidates(docs)
            for doc in docs:
                self._place(doc)
            self._save(docs)
        self._duplicates()

    # -- reading ------------------------------------------------------------------------
    def _pending(self) -> list[Doc]:
        rows = self.con.execute(
            "SELECT id, title, text, published FROM documents WHERE story IS NULL AND duplicate_of IS NULL "
            f"AND {in_scope(self.con, 'id')} ORDER BY published NULLS LAST, id"
        ).fetchall()
        docs = [Doc(r[0], r[1], r[3], Counter({f"t:{t}": c for t, c in terms(f"{r[1] or ''}\n{r[2]}").items()}))
                for r in rows]
        by_id = {d.id: d for d in docs}
        with _registered(self.con, "_docs", {"id": list(by_id)}):
            mentioned = self.con.execute(
                "SELECT x.doc, m.entity, count(*) FROM mentions x JOIN _docs d ON d.id = x.doc "
                "JOIN entity_map m ON m.local_entity = x.local_entity GROUP BY x.doc, m.entity"
            ).fetchall()
        for doc_id, entity, n in mentioned:
            by_id[doc_id].counts[f"e:{entity}"] = n
        return docs

    def _weigh(self, docs: list[Doc]) -> None:
        """Update document frequencies with the new documents, then TF-IDF vectors."""
        features = sorted({k for d in docs for k in d.counts})
        with _registered(self.con, "_features", {"feature": features}):
            known = dict(self.con.execute(
                "SELECT f.feature, f.df FROM feature_df f JOIN _features w ON w.feature = f.feature"
            ).fetchall())
        self.df = Counter(known)
        for doc in docs:
            self.df.update(doc.counts.keys())
        self.df_changed = {k: self.df[k] for k in features}
        n_docs = self.con.execute("SELECT count(*) FROM doc_features").fetchone()[0] + len(docs)
        for doc in docs:
            doc.vector = self._vector(doc.counts, n_docs)

    def _vector(self, counts: Counter, n_docs: int) -> Vector:
        weights = {k: (1 + math.log(c)) * (math.log((n_docs + 1) / (self.df[k] + 1)) + 1)
                   for k, c in counts.items()}
        entities = top({k: w * ENTITY_BOOST for k, w in weights.items() if k.startswith("e:")}, ENTITIES_PER_DOC)
        words = top({k: w for k, w in weights.items() if k.startswith("t:")}, TERMS_PER_DOC)
        return normalised(entities | words)

    def _load_candidates(self, docs: list[Doc]) -> None:
        keys = sorted({k for d in docs for k in top(d.vector, LOOKUP_KEYS)})
        with _registered(self.con, "_keys", {"key": keys}):
            rows = self.con.execute(
                "SELECT k.key, s.id, s.title, s.centroid, s.first_date, s.last_date FROM story_keys k "
                "JOIN _keys w ON w.key = k.key JOIN stories s ON s.id = k.story"
            ).fetchall()
        for key, story_id, title, centroid, first, last in rows:
            self.index.setdefault(key, set()).add(story_id)
            if story_id not in self.stories:
                data = json.loads(centroid or "{}")
                self.stories[story_id] = StoryState(story_id, data.get("features", {}), data.get("n", 1),
                                                    first, last, title)

    # -- clustering -----------------------------------------------------------------------
    def _place(self, doc: Doc) -> None:
        story = self._best(doc)
        if story is None:
            story = StoryState(stable_id("story", doc.id), {}, 0, None, None, doc.title)
            self.stories[story.id] = story
        story.add(doc)
        for key in top(story.centroid, STORY_KEYS):
            self.index.setdefault(key, set()).add(story.id)
        self.assigned.append([doc.id, story.id])

    def _best(self, doc: Doc) -> StoryState | None:
        candidates = {s for k in top(doc.vector, LOOKUP_KEYS) for s in self.index.get(k, ())}
        window = self.settings.story_window_days
        scored = [(cosine(doc.vector, self.stories[s].centroid), s) for s in sorted(candidates)
                  if self.stories[s].accepts(doc.published, window)]
        if not scored:
            return None
        score, story_id = max(scored)
        return self.stories[story_id] if score >= self.settings.story_threshold else None

    # -- writing --------------------------------------------------------------------------
    def _save(self, docs: list[Doc]) -> None:
        touched = sorted({s for _, s in self.assigned})
        by_id = {d.id: d for d in docs}
        titles = self._central_titles(touched, by_id)
        rows = []
        for story_id in touched:
            s = self.stories[story_id]
            rows.append([s.id, titles.get(s.id) or s.title, json.dumps({"n": s.n, "features": s.centroid}),
                         s.first, s.last])
        ids = [[s] for s in touched]
        self.con.executemany("DELETE FROM stories WHERE id = ?", ids)
        self.con.executemany("DELETE FROM story_keys WHERE story = ?", ids)
        bulk_insert(self.con, "stories", rows)
        bulk_insert(self.con, "story_keys", [[k, s] for s in touched for k in top(self.stories[s].centroid, STORY_KEYS)])
        bulk_insert(self.con, "doc_features", [[d.id, json.dumps(d.vector), d.published] for d in docs])
        self.con.executemany("DELETE FROM feature_df WHERE feature = ?", [[k] for k in self.df_changed])
        bulk_insert(self.con, "feature_df", [[k, v] for k, v in self.df_changed.items()])
        with _registered(self.con, "_assigned", {"doc": [a[0] for a in self.assigned],
                                                 "story": [a[1] for a in self.assigned]}):
            self.con.execute("UPDATE documents SET story = a.story FROM _assigned a WHERE documents.id = a.doc")

    def _central_titles(self, touched: list[str], fresh: dict[str, Doc]) -> dict[str, str]:
        """Each touched story's title: that of its member closest to the centroid (earliest on ties)."""
        with _registered(self.con, "_stories", {"id": touched}):
            rows = self.con.execute(
                "SELECT d.story, d.id, d.title, d.published, f.features FROM documents d "
                "JOIN _stories s ON s.id = d.story JOIN doc_features f ON f.doc = d.id WHERE d.title IS NOT NULL"
            ).fetchall()
        members: dict[str, list[tuple]] = {}
        for story_id, doc_id, title, published, features in rows:
            members.setdefault(story_id, []).append((doc_id, title, published, json.loads(features or "{}")))
        for doc_id, story_id in self.assigned:
            doc = fresh[doc_id]
            if doc.title:
                members.setdefault(story_id, []).append((doc.id, doc.title, doc.published, doc.vector))
        titles = {}
        for story_id, docs in members.items():
            centroid = self.stories[story_id].centroid
            best = max(docs, key=lambda d: (round(cosine(d[3], centroid), 6), -_ordinal(d[2]), d[0]))
            titles[story_id] = best[1]
        return titles

    def _duplicates(self) -> None:
        """Near-duplicates ride along with their original's story."""
        self.con.execute(
            "UPDATE documents SET story = o.story FROM documents o "
            "WHERE documents.duplicate_of = o.id AND documents.story IS NULL AND o.story IS NOT NULL"
        )


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else 10**7


class _registered:
    """A Python column set visible to SQL as a table for the duration of a ``with`` block."""

    def __init__(self, con, name: str, columns: dict[str, list]) -> None:
        self.con, self.name, self.columns = con, name, columns

    def __enter__(self) -> None:
        self.con.register(self.name, pa.table(self.columns, schema=_schema(self.columns)))

    def __exit__(self, *exc: object) -> None:
        self.con.unregister(self.name)


def _schema(columns: dict[str, list]) -> pa.Schema:
    return pa.schema([(name, pa.string()) for name in columns])


def resolve_stories(con, ctx=None) -> None:
    """Assign every document without a story to an existing story or a new one."""
    settings = getattr(ctx, "settings", None) or get_settings()
    StoryClusterer(con, settings).run()
