"""Export formats, registered by name: ``newsgraph export --format NAME`` looks them up here.

An exporter is ``(archive, output_path) -> str`` (a short description of what it wrote).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Exporter = Callable[[Any, Path], str]
EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str) -> Callable[[Exporter], Exporter]:
    def register(fn: Exporter) -> Exporter:
        EXPORTERS[name] = fn
        return fn

    return register


@exporter("json")
def export_json(archive, output: Path) -> str:
    """The newsgraph/1 contract, validated against its JSON Schema before it is written."""
    from newsgraph.outputs.export import validate_export, write_json

    data = archive.export()
    validate_export(data)
    write_json(data, output)
    return f"{output} ({len(data['documents'])} documents, {len(data['entities'])} entities)"
