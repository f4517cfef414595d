"""The search page: a page of document hits, entities by name, and why nothing matched.

The document ranking is the store's (``queries.search``); this module only pages it and, when a
query finds nothing, says why per word (``store.search.query_words``, read from the index's own
vocabulary): a stop word the index leaves out, or a word no document holds.
"""

from __future__ import annotations

from typing import Any

from newsgraph.display.paging import pager
from newsgraph.store import queries
from newsgraph.store import search as full_text

SEARCH_PAGE = 20
ENTITY_MATCHES = 20


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


def explain_no_match(con: Any, query: str) -> list[str]:
    """One sentence per reason a query matched no document, most useful first (``search.query_words``)."""
    words = full_text.query_words(con, query)
    reasons = []
    if words["stop"]:
        common = words["stop"]
        reasons.append(f"{_quoted(common)} {'is' if len(set(common)) == 1 else 'are'} too common to be indexed "
                       "(stop words): add a rarer word, such as a name or a place.")
    if words["absent"]:
        reasons.append(f"No document contains {_quoted(words['absent'])}. Check the spelling, or try another form "
                       "of the word or a name's other spelling.")
    if words["ignored"] and not words["absent"] and not words["present"]:
        reasons.append(f"{_quoted(words['ignored'])}: single letters are not indexed.")
    if not any(words.values()):
        return ["The query has no word the index can look up (only punctuation)."]
    return reasons or ["No document matches these words."]


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    quoted = [f"“{w}”" for w in unique]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
