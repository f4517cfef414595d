"""The index pages (stories, topics, documents, entities, events, claims, quotes): a page of a spec's
table, ready to render.

``table_view(con, spec, params)`` reads the page's parameters leniently (a browser URL: an unknown
parameter is ignored, a bad date or sort key is dropped with a note), asks
``newsgraph.store.tables.table_page`` for the rows and facet counts, and returns every link the
page needs: each row's record or evidence, sort links on the headers, facet values that add or
remove a filter, the pager, the equivalent API call and the CSV download of the view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from newsgraph.display.links import evidence_url
from newsgraph.display.paging import pager
from newsgraph.store.tables import TableSpec, table_page

PAGE_SIZE = 50
Link = Callable[[dict[str, Any]], str | None]


def _entity(key: str) -> Link:
    def link(row: dict[str, Any]) -> str | None:
        value = row.get(key)
        return f"/entities/{quote(value, safe='')}" if isinstance(value, str) and value.startswith("entity_") else None
    return link


def _evidence(kind: str) -> Link:
    return lambda row: evidence_url(row.get("doc"), row.get("start"), row.get("end"), f"{kind}:{row['id']}")


def _document(row: dict[str, Any]) -> str | None:
    return evidence_url(row.get("doc") or (row["id"] if str(row["id"]).startswith("doc_") else None))


def _record(kind: str, key: str = "id") -> Link:
    return lambda row: f"/{kind}/{quote(row[key], safe='')}" if row.get(key) else None


# Per kind: which column links where. The first entry is the row's own link (its record or its evidence).
ROW_LINKS: dict[str, dict[str, Link]] = {
    "stories": {"title": _record("stories"), "topic_title": _record("topics", "topic")},
    "topics": {"title": _record("topics")},
    "documents": {"title": _document},
    "entities": {"name": _entity("id")},
    "events": {"summary": _evidence("event")},
    "claims": {"stated": _evidence("claim"), "subject_name": _entity("subject")},
    "quotes": {"content": _evidence("attribution"), "speaker_name": _entity("speaker"), "outlet": _document},
}
BADGES = {"status", "modality", "type", "kind"}  # columns shown as a badge


def read_params(spec: TableSpec, params: Mapping[str, str]) -> tuple[dict[str, Any], str | None, int, list[str]]:
    """(filters, sort, offset, notes) from a browser's query string; what does not parse is dropped, with a note."""
    notes, filters = [], {}
    defaults = dict(spec.page_defaults)
    for f in spec.filters:
        value = (params.get(f.key, defaults.get(f.key)) or "").strip()[:200]
        if not value:
            continue
        if f.op == "isnull":
            if value.lower() == "any":
                continue
            if value.lower() not in ("true", "false"):
                notes.append(f"“{value}” is neither true nor false: the {f.label.lower()} filter is left out.")
                continue
            value = value.lower()
        if f.op in ("from", "to"):
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                notes.append(f"“{value}” is not a date (YYYY-MM-DD): the {f.label.lower()} filter is left out.")
                continue
        filters[f.key] = value
    sort = params.get("sort") or None
    if sort and sort not in spec.sort_keys():
        notes.append(f"Cannot sort by “{sort}”; sorted by {spec.default_sort.lstrip('-')} instead.")
        sort = None
    offset = params.get("offset", "0")
    return filters, sort, int(offset) if offset.isdigit() and len(offset) < 8 else 0, notes


def _url(path: str, params: Mapping[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v is not None and v != ""}
    return f"{path}?{urlencode(kept)}" if kept else path


def table_view(con: Any, spec: TableSpec, params: Mapping[str, str]) -> dict[str, Any]:
    """Everything the index page shows (reads the store: one page, its count, its facets)."""
    filters, sort, offset, notes = read_params(spec, params)
    page = table_page(con, spec, filters, sort=sort, limit=PAGE_SIZE, offset=offset)
    # What every link keeps (the page offset is dropped on a change); a page default turned off stays off.
    state = {**{k: "any" for k, _ in spec.page_defaults if k not in filters}, **filters, "sort": sort}
    path = f"/{spec.kind}"
    links = ROW_LINKS[spec.kind]
    shown = [c for c in spec.columns if c.shown]
    return {
        "spec": spec, "title": spec.title, "kind": spec.kind, "notes": notes, "page": page,
        "row_class": f"{spec.noun}-row",
        "filters": filters, "sort": page["sort"],
        "headers": [_header(path, state, c.key, c.label, c.sortable, c.numeric, page["sort"]) for c in shown],
        "rows": [_cells(row, shown, links) for row in page["items"]],
        "facets": [_facet(spec, path, state, key, values) for key, values in page["facets"].items()],
        "inputs": [{"key": f.key, "label": f.label, "op": f.op, "value": filters.get(f.key, ""),
                    "options": page["facets"].get(f.key)} for f in spec.filters],
        "active": [{"label": spec.filter(k).label, "value": v,
                    "remove": _url(path, {**state, k: "any" if k in dict(spec.page_defaults) else None})}
                   for k, v in filters.items()],
        "pager": pager(page), "pager_params": {k: v for k, v in state.items() if v},
        "api_url": _url(f"/api/tables/{spec.kind}", {**filters, "sort": sort, "limit": PAGE_SIZE,
                                                      "offset": offset or None}),
        "csv_url": _url(f"/{spec.kind}.csv", state),
        "clear_url": path if filters != dict(spec.page_defaults) else None,  # back to the page's defaults
    }


def _cells(row: dict[str, Any], shown: list[Any], links: dict[str, Link]) -> dict[str, Any]:
    primary = next(iter(links))
    return {"cells": [{"key": c.key, "value": row.get(c.key), "numeric": c.numeric, "badge": c.key in BADGES,
                       "primary": c.key == primary, "link": links[c.key](row) if c.key in links else None}
                      for c in shown]}


def _header(path: str, state: dict[str, Any], key: str, label: str, sortable: bool, numeric: bool,
            current: str) -> dict[str, Any]:
    if not sortable:
        return {"label": label, "numeric": numeric, "url": None, "aria_sort": None}
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    # A click on the sorted column reverses it; numbers sort largest first on the first click.
    target = (key if descending else f"-{key}") if active else (f"-{key}" if numeric else key)
    return {"label": label, "numeric": numeric, "url": _url(path, {**state, "sort": target}),
            "aria_sort": ("descending" if descending else "ascending") if active else None}


def _facet(spec: TableSpec, path: str, state: dict[str, Any], key: str, values: list[dict]) -> dict[str, Any]:
    chosen = state.get(key)
    items = []
    for v in values:
        if v["value"] is None:
            items.append({"value": None, "count": v["count"], "url": None, "active": False})
            continue
        active = chosen is not None and str(chosen).lower() == str(v["value"]).lower()
        url = _url(path, {**state, key: None if active else v["value"]})
        items.append({"value": v["value"], "count": v["count"], "url": url, "active": active})
    return {"key": key, "label": spec.filter(key).label, "values": items}
