"""Candidate search: an inverted index of every stored document's features, kept in DuckDB.

``story_postings(feature, doc, weight)`` holds each clusterable document's whole vector. A new
document's nearest neighbours are found by joining its ``Settings.story_query_features`` strongest
features with the postings and summing the products (the partial cosine), keeping the best
``Settings.story_neighbours``. Features found in more than ``Settings.story_query_max_df`` documents
are not looked up: their postings grow with the store and they rank nothing. So the cost of a
look-up is bounded by (features looked up × the df cap), whatever the size of the store, and a
document is found through any of dozens of its words and names, not through a handful of keys.

``story_keys`` and ``topic_keys`` index each story's and topic's strongest centroid features; the
merge pass and the topic step look up clusters near a changed one there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import pyarrow as pa

from newsgraph.resolve.entities import bulk_insert
from newsgraph.resolve.stories.features import Doc, Vector, top
from newsgraph.resolve.stories.sql import registered
from newsgraph.settings import Settings

CHUNK = 1000  # new documents per neighbour query (bounds the join's memory)


def write_postings(con, docs: Sequence[Doc]) -> None:
    bulk_insert(con, "story_postings", [[f, d.id, w] for d in docs for f, w in d.vector.items()])


def neighbours(con, docs: Sequence[Doc], settings: Settings, df: dict[str, int]) -> list[tuple[str, str, float]]:
    """(new doc, stored or new doc, partial cosine) for each new document's best neighbours."""
    window = settings.story_window_days
    out: list[tuple[str, str, float]] = []
    for start in range(0, len(docs), CHUNK):
        chunk = docs[start:start + CHUNK]
        rows = [(d.id, f, w, d.dated) for d in chunk for f, w in top(d.vector, settings.story_query_features).items()
                if df.get(f, 1) <= settings.story_query_max_df]
        if not rows:
            continue
        columns = {"doc": [r[0] for r in rows], "feature": [r[1] for r in rows], "weight": [r[2] for r in rows],
                   "dated": [r[3] for r in rows]}
        with registered(con, "_ng_query", columns, {"weight": pa.float64(), "dated": pa.date32()}):
            out += con.execute(_NEIGHBOURS, [window <= 0, 2 * window, settings.story_neighbours]).fetchall()
    return out


# Pairs whose confident dates lie more than twice the window apart cannot end in one story: skipped here
# so that many old look-alikes (last year's drill) never crowd the real candidates out of the top k.
_NEIGHBOURS = """
SELECT q.doc, p.doc AS other, sum(q.weight * p.weight) AS score
FROM _ng_query q
JOIN story_postings p ON p.feature = q.feature AND p.doc <> q.doc
LEFT JOIN doc_features f ON f.doc = p.doc
WHERE ? OR q.dated IS NULL OR f.published IS NULL OR abs(date_diff('day', q.dated, f.published)) <= ?
GROUP BY q.doc, p.doc
QUALIFY row_number() OVER (PARTITION BY q.doc ORDER BY score DESC, other) <= ?
"""


def write_keys(con, table: str, vectors: dict[str, Vector], size: int) -> None:
    bulk_insert(con, table, [[k, cid] for cid, vec in vectors.items() for k in top(vec, size)])


def near_clusters(con, table: str, column: str, vectors: dict[str, Vector], size: int,
                  limit: int) -> dict[str, list[str]]:
    """For each named cluster vector, the clusters sharing most of its strongest features (itself excluded)."""
    rows = [(cid, k) for cid, vec in vectors.items() for k in top(vec, size)]
    if not rows:
        return {}
    with registered(con, "_ng_keys", {"cid": [r[0] for r in rows], "key": [r[1] for r in rows]}):
        found = con.execute(
            f"SELECT q.cid, k.{column}, count(*) AS shared FROM _ng_keys q JOIN {table} k ON k.key = q.key "
            f"WHERE k.{column} <> q.cid GROUP BY q.cid, k.{column} "
            f"QUALIFY row_number() OVER (PARTITION BY q.cid ORDER BY shared DESC, k.{column}) <= ?", [limit]
        ).fetchall()
    out: dict[str, list[str]] = {}
    for cid, other, _ in found:
        out.setdefault(cid, []).append(other)
    return out


def update_df(con, docs: Iterable[Doc]) -> tuple[dict[str, int], int]:
    """Document frequencies of the new documents' features (store + new) and the new document count."""
    docs = list(docs)
    fresh: Counter = Counter()
    for d in docs:
        fresh.update(d.counts.keys())
    features = sorted(fresh)
    known: dict[str, int] = {}
    if features:
        with registered(con, "_ng_features", {"feature": features}):
            known = dict(con.execute(
                "SELECT f.feature, f.df FROM feature_df f JOIN _ng_features w ON w.feature = f.feature").fetchall())
            con.execute("DELETE FROM feature_df WHERE feature IN (SELECT feature FROM _ng_features)")
        df = {f: known.get(f, 0) + fresh[f] for f in features}
        bulk_insert(con, "feature_df", [[f, n] for f, n in df.items()])
    else:
        df = {}
    stored = con.execute("SELECT count(*) FROM doc_features WHERE features IS NOT NULL").fetchone()[0]
    return df, stored + len(docs)
