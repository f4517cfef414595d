"""Alerts as an Atom 1.0 feed (RFC 4287), for ``/alerts.atom``.

Built with the standard library's ElementTree: the feed needs a handful of elements, and
escaping is the serialiser's job, so no feed-generator dependency is worth adding for it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"


def _when(value: str | None) -> str:
    if not value:
        return datetime.now(UTC).isoformat(timespec="seconds")
    text = str(value)
    return text if text.endswith("Z") or "+" in text[10:] else text.split(".")[0] + "Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _summary(payload: dict[str, Any]) -> str:
    lines = [payload.get("title", "")]
    for ev in payload.get("evidence", []):
        spans = "; ".join(f"“{s['text']}” [{s['start']}–{s['end']}]" for s in ev.get("spans", [])[:3] if s.get("text"))
        lines.append(f"{ev.get('title') or ev['doc']} ({ev.get('outlet') or 'unknown outlet'}): {spans}".strip())
    return "\n".join(lines)


def alerts_feed(alerts: list[dict[str, Any]], base_url: str) -> bytes:
    """``alerts`` as ``records.list_alerts`` returns them (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{base_url}/alerts.atom")
    _sub(feed, "title", "newsgraph alerts")
    _sub(feed, "updated", _when(alerts[0]["created_at"] if alerts else None))
    _sub(feed, "link", rel="self", href=f"{base_url}/alerts.atom")
    _sub(feed, "link", rel="alternate", href=f"{base_url}/alerts")
    _sub(feed, "generator", "newsgraph watch")
    for alert in alerts:
        payload = alert["payload"]
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:newsgraph:{alert['id']}")
        _sub(entry, "title", alert["title"])
        _sub(entry, "updated", _when(alert["created_at"]))
        _sub(entry, "link", rel="alternate", href=payload.get("link") or f"{base_url}/alerts")
        _sub(entry, "category", term=alert["rule"])
        author = _sub(entry, "author")
        _sub(author, "name", f"rule: {alert['rule']}")
        _sub(entry, "summary", _summary(payload))
        _sub(entry, "content", json.dumps(payload, ensure_ascii=False, indent=1), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
