"""The request dependency that the REST API and the web pages share: one cursor per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request


def store(request: Request) -> Iterator[Any]:
    """A cursor on the server's store for one request (its reader: a snapshot or the file itself)."""
    cursor = request.app.state.store.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


Con = Annotated[Any, Depends(store)]
