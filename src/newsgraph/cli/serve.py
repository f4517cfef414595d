"""``newsgraph serve``: the REST API (and the web UI, when installed) over one store."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_origin(origin: str) -> str:
    """A browser origin (``scheme://host[:port]``, no path) or ``*``; anything else is refused."""
    if origin == "*":
        return origin
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username:
        raise typer.BadParameter(f"{origin!r} is not an origin like https://analysis.example:8443",
                                 param_hint="--cors-origin")
    return f"{parts.scheme}://{parts.netloc}"


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")],
        host: Annotated[str, typer.Option(help="Address to bind; anything but loopback exposes the archive.")]
        = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        refresh: Annotated[float, typer.Option(help="Seconds between checks for a changed store.")] = 2.0,
        cors_origin: Annotated[list[str] | None, typer.Option(
            "--cors-origin", metavar="ORIGIN", help="Let pages of this origin read the API from a browser (repeatable; "
                                  "CORS is off by default).")] = None,
    ) -> None:
        """Serve the JSON API under /api/ (docs at /docs) from a read-only snapshot of the store."""
        import uvicorn

        from newsgraph.api import create_app

        if not db.is_file():
            raise typer.BadParameter(f"{db}: no such database", param_hint="--db")
        origins = [check_origin(o) for o in cors_origin or []]
        if "*" in origins:
            typer.secho("warning: --cors-origin '*' lets any web page you visit read this archive.", err=True,
                        fg=typer.colors.YELLOW)
        web_app = create_app(db, refresh_s=refresh, cors_origins=origins)
        if not is_loopback(host):
            web_app.state.public_bind = True
            typer.secho(f"warning: bound to {host}, not loopback: anyone who can reach this address can read "
                        "the whole archive (there is no authentication).", err=True, fg=typer.colors.YELLOW)
        uvicorn.run(web_app, host=host, port=port, log_level="info", server_header=False)
