"""Topics above stories: the stories an analyst follows together (Italy–Japan defence ties).

The same group-average agglomeration as stories, one level up: units are stories (summed
document vectors, weighted by their documents) and topics, compared at the looser
``Settings.topic_threshold`` and with no time window, so a topic spans months or years.

Incremental like the story step: only the stories the story step wrote this run are (re)placed.
They leave the topic they were in; that topic is recomputed from the stories it keeps, and each
changed story is agglomerated with that topic, the topics indexed near it (``topic_keys``) and the
topics of stories near it (``story_keys``). Topics it brings together merge. Stories without
usable text have no topic.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from newsgraph.model import stable_id
from newsgraph.resolve.entities import bulk_insert
from newsgraph.resolve.stories import index
from newsgraph.resolve.stories.agglomerate import Unit, agglomerate
from newsgraph.resolve.stories.clusterer import Outcome, StoryRow, load_stories
from newsgraph.resolve.stories.features import Vector, top
from newsgraph.resolve.stories.sql import delete_ids, loads, note_changed, registered, rows_for
from newsgraph.settings import Settings

NEAR = 20  # topics and stories looked up per changed story


class TopicStep:
    def __init__(self, con, settings: Settings) -> None:
        self.con, self.settings = con, settings

    def run(self, outcome: Outcome) -> None:
        stories = load_stories(self.con, outcome.changed)
        if not stories and not outcome.old_topics:
            return
        previous = {s.topic for s in stories.values() if s.topic} | outcome.old_topics
        self.con.execute("UPDATE story_info SET topic = NULL WHERE story IN (SELECT unnest(?::VARCHAR[]))",
                         [list(stories)])
        units = self._topics_from_members(sorted(previous))
        units.update({s.id: _story_unit(s) for s in stories.values()})
        edges = {(s.id, s.topic) for s in stories.values() if s.topic in units}
        edges |= self._near(stories, units)
        ended = agglomerate(units, sorted(edges), self.settings.topic_threshold, 0)
        self._save(units, ended, stories, set(previous))

    def _topics_from_members(self, topic_ids: list[str]) -> dict[str, Unit]:
        """Existing topics, summed again from the stories they keep (the changed ones have left)."""
        units: dict[str, Unit] = {}
        for topic, centroid in rows_for(self.con, "SELECT i.topic, s.centroid FROM story_info i JOIN _ng_ids w "
                                                  "ON w.id = i.topic JOIN stories s ON s.id = i.story", "_ng_ids",
                                        topic_ids):
            data = loads(centroid, {})
            n = int(data.get("n", 1))
            unit = units.setdefault(topic, Unit(topic, {}, 0, fixed=True))
            for k, w in data.get("features", {}).items():
                unit.total[k] = unit.total.get(k, 0.0) + w * n
            unit.n += n
        return units

    def _near(self, stories: dict[str, StoryRow], units: dict[str, Unit]) -> set[tuple[str, str]]:
        """Candidate topics for each changed story: indexed near it, or holding a story near it."""
        means = {s.id: s.mean for s in stories.values()}
        size = self.settings.story_keys
        near_topics = index.near_clusters(self.con, "topic_keys", "topic", means, size, NEAR)
        near_stories = index.near_clusters(self.con, "story_keys", "story", means, size, NEAR)
        topic_of = dict(rows_for(self.con, "SELECT i.story, i.topic FROM story_info i JOIN _ng_ids w ON w.id = i.story "
                                           "WHERE i.topic IS NOT NULL", "_ng_ids",
                                 sorted({x for found in near_stories.values() for x in found})))
        wanted: dict[str, set[str]] = {sid: set(near_topics.get(sid, [])) for sid in stories}
        edges: set[tuple[str, str]] = set()
        for sid, found in near_stories.items():
            for other in found:
                if other in stories:
                    edges.add((sid, other))
                elif other in topic_of:
                    wanted[sid].add(topic_of[other])
        self._load_topics(sorted({t for ts in wanted.values() for t in ts} - set(units)), units)
        edges |= {(sid, t) for sid, ts in wanted.items() for t in ts if t in units}
        return edges

    def _load_topics(self, ids: list[str], units: dict[str, Unit]) -> None:
        for tid, centroid in rows_for(self.con, "SELECT t.id, t.centroid FROM topics t JOIN _ng_ids w ON w.id = t.id",
                                      "_ng_ids", ids):
            data = loads(centroid, {})
            n = int(data.get("n", 1))
            units[tid] = Unit(tid, {k: w * n for k, w in data.get("features", {}).items()}, n, fixed=True)

    def _save(self, units: dict[str, Unit], ended: dict[str, str], stories: dict[str, StoryRow],
              previous: set[str]) -> None:
        members: dict[str, list[str]] = {}
        for uid, target in ended.items():
            members.setdefault(target, []).append(uid)
        written: dict[str, Vector] = {}
        gone: set[str] = set(previous)
        for target, parts in members.items():
            unit = units[target]
            topic_parts = [p for p in parts if p not in stories]
            if not any(p in stories for p in parts) and len(topic_parts) <= 1:
                if target in previous:  # lost members only: rewrite its centroid and title
                    written[target] = self._mean(unit)
                continue
            tid = unit.id if unit.fixed else stable_id("topic", unit.id)
            absorbed = [t for t in topic_parts if t != tid]
            gone |= set(absorbed)
            self._assign(tid, [p for p in parts if p in stories], absorbed)
            written[tid] = self._mean(unit)
        delete_ids(self.con, "topics", "id", sorted(gone | set(written)))
        delete_ids(self.con, "topic_keys", "topic", sorted(gone | set(written)))
        self._write(written)
        note_changed(self.con, "topic", sorted(gone | set(written)))

    def _mean(self, unit: Unit) -> Vector:
        return top({k: w / unit.n for k, w in unit.total.items()}, self.settings.story_centroid_size) if unit.n else {}

    def _assign(self, tid: str, story_ids: Iterable[str], absorbed: list[str]) -> None:
        ids = list(story_ids)
        if ids:
            with registered(self.con, "_ng_assign", {"id": ids}):
                self.con.execute("UPDATE story_info SET topic = ? WHERE story IN (SELECT id FROM _ng_assign)", [tid])
        if absorbed:
            with registered(self.con, "_ng_assign", {"id": absorbed}):
                self.con.execute("UPDATE story_info SET topic = ? WHERE topic IN (SELECT id FROM _ng_assign)", [tid])

    def _write(self, means: dict[str, Vector]) -> None:
        """Topic rows: title of the largest story (earliest, then smallest id, on ties), date range, centroid."""
        facts: dict[str, list[tuple]] = {}
        for topic, title, documents, first, last, sid in rows_for(
                self.con, "SELECT i.topic, s.title, i.documents, s.first_date, s.last_date, s.id FROM story_info i "
                          "JOIN _ng_ids w ON w.id = i.topic JOIN stories s ON s.id = i.story", "_ng_ids", sorted(means)):
            facts.setdefault(topic, []).append((title, documents or 0, first, last, sid))
        rows = []
        for tid, stories in sorted(facts.items()):
            lead = min(stories, key=lambda s: (-s[1], s[2] or date.max, s[4]))
            firsts = [s[2] for s in stories if s[2]]
            lasts = [s[3] for s in stories if s[3]]
            n = sum(s[1] for s in stories)
            rows.append([tid, lead[0], json.dumps({"n": n, "features": means[tid]}),
                         min(firsts) if firsts else None, max(lasts) if lasts else None])
        bulk_insert(self.con, "topics", rows)
        index.write_keys(self.con, "topic_keys", {r[0]: means[r[0]] for r in rows}, self.settings.story_keys)


def _story_unit(story: StoryRow) -> Unit:
    return Unit(story.id, {k: w * story.n for k, w in story.mean.items()}, story.n)
