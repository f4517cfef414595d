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
from typing import Any

from newsgraph.lang.scripts import has_unspaced, weighted_chars
from newsgraph.lang.sentences import first_sentence
from newsgraph.outputs import brief_events, brief_facts, brief_said
from newsgraph.outputs.brief_data import StoryData, load_story, story_ids
from newsgraph.outputs.brief_model import (
    Brief,
    Citer,
    Section,
    Sentence,
    Source,
    format_date,
    markers,
    sentence_span,
    single_sentence,
    text_span,
    tidy,
)

__all__ = ["Brief", "Citer", "Section", "Sentence", "Source", "build_brief", "build_briefs", "format_date",
           "markers", "render_html", "render_markdown", "single_sentence", "summary_sentences", "tidy"]


# -- the summary: extractive, ranked by cross-document centrality -----------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+|\d[\d,.]*")
MIN_CHARS, MAX_CHARS = 40, 400  # a summary sentence's length (a CJK character weighs three)
CJK_WEIGHT = 3
SUMMARY_SENTENCES = 6
PER_DOCUMENT = 2
REDUNDANT = 0.5  # cosine at or above which a candidate repeats a chosen sentence
RESTATES = 0.6  # cosine at or above which another document's sentence restates it (cited too)


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _vector(text: str, stop: frozenset[str]) -> Counter:
    """Content words, and character bigrams of text written without spaces (Chinese, Japanese)."""
    from newsgraph.resolve.stories.features import bigrams

    vector = Counter(w.lower() for w in _WORD.findall(text) if w.lower() not in stop and len(w) > 2)
    return vector + bigrams(text) if has_unspaced(text) else vector


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def lead_sentence(text: str, title: str | None = None) -> str | None:
    """The first sentence of a document's first paragraph (news leads carry the core facts); a first
    paragraph that is the headline itself (the cleaner kept it) is passed over. Sentences end as
    ``lang.sentences`` says in every script ("。" in Japanese)."""
    headline = " ".join((title or "").split())
    first = next((p for p in text.split("\n") if _paragraph(p) and " ".join(p.split()) != headline), "")
    return first_sentence(first).strip() or None


def _paragraph(text: str) -> bool:
    """Long enough to be a paragraph, not a byline or a caption: eight words, or in a script without
    spaces as many characters as eight words take (a CJK character weighs three Latin letters)."""
    if has_unspaced(text):
        return weighted_chars(text, CJK_WEIGHT) >= 60
    return len(text.split()) >= 8


def _sized(text: str) -> bool:
    return weighted_chars(text, CJK_WEIGHT) >= MIN_CHARS and len(text) <= MAX_CHARS


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _candidates(data: StoryData) -> list[dict[str, Any]]:
    seen = {_key(d["title"]) for d in data.documents.values() if d.get("title")}  # a title is no sentence
    out = []
    pool = [(s["doc"], s["start"] or 0, s["text"], sentence_span(s)) for ev in data.events for s in ev["sentences"]]
    pool += [(doc_id, -1, lead, _lead_span(doc_id, doc.get("text") or "", lead)) for doc_id, doc in data.documents.items()
             if (lead := lead_sentence(doc.get("text") or "", doc.get("title")))]
    titles = {doc_id: " ".join(doc["title"].split()) for doc_id, doc in data.documents.items() if doc.get("title")}
    for doc, start, text, span in pool:
        text = " ".join(text.split()).strip(" \"“”")
        title = titles.get(doc)
        if title and text.startswith(title + " "):  # the cleaner left the headline glued to the lead
            text = text[len(title) + 1:]
        key = _key(text)
        if key in seen or not _sized(text) or not single_sentence(text):
            continue
        seen.add(key)
        out.append({"doc": doc, "start": start, "text": text, "lead": start == -1, "span": span})
    return out


def _lead_span(doc: str, text: str, lead: str) -> dict[str, Any] | None:
    at = text.find(lead)
    return text_span(doc, text, at, at + len(lead)) if at >= 0 else None


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
                cand.setdefault("restated_spans", []).append((-sim, other["doc"], other["span"]))
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
        spans = [cand["span"], *(span for _, _, span in sorted(cand.get("restated_spans", []), key=lambda r: r[:2]))]
        if (s := citer.sentence(cand["text"], docs, spans)) is not None:
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
    ("events", "Key events", brief_events.timeline),
    ("actors", "Actors", brief_facts.actors),
    ("corroborated", "Corroborated facts", brief_facts.corroborated),
    ("disputed", "Conflicts and superseded reports", brief_facts.disputed),
    ("quotes", "Notable quotes", brief_facts.quotes),
    ("said", "Who said what", brief_said.said),
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
