"""Alerts of ``newsgraph watch``: ``/alerts.atom`` (Atom 1.0) and ``/api/alerts`` (JSON pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from newsgraph.api import models as m
from newsgraph.api.params import api_router, paging
from newsgraph.store.request import Con
from newsgraph.watch import records
from newsgraph.watch.atom import alerts_feed

router = api_router(prefix="", tags=["alerts"])  # the same documented errors as every other route
FEED_SIZE = 100
AlertPaging = paging(default=50, maximum=records.MAX_LIMIT)


@router.get("/alerts.atom", summary="Alerts as an Atom feed, newest first",
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def alerts_atom(request: Request, con: Con) -> Response:
    alerts = records.list_alerts(con, limit=FEED_SIZE)["items"]
    base = str(request.base_url).rstrip("/")
    return Response(alerts_feed(alerts, base), media_type="application/atom+xml")


@router.get("/api/alerts", summary="Alerts raised by `newsgraph watch`, newest first",
            response_model=m.Page[m.Alert])
def alerts_json(con: Con, page: AlertPaging, rule: Annotated[str | None, Query(max_length=120)] = None) -> dict:
    return page.page(records.list_alerts(con, rule=rule, limit=page.limit, offset=page.offset))
