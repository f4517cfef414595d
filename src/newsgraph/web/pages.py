"""The HTML pages: each route reads through ``newsgraph.store.queries`` and renders a template.

No extraction or resolution happens here; the only work is layout (splitting a text at the
offsets the store gives, grouping records for a table or a chart). Every string from the store
reaches the page through Jinja2 autoescaping or, for scripts, as JSON in a
``<script type="application/json">`` block that static JS reads with ``JSON.parse``.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from newsgraph.store import queries, topic_queries
from newsgraph.store.request import Con
from newsgraph.views import fetch

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"
DISPUTED = ("conflict", "superseded")
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
               ".svg": "image/svg+xml", ".png": "image/png", ".md": "text/plain", ".txt": "text/plain"}

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- templates and filters


def format_date(value: Any) -> str:
    """``2024-08-23`` → ``23 Aug 2024``; partial dates stay as given; none → an en dash."""
    if not value:
        return "–"
    text = str(value)[:10]
    try:
        return date.fromisoformat(text).strftime("%-d %b %Y")
    except ValueError:
        return text


def safe_url(value: Any) -> str | None:
    """Only http(s) URLs from the data become links (no ``javascript:``, ``data:`` ...)."""
    if not value:
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    env.filters["safe_url"] = safe_url
    return env


templates = Jinja2Templates(env=_environment())




def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("public_bind", getattr(request.app.state, "public_bind", False))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, kind: str, record_id: str) -> HTMLResponse:
    return render(request, "not_found.html", status_code=404, kind=kind, record_id=record_id)


# --------------------------------------------------------------------------- layout helpers


def segments(text: str, highlights: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut ``text`` at every highlight boundary; each piece lists the highlights covering it.

    Pieces are plain strings (escaped by the template), so overlapping spans (a name inside a
    quote) never produce broken markup. One sweep over the boundaries: O(pieces + spans).
    """
    n = len(text)
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for i, h in enumerate(highlights):
        start, end = max(0, int(h["start"])), min(n, int(h["end"]))
        if start < end:
            opens.setdefault(start, []).append(i)
            closes.setdefault(end, []).append(i)
    active: set[int] = set()
    pieces = []
    for lo, hi in itertools.pairwise(sorted({0, n, *opens, *closes})):
        active.difference_update(closes.get(lo, ()))
        active.update(opens.get(lo, ()))
        covering = sorted(active)
        kinds = sorted({_CSS_KIND.get(highlights[i]["kind"], "entity") for i in covering})
        pieces.append({"start": lo, "text": text[lo:hi], "marks": covering, "kinds": " ".join(kinds)})
    return pieces


_CSS_KIND = {"mention": "entity", "quote": "quote", "event": "event", "claim": "claim",
             "attr_source": "attr-source", "attr_cue": "attr-cue", "attr_content": "attr-content"}


def actor_network(events: list[dict[str, Any]], entities: list[dict[str, Any]]) -> dict[str, list]:
    """Nodes: entities taking part in the story's events; edges: pairs sharing an event (weighted)."""
    types = {e["id"]: e.get("type") for e in entities}
    names: dict[str, str] = {}
    degree: Counter[str] = Counter()
    links: Counter[tuple[str, str]] = Counter()
    for event in events:
        ids = sorted({p["entity"] for p in event.get("participants", []) if p.get("entity")})
        for p in event.get("participants", []):
            if p.get("entity"):
                names.setdefault(p["entity"], p.get("name") or p["entity"])
        degree.update(ids)
        links.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    nodes = [{"id": eid, "name": names[eid], "type": types.get(eid), "events": degree[eid]} for eid in sorted(names)]
    edges = [{"source": a, "target": b, "weight": w} for (a, b), w in sorted(links.items())]
    return {"nodes": nodes, "edges": edges}


def timeline_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields the timeline chart draws; ``first_reported`` places an undated event at its first report."""
    keep = ("id", "type", "plover", "modality", "summary", "date", "sources", "participants", "story")
    out = []
    for e in events:
        reported = sorted(h["published"] for h in e.get("history") or [] if h.get("published"))
        out.append({k: e.get(k) for k in keep} | {"first_reported": reported[0] if reported else None})
    return out


def pair_months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations rows rolled up per (pair, month), through the relations library."""
    try:
        from newsgraph.outputs.relations import pair_months as roll_up
    except ImportError:
        return []
    return roll_up(rows)


# --------------------------------------------------------------------------- pages


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, con: Con) -> HTMLResponse:
    stories = queries.list_stories(con, limit=queries.MAX_LIMIT)
    return render(request, "stories.html", stories=stories, overview=queries.overview(con), nav="stories")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, con: Con) -> HTMLResponse:
    # The brief was built when the story last changed (newsgraph.views): no page waits for one.
    page = fetch.story_page(con, story_id)
    if page is None:
        return not_found(request, "story", story_id)
    story = page["story"]
    originals = [d for d in story["documents"] if not d.get("duplicate_of")]
    return render(
        request, "story.html", story=story, brief=page["brief"], brief_note=page["brief_note"],
        brief_stale=page["brief_stale"],
        disputed=page["disputed"], sources=originals,
        outlets=sorted({d["outlet"] for d in originals if d.get("outlet")}),
        timeline=timeline_events(story["events"]), network=actor_network(story["events"], page["actors"]),
    )


@router.get("/topics", response_class=HTMLResponse)
def topics_page(request: Request, con: Con) -> HTMLResponse:
    return render(request, "topics.html", topics=topic_queries.list_topics(con, limit=queries.MAX_LIMIT),
                  nav="topics")


@router.get("/topics/{topic_id}", response_class=HTMLResponse)
def topic_page(request: Request, topic_id: str, con: Con) -> HTMLResponse:
    topic = fetch.topic(con, topic_id)
    if topic is None:
        return not_found(request, "topic", topic_id)
    lanes = [{k: s[k] for k in ("id", "title", "first_date", "last_date", "documents")} for s in topic["stories"]]
    return render(request, "topic.html", topic=topic, nav="topics",
                  timeline={"stories": lanes, "events": timeline_events(topic["events"])})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, con: Con) -> HTMLResponse:
    entity = fetch.entity(con, entity_id)
    if entity is None:
        return not_found(request, "entity", entity_id)
    mentions = queries.span_contexts(con, entity["mentions"])
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        by_doc.setdefault(m["doc"], []).append(m)
    return render(request, "entity.html", entity=entity, mentions_by_doc=by_doc,
                  pin=entity.get("coordinates"), nav="")


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, con: Con,
                   language: Annotated[str, Query(max_length=12)] = "") -> HTMLResponse:
    """Documents, newest first, filtered by language."""
    chosen = language.strip().lower() or None
    docs = queries.list_documents(con, language=chosen, include_duplicates=False, limit=queries.MAX_LIMIT)
    languages = queries.facets(con)["languages"]
    return render(request, "documents.html", docs=docs, languages=languages, language=chosen, nav="documents")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, con: Con) -> HTMLResponse:
    doc = queries.get_document(con, doc_id)
    if doc is None:
        return not_found(request, "document", doc_id)
    facts = [{"kind": h["kind"], "ref": h["ref"], "label": h["label"], "text": h["text"], "start": h["start"]}
             for h in doc["highlights"]]
    quotes = {q["id"]: {"speaker": q.get("speaker"), "speaker_name": q.get("speaker_name"), "cue": q.get("cue")}
              for q in doc["quotes"]}
    attributions = {a["id"]: {k: a.get(k) for k in ("kind", "speaker", "speaker_name", "statement_type", "source",
                                                    "cue", "content")}
                    for a in doc.get("attributions", [])}
    return render(request, "document.html", doc=doc, pieces=segments(doc["text"], doc["highlights"]),
                  page_data={"doc": doc_id, "facts": facts, "quotes": quotes, "attributions": attributions}, nav="")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, con: Con,
                q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    query = q.strip()
    hits = queries.search(con, query, limit=50) if query else None
    entities = queries.list_entities(con, name=query, limit=20)["items"] if query else []
    return render(request, "search.html", query=query, hits=hits, entities=entities, nav="search")


@router.get("/relations", response_class=HTMLResponse)
def relations_page(request: Request, con: Con) -> HTMLResponse:
    dyads = fetch.dyads(con)
    months = pair_months(dyads["items"]) if dyads.get("available") else []
    return render(request, "relations.html", available=dyads.get("available", False), months=months,
                  pairs=sorted({m["pair"] for m in months}), nav="relations")


# --------------------------------------------------------------------------- static files

# Served by a fixed table built at import: no request path ever reaches the file system.
STATIC_FILES = {p.relative_to(STATIC_DIR).as_posix(): p for p in STATIC_DIR.rglob("*") if p.is_file()}


@router.get("/static/{name:path}")
def static_file(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        return Response(f"no static file {name!r}", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "public, max-age=3600"})
