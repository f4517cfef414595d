"""The index pages (``/entities``, ``/events``, ``/claims``, ``/quotes``) and their CSV downloads.

Thin: ``newsgraph.display.table`` builds the view from the spec's table (``newsgraph.store.tables``);
the JSON of a view is the API's ``/api/tables/{kind}`` with the same parameters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from newsgraph.display.table import read_params, table_view
from newsgraph.store.request import Con
from newsgraph.store.table_specs import SPECS
from newsgraph.store.tables import EXPORT_MAX, TableSpec, table_rows
from newsgraph.web.render import render

router = APIRouter(include_in_schema=False)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def _csv(con, spec: TableSpec, request: Request) -> Iterator[str]:
    filters, sort, _, _ = read_params(spec, request.query_params)
    keys = [c.key for c in spec.columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    for n, row in enumerate(table_rows(con, spec, filters, sort=sort, maximum=EXPORT_MAX), 1):
        writer.writerow([_cell(row.get(k)) for k in keys])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _add(spec: TableSpec) -> None:
    def page(request: Request, con: Con) -> HTMLResponse:
        return render(request, "table.html", nav=spec.kind, **table_view(con, spec, request.query_params))

    def download(request: Request, con: Con) -> StreamingResponse:
        # Read the whole (capped) view now: the request's cursor closes when this function returns.
        body = list(_csv(con, spec, request))
        return StreamingResponse(iter(body), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": f'attachment; filename="{spec.kind}.csv"'})

    router.add_api_route(f"/{spec.kind}", page, methods=["GET"], response_class=HTMLResponse,
                         name=f"{spec.kind}_index")
    router.add_api_route(f"/{spec.kind}.csv", download, methods=["GET"], name=f"{spec.kind}_csv")


for _spec in SPECS.values():
    _add(_spec)
