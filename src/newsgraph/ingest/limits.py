"""Per-document guards: a wall-clock limit, so one pathological input can never stall a batch.

Size limits come first (``Settings.max_file_bytes`` / ``max_text_chars``); this timer is the
backstop for inputs that are small but slow (deeply nested markup, regex-hostile lines).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from newsgraph.errors import RejectedInput


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in a stage can swallow it."""


@contextmanager
def time_limit(seconds: float, source: str, what: str = "analysis") -> Iterator[None]:
    """Reject ``source`` as ``timeout`` when the block runs too long (main thread only: SIGALRM).

    Nested limits keep the outer deadline: the inner timer is cut to what the outer has left.
    Code inside one long C call (a regex, a parser) is interrupted only when it returns.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise _Expired()

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    began = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds)
    try:
        yield
    except _Expired:
        if outer_left > 0 and outer_left <= seconds:
            raise  # the outer deadline expired: let its owner report it
        raise RejectedInput(source, "timeout", f"{what} took over {seconds:g}s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # give the outer limit back what it had left
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - began), 1e-3))
