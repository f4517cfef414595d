"""Full-text search: a BM25 inverted index kept in the store and updated incrementally.

DuckDB's FTS index is a static snapshot (rebuilt over the whole corpus on every ingest), so
newsgraph keeps its own index in three tables (migration 011, docs/search.md):

* ``search_docs(docno, doc, length, segment)``: every indexed document, numbered;
* ``search_postings(term, segment, docnos, weights)``: for each term, one row per *segment*
  (a group of documents indexed together) with the documents holding it and their BM25 term
  weights ``tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl))`` (``avgdl`` as of indexing time);
* ``search_segments(segment, docs)``.

``update_index`` indexes the documents not indexed yet, ``SEGMENT_DOCS`` at a time, each group in
its own transaction (a kill leaves whole segments or none; a rerun goes on). Small segments (an
ingest of a few documents) are merged once ``MERGE_AT`` of them exist, so a term has at most about
``corpus / SEGMENT_DOCS + MERGE_AT`` rows, found through the ``term`` index. The cost of an update
depends on the new documents only, never on the corpus.

A query is tokenised like the documents; each term's rows are fetched by index, scored in NumPy
(``idf · weight``, summed per document) and the best documents are returned.

Tokens (``tokens``): Unicode NFKC, case-folded. Runs of Han, Hiragana, Katakana and Hangul, which
are written without spaces, become overlapping character bigrams (a lone character stays a
unigram), as Lucene's CJK analyser does; other runs of letters and digits are words, English stop
words dropped, stemmed with the Snowball English stemmer of DuckDB's FTS extension (``stem``).
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import regex

from newsgraph.store.db import transaction

SEGMENT_DOCS = 2000  # documents per segment (and per transaction of an update)
MERGE_AT = 4  # small segments merged into one once this many exist
K1, B = 1.2, 0.75
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u30fc"
_TOKEN = regex.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_MAX_WORD = 40  # longer "words" are markup debris or hashes, not search terms


# -- tokens ------------------------------------------------------------------------------------------


@cache
def stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


class Stemmer:
    """Snowball English stems through DuckDB's FTS ``stem`` function, computed once per distinct word."""

    def __init__(self, con) -> None:
        self.con = con
        self.known: dict[str, str] = _STEMS

    def stems(self, words: Iterable[str]) -> dict[str, str]:
        new = sorted({w for w in words if w not in self.known})
        if new:
            rows = self.con.execute("SELECT w, stem(w, 'english') FROM unnest(?::VARCHAR[]) t(w)", [new]).fetchall()
            self.known.update(rows)
        return self.known


_STEMS: dict[str, str] = {}  # word → stem, shared by every Stemmer of the process (the stemmer never changes)


def raw_tokens(text: str) -> Iterator[tuple[str, bool]]:
    """(token, is_word): words lower-cased (not yet stemmed), CJK runs as character bigrams."""
    text = unicodedata.normalize("NFKC", text).casefold()
    stop = stopwords()
    for match in _TOKEN.finditer(text):
        run = match.group("cjk")
        if run:
            if len(run) == 1:
                yield run, False
            else:
                for i in range(len(run) - 1):
                    yield run[i:i + 2], False
            continue
        word = match.group("word")
        if word not in stop and len(word) <= _MAX_WORD and (len(word) > 1 or word.isdigit()):
            yield word, True


def tokens(texts: list[str], stemmer: Stemmer) -> list[list[str]]:
    """Each text's terms, in order: words stemmed, CJK bigrams as they are."""
    raw = [list(raw_tokens(t)) for t in texts]
    stems = stemmer.stems({w for r in raw for w, is_word in r if is_word})
    return [[stems.get(w, w) if is_word else w for w, is_word in r] for r in raw]


# -- the update --------------------------------------------------------------------------------------


def pending_documents(con) -> list[str]:
    """Ids of stored documents not in the index yet (a hash anti-join over ids: no text read)."""
    return [r[0] for r in con.execute(
        "SELECT d.id FROM documents d ANTI JOIN search_docs s ON s.doc = d.id ORDER BY d.id").fetchall()]


def update_index(con, progress=None) -> int:
    """Index every document not indexed yet, one segment per transaction; returns how many."""
    pending = pending_documents(con)
    stemmer = Stemmer(con)
    for start in range(0, len(pending), SEGMENT_DOCS):
        with transaction(con):
            _index_segment(con, pending[start:start + SEGMENT_DOCS], stemmer)
            merge_small_segments(con)
        if progress is not None:
            progress(min(len(pending), start + SEGMENT_DOCS))
    return len(pending)


def _index_segment(con, ids: list[str], stemmer: Stemmer) -> None:
    con.register("_ng_search_ids", pa.table({"id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute("SELECT d.id, d.title, d.text FROM documents d JOIN _ng_search_ids i ON i.id = d.id "
                           "ORDER BY d.id").fetchall()
    finally:
        con.unregister("_ng_search_ids")
    terms = tokens([f"{title or ''}\n{text}" for _, title, text in rows], stemmer)
    first_docno, segment, n_docs, total_len = con.execute(
        "SELECT coalesce(max(docno) + 1, 0), (SELECT coalesce(max(segment) + 1, 0) FROM search_segments), "
        "count(*), coalesce(sum(length), 0) FROM search_docs").fetchone()
    lengths = [len(t) for t in terms]
    avgdl = (total_len + sum(lengths)) / max(1, n_docs + len(rows)) or 1.0
    postings: dict[str, tuple[list[int], list[float]]] = {}
    for offset, doc_terms in enumerate(terms):
        norm = K1 * (1 - B + B * lengths[offset] / avgdl)
        for term, tf in Counter(doc_terms).items():
            docnos, weights = postings.setdefault(term, ([], []))
            docnos.append(first_docno + offset)
            weights.append(tf * (K1 + 1) / (tf + norm))
    _insert(con, "search_docs", {
        "docno": pa.array(range(first_docno, first_docno + len(rows)), pa.int32()),
        "doc": pa.array([r[0] for r in rows], pa.string()),
        "length": pa.array(lengths, pa.int32()),
        "segment": pa.array([segment] * len(rows), pa.int32()),
    })
    _insert(con, "search_postings", {
        "term": pa.array(list(postings), pa.string()),
        "segment": pa.array([segment] * len(postings), pa.int32()),
        "docnos": pa.array([p[0] for p in postings.values()], pa.list_(pa.int32())),
        "weights": pa.array([p[1] for p in postings.values()], pa.list_(pa.float32())),
    })
    con.execute("INSERT INTO search_segments VALUES (?, ?)", [segment, len(rows)])


def _insert(con, table: str, columns: dict[str, pa.Array]) -> None:
    if not len(next(iter(columns.values()))):
        return
    con.register("_ng_search_rows", pa.table(columns))
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM _ng_search_rows")
    finally:
        con.unregister("_ng_search_rows")


def merge_small_segments(con) -> bool:
    """Merge the segments smaller than ``SEGMENT_DOCS`` into one once ``MERGE_AT`` of them exist."""
    small = [r[0] for r in con.execute(
        "SELECT segment FROM search_segments WHERE docs < ? ORDER BY segment", [SEGMENT_DOCS]).fetchall()]
    if len(small) < MERGE_AT:
        return False
    merged = con.execute("SELECT max(segment) + 1 FROM search_segments").fetchone()[0]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _ng_merged AS SELECT term, flatten(list(docnos ORDER BY segment)) AS docnos, "
        "flatten(list(weights ORDER BY segment)) AS weights FROM search_postings WHERE list_contains(?, segment) "
        "GROUP BY term", [small])
    con.execute("DELETE FROM search_postings WHERE list_contains(?, segment)", [small])
    con.execute("INSERT INTO search_postings SELECT term, ?, docnos, weights FROM _ng_merged", [merged])
    con.execute("DROP TABLE _ng_merged")
    con.execute("UPDATE search_docs SET segment = ? WHERE list_contains(?, segment)", [merged, small])
    docs = con.execute("SELECT sum(docs) FROM search_segments WHERE list_contains(?, segment)", [small]).fetchone()[0]
    con.execute("DELETE FROM search_segments WHERE list_contains(?, segment)", [small])
    con.execute("INSERT INTO search_segments VALUES (?, ?)", [merged, docs])
    return True


def rebuild_index(con) -> int:
    """Drop the index and build it again from every document (after a change of tokenisation)."""
    with transaction(con):
        for table in ("search_postings", "search_docs", "search_segments"):
            con.execute(f"DELETE FROM {table}")
    return update_index(con)


# -- queries -----------------------------------------------------------------------------------------


def _scores(con, query: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnos, scores) of every document matching at least one query term."""
    terms = sorted(set(tokens([query], Stemmer(con))[0]))
    if not terms:
        return np.empty(0, np.int64), np.empty(0)
    try:
        table = con.execute("SELECT term, docnos, weights FROM search_postings WHERE term = ANY(?::VARCHAR[])",
                            [terms]).to_arrow_table()
    except duckdb.CatalogException:  # a store from before schema 11, opened read-only: no index yet
        return np.empty(0, np.int64), np.empty(0)
    if not table.num_rows:
        return np.empty(0, np.int64), np.empty(0)
    n_docs = con.execute("SELECT count(*) FROM search_docs").fetchone()[0]
    lengths = pc.list_value_length(table["docnos"]).to_numpy()
    df = Counter()
    for term, n in zip(table["term"].to_pylist(), lengths, strict=True):
        df[term] += int(n)
    idf = {t: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for t, n in df.items()}
    row_idf = np.array([idf[t] for t in table["term"].to_pylist()])
    docnos = pc.list_flatten(table["docnos"]).to_numpy().astype(np.int64)
    weights = pc.list_flatten(table["weights"]).to_numpy().astype(np.float64) * np.repeat(row_idf, lengths)
    found, inverse = np.unique(docnos, return_inverse=True)
    return found, np.bincount(inverse, weights=weights)


def _keep(con, docnos: np.ndarray, scores: np.ndarray, condition: str, params: list[Any]
          ) -> tuple[np.ndarray, np.ndarray]:
    """The matches whose document passes ``condition`` (SQL over ``documents d``, values bound): one join
    over the matched documents only."""
    con.register("_ng_search_matched", pa.table({"docno": pa.array(docnos.astype(np.int32), pa.int32())}))
    try:
        kept = con.execute("SELECT h.docno FROM _ng_search_matched h JOIN search_docs s ON s.docno = h.docno "
                           f"JOIN documents d ON d.id = s.doc WHERE {condition}", params).fetchnumpy()["docno"]
    finally:
        con.unregister("_ng_search_matched")
    mask = np.isin(docnos, np.asarray(kept, dtype=np.int64))
    return docnos[mask], scores[mask]


def search(con, query: str, limit: int = 20, offset: int = 0,
           where: tuple[str, list[Any]] | None = None) -> tuple[list[dict[str, Any]], int]:
    """The ``limit`` best documents after ``offset`` (id, title, outlet, published, score) and the total.

    ``where``: ``(condition, params)``, an SQL condition over ``documents d`` that a hit must pass
    (language, outlet, dates, duplicates left out), applied before paging so pages and total agree.
    """
    docnos, scores = _scores(con, query)
    if len(docnos) and where:
        docnos, scores = _keep(con, docnos, scores, *where)
    if not len(docnos):
        return [], 0
    wanted = min(len(docnos), offset + limit)
    if wanted < len(docnos):  # every document scoring at least the wanted-th best: ties stay in the page
        floor = np.partition(-scores, wanted - 1)[wanted - 1]
        best = np.flatnonzero(-scores <= floor)
    else:
        best = np.arange(len(docnos))
    picked = {int(docnos[i]): float(scores[i]) for i in best}
    con.register("_ng_search_hits", pa.table({"docno": pa.array(list(picked), pa.int32()),
                                              "score": pa.array(list(picked.values()), pa.float64())}))
    try:
        rows = con.execute(
            "SELECT d.id, d.title, d.outlet, d.published, h.score FROM _ng_search_hits h "
            "JOIN search_docs s ON s.docno = h.docno JOIN documents d ON d.id = s.doc").fetchall()
    finally:
        con.unregister("_ng_search_hits")
    # Ties broken by id; scores compared as stored (float32 weights), so equal documents tie exactly.
    rows.sort(key=lambda r: (-round(r[4], 9), r[0]))
    keys = ("id", "title", "outlet", "published", "score")
    return [dict(zip(keys, r, strict=True)) for r in rows[offset:offset + limit]], len(docnos)


def query_words(con, query: str) -> dict[str, list[str]]:
    """Why a query may match nothing, word by word: ``stop`` (common words the index leaves out),
    ``ignored`` (single letters, over-long runs), ``absent`` (indexed kinds of words no document
    holds) and ``present`` (words the index has), each in query order, as the user wrote them."""
    text = unicodedata.normalize("NFKC", query).casefold()
    out: dict[str, list[str]] = {"stop": [], "ignored": [], "absent": [], "present": []}
    looked_up: list[tuple[str, str | None]] = []  # (word as written, term or None for a plain word)
    for match in _TOKEN.finditer(text):
        run, word = match.group("cjk"), match.group("word")
        if run:
            grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
            looked_up += [(run, g) for g in grams]
        elif word in stopwords():
            out["stop"].append(word)
        elif len(word) > _MAX_WORD or (len(word) == 1 and not word.isdigit()):
            out["ignored"].append(word)
        else:
            looked_up.append((word, None))
    if not looked_up:
        return out
    stems = Stemmer(con).stems({w for w, term in looked_up if term is None})
    terms = {w: term or stems.get(w, w) for w, term in looked_up}
    try:
        known = {r[0] for r in con.execute("SELECT DISTINCT term FROM search_postings WHERE term = ANY(?::VARCHAR[])",
                                           [sorted(set(terms.values()))]).fetchall()}
    except duckdb.CatalogException:  # a store from before schema 11: no index to ask
        known = set()
    for word in dict.fromkeys(w for w, _ in looked_up):
        grams = [term for w, term in looked_up if w == word and term] or [terms[word]]
        out["present" if all(g in known for g in grams) else "absent"].append(word)
    return out
