"""A guard that fails any test reaching an address outside loopback (127.0.0.0/8, ::1) or a Unix socket.

``install()`` wraps ``socket.socket.connect``/``connect_ex``: a connection elsewhere is refused
with ``OffLoopback`` and recorded, and the conftest fixture fails the test that tried even when the
code under test swallowed the error (a fetcher logs and goes on). Subprocesses started by tests
install it themselves (``import netguard; netguard.install()``).
"""

from __future__ import annotations

import ipaddress
import socket

ATTEMPTS: list[str] = []
_ORIGINAL = {"connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex}


class OffLoopback(OSError):
    """A test tried to reach beyond this machine."""


def _allowed(sock: socket.socket, address: object) -> bool:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a name: the code should have resolved it; refuse rather than guess


def _guard(name: str):
    original = _ORIGINAL[name]

    def guarded(self: socket.socket, address: object):
        if not _allowed(self, address):
            ATTEMPTS.append(f"{name}({address!r})")
            raise OffLoopback(f"tests may only reach loopback addresses; tried {address!r}")
        return original(self, address)

    return guarded


def install() -> None:
    socket.socket.connect = _guard("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _guard("connect_ex")  # type: ignore[method-assign]


def uninstall() -> None:
    socket.socket.connect = _ORIGINAL["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = _ORIGINAL["connect_ex"]  # type: ignore[method-assign]
