"""What the documents added since the last view refresh touched: stories, topics, entities, events, claims.

Every set is found from the new documents through the per-document tables' ``doc`` indexes and the
resolution maps, so its cost follows the new documents. One exception is deliberate: a claim whose
status changed (``view_claims`` holds the status the views were built with) touches every story that
cites it, wherever its other values are, because those stories' briefs state that status.

Stories and topics also change without a new document of their own: the merge pass absorbs a story,
a topic loses a story or merges with another. The story and topic steps record every story and topic
they wrote or dropped in ``view_pending`` (migration 014); they are touched too, and the refresh
empties that table in the same transaction as the views it rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

DOCS = "_ng_touched_docs"  # the new documents, registered for the duration of a refresh


@dataclass
class Touched:
    docs: list[str]
    stories: set[str] = field(default_factory=set)  # of the new documents, and those resolution changed
    topics: set[str] = field(default_factory=set)  # resolution changed (the topic view adds those of ``stories``)
    entities: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)  # with a value in a new document
    changed_claims: dict[str, str | None] = field(default_factory=dict)  # claim → its new status
    stale: bool = False  # views are waiting in ``view_stale``
    citing: set[str] = field(default_factory=set)  # other stories citing a claim whose status changed
    extra: dict[str, set[str]] = field(default_factory=dict)  # keys a view's ``before`` found (old pairs ...)

    @property
    def empty(self) -> bool:
        return not self.docs and not self.changed_claims and not self.stale and not self.stories and not self.topics

    def mark_seen(self, con) -> None:
        """Record the documents and claim statuses the views now reflect (same transaction as the views)."""
        con.execute(f"INSERT INTO view_docs SELECT id FROM {DOCS}")
        con.unregister(DOCS)
        con.execute("DELETE FROM view_pending")
        if self.changed_claims:
            ids = list(self.changed_claims)
            con.register("_ng_claim_status", pa.table({"claim": pa.array(ids, pa.string()),
                                                       "status": pa.array(list(self.changed_claims.values()),
                                                                          pa.string())}))
            try:
                con.execute("DELETE FROM view_claims WHERE claim IN (SELECT claim FROM _ng_claim_status)")
                con.execute("INSERT INTO view_claims SELECT claim, status FROM _ng_claim_status "
                            "WHERE status IS NOT NULL")
            finally:
                con.unregister("_ng_claim_status")


def _column(con, sql: str) -> set[str]:
    return {r[0] for r in con.execute(sql).fetchall() if r[0] is not None}


def touched_since_last_refresh(con) -> Touched:
    """The new documents (not in ``view_docs``) and what they touched; leaves them registered as ``DOCS``."""
    docs = [r[0] for r in con.execute(
        "SELECT d.id FROM documents d ANTI JOIN view_docs v ON v.doc = d.id ORDER BY d.id").fetchall()]
    con.register(DOCS, pa.table({"id": pa.array(docs, pa.string())}))
    touched = Touched(docs, stale=bool(con.execute("SELECT count(*) FROM view_stale").fetchone()[0]))
    for kind, key in con.execute("SELECT DISTINCT kind, key FROM view_pending").fetchall():
        {"story": touched.stories, "topic": touched.topics}.get(kind, set()).add(key)
    if not docs:
        return touched
    touched.stories |= _column(con, f"SELECT DISTINCT d.story FROM documents d JOIN {DOCS} n ON n.id = d.id")
    touched.entities = _column(con, (
        f"SELECT DISTINCT m.entity FROM local_entities l JOIN {DOCS} n ON n.id = l.doc "
        "JOIN entity_map m ON m.local_entity = l.id"))
    touched.events = _column(con, (
        f"SELECT DISTINCT em.event FROM event_mentions x JOIN {DOCS} n ON n.id = x.doc "
        "JOIN event_map em ON em.event_mention = x.id"))
    touched.claims = _column(con, (
        f"SELECT DISTINCT cm.claim FROM claim_values v JOIN {DOCS} n ON n.id = v.doc "
        "JOIN claim_map cm ON cm.claim_value = v.id"))
    touched.changed_claims = _changed_claims(con, touched.claims)
    touched.stories.discard(None)
    touched.citing = _citing_stories(con, set(touched.changed_claims)) - touched.stories - {None}
    return touched


def _changed_claims(con, claims: set[str]) -> dict[str, str | None]:
    """Touched claims whose status differs from the one the views were built with."""
    if not claims:
        return {}
    con.register("_ng_claims", pa.table({"id": pa.array(sorted(claims), pa.string())}))
    try:
        rows = con.execute(
            "SELECT w.id, c.status, v.status FROM _ng_claims w LEFT JOIN claims c ON c.id = w.id "
            "LEFT JOIN view_claims v ON v.claim = w.id").fetchall()
    finally:
        con.unregister("_ng_claims")
    return {cid: now for cid, now, before in rows if now != before}


def _citing_stories(con, claims: set[str]) -> set[str]:
    """Stories of the documents that state a value of these claims."""
    if not claims:
        return set()
    con.register("_ng_claims", pa.table({"id": pa.array(sorted(claims), pa.string())}))
    try:
        return _column(con, "SELECT DISTINCT d.story FROM claim_map cm JOIN _ng_claims w ON w.id = cm.claim "
                            "JOIN claim_values v ON v.id = cm.claim_value JOIN documents d ON d.id = v.doc")
    finally:
        con.unregister("_ng_claims")
