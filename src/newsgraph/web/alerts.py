"""Pages for ``newsgraph watch``: the alerts list and "new since your last visit".

They render what ``newsgraph.watch.records`` reads. The last visit is a cookie holding the newest
ingest time the visitor was shown (the server writes nothing); ``?since=`` overrides it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsgraph.store.request import Con
from newsgraph.watch import records
from newsgraph.web.render import render

router = APIRouter(include_in_schema=False)
SEEN_COOKIE = "newsgraph_seen"
Since = Annotated[str | None, Query(max_length=40, pattern=r"^[0-9T:. -]+$")]


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, con: Con, rule: Annotated[str | None, Query(max_length=120)] = None,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    page = records.list_alerts(con, rule=rule, limit=50, offset=offset)
    return render(request, "alerts.html", alerts=page, rule=rule, rules=records.rules(con), nav="alerts")


@router.get("/new", response_class=HTMLResponse)
def new_page(request: Request, con: Con, since: Since = None) -> HTMLResponse:
    mark = since or request.cookies.get(SEEN_COOKIE)
    if mark and not _timestamp(mark):
        mark = None
    data = records.new_since(con, mark)
    response = render(request, "new.html", new=data, first_visit=mark is None, nav="new")
    if data["marker"]:
        response.set_cookie(SEEN_COOKIE, data["marker"], max_age=365 * 86400, httponly=True, samesite="lax")
    return response


def _timestamp(value: str) -> bool:
    from datetime import datetime

    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
