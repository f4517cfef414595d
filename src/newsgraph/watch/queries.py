"""The store reads that alert conditions need, in one place.

Alert rules read records other stages write (entities, events with participants, claim status,
quotes, stories); those records are being improved in parallel, so every read a condition makes
goes through a small function here, each taking the new documents of a round and answering with
plain dicts keyed by document. Spans are ``{start, end, text, what}`` into the document's text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

Span = dict[str, Any]


def _span(start: int | None, end: int | None, text: str | None, what: str) -> Span:
    return {"start": start, "end": end, "text": text, "what": what}


def documents(con, docs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id → title, outlet, url, published, story, duplicate_of."""
    if not docs:
        return {}
    rows = con.execute("SELECT id, title, outlet, url, CAST(published AS VARCHAR), story, duplicate_of, source "
                       "FROM documents WHERE list_contains(?, id)", [list(docs)]).fetchall()
    keys = ("id", "title", "outlet", "url", "published", "story", "duplicate_of", "source")
    return {r[0]: dict(zip(keys, r, strict=True)) for r in rows}


def entity_ids(con, refs: Sequence[str]) -> set[str]:
    """Corpus entities named by ``refs``: an entity id, a KB id, a canonical name, an alias or a surface name."""
    found: set[str] = set()
    for ref in refs:
        low = ref.strip().lower()
        found |= {r[0] for r in con.execute(
            "SELECT id FROM entities WHERE id = ? OR lower(name) = ? "
            "OR list_contains(list_transform(CAST(json_extract_string(aliases, '$[*]') AS VARCHAR[]), "
            "x -> lower(x)), ?) OR contains(CAST(kb_ids AS VARCHAR), ?)",
            [ref.strip(), low, low, json.dumps(ref.strip())]).fetchall()}
        found |= {r[0] for r in con.execute("SELECT DISTINCT entity FROM entity_names WHERE lower(name) = ?",
                                            [low]).fetchall()}
    return found


def entity_mentions(con, entities: set[str], docs: Sequence[str]) -> dict[str, list[Span]]:
    """doc → the spans naming any of ``entities``."""
    if not entities or not docs:
        return {}
    out: dict[str, list[Span]] = defaultdict(list)
    for doc, start, end, text in con.execute(
        'SELECT x.doc, x.start, x."end", x.text FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity '
        "WHERE list_contains(?, x.doc) AND list_contains(?, m.entity) ORDER BY x.doc, x.start",
            [list(docs), sorted(entities)]).fetchall():
        out[doc].append(_span(start, end, text, "mention"))
    return dict(out)


def quotes_by(con, entities: set[str], names: Sequence[str], docs: Sequence[str]) -> dict[str, list[Span]]:
    """doc → quotes whose speaker is one of ``entities`` (or, unresolved, is written as one of ``names``)."""
    if not docs:
        return {}
    out: dict[str, list[Span]] = defaultdict(list)
    for doc, qid, start, end, text, speaker in con.execute(
        'SELECT q.doc, q.id, q.start, q."end", q.text, q.speaker_name FROM quotes q '
        "LEFT JOIN entity_map m ON m.local_entity = q.speaker_local "
        "WHERE list_contains(?, q.doc) AND (list_contains(?, m.entity) OR list_contains(?, lower(q.speaker_name))) "
        "ORDER BY q.doc, q.start",
            [list(docs), sorted(entities), [n.strip().lower() for n in names]]).fetchall():
        out[doc].append(_span(start, end, text, "quote") | {"quote": qid, "speaker": speaker})
    return dict(out)


def event_reports(con, docs: Sequence[str], types: Sequence[str], modalities: Sequence[str]) -> list[dict[str, Any]]:
    """Reports in ``docs`` of corpus events of one of ``types`` (newsgraph type or PLOVER; any when empty)."""
    if not docs:
        return []
    where = ["list_contains(?, x.doc)"]
    params: list[Any] = [list(docs)]
    if types:
        where.append("(list_contains(?, upper(e.type)) OR list_contains(?, upper(e.plover)))")
        params += [list(types), list(types)]
    if modalities:
        where.append("list_contains(?, e.modality)")
        params.append(list(modalities))
    else:
        where.append("coalesce(e.modality, '') <> 'negated'")  # "did not hold an exercise" is no exercise
    rows = con.execute(
        "SELECT e.id, e.type, e.plover, e.modality, e.summary, x.doc, x.trigger_start, x.trigger_end, "
        "x.trigger_text, x.sent_start, x.sent_end, x.sentence FROM event_mentions x "
        "JOIN event_map em ON em.event_mention = x.id JOIN events e ON e.id = em.event "
        f"WHERE {' AND '.join(where)} ORDER BY e.id, x.doc, x.trigger_start", params).fetchall()
    keys = ("event", "type", "plover", "modality", "summary", "doc", "ts", "te", "tt", "ss", "se", "st")
    out = []
    for row in rows:
        r = dict(zip(keys, row, strict=True))
        spans = [_span(r["ts"], r["te"], r["tt"], "event trigger")]
        if r["ss"] is not None:
            spans.append(_span(r["ss"], r["se"], r["st"], "sentence"))
        out.append({k: r[k] for k in keys[:6]} | {"spans": spans})
    return out


def reported_before(con, events: Sequence[str]) -> set[str]:
    """Events with a report in a document checked in an earlier round (so not new now)."""
    if not events:
        return set()
    return {r[0] for r in con.execute(
        "SELECT DISTINCT em.event FROM event_map em JOIN event_mentions x ON x.id = em.event_mention "
        "JOIN watch_checked c ON c.doc = x.doc WHERE list_contains(?, em.event)", [list(events)]).fetchall()}


def event_pairs(con, events: Sequence[str]) -> dict[str, set[str]]:
    """event → the country pairs it relates (``ITA-JPN``), by the relations module's rules."""
    if not events:
        return {}
    from newsgraph.nlp.kb import load_kb
    from newsgraph.outputs.relations import load_plover, related_events

    out: dict[str, set[str]] = defaultdict(set)
    for rec in related_events(con, load_plover(), load_kb(), event_ids=list(events)):
        out[rec["event"]].add(rec["pair"])
    return dict(out)


def conflicts(con, docs: Sequence[str]) -> list[dict[str, Any]]:
    """Claim values stated in ``docs`` that are in conflict with another source."""
    if not docs:
        return []
    rows = con.execute(
        'SELECT c.id, c.subject_name, c.attribute, c.explanation, v.doc, v.value, v.start, v."end", v.text '
        "FROM claim_values v JOIN claim_value_status s ON s.claim_value = v.id JOIN claims c ON c.id = s.claim "
        "WHERE list_contains(?, v.doc) AND s.status = 'conflict' ORDER BY c.id, v.doc, v.start",
        [list(docs)]).fetchall()
    return [{"claim": cid, "subject": subj, "attribute": attr, "explanation": why, "doc": doc, "value": value,
             "spans": [_span(start, end, text, "claim value")]}
            for cid, subj, attr, why, doc, value, start, end, text in rows]


def story_sources(con, stories: Sequence[str], new_docs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """story → title, independent sources now, and before ``new_docs`` (distinct outlets of originals)."""
    if not stories:
        return {}
    rows = con.execute(
        "SELECT s.id, s.title, count(DISTINCT coalesce(d.outlet, d.id)), "
        "count(DISTINCT coalesce(d.outlet, d.id)) FILTER (WHERE NOT list_contains(?, d.id)) "
        "FROM stories s JOIN documents d ON d.story = s.id WHERE d.duplicate_of IS NULL AND list_contains(?, s.id) "
        "GROUP BY s.id, s.title", [list(new_docs), list(stories)]).fetchall()
    return {sid: {"title": title, "now": now, "before": before} for sid, title, now, before in rows}


def story_level(con, rule: str, story: str) -> int | None:
    row = con.execute("SELECT sources FROM watch_story_levels WHERE rule = ? AND story = ?", [rule, story]).fetchone()
    return row[0] if row else None


def set_story_level(con, rule: str, story: str, sources: int) -> None:
    con.execute("INSERT INTO watch_story_levels VALUES (?, ?, ?) ON CONFLICT (rule, story) DO UPDATE SET "
                "sources = excluded.sources", [rule, story, sources])
