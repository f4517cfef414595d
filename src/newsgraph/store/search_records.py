"""Search beyond documents: entities by name, alias or KB id; quotes and claims from the matching documents.

- ``match_entities``: an entity matches when its name or an alias holds the whole query, or one of
  the query's words, at the start of a word (so "GCAP fighter" finds the programme whose alias is GCAP), or when a KB id
  equals the query or a word ("Q17", "ng:gcap"). Ranked by how many words match, then by mentions.
- ``match_quotes``: attributions in the best matching documents whose content or speaker holds a
  query word (by stem), in the documents' rank order.
- ``match_claims``: claims about the matched entities, or with a value in the matching documents
  that holds a query word; conflicts first.

Every value is a bound parameter; the document lists are the search's own hits (bounded).
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.store.queries import _GLOBAL
from newsgraph.store.search import raw_tokens
from newsgraph.store.sql import rows as _rows

LIMIT = 10


def query_words(query: str) -> list[str]:
    """The query's indexable words as written (lower case, stop words and single letters left out)."""
    return list(dict.fromkeys(w for w, is_word in raw_tokens(query) if is_word))


def _word_start(word: str) -> str:
    """A pattern for a word starting at a word boundary, any case ("carrier" finds "Carriers", not "Eurofighter")."""
    return r"(?i)(^|[^\p{L}\p{N}])" + re.escape(word)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def match_entities(con, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities matching the query (see the module doc), with ``matched`` (words found) and mentions."""
    query = query.strip()
    words = query_words(query)
    if not query:
        return []
    names = "(e.name || ' ' || coalesce(CAST(e.aliases AS VARCHAR), ''))"
    kb = "CAST(json_extract_string(e.kb_ids, '$.*') AS VARCHAR[])"
    terms = [f"CAST(regexp_matches({names}, ?) AS INTEGER)" for _ in words]
    score = " + ".join([f"2 * CAST(regexp_matches({names}, ?) OR list_contains({kb}, ?) AS INTEGER)", *terms])
    params: list[Any] = [_word_start(query), query, *[_word_start(w) for w in words]]
    rows = _rows(con, f"""
        SELECT id, name, type, aliases, kb, matched FROM (
            SELECT e.id, e.name, e.type, e.aliases, json_extract_string(e.kb_ids, '$.kb') AS kb,
                   {score} + CAST(list_has_any({kb}, ?) AS INTEGER) AS matched
            FROM entities e) WHERE matched > 0 ORDER BY matched DESC, name LIMIT 200""", [*params, words])
    if not rows:
        return []
    counts = dict(con.execute(
        "SELECT m.entity, count(*) FROM entity_map m JOIN mentions x ON x.local_entity = m.local_entity "
        "WHERE list_contains(?, m.entity) GROUP BY 1", [[r["id"] for r in rows]]).fetchall())
    for r in rows:
        r["mentions"] = counts.get(r["id"], 0)
        r["aliases"] = r["aliases"] and _aliases(r["aliases"])
    rows.sort(key=lambda r: (-r["matched"], -r["mentions"], r["name"]))
    return rows[:limit]


def _aliases(value: str) -> list[str]:
    import json

    return [a for a in json.loads(value) if isinstance(a, str)]


def match_quotes(con, stems: list[str], docs: list[str], limit: int = LIMIT) -> list[dict[str, Any]]:
    """Attributions in ``docs`` (best first) whose content or speaker holds one of ``stems``."""
    if not stems or not docs:
        return []
    content = "array_to_string(CAST(json_extract_string(a.content, '$[*].text') AS VARCHAR[]), ' … ')"
    holds = " OR ".join([f"{content} ILIKE ? ESCAPE '\\' OR a.speaker_name ILIKE ? ESCAPE '\\'"] * len(stems))
    params = [p for s in stems for p in (_like(s), _like(s))]
    return _rows(con, f"""
        SELECT a.id, a.kind, a.doc, {_GLOBAL.format(col="a.speaker_local")} AS speaker, a.speaker_name,
               {content} AS content, a.content_start AS start,
               CAST(json_extract(a.content, '$[0].end') AS INTEGER) AS "end",
               d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
        FROM attributions a JOIN documents d ON d.id = a.doc
        WHERE list_contains(?, a.doc) AND ({holds})
        ORDER BY list_position(?, a.doc), a.content_start LIMIT ?""", [docs, *params, docs, limit])


def match_claims(con, stems: list[str], entities: list[str], docs: list[str],
                 limit: int = LIMIT) -> list[dict[str, Any]]:
    """Claims about ``entities``, or with a value in ``docs`` that holds one of ``stems``."""
    if not entities and not (stems and docs):
        return []
    holds = " OR ".join(["cv.value ILIKE ? ESCAPE '\\' OR cv.text ILIKE ? ESCAPE '\\'"] * len(stems)) or "false"
    params = [p for s in stems for p in (_like(s), _like(s))]
    return _rows(con, f"""
        SELECT c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation FROM claims c
        WHERE list_contains(?, c.subject) OR c.id IN (
            SELECT cm.claim FROM claim_values cv JOIN claim_map cm ON cm.claim_value = cv.id
            WHERE list_contains(?, cv.doc) AND ({holds}))
        ORDER BY CASE c.status WHEN 'conflict' THEN 0 WHEN 'superseded' THEN 1 ELSE 2 END, c.subject_name, c.id
        LIMIT ?""", [entities, docs, *params, limit])
