"""Alert rules evaluated on what a round changed: the documents not yet checked.

A rule's conditions all hold within one new document (``entity`` mentioned, ``quote_by`` quoted,
an ``event`` of a type and/or a ``pair`` reported, a ``conflict`` stated, its story grown by
``story_growth`` sources). What fires is the most specific subject the rule names: a story (for
``story_growth``), else a corpus event (``event``/``pair``: once per event, only for events no
earlier document reported), else a claim (``conflict``: once per claim), else the document. The
alert id is derived from the rule and that subject, so it is written, and delivered, once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newsgraph.watch import queries
from newsgraph.watch.config import AlertRule


@dataclass
class Alert:
    id: str
    rule: str
    kind: str  # story / event / claim / document
    subject: str
    title: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Hit:
    kind: str
    subject: str
    title: str
    detail: dict[str, Any]
    docs: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def alert_id(rule: str, kind: str, subject: str) -> str:
    return "alert_" + hashlib.sha1(f"{rule}\x1f{kind}\x1f{subject}".encode()).hexdigest()[:20]


def evaluate(con, rules: Sequence[AlertRule], docs: Sequence[str], round_number: int,
             server: str) -> list[Alert]:
    """Every alert the rules fire on ``docs`` (the round's unchecked documents), payloads built."""
    info = queries.documents(con, docs)
    originals = [d for d in docs if d in info and not info[d]["duplicate_of"]]
    alerts = []
    for rule in rules:
        for hit in _hits(con, rule, originals, info):
            alerts.append(_alert(rule, hit, info, round_number, server))
    return alerts


# --------------------------------------------------------------------------- matching


def _hits(con, rule: AlertRule, docs: list[str], info: dict[str, dict]) -> list[_Hit]:
    matched: dict[str, list[dict[str, Any]]] = {d: [] for d in docs}
    for condition in (_entity, _quote):
        if docs and condition(con, rule, matched) is False:
            return []
    hits: dict[str, _Hit] = {}
    if rule.event or rule.pair:
        _events(con, rule, matched, hits)
    elif rule.conflict:
        _conflicts(con, matched, hits)
    elif not rule.story_growth:
        for doc, spans in matched.items():
            meta = info[doc]
            hits[doc] = _Hit("document", doc, meta.get("title") or doc, {"document": doc})
            hits[doc].docs[doc] = spans
    if rule.story_growth:
        return _story_growth(con, rule, matched, hits, info)
    return list(hits.values())


def _entity(con, rule: AlertRule, matched: dict[str, list]) -> bool | None:
    if not rule.entity:
        return None
    spans = queries.entity_mentions(con, queries.entity_ids(con, rule.entity), list(matched))
    _keep(matched, spans)
    return bool(matched)


def _quote(con, rule: AlertRule, matched: dict[str, list]) -> bool | None:
    if not rule.quote_by:
        return None
    spans = queries.quotes_by(con, queries.entity_ids(con, rule.quote_by), rule.quote_by, list(matched))
    _keep(matched, spans)
    return bool(matched)


def _keep(matched: dict[str, list], spans: dict[str, list]) -> None:
    for doc in list(matched):
        if doc in spans:
            matched[doc].extend(spans[doc])
        else:
            del matched[doc]


def _events(con, rule: AlertRule, matched: dict[str, list], hits: dict[str, _Hit]) -> None:
    reports = queries.event_reports(con, list(matched), rule.event, rule.modality)
    if rule.conflict:
        conflicting = {c["doc"] for c in queries.conflicts(con, list(matched))}
        reports = [r for r in reports if r["doc"] in conflicting]
    events = sorted({r["event"] for r in reports})
    pairs = queries.event_pairs(con, events) if rule.pair else {}
    old = queries.reported_before(con, events)
    for r in reports:
        if r["event"] in old or (rule.pair and rule.pair not in pairs.get(r["event"], ())):
            continue
        hit = hits.setdefault(r["event"], _Hit("event", r["event"], r["summary"] or r["type"], {
            "event": r["event"], "type": r["type"], "plover": r["plover"], "modality": r["modality"],
            "summary": r["summary"], "pairs": sorted(pairs.get(r["event"], ()))}))
        hit.docs[r["doc"]].extend(matched[r["doc"]] + r["spans"])


def _conflicts(con, matched: dict[str, list], hits: dict[str, _Hit]) -> None:
    for c in queries.conflicts(con, list(matched)):
        title = f"conflict on {c['subject'] or '?'} {c['attribute']}"
        hit = hits.setdefault(c["claim"], _Hit("claim", c["claim"], title, {
            "claim": c["claim"], "subject": c["subject"], "attribute": c["attribute"],
            "explanation": c["explanation"]}))
        hit.docs[c["doc"]].extend(matched[c["doc"]] + c["spans"])


def _story_growth(con, rule: AlertRule, matched: dict[str, list], hits: dict[str, _Hit],
                  info: dict[str, dict]) -> list[_Hit]:
    """Stories of the matching documents that gained ``story_growth`` sources since their last alert."""
    assert rule.story_growth is not None
    other_conditions = bool(rule.event or rule.pair or rule.conflict)
    docs = {d for h in hits.values() for d in h.docs} if other_conditions else set(matched)
    stories = sorted({info[d]["story"] for d in docs if info[d].get("story")})
    sizes = queries.story_sources(con, stories, list(matched))
    out = []
    for story in stories:
        size = sizes.get(story)
        if size is None:
            continue
        level = queries.story_level(con, rule.name, story)
        base = size["before"] if level is None else level
        if size["now"] - base < rule.story_growth:
            continue
        queries.set_story_level(con, rule.name, story, size["now"])
        title = f"story {size['title'] or story!r} now has {size['now']} sources (+{size['now'] - base})"
        hit = _Hit("story", f"{story}@{size['now']}", title,
                   {"story": story, "sources": size["now"], "before": base, "title": size["title"]})
        for doc in sorted(d for d in docs if info[d].get("story") == story):
            hit.docs[doc] = matched.get(doc, [])
        out.append(hit)
    return out


# --------------------------------------------------------------------------- payload


def _link(server: str, kind: str, ident: str) -> str:
    return f"{server}/{kind}/{ident}"


def _alert(rule: AlertRule, hit: _Hit, info: dict[str, dict], round_number: int, server: str) -> Alert:
    ident = alert_id(rule.name, hit.kind, hit.subject)
    evidence = []
    for doc in sorted(hit.docs):
        meta = info[doc]
        spans = sorted({(s["start"], s["end"]): s for s in hit.docs[doc]}.values(),
                       key=lambda s: (s["start"] or 0, s["end"] or 0))
        evidence.append({"doc": doc, "title": meta.get("title"), "outlet": meta.get("outlet"),
                         "published": meta.get("published"), "url": meta.get("url") or _http(meta.get("source")),
                         "link": _link(server, "documents", doc), "spans": spans})
    story = hit.detail.get("story")
    link = _link(server, "stories", story) if story else evidence[0]["link"] if evidence else f"{server}/alerts"
    title = f"{rule.name}: {hit.title}"
    payload = {
        "id": ident, "rule": rule.name, "kind": hit.kind, "subject": hit.subject.split("@")[0], "title": title,
        "fired": {"conditions": rule.conditions(), **hit.detail},
        "created": datetime.now(UTC).isoformat(timespec="seconds"), "round": round_number,
        "link": link, "alert_link": f"{server}/alerts#{ident}", "evidence": evidence,
    }
    return Alert(ident, rule.name, hit.kind, hit.subject, title, payload)


def _http(source: str | None) -> str | None:
    return source if source and source.startswith(("http://", "https://")) else None
