"""The search page: a page of document hits, entities by name, and why nothing matched.

The document ranking is the store's (``queries.search``); this module only pages it and, when a
query finds nothing, says why per word: a stop word the index leaves out, or a word no document
holds. The explanation reads the DuckDB FTS index's own tables (``fts_main_documents``); with
another index (or none) it says nothing rather than guess, and the page shows its plain message.
An index that replaces the FTS one should answer ``explain_no_match`` from its own vocabulary.
"""

from __future__ import annotations

from typing import Any

from newsgraph.display.paging import pager
from newsgraph.store import queries

SEARCH_PAGE = 20
ENTITY_MATCHES = 20
FTS_SCHEMA = "fts_main_documents"


def search_page(con: Any, query: str, offset: int = 0, limit: int = SEARCH_PAGE) -> dict[str, Any]:
    """Hits (a page), entities whose name or alias contains the query, a pager, and ``why_empty``.

    Reads the store: the search itself, the entity names, and the index's vocabulary when nothing matched.
    """
    query = query.strip()
    if not query:
        return {"query": "", "hits": None, "entities": [], "pager": None, "why_empty": None}
    hits = queries.search(con, query, limit=limit, offset=offset)
    entities = queries.list_entities(con, name=query, limit=ENTITY_MATCHES)["items"]
    why = explain_no_match(con, query) if hits["total"] == 0 else None
    return {"query": query, "hits": hits, "entities": entities, "pager": pager(hits), "why_empty": why}


def _has_fts(con: Any) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?",
                            [FTS_SCHEMA]).fetchone()[0])


def explain_no_match(con: Any, query: str) -> list[str]:
    """One sentence per reason a query matched no document, most useful first."""
    if not _has_fts(con):
        return []
    words = [w for w in con.execute(f"SELECT {FTS_SCHEMA}.tokenize(?)", [query]).fetchone()[0] or [] if w]
    if not words:
        return ["The query has no word the index can look up (only punctuation or digits)."]
    stop = {w for (w,) in con.execute(f"SELECT sw FROM {FTS_SCHEMA}.stopwords WHERE list_contains(?, sw)",
                                      [words]).fetchall()}
    known = {w for (w,) in con.execute(
        f"SELECT w FROM unnest(?) t(w) WHERE stem(w, 'english') IN (SELECT term FROM {FTS_SCHEMA}.dict)",
        [words]).fetchall()}
    reasons = []
    common = [w for w in words if w in stop]
    if common:
        reasons.append(f"{_quoted(common)} {'is' if len(common) == 1 else 'are'} too common to be indexed "
                       "(stop words): add a rarer word, such as a name or a place.")
    absent = [w for w in words if w not in stop and w not in known]
    if absent:
        reasons.append(f"No document contains {_quoted(absent)}. Check the spelling, or try another form "
                       "of the word or a name's other spelling.")
    return reasons or ["No document matches these words."]


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    quoted = [f"“{w}”" for w in unique]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
