"""Parameter checks every JSON endpoint shares: unknown names, case-insensitive codes, paging.

- ``reject_unknown_params``: an app-wide dependency; a query parameter the route does not declare
  is a 422 naming it (with the closest declared name), on every route in the OpenAPI description.
  Browser pages (``include_in_schema=False``) stay lenient (``?utm_source=`` must not break them).
- ``one_of(values)``: an enum filter matched case-insensitively (``type=person`` is ``PERSON``).
- ``code(case)``: a free code filter (event type, PLOVER category, claim attribute) folded to the
  store's case.
- ``paging(default, maximum)``: ``limit``/``offset`` as a dependency whose ``page(result)`` adds
  ``next``/``prev`` URLs to a page and the same links (plus first/last) to the ``Link`` header.
- ``api_router(...)``: an ``APIRouter`` with the error answers every endpoint can give declared,
  so a new router gets the same OpenAPI description.
"""

# No ``from __future__ import annotations`` here: ``paging`` builds its parameters' annotations from
# its arguments, and FastAPI must see them as objects, not as strings naming local variables.
import difflib
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from newsgraph.api.models import Problem, ValidationProblem
from newsgraph.display.paging import neighbours
from newsgraph.store import queries

# Answers every endpoint can give besides 200 (the guards in app.py, the store reader, parameter
# checks), declared so the OpenAPI description tells clients, and schemathesis, the whole truth.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": Problem, "description": "Request body too large"},
    414: {"model": Problem, "description": "Query string or path too long"},
    422: {"model": ValidationProblem, "description": "A parameter failed its check, or is unknown"},
    503: {"model": Problem, "description": "The store cannot be read"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No record with this id"}}


def api_router(prefix: str = "/api", tags: list[str] | None = None) -> APIRouter:
    """A router for JSON endpoints, with the shared error answers declared."""
    return APIRouter(prefix=prefix, tags=list(tags or ["api"]), responses=COMMON_ERRORS)


# --------------------------------------------------------------------------- unknown parameters

_NAMES_ATTR = "_newsgraph_query_names"


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def declared_query_names(route: Any) -> frozenset[str] | None:
    """The query parameter names a route accepts (aliases, sub-dependencies included); cached on it."""
    names = getattr(route, _NAMES_ATTR, None)
    if names is None and getattr(route, "dependant", None) is not None:
        names = frozenset(_query_names(route.dependant))
        setattr(route, _NAMES_ATTR, names)
    return names


def reject_unknown_params(request: Request) -> None:
    """422 naming every query parameter the route does not declare (documented API routes only)."""
    route = request.scope.get("route")
    if route is None or not getattr(route, "include_in_schema", False):
        return
    allowed = declared_query_names(route)
    if allowed is None:
        return
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in allowed]
    if unknown:
        raise RequestValidationError([_unknown(name, request.query_params.get(name), allowed) for name in unknown])


def _unknown(name: str, value: str | None, allowed: Iterable[str]) -> dict[str, Any]:
    known = sorted(allowed)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    accepted = ", ".join(known) if known else "no query parameters"
    return {"type": "extra_forbidden", "loc": ("query", name), "input": value,
            "msg": f"unknown query parameter {name!r}{hint} (this endpoint accepts: {accepted})"}


# --------------------------------------------------------------------------- case-insensitive filters


def one_of(values: Iterable[str]) -> Any:
    """``Literal[values]`` that also accepts any letter case, mapped to the canonical spelling."""
    values = tuple(values)
    canonical = {v.lower(): v for v in values}

    def fold(value: Any) -> Any:
        return canonical.get(value.lower(), value) if isinstance(value, str) else value

    return Annotated[Literal[values], BeforeValidator(fold)]  # type: ignore[valid-type]


def code(case: Literal["upper", "lower"]) -> Any:
    """A short code (letters and underscores) folded to the store's case."""
    fold: Callable[[str], str] = str.upper if case == "upper" else str.lower
    return Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z_]+$",
                                       description=f"Any letter case (stored {case} case)."),
                     BeforeValidator(lambda v: fold(v) if isinstance(v, str) else v)]


# --------------------------------------------------------------------------- paging


class PageRequest:
    """``limit``/``offset`` of one request, and ``page(result)`` to link a page to its neighbours."""

    def __init__(self, request: Request, response: Response, limit: int, offset: int) -> None:
        self.request, self.response, self.limit, self.offset = request, response, limit, offset

    def url(self, offset: int) -> str:
        return str(self.request.url.include_query_params(limit=self.limit, offset=offset))

    def page(self, result: dict[str, Any]) -> dict[str, Any]:
        """Add ``next``/``prev`` URLs to ``result`` and ``Link: <…>; rel="next"`` (prev, first, last) headers."""
        offsets = neighbours(int(result["total"]), int(result["limit"]), int(result["offset"]))
        urls = {rel: self.url(offset) for rel, offset in offsets.items() if offset is not None}
        result["next"], result["prev"] = urls.get("next"), urls.get("prev")
        self.response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in urls.items())
        return result


def paging(default: int = queries.DEFAULT_LIMIT, maximum: int = queries.MAX_LIMIT) -> Any:
    """A ``PageRequest`` dependency with its own default and maximum page size."""

    def page_request(
        request: Request, response: Response,
        limit: Annotated[int, Query(ge=1, le=maximum, description=f"Page size (default {default}, at most {maximum}).")]
        = default,
        offset: Annotated[int, Query(ge=0, le=1_000_000, description="Records to skip.")] = 0,
    ) -> PageRequest:
        return PageRequest(request, response, limit, offset)

    return Annotated[PageRequest, Depends(page_request)]


Paging = paging()
