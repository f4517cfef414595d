"""Alerts of ``newsgraph watch``: ``/alerts.atom`` (Atom 1.0) and ``/api/alerts`` (JSON pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsgraph.api.routes import COMMON_ERRORS
from newsgraph.store.request import Con
from newsgraph.watch import records
from newsgraph.watch.atom import alerts_feed

router = APIRouter(responses=COMMON_ERRORS)  # the same documented errors as every other route
FEED_SIZE = 100


@router.get("/alerts.atom", summary="Alerts as an Atom feed, newest first", tags=["alerts"],
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def alerts_atom(request: Request, con: Con) -> Response:
    alerts = records.list_alerts(con, limit=FEED_SIZE)["items"]
    base = str(request.base_url).rstrip("/")
    return Response(alerts_feed(alerts, base), media_type="application/atom+xml")


@router.get("/api/alerts", summary="Alerts raised by `newsgraph watch`, newest first", tags=["alerts"])
def alerts_json(con: Con, rule: Annotated[str | None, Query(max_length=120)] = None,
                limit: Annotated[int, Query(ge=1, le=records.MAX_LIMIT)] = 50,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict:
    return records.list_alerts(con, rule=rule, limit=limit, offset=offset)
