"""HTTP behaviour of every route, as ASGI middleware: HEAD and OPTIONS, ETags, gzip, CORS.

``install(app, cors_origins)`` adds them in this order (outermost first), inside the security
guard of ``newsgraph.api.app``:

- CORS (only when origins are given): Starlette's ``CORSMiddleware`` for those origins, GET/HEAD/
  OPTIONS only, exposing ``ETag`` and ``Link``. Off by default: a browser page elsewhere cannot
  read the archive unless ``newsgraph serve --cors-origin`` names its origin.
- ``MethodMiddleware``: ``HEAD`` is answered as ``GET`` without the body (same headers, length
  included); ``OPTIONS`` is ``204`` with ``Allow: GET, HEAD, OPTIONS`` where a GET route exists.
- gzip (Starlette's ``GZipMiddleware``) for answers of at least ``GZIP_MIN_BYTES`` to clients
  that accept it.
- ``ConditionalMiddleware``: a GET/HEAD ``200`` gets a weak ``ETag`` (a hash of the body, or the
  file response's own) and ``Cache-Control: no-cache`` unless it has one; a request whose
  ``If-None-Match`` matches gets ``304`` with no body. Answers that set a cookie are left alone.

Each works on every route, present and future: a new endpoint gets them with no code of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Match

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

GZIP_MIN_BYTES = 1024
ALLOW = "GET, HEAD, OPTIONS"
# Headers a 304 repeats from the 200 it stands for (RFC 9110 15.4.5).
KEPT_ON_304 = {b"etag", b"cache-control", b"vary", b"content-location", b"expires", b"date", b"link"}


def install(app: Any, cors_origins: Sequence[str] = ()) -> None:
    """Add the middleware to a Starlette/FastAPI app (the last added runs first)."""
    app.add_middleware(ConditionalMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=6)
    app.add_middleware(MethodMiddleware)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "HEAD", "OPTIONS"],
                           allow_headers=["Accept", "If-None-Match"], expose_headers=["ETag", "Link"], max_age=600)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((v for k, v in headers if k.lower() == name), None)


# --------------------------------------------------------------------------- HEAD and OPTIONS


class MethodMiddleware:
    """HEAD as GET without the body; OPTIONS answered with the methods a path allows."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
        elif method == "OPTIONS":
            await self._options(scope, send)
        else:
            await self.app(scope, receive, send)

    async def _options(self, scope: Scope, send: Send) -> None:
        router = getattr(scope.get("app"), "router", None)
        as_get = {**scope, "method": "GET"}
        found = router is not None and any(route.matches(as_get)[0] is Match.FULL for route in router.routes)
        status = 204 if found else 404
        headers = [(b"allow", ALLOW.encode())] if found else [(b"content-type", b"application/json")]
        body = b"" if found else b'{"detail":"Not Found"}'
        await send({"type": "http.response.start", "status": status,
                    "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _without_body(send: Send) -> Send:
    async def head_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body"):
                return  # drop the chunk; the final empty one ends the response
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return head_send


# --------------------------------------------------------------------------- ETag and 304


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison (RFC 9110 13.1.2): ``W/"x"`` matches ``"x"``; ``*`` matches anything."""
    def bare(tag: bytes) -> bytes:
        tag = tag.strip()
        return tag[2:] if tag.startswith(b"W/") else tag

    wanted = [bare(t) for t in if_none_match.split(b",")]
    return b"*" in wanted or bare(etag) in wanted


class ConditionalMiddleware:
    """ETags on successful GETs and 304 for a matching ``If-None-Match``; buffers such answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = _header(scope.get("headers", []), b"if-none-match")
        # File responses would hand the server a path instead of body messages: ask for the bytes.
        extensions = {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"}
        scope = {**scope, "extensions": extensions}
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def buffered(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                passing = message["status"] != 200 or _header(headers, b"set-cookie") is not None
                if passing:
                    await send(message)
                else:
                    start = message
                return
            if passing or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                await _finish(send, start, b"".join(chunks), if_none_match)

        await self.app(scope, receive, buffered)


async def _finish(send: Send, start: Message | None, body: bytes, if_none_match: bytes | None) -> None:
    assert start is not None
    headers = list(start.get("headers", []))
    etag = _header(headers, b"etag")
    if etag is None:
        etag = b'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
        headers.append((b"etag", etag))
    if _header(headers, b"cache-control") is None:
        headers.append((b"cache-control", b"no-cache"))
    if if_none_match is not None and _matches(if_none_match, etag):
        kept = [(k, v) for k, v in headers if k.lower() in KEPT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
