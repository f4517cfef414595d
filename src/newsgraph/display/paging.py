"""Page arithmetic for any ``{total, limit, offset}`` page: what a pager and a Link header need."""

from __future__ import annotations

from typing import Any


def neighbours(total: int, limit: int, offset: int) -> dict[str, int | None]:
    """Offsets of the first, previous, next and last pages (None where there is none)."""
    limit = max(1, limit)
    last = max(0, (total - 1) // limit * limit) if total else 0
    return {
        "first": 0,
        "prev": max(0, offset - limit) if offset > 0 else None,
        "next": offset + limit if offset + limit < total else None,
        "last": last,
    }


def pager(page: dict[str, Any]) -> dict[str, Any]:
    """What a page footer shows: ``from``–``to`` of ``total`` and the neighbour offsets."""
    total, limit, offset = int(page["total"]), int(page["limit"]), int(page["offset"])
    shown = len(page.get("items") or [])
    return {"total": total, "limit": limit, "offset": offset, "from": offset + 1 if shown else 0,
            "to": offset + shown, **neighbours(total, limit, offset)}
