"""Links from a fact to its evidence: the document, the exact span highlighted and scrolled into view,
and the fact's panel open.

``evidence_url(doc, start, end, fact)`` is ``/documents/{doc}?span={start}-{end}&fact={kind}:{ref}#cited``.
The document page (``display.document.document_page``) reads ``span`` and ``fact`` back with
``parse_span`` / ``parse_fact``: it marks exactly those characters (``.cited``), the browser scrolls
to ``#cited`` (the page's script centres it), and the panel opens on that fact first. Every face
that shows a fact (the story, entity, event, claim and index pages, the brief's citations, the
JSON API's ``evidence`` fields) builds its link here, so one format holds everywhere.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

FACT_KINDS = ("mention", "event", "claim", "quote", "attribution", "entity")
_SPAN = re.compile(r"^(\d{1,9})-(\d{1,9})$")
_FACT = re.compile(rf"^({'|'.join(FACT_KINDS)}):([A-Za-z0-9_\-:.]{{1,100}})$")


def document_url(doc: str) -> str:
    return f"/documents/{quote(str(doc), safe='')}"


def evidence_url(doc: str | None, start: int | None = None, end: int | None = None,
                 fact: str | None = None) -> str | None:
    """The document page with ``[start, end)`` highlighted and ``fact`` (``kind:id``) open; None without a doc.

    A span that is missing or empty links to the document alone (still with the fact's panel open).
    """
    if not doc:
        return None
    params: dict[str, str] = {}
    if start is not None and end is not None and int(end) > int(start) >= 0:
        params["span"] = f"{int(start)}-{int(end)}"
    if fact and _FACT.match(fact):
        params["fact"] = fact
    if not params:
        return document_url(doc)
    return f"{document_url(doc)}?{urlencode(params)}" + ("#cited" if "span" in params else "")


def span_url(span: dict[str, Any] | None, fact: str | None = None) -> str | None:
    """``evidence_url`` of a ``{doc, start, end}`` span (the API's shape)."""
    if not span:
        return None
    return evidence_url(span.get("doc"), span.get("start"), span.get("end"), fact)


def parse_span(value: str | None, length: int) -> tuple[int, int] | None:
    """``"12-40"`` → ``(12, 40)`` when it is a non-empty span inside a text of ``length`` characters."""
    match = _SPAN.match(value or "")
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if 0 <= start < end <= length else None


def parse_fact(value: str | None) -> dict[str, str] | None:
    """``"claim:claim_x"`` → ``{"kind": "claim", "ref": "claim_x"}``; anything else → None."""
    match = _FACT.match(value or "")
    return {"kind": match.group(1), "ref": match.group(2)} if match else None
