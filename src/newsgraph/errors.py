"""Typed errors: each names the file (or field) and the reason, so a batch can report and go on."""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class for every error newsgraph raises on purpose."""


class RejectedInput(NewsgraphError):
    """One input could not be ingested. ``reason`` is a short machine-readable code."""

    REASONS = (
        "unreadable",
        "binary",
        "empty",
        "too_large",
        "undecodable",
        "not_article",
        "malformed",
        "unsupported",
        "timeout",
        "extraction_failed",
        "store_failed",
    )

    def __init__(self, path: str, reason: str, detail: str = "") -> None:
        self.path = path
        self.reason = reason
        self.detail = detail
        msg = f"{path}: {reason}"
        super().__init__(f"{msg} ({detail})" if detail else msg)


class StoreError(NewsgraphError):
    """The database could not be opened or migrated."""
