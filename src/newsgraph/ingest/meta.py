"""The metadata sidecar (a JSONL file of per-article facts) and date normalisation.

A sidecar line names its article by file name, relative path or URL, and gives
what the collector knew for sure (url, title, outlet, author, published,
language). Those values beat anything a reader guessed from the page.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from newsgraph.errors import RejectedInput

SIDECAR_NAMES = ("metadata.jsonl", "meta.jsonl", "_metadata.jsonl", "sidecar.jsonl")
KEY_FIELDS = ("file", "filename", "path", "url")
VALUE_FIELDS = ("url", "title", "outlet", "author", "published", "language")
_EPOCH_RANGE = (1e8, 5e9)  # seconds since 1970 between 1973 and 2128
_A = TypeVar("_A")


class MetaIndex(dict[str, dict[str, Any]]):
    """Sidecar entries keyed by basename, relative path and URL, plus where they came from."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path
        self.base = path.parent if path else None
        self.warnings: list[str] = []


def load_meta(path: Path) -> MetaIndex:
    """Read a JSONL sidecar. Bad lines are skipped and listed in ``.warnings``.

    Raises ``RejectedInput`` only when the file cannot be read at all.
    """
    try:
        raw = path.read_bytes()
        lines = raw.decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RejectedInput(str(path), "unreadable", f"metadata sidecar: {exc}") from exc
    index = MetaIndex(path)
    for number, line in enumerate(lines, 1):
        if line.strip():
            _add_line(index, line, f"{path.name}#{number}")
    return index


def _add_line(index: MetaIndex, line: str, where: str) -> None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        index.warnings.append(f"{where}: not JSON ({exc.msg})")
        return
    if not isinstance(record, dict):
        index.warnings.append(f"{where}: not a JSON object")
        return
    entry, problems = _entry(record)
    index.warnings.extend(f"{where}: {p}" for p in problems)
    keys = _keys(record)
    if not keys:
        index.warnings.append(f"{where}: names no file, path or url")
    for key in keys:
        index[key] = entry


def _entry(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    entry: dict[str, Any] = {}
    problems: list[str] = []
    for name in VALUE_FIELDS:
        value = record.get(name)
        if value is None or value == "":
            continue
        if name == "published":
            iso = iso_date(value)
            if iso is None:
                problems.append(f"field 'published' is not a full date: {value!r}")
                continue
            value = iso
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(value)
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            problems.append(f"field {name!r} has type {type(value).__name__}")
            continue
        entry[name] = str(value).strip()
    return entry, problems


def _keys(record: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for name in KEY_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            keys.append(value)
            if name != "url":
                keys.append(Path(value).name)
    return list(dict.fromkeys(keys))


def find_meta(meta: Mapping[str, dict[str, Any]], source: str, url: str | None) -> dict[str, Any] | None:
    """The sidecar entry for an article: by URL, then exact item (``path#N``), then file.

    Items inside a container (JSONL, feed, WARC) match by URL or ``name#N`` only, so
    one sidecar line for the container file is not smeared over all its items.
    """
    if url and url in meta:
        return meta[url]
    path, _, item = source.partition("#")
    for key in _source_keys(meta, Path(path)):
        hit = meta.get(f"{key}#{item}" if item else key)
        if hit is not None:
            return hit
    return None


def _source_keys(meta: Mapping[str, dict[str, Any]], path: Path) -> list[str]:
    keys = [str(path)]
    base = getattr(meta, "base", None)
    if base is not None:
        with contextlib.suppress(ValueError):  # the file lies outside the sidecar's folder
            keys.append(path.resolve().relative_to(Path(base).resolve()).as_posix())
    keys.append(path.name)
    return keys


def apply_meta(article: _A, meta: Mapping[str, dict[str, Any]] | None) -> _A:
    """Sidecar values override the reader's; a sidecar date has basis ``metadata``."""
    if not meta:
        return article
    entry = find_meta(meta, article.source, article.url)  # type: ignore[attr-defined]
    if not entry:
        return article
    changes = {k: v for k, v in entry.items() if k in VALUE_FIELDS}
    if "published" in changes:
        changes["published_basis"] = "metadata"
    return replace(article, **changes)  # type: ignore[type-var]


def iso_date(value: Any) -> str | None:
    """Normalise a date to ISO ``YYYY-MM-DD``; None for a partial date ("2024") or noise.

    The local calendar date is kept (a 23:30 -05:00 story stays on its own day).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time.struct_time):
        return time.strftime("%Y-%m-%d", value)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, str):
        return _parse_date(value.strip())
    return None


def _from_epoch(seconds: float) -> str | None:
    if seconds > _EPOCH_RANGE[1] * 1000 or seconds < _EPOCH_RANGE[0]:
        return None
    if seconds > _EPOCH_RANGE[1]:
        seconds /= 1000  # milliseconds
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")


def _parse_date(text: str) -> str | None:
    if not text or len(text) > 80:
        return None
    if text.isdigit() and len(text) >= 9:
        return _from_epoch(float(text))
    from dateutil import parser

    # Parse twice with different defaults: a field the text lacks would differ.
    try:
        first = parser.parse(text, default=datetime(1904, 1, 1))
        second = parser.parse(text, default=datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first.strftime("%Y-%m-%d")
