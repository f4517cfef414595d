"""``newsgraph serve``: the REST API (and the web UI, when installed) over one store."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Annotated[Path, typer.Option("--db", help="DuckDB store file.")],
        host: Annotated[str, typer.Option(help="Address to bind; anything but loopback exposes the archive.")]
        = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
        refresh: Annotated[float, typer.Option(help="Seconds between checks for a changed store.")] = 2.0,
    ) -> None:
        """Serve the JSON API under /api/ (docs at /docs) from a read-only snapshot of the store."""
        import uvicorn

        from newsgraph.api import create_app

        if not db.is_file():
            raise typer.BadParameter(f"{db}: no such database", param_hint="--db")
        web_app = create_app(db, refresh_s=refresh)
        if not is_loopback(host):
            web_app.state.public_bind = True
            typer.secho(f"warning: bound to {host}, not loopback: anyone who can reach this address can read "
                        "the whole archive (there is no authentication).", err=True, fg=typer.colors.YELLOW)
        uvicorn.run(web_app, host=host, port=port, log_level="info", server_header=False)
