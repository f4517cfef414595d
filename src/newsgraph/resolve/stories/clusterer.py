"""The story step: new documents into stories, then the merge pass among the stories they touched.

1. Each new document's features are counted and weighed (``features``); its vector goes into the
   inverted index (``index``) and its nearest stored (and new) documents are looked up there.
2. The new documents (one unit each) and the stories their neighbours belong to are agglomerated
   (``agglomerate``: group-average link, ``Settings.story_threshold``, the time window on
   confident dates only). Stories may absorb each other there: that is the merge pass.
3. The merge pass goes on from every story that changed: the stories sharing most of its
   strongest features (``story_keys``) are loaded and agglomerated with it, until nothing merges.
4. Documents with no usable text get a story of their own, marked ``unclusterable``; near-duplicates
   take their original's story.

Only the stories the new documents touch are read or written.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from newsgraph.model import stable_id
from newsgraph.resolve.entities import bulk_insert
from newsgraph.resolve.scope import in_scope
from newsgraph.resolve.stories import index
from newsgraph.resolve.stories.agglomerate import Unit, agglomerate
from newsgraph.resolve.stories.features import (
    Doc,
    Vector,
    cosine,
    date_feature,
    entity_feature,
    terms,
    top,
    unusable,
    weigh,
)
from newsgraph.resolve.stories.sql import delete_ids, loads, note_changed, registered, rows_for
from newsgraph.settings import Settings

MERGE_ROUNDS = 3
NEAR_STORIES = 20  # stories looked up per changed story in the merge pass


@dataclass
class StoryRow:
    """What the store holds of an existing story, loaded when a new document or a merge touches it."""

    id: str
    mean: Vector
    n: int
    shown_first: date | None
    shown_last: date | None
    dated_first: date | None
    dated_last: date | None
    title: str | None
    title_doc: str | None
    topic: str | None
    languages: dict[str, int] = field(default_factory=dict)  # documents per language (titles: majority_language)


@dataclass
class Outcome:
    """What the step changed, for the topic step."""

    changed: list[str] = field(default_factory=list)  # stories written (new, grown or merged)
    absorbed: dict[str, str] = field(default_factory=dict)  # story merged away → the story it is now part of
    old_topics: set[str] = field(default_factory=set)  # topics the changed and absorbed stories belonged to


# A document stored without a publication_dates row (written by other code than the ingest pipeline)
# keeps the confidence of its basis, as migration 007 gave the documents stored before it.
CONFIDENCE_SQL = ("coalesce(p.confidence, CASE WHEN d.published IS NULL THEN NULL "
                  "WHEN d.published_basis IS NULL OR d.published_basis = 'metadata' THEN 0.95 "
                  "WHEN d.published_basis = 'text' THEN 0.9 ELSE 0.3 END)")


READ_CHUNK = 2000  # documents whose texts are held in memory at once


def read_pending(con, settings: Settings) -> list[Doc]:
    """The documents without a story, as feature counts (their texts are read a chunk at a time)."""
    ids = [r[0] for r in con.execute("SELECT id FROM documents WHERE story IS NULL AND duplicate_of IS NULL "
                                     f"AND {in_scope(con, 'id')} ORDER BY id").fetchall()]
    docs = []
    for start in range(0, len(ids), READ_CHUNK):
        rows = rows_for(con, f"SELECT d.id, d.title, d.text, d.published, d.language, {CONFIDENCE_SQL} "
                             "FROM documents d JOIN _ng_chunk c ON c.id = d.id "
                             "LEFT JOIN publication_dates p ON p.doc = d.id ORDER BY d.id",
                        "_ng_chunk", ids[start:start + READ_CHUNK])
        for doc_id, title, text, published, language, confidence in rows:
            body = f"{title or ''}\n{text or ''}"
            counts = Counter({f"t:{t}": c for t, c in terms(body, language).items()})
            dated = published if confidence is not None and confidence >= settings.story_date_confidence else None
            docs.append(Doc(doc_id, title, published, dated, counts, unusable(body, language, settings),
                            language=language))
    by_id = {d.id: d for d in docs}
    found = rows_for(con, "SELECT x.doc, m.entity, e.kb_ids, count(*) FROM mentions x JOIN _ng_docs d ON d.id = x.doc "
                          "JOIN entity_map m ON m.local_entity = x.local_entity JOIN entities e ON e.id = m.entity "
                          "GROUP BY ALL", "_ng_docs", list(by_id))
    for doc_id, entity, kb_ids, n in found:
        by_id[doc_id].counts[entity_feature(entity, loads(kb_ids, {}))] += n
    days = rows_for(con, "SELECT t.doc, t.value, count(*) FROM times t JOIN _ng_docs d ON d.id = t.doc "
                         "WHERE t.kind = 'DATE' AND t.granularity = 'day' GROUP BY ALL", "_ng_docs", list(by_id))
    for doc_id, value, n in days:
        if feature := date_feature(value):
            by_id[doc_id].counts[feature] += n
    return docs


def read_stored(con, settings: Settings) -> list[Doc]:
    """Documents without a story whose vectors are stored (a document stored without one is not usable)."""
    rows = con.execute(
        f"SELECT d.id, d.title, d.published, {CONFIDENCE_SQL}, f.features, d.language FROM documents d "
        "JOIN doc_features f ON f.doc = d.id LEFT JOIN publication_dates p ON p.doc = d.id "
        f"WHERE d.story IS NULL AND d.duplicate_of IS NULL AND {in_scope(con, 'd.id')} ORDER BY d.id"
    ).fetchall()
    docs = []
    for doc_id, title, published, confidence, features, language in rows:
        dated = published if confidence is not None and confidence >= settings.story_date_confidence else None
        vector = loads(features, None)
        docs.append(Doc(doc_id, title, published, dated, Counter(), None if vector else "too_short", vector or {},
                        language))
    return docs


def load_stories(con, ids: list[str]) -> dict[str, StoryRow]:
    rows = rows_for(con, "SELECT s.id, s.centroid, s.first_date, s.last_date, s.title, i.dated_first, i.dated_last, "
                         "i.title_doc, i.topic FROM stories s JOIN _ng_ids w ON w.id = s.id "
                         "LEFT JOIN story_info i ON i.story = s.id WHERE i.unclusterable IS NULL", "_ng_ids", ids)
    out = {}
    for sid, centroid, first, last, title, dated_first, dated_last, title_doc, topic in rows:
        data = loads(centroid, {})
        out[sid] = StoryRow(sid, data.get("features", {}), int(data.get("n", 1)), first, last, dated_first,
                            dated_last, title, title_doc, topic, data.get("languages") or {})
    _count_languages(con, [s for s in out.values() if not s.languages])
    return out


def _count_languages(con, stories: list[StoryRow]) -> None:
    """Languages of stories stored before they were counted in the centroid (read once from their documents)."""
    by_id = {s.id: s for s in stories}
    for sid, language, n in rows_for(con, "SELECT d.story, d.language, count(*) FROM documents d JOIN _ng_ids w "
                                          "ON w.id = d.story WHERE d.duplicate_of IS NULL GROUP BY ALL", "_ng_ids",
                                     list(by_id)):
        by_id[sid].languages[language_key(language)] = n


def language_key(language: str | None) -> str:
    return (language or "und").lower()


def majority_language(counts: dict[str, int]) -> str | None:
    """The language of most of a story's documents; on a tie English (the interface's language), then the
    first code in alphabetical order. A story's title is taken from a document in that language."""
    if not counts:
        return None
    return min(counts, key=lambda lang: (-counts[lang], lang != "en", lang))


# An event's story: the one story all its reporting documents share (else none), for the events of moved documents.
_EVENT_STORIES = """
UPDATE events SET story = s.story FROM (
    SELECT em.event, min(d.story) AS story, count(DISTINCT d.story) AS n
    FROM event_map em JOIN event_mentions m ON m.id = em.event_mention JOIN documents d ON d.id = m.doc
    WHERE em.event IN (SELECT x.event FROM event_map x JOIN event_mentions y ON y.id = x.event_mention
                       JOIN _ng_move v ON v.id = y.doc)
    GROUP BY em.event) s
WHERE events.id = s.event AND s.n = 1 AND s.story IS NOT NULL
"""


class StoryStep:
    def __init__(self, con, settings: Settings) -> None:
        self.con, self.settings = con, settings
        self.stories: dict[str, StoryRow] = {}
        self.docs: dict[str, Doc] = {}
        self.tried: set[tuple[str, str]] = set()  # merge-pass pairs already handed to the agglomeration

    def run(self, reuse_vectors: bool = False) -> Outcome:
        """Cluster the documents without a story. ``reuse_vectors``: their vectors are already stored
        (``recluster``: the same documents clustered again under other settings)."""
        pending = read_stored(self.con, self.settings) if reuse_vectors else read_pending(self.con, self.settings)
        usable = [d for d in pending if not d.unusable]
        self.docs = {d.id: d for d in usable}
        if reuse_vectors:
            df = dict(self.con.execute("SELECT feature, df FROM feature_df").fetchall())
        else:
            df, n_docs = index.update_df(self.con, usable)
            for d in usable:
                d.vector = weigh(d.counts, df, n_docs, self.settings)
            self._write_documents(pending)
        pairs = index.neighbours(self.con, usable, self.settings, df)
        outcome = self._cluster(usable, pairs)
        outcome.changed += self._unclusterable([d for d in pending if d.unusable])
        self._duplicates()
        return outcome

    # -- clustering ----------------------------------------------------------------------------
    def _cluster(self, usable: list[Doc], pairs: list[tuple[str, str, float]]) -> Outcome:
        story_of = dict(rows_for(self.con, "SELECT d.id, d.story FROM documents d JOIN _ng_ids w ON w.id = d.id "
                                           "WHERE d.story IS NOT NULL", "_ng_ids", sorted({b for _, b, _ in pairs})))
        self.stories = load_stories(self.con, sorted(set(story_of.values())))
        units = {d.id: Unit(d.id, dict(d.vector), 1, d.dated, d.dated) for d in usable}
        units.update({s.id: self._unit(s) for s in self.stories.values()})
        edges = {(a, story_of.get(b, b)) for a, b, _ in pairs}
        ended: dict[str, str] = {uid: uid for uid in units}
        for _ in range(MERGE_ROUNDS):
            current = {(ended[a], ended[b]) for a, b in edges if a in ended and b in ended}
            moved = agglomerate(units, sorted(current), self.settings.story_threshold, self.settings.story_window_days)
            ended = {uid: moved.get(target, target) for uid, target in ended.items()}
            edges = self._near(units, ended)  # the merge pass: only pairs not compared yet
            if not edges:
                break
            for uid in {b for _, b in edges} - set(ended):
                units[uid] = self._unit(self.stories[uid])
                ended[uid] = uid
        return self._save(units, ended)

    def _unit(self, story: StoryRow) -> Unit:
        total = {k: w * story.n for k, w in story.mean.items()}
        return Unit(story.id, total, story.n, story.dated_first, story.dated_last, fixed=True)

    def _near(self, units: dict[str, Unit], ended: dict[str, str]) -> set[tuple[str, str]]:
        """The merge pass's next candidates: stored stories near each story that changed in this run."""
        changed = {u.id: u.total for u in units.values() if len(u.parts) > 1}
        if not changed:
            return set()
        near = index.near_clusters(self.con, "story_keys", "story", changed, self.settings.story_keys, NEAR_STORIES)
        fresh = sorted({s for found in near.values() for s in found} - set(self.stories))
        self.stories.update(load_stories(self.con, fresh))
        pairs = {(cid, s) for cid, found in near.items() for s in found
                 if s in self.stories and ended.get(s, s) != cid} - self.tried
        self.tried |= pairs
        return pairs

    # -- writing ---------------------------------------------------------------------------------
    def _write_documents(self, pending: list[Doc]) -> None:
        bulk_insert(self.con, "doc_features", [[d.id, json.dumps(d.vector) if not d.unusable else None, d.dated]
                                               for d in pending])
        index.write_postings(self.con, [d for d in pending if not d.unusable])

    def _save(self, units: dict[str, Unit], ended: dict[str, str]) -> Outcome:
        outcome = Outcome()
        members: dict[str, list[str]] = {}
        for uid, target in ended.items():
            members.setdefault(target, []).append(uid)
        rows, info, keys = [], [], {}
        moves: dict[str, str] = {}  # new document → its story
        merges: dict[str, str] = {}  # absorbed story → the story it joined
        for target, parts in sorted(members.items()):
            new_docs = sorted(p for p in parts if p in self.docs)
            old = sorted(p for p in parts if p in self.stories)
            if not new_docs and len(old) <= 1:
                continue  # a story nothing touched
            unit = units[target]
            sid = unit.id if unit.fixed else stable_id("story", unit.id)
            absorbed = [s for s in old if s != sid]
            outcome.absorbed.update(dict.fromkeys(absorbed, sid))
            outcome.old_topics |= {self.stories[s].topic for s in old if self.stories[s].topic}
            outcome.changed.append(sid)
            moves.update(dict.fromkeys(new_docs, sid))
            merges.update(dict.fromkeys(absorbed, sid))
            mean = top({k: w / unit.n for k, w in unit.total.items()}, self.settings.story_centroid_size)
            languages = self._languages(new_docs, old)
            title, title_doc = self._title(mean, new_docs, old, majority_language(languages))
            first, last = self._shown_range(new_docs, old)
            topic = self.stories[sid].topic if sid in self.stories else None
            rows.append([sid, title, json.dumps({"n": unit.n, "features": mean, "languages": languages}), first, last])
            info.append([sid, topic, None, unit.n, title_doc, unit.first, unit.last])
            keys[sid] = mean
        self._move(moves, merges)
        gone = sorted(set(outcome.changed) | set(outcome.absorbed))
        for table, column in (("stories", "id"), ("story_info", "story"), ("story_keys", "story")):
            delete_ids(self.con, table, column, gone)
        bulk_insert(self.con, "stories", rows)
        self._insert_info(info)
        index.write_keys(self.con, "story_keys", keys, self.settings.story_keys)
        note_changed(self.con, "story", gone)
        return outcome

    def _insert_info(self, info: list[list]) -> None:
        if info:
            with registered(self.con, "_ng_info", {
                "story": [r[0] for r in info], "topic": [r[1] for r in info], "unclusterable": [r[2] for r in info],
                "documents": [str(r[3]) for r in info], "title_doc": [r[4] for r in info],
                "dated_first": [r[5].isoformat() if r[5] else None for r in info],
                "dated_last": [r[6].isoformat() if r[6] else None for r in info],
            }):
                self.con.execute("INSERT INTO story_info (story, topic, unclusterable, documents, title_doc, "
                                 "dated_first, dated_last) SELECT story, topic, unclusterable, CAST(documents AS INTEGER), "
                                 "title_doc, CAST(dated_first AS DATE), CAST(dated_last AS DATE) FROM _ng_info")

    def _move(self, moves: dict[str, str], merges: dict[str, str]) -> None:
        """New documents into their stories; the documents and events of absorbed stories into theirs."""
        if moves:
            with registered(self.con, "_ng_move", {"id": list(moves), "story": list(moves.values())}):
                self.con.execute("UPDATE documents SET story = m.story FROM _ng_move m WHERE documents.id = m.id")
        if merges:
            with registered(self.con, "_ng_move", {"id": list(merges), "story": list(merges.values())}):
                for table in ("documents", "events"):
                    self.con.execute(f"UPDATE {table} SET story = m.story FROM _ng_move m WHERE {table}.story = m.id")
        if moves:  # events already resolved for these documents (a store re-clustered after migration 007)
            with registered(self.con, "_ng_move", {"id": list(moves)}):
                self.con.execute(_EVENT_STORIES)

    def _languages(self, new_docs: list[str], old: list[str]) -> dict[str, int]:
        counts: Counter = Counter(language_key(self.docs[d].language) for d in new_docs)
        for s in old:
            counts.update(self.stories[s].languages)
        return dict(sorted(counts.items()))

    def _title(self, mean: Vector, new_docs: list[str], old: list[str],
               language: str | None) -> tuple[str | None, str | None]:
        """The title of the member closest to the centroid, among the new documents and the stories' title
        docs written in the story's majority language (any of them when none is)."""
        options: list[tuple[str, str, date | None, Vector, str]] = [
            (d, self.docs[d].title, self.docs[d].published, self.docs[d].vector, language_key(self.docs[d].language))
            for d in new_docs if self.docs[d].title]
        kept = [self.stories[s].title_doc for s in old if self.stories[s].title_doc]
        for doc_id, title, published, features, lang in rows_for(
                self.con, "SELECT d.id, d.title, d.published, f.features, d.language FROM documents d JOIN _ng_ids w "
                          "ON w.id = d.id JOIN doc_features f ON f.doc = d.id WHERE d.title IS NOT NULL", "_ng_ids", kept):
            options.append((doc_id, title, published, loads(features, {}), language_key(lang)))
        if not options:
            fallback = next((self.stories[s].title for s in old if self.stories[s].title), None)
            return fallback, None
        options = [o for o in options if o[4] == language] or options
        best = min(options, key=lambda o: (-round(cosine(o[3], mean), 6), o[2].toordinal() if o[2] else 10**7, o[0]))
        return best[1], best[0]

    def _shown_range(self, new_docs: list[str], old: list[str]) -> tuple[date | None, date | None]:
        days = [self.docs[d].published for d in new_docs if self.docs[d].published]
        for s in old:
            days += [x for x in (self.stories[s].shown_first, self.stories[s].shown_last) if x]
        return (min(days), max(days)) if days else (None, None)

    def _unclusterable(self, docs: list[Doc]) -> list[str]:
        """A story of its own for each document without usable text, marked with the reason."""
        if not docs:
            return []
        rows = [[stable_id("story", d.id), d.title, None, d.published, d.published] for d in docs]
        delete_ids(self.con, "stories", "id", [r[0] for r in rows])
        bulk_insert(self.con, "stories", rows)
        self._insert_info([[stable_id("story", d.id), None, d.unusable, 1, d.id, None, None] for d in docs])
        self._move({d.id: stable_id("story", d.id) for d in docs}, {})
        note_changed(self.con, "story", [r[0] for r in rows])
        return []  # never a topic member: nothing for the topic step

    def _duplicates(self) -> None:
        """Near-duplicates ride along with their original's story."""
        self.con.execute(
            "UPDATE documents SET story = o.story FROM documents o "
            "WHERE documents.duplicate_of = o.id AND documents.story IS NULL AND o.story IS NOT NULL"
        )
