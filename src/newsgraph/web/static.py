"""Static files (CSS, JS, vendored libraries), served from a table built at import.

No request path ever reaches the file system: a name is looked up in ``STATIC_FILES``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

STATIC_DIR = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
               ".svg": "image/svg+xml", ".png": "image/png", ".md": "text/plain", ".txt": "text/plain"}
STATIC_FILES = {p.relative_to(STATIC_DIR).as_posix(): p for p in STATIC_DIR.rglob("*") if p.is_file()}

router = APIRouter(include_in_schema=False)


@router.get("/static/{name:path}")
def static_file(name: str) -> Response:
    path = STATIC_FILES.get(name)
    if path is None:
        return Response(f"no static file {name!r}", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                        headers={"Cache-Control": "public, max-age=3600"})
