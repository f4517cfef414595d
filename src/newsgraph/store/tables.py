"""Index tables, Datasette-style: one paged, sorted, filtered, faceted query for any record kind.

A ``TableSpec`` (``newsgraph.store.table_specs``, one per kind) is data: the fixed SQL that yields
one row per record, the columns (which ones sort), the filters (which ones have facet counts) and
the default order. ``table_page(con, spec, ...)`` builds the query from the spec alone: column
names and operators come from the spec, every value a user gives is a bound parameter, the sort
key must be one the spec declares. So a page costs one count, one ``LIMIT/OFFSET`` page, one
``GROUP BY`` per facet and, for the page's rows only, the spec's ``extras`` query (links and
details that no filter or sort needs).

Filter operators: ``eq`` (exact), ``upper``/``lower`` (exact after folding the value's case),
``contains`` (case-insensitive substring, ``%``/``_`` taken literally), ``from``/``to`` (a
string or date column ``>=``/``<=`` the value), ``isnull`` (``true``: the column is null; ``false``:
it is not).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from newsgraph.store.sql import MAX_LIMIT
from newsgraph.store.sql import plain as _plain
from newsgraph.store.sql import rows as _rows

Op = Literal["eq", "upper", "lower", "contains", "from", "to", "isnull"]
FACET_VALUES = 20
EXPORT_MAX = 10_000  # rows in one CSV download
EXPORT_BATCH = 1_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sortable: bool = True
    numeric: bool = False
    shown: bool = True  # False: kept for filters, links and downloads, not a table column


@dataclass(frozen=True)
class Filter:
    key: str  # the query parameter
    column: str
    op: Op
    label: str
    facet: bool = False
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    kind: str  # the URL segment: /entities, /api/tables/entities
    title: str
    noun: str  # one record, for "3 events"
    source: str  # SQL: one row per record, ``id`` among its columns; every sortable Column.key one of them
    columns: tuple[Column, ...]
    filters: tuple[Filter, ...]
    default_sort: str  # a column key, "-" first for descending
    extras: str | None = None  # SQL over ``?`` = the page's ids: ``id`` and the other (unsortable) columns
    page_defaults: tuple[tuple[str, str], ...] = ()  # filters the index page applies unless its URL sets them
    description: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def sort_keys(self) -> list[str]:
        keys = [c.key for c in self.columns if c.sortable]
        return keys + [f"-{k}" for k in keys]

    def filter(self, key: str) -> Filter:
        return next(f for f in self.filters if f.key == key)


class TableError(ValueError):
    """A sort key or filter the spec does not declare (the faces answer 422 before this can happen)."""


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _condition(f: Filter, value: Any) -> tuple[str, list[Any]]:
    col = f'"{f.column}"'
    if f.op == "eq":
        return f"{col} = ?", [value]
    if f.op == "upper":
        return f"{col} = ?", [str(value).upper()]
    if f.op == "lower":
        return f"{col} = ?", [str(value).lower()]
    if f.op == "contains":
        return f"{col} ILIKE ? ESCAPE '\\'", [f"%{_escape_like(str(value))}%"]
    if f.op == "from":
        return f"CAST({col} AS VARCHAR) >= ?", [str(_plain(value))]
    if f.op == "to":
        # A date bound keeps the whole day of a timestamp or a partial date ("2024-08" <= "2024-08-31").
        return f"CAST({col} AS VARCHAR) <= ?", [str(_plain(value)) + "\uffff"]
    if f.op == "isnull":
        truth = value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes", "on")
        return f"{col} IS {'' if truth else 'NOT '}NULL", []
    raise TableError(f"unknown operator {f.op!r}")


def _where(spec: TableSpec, filters: Mapping[str, Any], leave_out: str | None = None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for key, value in filters.items():
        if value is None or value == "" or key == leave_out:
            continue
        known = {f.key for f in spec.filters}
        if key not in known:
            raise TableError(f"{spec.kind}: unknown filter {key!r}")
        clause, bound = _condition(spec.filter(key), value)
        clauses.append(clause)
        params.extend(bound)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _order(spec: TableSpec, sort: str | None) -> tuple[str, str]:
    sort = sort or spec.default_sort
    if sort not in spec.sort_keys():
        raise TableError(f"{spec.kind}: cannot sort by {sort!r} (sortable: {', '.join(spec.sort_keys())})")
    key = sort.lstrip("-")
    direction = "DESC" if sort.startswith("-") else "ASC"
    return sort, f'"{key}" {direction} NULLS LAST, "id"'


def _base(spec: TableSpec) -> str:
    return f"SELECT * FROM ({spec.source}) t"


def facet_counts(con, spec: TableSpec, filters: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per facet filter: its most frequent values with counts, under every *other* active filter
    (so each facet lists the alternatives to its own choice, as Datasette does)."""
    out = {}
    for f in spec.filters:
        if not f.facet:
            continue
        where, params = _where(spec, filters, leave_out=f.key)
        rows = con.execute(f'SELECT "{f.column}" AS value, count(*) AS n FROM ({_base(spec)}{where}) '
                           f"GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT {FACET_VALUES}", params).fetchall()
        out[f.key] = [{"value": _plain(v), "count": n} for v, n in rows]
    return out


def table_page(con, spec: TableSpec, filters: Mapping[str, Any], *, sort: str | None = None,
               limit: int = 50, offset: int = 0, facets: bool = True) -> dict[str, Any]:
    """``{total, limit, offset, sort, filters, items, facets}``: one page of ``spec``'s rows."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    where, params = _where(spec, filters)
    sort, order = _order(spec, sort)
    base = _base(spec) + where
    total = con.execute(f"SELECT count(*) FROM ({base})", params).fetchone()[0]
    items = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
    add_extras(con, spec, items)
    active = {k: _plain(v) for k, v in filters.items() if v is not None and v != ""}
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "filters": active, "items": items,
            "facets": facet_counts(con, spec, filters) if facets else {}}


def add_extras(con, spec: TableSpec, items: list[dict[str, Any]]) -> None:
    """Add the spec's ``extras`` (evidence spans, stated values) to ``items`` in place, by their ``id``."""
    if not spec.extras or not items:
        return
    found = {r["id"]: r for r in _rows(con, spec.extras, [[i["id"] for i in items]])}
    for item in items:
        extra = found.get(item["id"], {})
        item.update({k: v for k, v in extra.items() if k != "id"})


def table_rows(con, spec: TableSpec, filters: Mapping[str, Any], *, sort: str | None = None,
               maximum: int = EXPORT_MAX) -> Iterator[dict[str, Any]]:
    """Every row of the filtered, sorted view (at most ``maximum``), read in pages: for downloads."""
    where, params = _where(spec, filters)
    _, order = _order(spec, sort)
    base = _base(spec) + where
    for offset in range(0, maximum, EXPORT_BATCH):
        batch = _rows(con, f"{base} ORDER BY {order} LIMIT ? OFFSET ?",
                      [*params, min(EXPORT_BATCH, maximum - offset), offset])
        add_extras(con, spec, batch)
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
