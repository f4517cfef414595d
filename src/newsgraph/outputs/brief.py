"""The cited brief: one readable report per story in which every sentence cites its sources.

``build_brief(con_or_archive, story_id)`` reads the story from the store (``brief_data``) and
returns a ``Brief``: a headline, sections of sentences and a numbered source list. Each
``Sentence`` carries the numbers of the sources it rests on; sources are numbered in order of
first citation. Nothing enters a brief without at least one source: a fact whose documents are
unknown is dropped. ``render_markdown`` and ``brief_html.render_html`` only lay the brief out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsgraph.outputs import brief_facts
from newsgraph.outputs.brief_data import StoryData, documents_by_id, load_story, story_ids


@dataclass
class Source:
    number: int
    doc: str
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    source: str | None
    author: str | None = None
    republished_by: list[str] = field(default_factory=list)  # outlets of its duplicates

    @property
    def label(self) -> str:
        """``Outlet, "Title", 23 August 2024, url`` for the source list."""
        parts = [self.outlet or "Unknown outlet"]
        if self.title:
            parts.append(f"“{self.title}”")
        parts.append(format_date(self.published) if self.published else "undated")
        parts.append(self.url or self.source or self.doc)
        text = ", ".join(parts)
        if self.republished_by:
            text += f" (also republished by {', '.join(self.republished_by)})"
        return text


@dataclass
class Sentence:
    text: str
    cites: list[int]  # source numbers, ascending


@dataclass
class Section:
    key: str
    title: str
    blocks: list[list[Sentence]]  # paragraphs (layout "paragraphs") or list items (layout "list")
    layout: str = "list"


@dataclass
class Brief:
    story: str | None
    headline: Sentence
    sections: list[Section]
    sources: list[Source]

    def sentences(self) -> list[Sentence]:
        return [self.headline, *(s for sec in self.sections for block in sec.blocks for s in block)]


# -- formatting -------------------------------------------------------------------------------------

def format_date(iso: str | None) -> str:
    """``2024-08-23`` → ``23 August 2024``; ``2024-08`` → ``August 2024``."""
    if not iso:
        return "undated"
    parts = str(iso)[:10].split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2])).strftime("%-d %B %Y")
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    except ValueError:
        return str(iso)
    return parts[0]


def markers(cites: list[int]) -> str:
    return "".join(f"[{n}]" for n in cites)


# -- citations --------------------------------------------------------------------------------------

class Citer:
    """Numbers sources in order of first citation; a sentence without documents gets no sentence."""

    def __init__(self, con, data: StoryData) -> None:
        self.con = con
        self.data = data
        self.numbers: dict[str, int] = {}

    def sentence(self, text: str, docs: list[str]) -> Sentence | None:
        known = [d for d in dict.fromkeys(docs) if d]
        if not known or not text.strip():
            return None
        for doc in known:
            self.numbers.setdefault(doc, len(self.numbers) + 1)
        return Sentence(tidy(text), sorted(self.numbers[d] for d in known))

    def sources(self) -> list[Source]:
        docs = dict(self.data.documents)
        docs |= documents_by_id(self.con, [d for d in self.numbers if d not in docs])
        dup_meta = documents_by_id(self.con, [d for ds in self.data.duplicates.values() for d in ds])
        out = []
        for doc_id, number in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            doc = docs.get(doc_id, {})
            republished = [dup_meta[d]["outlet"] or dup_meta[d]["source"]
                           for d in self.data.duplicates.get(doc_id, []) if d in dup_meta]
            out.append(Source(number, doc_id, doc.get("outlet"), doc.get("title"), doc.get("published"),
                              doc.get("url"), doc.get("source"), doc.get("author"),
                              sorted({r for r in republished if r})))
        return out


def tidy(text: str) -> str:
    """One line, no stray spaces, a final full stop (unless the text already ends a sentence)."""
    text = " ".join(text.split()).strip()
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?…”\"’":
        text += "."
    return text


# -- the summary: extractive, ranked by cross-document centrality -----------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+|\d[\d,.]*")
# A sentence boundary inside a candidate: a word of three lowercase letters or more, then [.!?], then a capital.
_INNER_BOUNDARY = re.compile(r"[a-z]{3}[.!?][\"”’]?\s+[\"“]?[A-Z]")
SUMMARY_SENTENCES = 6
PER_DOCUMENT = 2
REDUNDANT = 0.5  # cosine at or above which a candidate repeats a chosen sentence
RESTATES = 0.6  # cosine at or above which another document's sentence restates it (cited too)


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _vector(text: str, stop: frozenset[str]) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text) if w.lower() not in stop and len(w) > 2)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def single_sentence(text: str) -> bool:
    return _INNER_BOUNDARY.search(text) is None


def lead_sentence(text: str) -> str | None:
    """The first sentence of a document's first paragraph (news leads carry the core facts)."""
    first = next((p for p in text.split("\n") if len(p.split()) >= 8), "")
    match = re.search(r"[a-z]{3}[.!?][\"”’]?(?=\s+[\"“]?[A-Z])", first)
    lead = first[:match.end()] if match else first
    return lead.strip() or None


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _candidates(data: StoryData) -> list[dict[str, Any]]:
    seen = {_key(d["title"]) for d in data.documents.values() if d.get("title")}  # a title is no sentence
    out = []
    pool = [(s["doc"], s["start"] or 0, s["text"]) for ev in data.events for s in ev["sentences"]]
    pool += [(doc_id, -1, lead) for doc_id, doc in data.documents.items()
             if (lead := lead_sentence(doc.get("text") or ""))]
    titles = {doc_id: " ".join(doc["title"].split()) for doc_id, doc in data.documents.items() if doc.get("title")}
    for doc, start, text in pool:
        text = " ".join(text.split()).strip(" \"“”")
        title = titles.get(doc)
        if title and text.startswith(title + " "):  # the cleaner left the headline glued to the lead
            text = text[len(title) + 1:]
        key = _key(text)
        if key in seen or not 40 <= len(text) <= 400 or not single_sentence(text):
            continue
        seen.add(key)
        out.append({"doc": doc, "start": start, "text": text, "lead": start == -1})
    return out


def _weighted(cands: list[dict], stop: frozenset[str]) -> None:
    vectors = [_vector(c["text"], stop) for c in cands]
    df = Counter(w for v in vectors for w in v)
    n = len(cands)
    for cand, vec in zip(cands, vectors, strict=True):
        cand["vec"] = {w: tf * math.log(1 + n / df[w]) for w, tf in vec.items()}


def _centrality(cands: list[dict]) -> None:
    """Support from other documents (best match in each), else from the same document."""
    for cand in cands:
        best: dict[str, float] = {}
        for other in cands:
            if other is cand:
                continue
            sim = _cosine(cand["vec"], other["vec"])
            best[other["doc"]] = max(best.get(other["doc"], 0.0), sim)
            if sim >= RESTATES and other["doc"] != cand["doc"]:
                cand.setdefault("restated", set()).add(other["doc"])
        cross = sum(v for d, v in best.items() if d != cand["doc"])
        cand["score"] = cross + 0.5 * best.get(cand["doc"], 0.0) + (0.3 if cand["lead"] else 0.0)


def summary_sentences(data: StoryData) -> list[dict[str, Any]]:
    """The most central, non-redundant candidate sentences, in reading order (date, then position)."""
    cands = _candidates(data)
    if not cands:
        return []
    _weighted(cands, _stopwords())
    _centrality(cands)
    chosen: list[dict] = []
    per_doc: Counter = Counter()
    for cand in sorted(cands, key=lambda c: (-c["score"], c["doc"], c["start"])):
        if per_doc[cand["doc"]] >= PER_DOCUMENT:
            continue
        if any(_cosine(cand["vec"], c["vec"]) >= REDUNDANT for c in chosen):
            continue
        chosen.append(cand)
        per_doc[cand["doc"]] += 1
        if len(chosen) == SUMMARY_SENTENCES:
            break
    order = {d: i for i, d in enumerate(data.documents)}  # documents are sorted by publication date
    return sorted(chosen, key=lambda c: (order.get(c["doc"], 0), c["start"]))


# -- assembling ------------------------------------------------------------------------------------

def _summary(citer: Citer, data: StoryData) -> Section | None:
    sentences = []
    for cand in summary_sentences(data):
        docs = [cand["doc"], *sorted(cand.get("restated", ()))]
        if (s := citer.sentence(cand["text"], docs)) is not None:
            sentences.append(s)
    blocks = [sentences[i:i + 3] for i in range(0, len(sentences), 3)]
    return Section("summary", "Summary", blocks, layout="paragraphs") if blocks else None


def _headline(citer: Citer, data: StoryData) -> Sentence:
    """The story's title, citing the document it was taken from (else the story's first document)."""
    title = data.title or next((d["title"] for d in data.documents.values() if d.get("title")), None)
    docs = [d for d, doc in data.documents.items() if title and doc.get("title") == title]
    docs = docs or list(data.documents)[:1]
    headline = citer.sentence(title or "News brief", docs)
    if headline is None:
        raise ValueError(f"story {data.story!r} has no documents")
    headline.text = headline.text.rstrip(".")
    return headline


_SECTIONS = (
    ("events", "Key events", brief_facts.timeline),
    ("actors", "Actors", brief_facts.actors),
    ("corroborated", "Corroborated facts", brief_facts.corroborated),
    ("disputed", "Conflicts and superseded reports", brief_facts.disputed),
    ("quotes", "Notable quotes", brief_facts.quotes),
    ("relations", "Relations between states", brief_facts.relations),
)


def _brief(con, data: StoryData) -> Brief:
    citer = Citer(con, data)
    headline = _headline(citer, data)
    sections = [s for s in [_summary(citer, data)] if s]
    for key, title, build in _SECTIONS:
        blocks = [b for b in build(con, data, citer) if b]
        if blocks:
            sections.append(Section(key, title, blocks))
    return Brief(data.story, headline, sections, citer.sources())


def _connection(con_or_archive):
    return getattr(con_or_archive, "con", con_or_archive)


def build_brief(con_or_archive, story_id: str | None = None, data: StoryData | None = None) -> Brief:
    """The brief of one story, or of the whole store when ``story_id`` is None (``data``: already loaded)."""
    con = _connection(con_or_archive)
    return _brief(con, data if data is not None else load_story(con, story_id))


def build_briefs(con_or_archive) -> list[Brief]:
    """One brief per story, the most reported stories first; one whole-store brief when nothing is clustered."""
    con = _connection(con_or_archive)
    briefs = [build_brief(con, sid) for sid in story_ids(con)]
    if not briefs and con.execute("SELECT 1 FROM documents WHERE duplicate_of IS NULL LIMIT 1").fetchone():
        briefs = [build_brief(con, None)]
    return briefs


# -- Markdown --------------------------------------------------------------------------------------

def _md_sentence(s: Sentence) -> str:
    return f"{s.text} {markers(s.cites)}"


def render_markdown(brief: Brief | list[Brief]) -> str:
    briefs = brief if isinstance(brief, list) else [brief]
    return "\n\n---\n\n".join(_markdown_one(b) for b in briefs) + "\n"


def _markdown_one(brief: Brief) -> str:
    lines = [f"# {_md_sentence(brief.headline)}", ""]
    for section in brief.sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            if section.layout == "paragraphs":
                lines += [" ".join(_md_sentence(s) for s in block), ""]
            else:
                lines.append(f"- {_md_sentence(block[0])}")
                lines += [f"  - {_md_sentence(s)}" for s in block[1:]]
        if section.layout != "paragraphs":
            lines.append("")
    lines += ["## Sources", ""]
    lines += [f"[{src.number}] {src.label}  " for src in brief.sources]
    return "\n".join(lines).rstrip()


def render_html(brief: Brief | list[Brief]) -> str:
    from newsgraph.outputs.brief_html import render_html as _render

    return _render(brief)
