"""Country-pair relations rolled up per month, for the relations chart and table."""

from __future__ import annotations

from typing import Any


def pair_months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations rows rolled up per (pair, month), through the relations library."""
    try:
        from newsgraph.outputs.relations import pair_months as roll_up
    except ImportError:
        return []
    return roll_up(rows)


def relations_page(dyads: dict[str, Any]) -> dict[str, Any]:
    """What the relations page shows of ``/api/dyads``' answer (``queries.dyads``' shape)."""
    available = bool(dyads.get("available"))
    months = pair_months(dyads["items"]) if available else []
    return {"available": available, "months": months, "pairs": sorted({m["pair"] for m in months})}
