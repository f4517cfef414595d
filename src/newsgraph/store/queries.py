"""Read functions over the store: the one library the REST API, the web UI and the brief call.

No face writes SQL of its own. Every function takes an open DuckDB connection (read-only is
enough), returns plain JSON-ready dicts (dates as ISO strings, JSON columns decoded) and never
writes. List functions return a page: ``{"total", "limit", "offset", "items"}``; detail
functions return ``None`` for an unknown id so the caller can answer 404.

Entity ids: per-document records (mentions, quotes, event mentions, claim values) carry
document-local entity keys; ``entity_map`` turns them into corpus entity ids, and every
function here answers with corpus ids.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsgraph.store import search as full_text
from newsgraph.store.sql import DEFAULT_LIMIT, MAX_LIMIT
from newsgraph.store.sql import Where as _Where
from newsgraph.store.sql import decode as _decode
from newsgraph.store.sql import loads as _loads
from newsgraph.store.sql import one as _one
from newsgraph.store.sql import page as _page
from newsgraph.store.sql import plain as _plain
from newsgraph.store.sql import rows as _rows

RELATED_LIMIT = 20

# A local entity key or a corpus id → the corpus id (records mix the two before resolution).
_GLOBAL = "coalesce((SELECT m.entity FROM entity_map m WHERE m.local_entity = {col}), {col})"


# --------------------------------------------------------------------------- helpers


def _span(doc: str, start: int | None, end: int | None, text: str | None) -> dict[str, Any]:
    return {"doc": doc, "start": start, "end": end, "text": text}


def _docs_of_entity(alias: str) -> str:
    """Condition: document ``alias`` mentions the corpus entity bound to ``?``."""
    return (f"EXISTS (SELECT 1 FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity "
            f"WHERE x.doc = {alias} AND m.entity = ?)")


def _event_has_entity(alias: str) -> str:
    """Condition: event ``alias`` has the entity bound to ``?`` (x3) as participant or location."""
    loc = _GLOBAL.format(col=f"{alias}.location")
    return (
        f"(list_contains(json_extract_string({alias}.participants, '$[*].entity'), ?) OR {loc} = ? "
        f"OR EXISTS (SELECT 1 FROM event_map em JOIN event_mentions x ON x.id = em.event_mention "
        f"JOIN entity_map m ON list_contains(json_extract_string(x.participants, '$[*].entity'), m.local_entity) "
        f"WHERE em.event = {alias}.id AND m.entity = ?))"
    )


def _overlaps(where: _Where, start_col: str, end_col: str, date_from: str | None, date_to: str | None) -> None:
    """Keep rows whose [start, end] interval overlaps [date_from, date_to] (either bound optional)."""
    if date_from:
        where.add(f"CAST({end_col} AS VARCHAR) >= ?", str(date_from))
    if date_to:
        where.add(f"CAST({start_col} AS VARCHAR) <= ?", str(date_to))


def _names(con, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Corpus entity id → {id, name, type} for the ids that exist."""
    if not ids:
        return {}
    rows = _rows(con, "SELECT id, name, type FROM entities WHERE list_contains(?, id)", [sorted(ids)])
    return {r["id"]: r for r in rows}


# --------------------------------------------------------------------------- overview


def overview(con) -> dict[str, Any]:
    """Row counts per table (documents, entities, events, quotes, attributions, claims, stories, topics,
    duplicates)."""
    tables = ("documents", "entities", "mentions", "events", "quotes", "attributions", "claims", "stories",
              "topics")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    counts["duplicates"] = con.execute(
        "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    span = _one(con, "SELECT CAST(min(published) AS VARCHAR) AS first, CAST(max(published) AS VARCHAR) AS last "
                     "FROM documents")
    return {"counts": counts, "published": span}


# --------------------------------------------------------------------------- documents

_DOC_COLUMNS = ("d.id, d.title, d.outlet, d.author, d.published, d.published_basis, d.source, d.url, "
                "d.language, t.language_confidence, t.language_basis, t.charset, t.encoding_issue, "
                "d.format, d.story, d.duplicate_of, d.words")
_DOC_FROM = "documents d LEFT JOIN document_text t ON t.doc = d.id"


def list_documents(
    con, *, date_from: str | None = None, date_to: str | None = None, story: str | None = None,
    entity: str | None = None, outlet: str | None = None, include_duplicates: bool = True,
    language: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Documents, newest first; filter by publication date range, story, mentioned entity, outlet, language."""
    where = _Where()
    _overlaps(where, "d.published", "d.published", date_from, date_to)
    if story:
        where.add("d.story = ?", story)
    if entity:
        where.add(_docs_of_entity("d.id"), entity)
    if outlet:
        where.add("d.outlet = ?", outlet)
    if not include_duplicates:
        where.add("d.duplicate_of IS NULL")
    if language:
        where.add("d.language = ?", language)
    return _page(con, f"SELECT {_DOC_COLUMNS} FROM {_DOC_FROM}", where,
                 "d.published DESC NULLS LAST, d.id", limit, offset)


def document_entities(con, doc_id: str) -> list[dict[str, Any]]:
    """The corpus entities a document mentions, most mentioned first."""
    return _rows(con, """
        SELECT e.id, e.name, e.type, count(*) AS mentions FROM mentions x
        JOIN entity_map m ON m.local_entity = x.local_entity JOIN entities e ON e.id = m.entity
        WHERE x.doc = ? GROUP BY e.id, e.name, e.type ORDER BY mentions DESC, e.name""", [doc_id])


def document_highlights(con, doc_id: str) -> list[dict[str, Any]]:
    """Every marked span of a document's text, by start: mentions, quotes, event triggers, claim values,
    and each attribution's source, cue and content (store/attributions.py).

    Each is ``{start, end, text, kind, label, ref}`` where ``ref`` is the corpus record it belongs to.
    """
    mention_ref = _GLOBAL.format(col="x.local_entity")
    rows = _rows(con, f"""
        SELECT x.start, x."end", x.text, 'mention' AS kind, x.label, {mention_ref} AS ref
          FROM mentions x WHERE x.doc = ?
        UNION ALL SELECT q.start, q."end", q.text, 'quote', q.speaker_name, q.id FROM quotes q WHERE q.doc = ?
        UNION ALL SELECT v.trigger_start, v.trigger_end, v.trigger_text, 'event', v.type,
               coalesce(em.event, v.id) FROM event_mentions v LEFT JOIN event_map em ON em.event_mention = v.id
          WHERE v.doc = ? AND v.trigger_start IS NOT NULL
        UNION ALL SELECT c.start, c."end", c.text, 'claim', c.attribute, coalesce(cm.claim, c.id)
          FROM claim_values c LEFT JOIN claim_map cm ON cm.claim_value = c.id
          WHERE c.doc = ? AND c.start IS NOT NULL""", [doc_id] * 4)
    from newsgraph.store.attributions import attribution_highlights

    rows += attribution_highlights(con, doc_id)
    return sorted(rows, key=lambda r: (r["start"], -r["end"], r["kind"]))


def get_document(con, doc_id: str) -> dict[str, Any] | None:
    """One document with its cleaned text, highlights, entities, events, quotes, attributions and claims."""
    doc = _one(con, f"SELECT {_DOC_COLUMNS}, d.text, d.removed FROM {_DOC_FROM} WHERE d.id = ?", [doc_id])
    if doc is None:
        return None
    _decode(doc, removed=[])
    doc["highlights"] = document_highlights(con, doc_id)
    doc["entities"] = document_entities(con, doc_id)
    doc["events"] = _rows(con, """
        SELECT DISTINCT e.id, e.type, e.plover, e.modality, e.summary FROM event_mentions v
        JOIN event_map em ON em.event_mention = v.id JOIN events e ON e.id = em.event
        WHERE v.doc = ? ORDER BY e.id""", [doc_id])
    doc["quotes"] = list_quotes(con, doc=doc_id, limit=MAX_LIMIT)["items"]
    from newsgraph.store.attributions import document_attributions

    doc["attributions"] = document_attributions(con, doc_id)
    doc["claims"] = _rows(con, """
        SELECT DISTINCT c.id, c.subject, c.subject_name, c.attribute, c.status FROM claim_values v
        JOIN claim_map cm ON cm.claim_value = v.id JOIN claims c ON c.id = cm.claim
        WHERE v.doc = ? ORDER BY c.id""", [doc_id])
    return doc


# --------------------------------------------------------------------------- entities


def list_entities(
    con, *, type: str | None = None, name: str | None = None, story: str | None = None,
    document: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Corpus entities, most mentioned first; filter by type, name substring, story, document."""
    where = _Where()
    if type:
        where.add("e.type = ?", type)
    if name:
        where.add("(e.name ILIKE ? OR CAST(e.aliases AS VARCHAR) ILIKE ?)", f"%{name}%", f"%{name}%")
    if story:
        where.add("list_contains(n.stories, ?)", story)
    if document:
        where.add("list_contains(n.docs, ?)", document)
    select = """
        SELECT e.id, e.name, e.type, e.aliases, coalesce(n.mentions, 0) AS mentions,
               coalesce(len(n.docs), 0) AS documents FROM entities e
        LEFT JOIN (SELECT m.entity, count(*) AS mentions, list(DISTINCT x.doc) AS docs,
                          list(DISTINCT d.story) FILTER (WHERE d.story IS NOT NULL) AS stories
                   FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity
                   JOIN documents d ON d.id = x.doc GROUP BY m.entity) n ON n.entity = e.id"""
    page = _page(con, select, where, "mentions DESC, e.name, e.id", limit, offset)
    for item in page["items"]:
        _decode(item, aliases=[])
    return page


def coordinates(attributes: dict[str, Any]) -> dict[str, float] | None:
    """``{"lat", "lon"}`` when the entity's attributes carry a position (places, bases, capitals)."""
    lat, lon = attributes.get("lat"), attributes.get("lon")
    if lat is None or lon is None:
        return None
    return {"lat": float(lat), "lon": float(lon)}


def entity_mentions(con, entity_id: str) -> list[dict[str, Any]]:
    """Every span naming the entity, with its document's title and date."""
    return _rows(con, """
        SELECT x.doc, x.start, x."end", x.text, x.label, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
        FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity JOIN documents d ON d.id = x.doc
        WHERE m.entity = ? ORDER BY d.published NULLS LAST, x.doc, x.start""", [entity_id])


def related_entities(con, entity_id: str, limit: int = RELATED_LIMIT) -> list[dict[str, Any]]:
    """Entities mentioned in the same documents, by the number of documents shared."""
    return _rows(con, """
        WITH docs AS (SELECT DISTINCT x.doc FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity
                      WHERE m.entity = ?)
        SELECT e.id, e.name, e.type, count(DISTINCT x.doc) AS shared_documents FROM mentions x
        JOIN docs ON docs.doc = x.doc JOIN entity_map m ON m.local_entity = x.local_entity
        JOIN entities e ON e.id = m.entity WHERE e.id <> ?
        GROUP BY e.id, e.name, e.type ORDER BY shared_documents DESC, e.name, e.id LIMIT ?""",
                 [entity_id, entity_id, limit])


def get_entity(con, entity_id: str) -> dict[str, Any] | None:
    """One entity with its mentions, events, quotes (as speaker), claims (as subject), related entities.

    Read from the tables; the API reads the entity's view (``newsgraph.views.fetch.entity``).
    """
    entity = _one(con, "SELECT id, name, type, aliases, kb_ids, attributes FROM entities WHERE id = ?", [entity_id])
    if entity is None:
        return None
    _decode(entity, aliases=[], kb_ids={}, attributes={})
    entity["coordinates"] = coordinates(entity["attributes"])
    entity["mentions"] = entity_mentions(con, entity_id)
    entity["documents"] = sorted({m["doc"] for m in entity["mentions"]})
    entity["events"] = list_events(con, entity=entity_id, limit=MAX_LIMIT)["items"]
    entity["quotes"] = list_quotes(con, speaker=entity_id, limit=MAX_LIMIT)["items"]
    entity["claims"] = list_claims(con, entity=entity_id, limit=MAX_LIMIT)["items"]
    entity["related"] = related_entities(con, entity_id)
    return entity


# --------------------------------------------------------------------------- events


def _event_where(type: str | None, plover: str | None, modality: str | None, entity: str | None,
                 story: str | None, date_from: str | None, date_to: str | None) -> _Where:
    where = _Where()
    for column, value in (("type", type), ("plover", plover), ("modality", modality), ("story", story)):
        if value:
            where.add(f"e.{column} = ?", value)
    if entity:
        where.add(_event_has_entity("e"), entity, entity, entity)
    if date_from or date_to:  # a report's date (basis "reported") is not when the event happened
        where.add("json_extract_string(e.date, '$.start') IS NOT NULL "
                  "AND coalesce(json_extract_string(e.date, '$.basis'), '') <> 'reported'")
    start = "json_extract_string(e.date, '$.start')"
    # An open interval ("since 1945") counts as the single day it starts on.
    _overlaps(where, start, f"coalesce(json_extract_string(e.date, '$.end'), {start})", date_from, date_to)
    return where


def _resolve_events(con, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decode JSON columns and turn participant/location keys into corpus entities (two queries a page)."""
    keys: set[str] = set()
    for event in events:
        _decode(event, participants=[], date=None, quantities=[], history=[])
        keys.update(p["entity"] for p in event["participants"] if p.get("entity"))
        if event.get("location"):
            keys.add(event["location"])
    mapped = _to_global(con, keys)
    names = _names(con, set(mapped.values()))
    for event in events:
        for p in event["participants"]:
            p["entity"] = mapped.get(p.get("entity"), p.get("entity"))
        loc = mapped.get(event.get("location"), event.get("location"))
        event["location"] = names.get(loc, {"id": loc, "name": None, "type": None}) if loc else None
    return events


def _to_global(con, keys: set[str]) -> dict[str, str]:
    if not keys:
        return {}
    found = dict(con.execute("SELECT local_entity, entity FROM entity_map WHERE list_contains(?, local_entity)",
                             [sorted(keys)]).fetchall())
    return {k: found.get(k, k) for k in keys}


# Stated dates first, by date; then events dated only by their report, in report order; undated last.
def event_order(alias: str = "e") -> str:
    return (f"CASE WHEN json_extract_string({alias}.date, '$.basis') = 'reported' THEN NULL "
            f"ELSE json_extract_string({alias}.date, '$.start') END NULLS LAST, "
            f"json_extract_string({alias}.date, '$.start'), {alias}.id")


def list_events(
    con, *, type: str | None = None, plover: str | None = None, modality: str | None = None,
    entity: str | None = None, story: str | None = None, date_from: str | None = None,
    date_to: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Corpus events, by date (undated last); filters combine with AND.

    ``entity`` matches participants and the location; the date range keeps events whose date
    interval overlaps it (undated events, and those dated only by their report, are left out when a
    range is given; they come last, in report order).
    """
    where = _event_where(type, plover, modality, entity, story, date_from, date_to)
    select = """
        SELECT e.id, e.type, e.plover, e.modality, e.summary, e.participants, e.location, e.date,
               e.quantities, e.history, e.story,
               (SELECT count(DISTINCT x.doc) FROM event_map em JOIN event_mentions x ON x.id = em.event_mention
                WHERE em.event = e.id) AS sources
        FROM events e"""
    order = event_order()
    page = _page(con, select, where, order, limit, offset)
    page["items"] = _resolve_events(con, page["items"])
    return page


def event_sources(con, event_id: str) -> list[dict[str, Any]]:
    """Every report of one event: the trigger span, the sentence, and the document's outlet and date."""
    rows = _rows(con, """
        SELECT x.id AS mention, x.doc, x.trigger_start, x.trigger_end, x.trigger_text, x.sent_start, x.sent_end,
               x.sentence, x.type, x.modality, x.summary, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
        FROM event_map em JOIN event_mentions x ON x.id = em.event_mention JOIN documents d ON d.id = x.doc
        WHERE em.event = ? ORDER BY d.published NULLS LAST, x.doc, x.trigger_start""", [event_id])
    return [{"mention": r["mention"], "doc": r["doc"], "title": r["title"], "outlet": r["outlet"],
             "published": r["published"], "type": r["type"], "modality": r["modality"], "summary": r["summary"],
             "trigger": _span(r["doc"], r["trigger_start"], r["trigger_end"], r["trigger_text"]),
             "sentence": _span(r["doc"], r["sent_start"], r["sent_end"], r["sentence"])} for r in rows]


def get_event(con, event_id: str) -> dict[str, Any] | None:
    """One event with its participants, date, modality history and every source that reports it."""
    event = _one(con, "SELECT id, type, plover, modality, summary, participants, location, date, quantities, "
                      "history, story FROM events e WHERE id = ?", [event_id])
    if event is None:
        return None
    event = _resolve_events(con, [event])[0]
    event["sources"] = event_sources(con, event_id)
    return event


# --------------------------------------------------------------------------- quotes


def list_quotes(
    con, *, speaker: str | None = None, doc: str | None = None, story: str | None = None,
    date_from: str | None = None, date_to: str | None = None, text: str | None = None,
    limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Quotes with their speaker (a corpus entity id) and document; newest document first."""
    speaker_id = _GLOBAL.format(col="q.speaker_local")
    where = _Where()
    if speaker:
        where.add(f"{speaker_id} = ?", speaker)
    if doc:
        where.add("q.doc = ?", doc)
    if story:
        where.add("d.story = ?", story)
    if text:
        where.add("q.text ILIKE ?", f"%{text}%")
    _overlaps(where, "d.published", "d.published", date_from, date_to)
    select = f"""
        SELECT q.id, q.text, q.doc, q.start, q."end", {speaker_id} AS speaker, q.speaker_name, q.cue, q.method,
               q.speaker_start, q.speaker_end, d.title, d.outlet, CAST(d.published AS VARCHAR) AS published
        FROM quotes q JOIN documents d ON d.id = q.doc"""
    return _page(con, select, where, "d.published DESC NULLS LAST, q.doc, q.start", limit, offset)


# --------------------------------------------------------------------------- claims


def list_claims(
    con, *, status: str | None = None, entity: str | None = None, attribute: str | None = None,
    story: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Cross-source claims; conflicts first, then by subject. ``entity`` is the subject."""
    where = _Where()
    if status:
        where.add("c.status = ?", status)
    if entity:
        where.add("c.subject = ?", entity)
    if attribute:
        where.add("c.attribute = ?", attribute)
    if story:
        where.add("EXISTS (SELECT 1 FROM claim_map cm JOIN claim_values v ON v.id = cm.claim_value "
                  "JOIN documents d ON d.id = v.doc WHERE cm.claim = c.id AND d.story = ?)", story)
    select = """
        SELECT c.id, c.subject, c.subject_name, c.attribute, c.status, c.explanation,
               (SELECT count(*) FROM claim_map cm WHERE cm.claim = c.id) AS values,
               (SELECT count(DISTINCT v.doc) FROM claim_map cm JOIN claim_values v ON v.id = cm.claim_value
                WHERE cm.claim = c.id) AS sources
        FROM claims c"""
    order = "CASE c.status WHEN 'conflict' THEN 0 WHEN 'superseded' THEN 1 ELSE 2 END, c.subject_name, c.id"
    return _page(con, select, where, order, limit, offset)


def get_claim(con, claim_id: str) -> dict[str, Any] | None:
    """One claim with each source's value, normalised form, modality, date and span."""
    claim = _one(con, "SELECT id, subject, subject_name, attribute, status, explanation FROM claims WHERE id = ?",
                 [claim_id])
    if claim is None:
        return None
    rows = _rows(con, """
        SELECT v.id, v.value, v.normalized, v.modality, v.published, v.doc, v.start, v."end", v.text,
               d.title, d.outlet, x.basis, x.context_start, x.context_end, x.context_text,
               coalesce(m.entity, x.speaker_local) AS speaker, x.speaker_name
        FROM claim_map cm JOIN claim_values v ON v.id = cm.claim_value
        JOIN documents d ON d.id = v.doc LEFT JOIN claim_value_context x ON x.claim_value = v.id
        LEFT JOIN entity_map m ON m.local_entity = x.speaker_local
        WHERE cm.claim = ? ORDER BY v.published NULLS LAST, v.doc, v.start""",
                 [claim_id])
    claim["values"] = [{"value": r["value"], "normalized": _loads(r["normalized"], {}), "modality": r["modality"],
                        "published": r["published"], "title": r["title"], "outlet": r["outlet"],
                        "source": _span(r["doc"], r["start"], r["end"], r["text"]),
                        "context": _span(r["doc"], r["context_start"], r["context_end"], r["context_text"])
                        if r["context_start"] is not None else None,
                        "basis": r["basis"], "speaker": r["speaker"], "speaker_name": r["speaker_name"]}
                       for r in rows]
    return claim


# --------------------------------------------------------------------------- stories


def list_stories(
    con, *, entity: str | None = None, date_from: str | None = None, date_to: str | None = None,
    limit: int = DEFAULT_LIMIT, offset: int = 0,
) -> dict[str, Any]:
    """Stories, most documents first; ``entity`` keeps stories whose documents mention it."""
    where = _Where()
    if entity:
        where.add("EXISTS (SELECT 1 FROM documents d WHERE d.story = s.id AND " + _docs_of_entity("d.id") + ")",
                  entity)
    _overlaps(where, "s.first_date", "s.last_date", date_from, date_to)
    select = """
        SELECT s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date, CAST(s.last_date AS VARCHAR) AS last_date,
               (SELECT count(*) FROM documents d WHERE d.story = s.id) AS documents,
               (SELECT count(*) FROM events e WHERE e.story = s.id) AS events,
               (SELECT i.topic FROM story_info i WHERE i.story = s.id) AS topic,
               (SELECT i.unclusterable FROM story_info i WHERE i.story = s.id) AS unclusterable
        FROM stories s"""
    return _page(con, select, where, "documents DESC, s.first_date NULLS LAST, s.id", limit, offset)


def get_story(con, story_id: str) -> dict[str, Any] | None:
    """One story with its topic, documents, events, claims, quotes and most mentioned entities.

    Read from the tables; the API reads the story's view (``newsgraph.views.fetch.story``).
    """
    story = _one(con, "SELECT s.id, s.title, CAST(s.first_date AS VARCHAR) AS first_date, "
                      "CAST(s.last_date AS VARCHAR) AS last_date, i.topic, t.title AS topic_title, i.unclusterable "
                      "FROM stories s LEFT JOIN story_info i ON i.story = s.id LEFT JOIN topics t ON t.id = i.topic "
                      "WHERE s.id = ?", [story_id])
    if story is None:
        return None
    story["documents"] = list_documents(con, story=story_id, limit=MAX_LIMIT)["items"]
    story["events"] = list_events(con, story=story_id, limit=MAX_LIMIT)["items"]
    story["claims"] = list_claims(con, story=story_id, limit=MAX_LIMIT)["items"]
    story["quotes"] = list_quotes(con, story=story_id, limit=MAX_LIMIT)["items"]
    story["entities"] = list_entities(con, story=story_id, limit=RELATED_LIMIT)["items"]
    return story


# --------------------------------------------------------------------------- search and relations


def search(con, query: str, *, limit: int = DEFAULT_LIMIT, offset: int = 0, language: str | None = None,
           outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
           duplicates: bool = False) -> dict[str, Any]:
    """BM25 full-text search over titles and bodies (``newsgraph.store.search``), as a page.

    Filters keep documents in a language, from an outlet, published in a date range. A duplicate
    is left out (``duplicates=False``) and listed under its original's hit as ``duplicates``.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where = _Where()
    if not duplicates:
        where.add("d.duplicate_of IS NULL")
    if language:
        where.add("d.language = ?", language)
    if outlet:
        where.add("d.outlet = ?", outlet)
    _overlaps(where, "d.published", "d.published", date_from, date_to)
    condition = (" AND ".join(where.clauses), where.params) if where.clauses else None
    hits, total = full_text.search(con, query, limit=limit, offset=offset, where=condition) \
        if query.strip() else ([], 0)
    items = [{k: _plain(v) for k, v in hit.items()} for hit in hits]
    copies = _rows(con, "SELECT id, title, outlet, CAST(published AS VARCHAR) AS published, duplicate_of "
                        "FROM documents WHERE list_contains(?, duplicate_of) ORDER BY published NULLS LAST, id",
                   [[i["id"] for i in items]]) if items else []
    for item in items:
        item["duplicates"] = [{k: c[k] for k in ("id", "title", "outlet", "published")}
                              for c in copies if c["duplicate_of"] == item["id"]]
    return {"total": total, "limit": limit, "offset": offset, "query": query, "items": items}


def dyads(con) -> dict[str, Any]:
    """Country-pair relations from ``newsgraph.outputs.relations``; ``available`` is false until it exists."""
    try:
        from newsgraph.outputs.relations import country_pair_relations
    except ModuleNotFoundError as exc:
        if exc.name != "newsgraph.outputs.relations":
            raise
        return {"available": False, "items": []}
    items = country_pair_relations(con)
    return {"available": True, "items": json.loads(json.dumps(items, default=_plain))}


def facets(con) -> dict[str, Any]:
    """Values the filters accept, with counts: entity types, PLOVER categories, modalities, claim statuses."""
    def count(sql: str) -> dict[str, int]:
        return {k: n for k, n in con.execute(sql).fetchall() if k is not None}

    return {
        "entity_types": count("SELECT type, count(*) FROM entities GROUP BY 1 ORDER BY 1"),
        "event_types": count("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 1"),
        "plover": count("SELECT plover, count(*) FROM events GROUP BY 1 ORDER BY 1"),
        "modalities": count("SELECT modality, count(*) FROM events GROUP BY 1 ORDER BY 1"),
        "claim_statuses": count("SELECT status, count(*) FROM claims GROUP BY 1 ORDER BY 1"),
        "outlets": count("SELECT outlet, count(*) FROM documents GROUP BY 1 ORDER BY 1"),
        "languages": count("SELECT language, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
    }



# --------------------------------------------------------------------------- added for the web UI (newsgraph.web)
# Entity pages show each mention with the words around it; the store keeps offsets, so the
# context is cut here from the documents' cleaned text (one query for all the documents).


def span_contexts(con, spans: Sequence[dict[str, Any]], width: int = 90) -> list[dict[str, Any]]:
    """Each span (``doc``, ``start``, ``end`` ...) with ``before`` and ``after``: up to ``width`` characters."""
    ids = sorted({s["doc"] for s in spans})
    texts = dict(con.execute("SELECT id, text FROM documents WHERE list_contains(?, id)", [ids]).fetchall()) \
        if ids else {}
    out = []
    for span in spans:
        text = texts.get(span["doc"], "")
        start, end = span["start"], span["end"]
        out.append(dict(span) | {"before": text[max(0, start - width):start], "after": text[end:end + width],
                                 "clipped_left": start > width, "clipped_right": end + width < len(text)})
    return out
