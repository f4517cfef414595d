"""The FastAPI application: store access, security guards, offline API docs, and the routers.

Store access. DuckDB lets one process write a database file, and a process that holds the file
open (even read-only) keeps a writer out. So by default the server never keeps the store open:
it reads a private snapshot copy, taken again when the store's file (or its write-ahead log)
changes, checked at most every ``refresh_s`` seconds. A copy taken while the writer was busy
(the files changed during the copy, or the copy does not open) is thrown away and the previous
snapshot keeps answering; the next request tries again. ``read_only=False`` reads the store in
place instead (for a store no other process uses).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse

from newsgraph.api import errors, http
from newsgraph.api.docs import add_docs
from newsgraph.errors import StoreError
from newsgraph.settings import Settings, get_settings
from newsgraph.store import db

Signature = tuple[tuple[int, int] | None, ...]
FIRST_COPY_TRIES = 5


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def file_signature(path: Path) -> Signature:
    """What changes when a writer commits: the database file and its write-ahead log."""
    return _stat(path), _stat(_wal(path))


def _open_copy(path: Path) -> duckdb.DuckDBPyConnection:
    """Fold the copied WAL into the private copy, then reopen it read-only."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"LOAD '{db.fts_extension_path()}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    con = db.connect(path, read_only=True)
    con.execute("SELECT count(*) FROM documents").fetchone()  # a torn copy fails here, not mid-request
    return con


class SnapshotReader:
    """Hands out read-only cursors over the latest good snapshot of ``source``."""

    read_only = True

    def __init__(self, source: str | Path, refresh_s: float = 2.0) -> None:
        self.source = Path(source)
        if not self.source.is_file():
            raise StoreError(f"{self.source}: no such database")
        self.refresh_s = refresh_s
        self._new_dir()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._retired: list[tuple[duckdb.DuckDBPyConnection, Path]] = []
        self._path: Path | None = None
        self._signature: Signature | None = None
        self._checked = 0.0
        self.generation = 0
        self.taken_at: float | None = None

    def _new_dir(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="newsgraph-snapshot-"))
        # Removed on close(), or when the reader is collected or the process exits without closing it.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._dir, True)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one request (close it after); refreshes the snapshot first when due."""
        with self._lock:
            if not self._cleanup.alive:  # closed by a lifespan shutdown, now serving again: start afresh
                self._new_dir()
            if self._con is None or time.monotonic() - self._checked >= self.refresh_s:
                self._refresh()
            assert self._con is not None
            return self._con.cursor()

    def _refresh(self) -> None:
        self._checked = time.monotonic()
        tries = FIRST_COPY_TRIES if self._con is None else 1
        for attempt in range(tries):
            if file_signature(self.source) == self._signature or self._take():
                return
            time.sleep(0.2 * (attempt + 1))
        if self._con is None:
            raise StoreError(f"{self.source}: the store is busy; could not take a consistent snapshot")

    def _take(self) -> bool:
        """Copy the store and switch to the copy; False (keeping the old snapshot) if the copy is torn."""
        before = file_signature(self.source)
        target = self._dir / f"snapshot-{self.generation + 1}.duckdb"
        try:
            shutil.copyfile(self.source, target)
            if _wal(self.source).exists():
                shutil.copyfile(_wal(self.source), _wal(target))
            if file_signature(self.source) != before:
                raise StoreError("store changed during the copy")
            con = _open_copy(target)
        except (OSError, duckdb.Error, StoreError):
            _remove(target)
            return False
        self._switch(con, target, before)
        return True

    def _switch(self, con: duckdb.DuckDBPyConnection, path: Path, signature: Signature) -> None:
        # Requests may still hold cursors on the previous snapshot: retire it, close the one before.
        for old_con, old_path in self._retired:
            old_con.close()
            _remove(old_path)
        self._retired = [(self._con, self._path)] if self._con is not None and self._path else []
        self._con, self._path, self._signature = con, path, signature
        self.generation += 1
        self.taken_at = time.time()

    def info(self) -> dict[str, object]:
        return {"mode": "snapshot", "read_only": True, "refresh_s": self.refresh_s,
                "generation": self.generation, "taken_at": self.taken_at}

    def close(self) -> None:
        with self._lock:
            for con in [c for c, _ in self._retired] + ([self._con] if self._con else []):
                con.close()
            # Forget the snapshot too, so a reader used again after close() takes a new one.
            self._con, self._retired, self._path, self._signature = None, [], None, None
            self._cleanup()


class DirectReader:
    """Reads the store in place through one writable connection (``read_only=False``).

    For a store no other process uses: it locks the file for the server's lifetime.
    """

    read_only = False

    def __init__(self, source: str | Path) -> None:
        self.source = Path(source)
        self._con: duckdb.DuckDBPyConnection | None = db.connect(self.source)
        self._lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:  # closed by a lifespan shutdown, now serving again
                self._con = db.connect(self.source)
            return self._con.cursor()

    def info(self) -> dict[str, object]:
        return {"mode": "direct", "read_only": False}

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None


def _remove(path: Path) -> None:
    for p in (path, _wal(path)):
        p.unlink(missing_ok=True)


# --------------------------------------------------------------------------- security guards

MAX_QUERY_BYTES = 2048
MAX_PATH_BYTES = 2048
MAX_BODY_BYTES = 16 * 1024
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class GuardMiddleware:
    """Size limits on the URL and the body, and the security headers on every response (errors too)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        refusal = _oversize(scope)
        if refusal is None:
            body, refusal = await _read_body(scope, receive)
        if refusal is not None:
            status, detail = refusal
            await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send_with_headers)
            return
        await self.app(scope, _replay(body, receive), send_with_headers)


def _oversize(scope: Scope) -> tuple[int, str] | None:
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, f"query string longer than {MAX_QUERY_BYTES} bytes"
    if len(scope.get("raw_path") or scope["path"].encode()) > MAX_PATH_BYTES:
        return 414, f"path longer than {MAX_PATH_BYTES} bytes"
    length = dict(scope.get("headers", [])).get(b"content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        return 413, f"request body larger than {MAX_BODY_BYTES} bytes"
    return None


async def _read_body(scope: Scope, receive: Receive) -> tuple[list[Message], tuple[int, str] | None]:
    """Read the whole body up front (it is small or refused), so a chunked upload cannot exceed the limit."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_BODY_BYTES:
            return messages, (413, f"request body larger than {MAX_BODY_BYTES} bytes")
        if not message.get("more_body"):
            return messages, None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """Hand the app the body already read, then the real channel (file responses wait on it for a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


# --------------------------------------------------------------------------- the app


def _include_web(app: FastAPI) -> None:
    """The HTML pages (``newsgraph.web``) when that package is installed."""
    try:
        from newsgraph.web import router as web_router
    except ImportError as exc:  # not installed, or half-written: serve the API alone, say why
        if not (exc.name or "").startswith("newsgraph.web"):
            raise
        if not isinstance(exc, ModuleNotFoundError) or exc.name != "newsgraph.web":
            warnings.warn(f"web UI left out: {exc}", stacklevel=2)
        return
    app.include_router(web_router)


def create_app(
    db_path: str | Path, *, read_only: bool = True, settings: Settings | None = None, refresh_s: float = 2.0,
    cors_origins: Sequence[str] = (),
) -> FastAPI:
    """The API (and web UI, when installed) over the store at ``db_path``.

    ``read_only`` (default): serve snapshots of the store, never lock or write it. ``cors_origins``:
    browser origins allowed to read the API from other sites (none by default). ``app.state``
    carries ``store`` (the reader), ``settings``, ``read_only`` and ``public_bind`` (set by
    ``newsgraph serve`` when bound beyond loopback, so pages can show a banner).
    """
    from newsgraph.api.alerts import router as alerts_router
    from newsgraph.api.params import reject_unknown_params
    from newsgraph.api.routes import router
    from newsgraph.api.tables import router as tables_router

    reader: SnapshotReader | DirectReader = SnapshotReader(db_path, refresh_s) if read_only else DirectReader(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Take the first snapshot before the first request: no page waits for the copy (a busy store
        # is retried on the first request, as before).
        with suppress(StoreError):
            reader.cursor().close()
        yield
        reader.close()

    app = FastAPI(title="newsgraph", version=_version(), docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Read-only JSON over a newsgraph store: documents, entities, events, quotes, "
                              "claims, stories, country-pair relations and full-text search.",
                  dependencies=[Depends(reject_unknown_params)])
    app.state.store = reader
    app.state.settings = settings or get_settings()
    app.state.read_only = read_only
    app.state.public_bind = False
    app.state.db_path = Path(db_path)
    http.install(app, cors_origins)
    app.add_middleware(GuardMiddleware)  # outermost: size limits and security headers on every answer
    errors.install(app, SECURITY_HEADERS)
    app.include_router(router)
    app.include_router(tables_router)
    app.include_router(alerts_router)
    add_docs(app)
    _include_web(app)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsgraph")
    except PackageNotFoundError:
        return "0"

