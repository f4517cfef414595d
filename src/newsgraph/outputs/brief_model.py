"""The brief's records and wording helpers: sources, sentences, sections, dates, and the citer that
numbers sources. Every brief module reads these; none of them imports ``brief`` itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from newsgraph.lang.scripts import has_unspaced
from newsgraph.lang.sentences import ends_sentence, is_single_sentence
from newsgraph.outputs.brief_data import StoryData, documents_by_id


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
    # Where each cited source says it: ``{"source": n, "doc", "start", "end", "text"}`` (the span of the
    # document's text the sentence rests on, and the sentence of the source around it), for the cited
    # sources whose span is known, by source number. It adds where; it changes nothing of what is stated.
    evidence: list[dict] = field(default_factory=list)


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

    def sentence(self, text: str, docs: list[str], spans: Iterable[dict | None] = ()) -> Sentence | None:
        """A sentence citing ``docs``; ``spans`` (``{doc, start, end, text}``, the first per document
        counts) say where in each document it is stated."""
        known = [d for d in dict.fromkeys(docs) if d]
        if not known or not text.strip():
            return None
        for doc in known:
            self.numbers.setdefault(doc, len(self.numbers) + 1)
        where: dict[str, dict] = {}
        for span in spans:
            if span and span.get("doc") in known and span["doc"] not in where and _usable(span):
                where[span["doc"]] = span
        evidence = sorted(({"source": self.numbers[d], "doc": d, "start": int(w["start"]), "end": int(w["end"]),
                            "text": w.get("text")} for d, w in where.items()), key=lambda e: e["source"])
        return Sentence(tidy(text), sorted(self.numbers[d] for d in known), evidence)

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


def _usable(span: dict) -> bool:
    start, end = span.get("start"), span.get("end")
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end


def text_span(doc: str, text: str | None, start: int | None, end: int | None) -> dict | None:
    """``{doc, start, end, text}`` of ``text[start:end]`` (None when the offsets do not fit the text)."""
    if text is None or start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return {"doc": doc, "start": start, "end": end, "text": text[start:end]}


def sentence_span(s: dict) -> dict | None:
    """Where a stored sentence (``{doc, start, text}``: an event mention's) stands in its document."""
    if s.get("start") is None or not s.get("text"):
        return None
    return {"doc": s["doc"], "start": s["start"], "end": s["start"] + len(s["text"]), "text": s["text"]}


def tidy(text: str) -> str:
    """One line, no stray spaces, a final full stop (unless the text already ends a sentence, in any
    script: "。" ends a Japanese one, and a closing quote after a mark ends a quoted one)."""
    text = " ".join(text.split()).strip()
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    if text and not ends_sentence(text) and text[-1] not in "”\"’":
        text += "。" if has_unspaced(text[-1]) else "."
    return text


def single_sentence(text: str) -> bool:
    """No sentence boundary inside (``lang.sentences``: "。" in Japanese, "[.!?] Capital" in English)."""
    return is_single_sentence(text)


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (duplicates and blanks dropped)."""
    names = list(dict.fromkeys(n for n in names if n))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
