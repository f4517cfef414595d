"""The story page's brief: each citation [n] linked to the sentence it rests on, with that sentence for a tooltip.

The brief (``newsgraph.outputs.brief``, stored by the story view as a dict) numbers its sources; each
sentence lists ``cites`` and, since issue 16, ``evidence``: where each cited source states it. Here
every citation becomes ``{n, href, tip, id}``: ``href`` opens the document with that span highlighted
(``display.links``), or the document's top when the span is unknown (a headline, a brief built
before spans existed); ``tip`` is the cited sentence and its outlet, shown on hover and focus.
"""

from __future__ import annotations

from typing import Any

from newsgraph.display.links import document_url, evidence_url

TIP_CHARS = 280


def _tip(text: str | None, outlet: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    if len(text) > TIP_CHARS:
        text = text[:TIP_CHARS].rsplit(" ", 1)[0] + " …"
    return f"“{text}” — {outlet or 'unknown outlet'}"


def _cited(sentence: dict[str, Any], sources: dict[int, dict[str, Any]], counter: list[int]) -> dict[str, Any]:
    where = {e["source"]: e for e in sentence.get("evidence") or []}
    citations = []
    for n in sentence.get("cites") or []:
        source = sources.get(n) or {}
        e = where.get(n)
        counter[0] += 1
        href = evidence_url(e["doc"], e["start"], e["end"]) if e else \
            (document_url(source["doc"]) if source.get("doc") else f"#src-{n}")
        citations.append({"n": n, "href": href, "id": f"cite-{counter[0]}", "exact": e is not None,
                          "tip": _tip(e.get("text") if e else None, source.get("outlet"))})
    return sentence | {"citations": citations}


def cited_brief(brief: dict[str, Any] | None) -> dict[str, Any] | None:
    """The brief with ``citations`` on every sentence (headline included); None stays None."""
    if not brief:
        return brief
    sources = {s["number"]: s for s in brief.get("sources") or []}
    counter = [0]
    sections = [section | {"blocks": [[_cited(s, sources, counter) for s in block] for block in section["blocks"]]}
                for section in brief.get("sections") or []]
    return brief | {"headline": _cited(brief["headline"], sources, counter), "sections": sections}
