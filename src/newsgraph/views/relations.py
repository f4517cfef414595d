"""Country-pair relations rolled up per month, for the relations chart and table."""

from __future__ import annotations

from typing import Any

from newsgraph.store import queries


def pair_months(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations rows rolled up per (pair, month), through the relations library."""
    try:
        from newsgraph.outputs.relations import pair_months as roll_up
    except ImportError:
        return []
    return roll_up(rows)


def relations_view(con: Any) -> dict[str, Any]:
    dyads = queries.dyads(con)
    available = bool(dyads.get("available"))
    months = pair_months(dyads["items"]) if available else []
    return {"available": available, "months": months, "pairs": sorted({m["pair"] for m in months})}
