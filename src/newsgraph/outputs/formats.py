"""Export formats, registered by name: ``newsgraph export --format NAME`` looks them up here.

An exporter is ``(archive, output_path) -> str`` (a short description of what it wrote).
"""

from __future__ import annotations

import json
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
    """The newsgraph/2 contract, validated against its JSON Schema before it is written."""
    from newsgraph.outputs.export import validate_export, write_json

    data = archive.export()
    validate_export(data)
    write_json(data, output)
    return f"{output} ({len(data['documents'])} documents, {len(data['entities'])} entities)"


@exporter("jsonl")
def export_jsonl(archive, output: Path) -> str:
    """The contract's records one per line, each with ``kind`` (document/entity/event/quote/claim/story/topic)."""
    from newsgraph.outputs.tables import write_jsonl

    lines = write_jsonl(archive.export(), output)
    return f"{output} ({lines} records)"


def _export_tables(archive, output: Path, fmt: str) -> str:
    from newsgraph.outputs.tables import export_tables, write_tables

    tables = export_tables(archive)
    write_tables(tables, output, fmt)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in tables.items())
    return f"{output}/ ({len(tables)} {fmt} files: {counts})"


@exporter("parquet")
def export_parquet(archive, output: Path) -> str:
    """One Parquet file per table in the folder ``output`` (see docs/exports.md)."""
    return _export_tables(archive, output, "parquet")


@exporter("csv")
def export_csv(archive, output: Path) -> str:
    """One CSV file (with a header row) per table in the folder ``output``."""
    return _export_tables(archive, output, "csv")


@exporter("graphml")
def export_graphml(archive, output: Path) -> str:
    """Entities as nodes, event and quote relations as weighted edges (opens in Gephi)."""
    from newsgraph.outputs.graph import write_graphml
    from newsgraph.outputs.tables import export_tables

    graph = write_graphml(export_tables(archive), output)
    return f"{output} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)"


@exporter("plover")
def export_plover(archive, output: Path) -> str:
    """PLOVER event records (current specification's field names), one JSON object per line."""
    from newsgraph.outputs.plover import load_plover_kb, plover_records, write_plover
    from newsgraph.outputs.tables import export_tables

    records = plover_records(export_tables(archive), load_plover_kb(archive))
    write_plover(records, output)
    return f"{output} ({len(records)} PLOVER records)"


@exporter("plover-gsr")
def export_plover_gsr(archive, output: Path) -> str:
    """The same records in the PLOVER 0.5 shape of the gold-standard records file (a JSON array)."""
    from newsgraph.outputs.plover import load_plover_kb, plover_records, to_gsr
    from newsgraph.outputs.tables import export_tables

    records = [to_gsr(r) for r in plover_records(export_tables(archive), load_plover_kb(archive))]
    output.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return f"{output} ({len(records)} PLOVER 0.5 records)"
