"""Search results, grouped: documents (a page, with snippets and their duplicates), entities, quotes, claims.

The document ranking is the store's (``queries.search``: BM25, filters applied before paging,
duplicates folded under their original). Entities match by name, alias or KB id, quotes and
claims are drawn from the best matching documents (``store.search_records``). Snippets mark the
query's words (``display.snippets``). When a query finds nothing, ``explain_no_match`` says why per
word (``store.search.query_words``, read from the index's own vocabulary): a stop word the index
leaves out, or a word no document holds; and when only the filters leave nothing, it says so.
"""

from __future__ import annotations

from typing import Any

from newsgraph.display.links import evidence_url
from newsgraph.display.paging import pager
from newsgraph.display.snippets import hit_spans, plain, query_terms, snippet
from newsgraph.store import queries
from newsgraph.store import search as full_text
from newsgraph.store.search_records import match_claims, match_entities, match_quotes
from newsgraph.store.table_specs import CLAIMS
from newsgraph.store.tables import add_extras

SEARCH_PAGE = 20
ENTITY_MATCHES = 20
FILTERS = ("language", "outlet", "date_from", "date_to")


def search_results(con: Any, query: str, *, offset: int = 0, limit: int = SEARCH_PAGE,
                   filters: dict[str, Any] | None = None, duplicates: bool = False) -> dict[str, Any]:
    """``{query, hits, entities, quotes, claims, why_empty}`` (reads the store; ``hits`` is a page)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v}
    query = query.strip()
    hits = queries.search(con, query, limit=limit, offset=offset, duplicates=duplicates, **filters)
    terms = query_terms(con, query)
    texts = dict(con.execute("SELECT id, text FROM documents WHERE list_contains(?, id)",
                             [[h["id"] for h in hits["items"]]]).fetchall()) if hits["items"] else {}
    for h in hits["items"]:
        h["snippet"] = snippet(texts.get(h["id"], ""), hit_spans(con, texts.get(h["id"], ""), terms))
        h["title_pieces"] = snippet(h["title"] or "", hit_spans(con, h["title"] or "", terms), width=10_000)
    best = queries.search(con, query, limit=queries.MAX_LIMIT, duplicates=duplicates, **filters)["items"] \
        if hits["total"] else []
    docs = [h["id"] for h in best]
    entities = match_entities(con, query, limit=ENTITY_MATCHES)
    stems = sorted(terms[0])
    quotes = match_quotes(con, stems, docs)
    for q in quotes:
        q["snippet"] = snippet(q["content"] or "", hit_spans(con, q["content"] or "", terms), width=300)
        q["link"] = evidence_url(q["doc"], q["start"], q["end"], f"attribution:{q['id']}")
    claims = match_claims(con, stems, [e["id"] for e in entities[:5]], docs)
    add_extras(con, CLAIMS, claims)
    for c in claims:
        c["link"] = evidence_url(c.get("doc"), c.get("start"), c.get("end"), f"claim:{c['id']}")
    why = explain_no_match(con, query, filtered=bool(filters)) if hits["total"] == 0 else None
    return {"query": query, "filters": filters, "duplicates": duplicates, "hits": hits, "entities": entities,
            "quotes": quotes, "claims": claims, "why_empty": why}


def search_page(con: Any, query: str, offset: int = 0, limit: int = SEARCH_PAGE,
                filters: dict[str, Any] | None = None) -> dict[str, Any]:
    """The search page: ``search_results`` plus a pager and the filter choices (languages, outlets)."""
    choices = {"languages": _counts(con, "language"), "outlets": _counts(con, "outlet")}
    if not query.strip():
        return {"query": "", "hits": None, "entities": [], "quotes": [], "claims": [], "pager": None,
                "why_empty": None, "filters": {}, "choices": choices}
    found = search_results(con, query, offset=offset, limit=limit, filters=filters)
    return found | {"pager": pager(found["hits"]), "choices": choices}


def api_hits(found: dict[str, Any]) -> dict[str, Any]:
    """The JSON shape of ``search_results``: snippets as text with ``highlights`` ([start, end] in it)."""
    page = found["hits"]
    for h in page["items"]:
        h["highlights"] = _offsets(h["snippet"])
        h["snippet"] = plain(h.pop("snippet"))
        h.pop("title_pieces", None)
    for q in found["quotes"]:
        q["highlights"] = _offsets(q["snippet"])
        q["snippet"] = plain(q["snippet"])
    return page | {"entities": found["entities"], "quotes": found["quotes"], "claims": found["claims"],
                   "why_empty": found["why_empty"]}


def _offsets(pieces: list[dict[str, Any]]) -> list[list[int]]:
    out, at = [], 0
    for p in pieces:
        if p["hit"]:
            out.append([at, at + len(p["text"])])
        at += len(p["text"])
    return out


def _counts(con: Any, column: str) -> list[tuple[str, int]]:
    assert column in ("language", "outlet")
    return [(v, n) for v, n in con.execute(
        f"SELECT {column}, count(*) FROM documents WHERE {column} IS NOT NULL AND duplicate_of IS NULL "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50").fetchall()]


def explain_no_match(con: Any, query: str, filtered: bool = False) -> list[str]:
    """One sentence per reason a query matched no document, most useful first (``search.query_words``)."""
    if filtered:
        unfiltered = queries.search(con, query, limit=1)["total"]
        if unfiltered:
            return [f"{unfiltered} document{'s match' if unfiltered > 1 else ' matches'} “{query}” without the "
                    "filters: widen the dates, or choose another language or outlet."]
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
