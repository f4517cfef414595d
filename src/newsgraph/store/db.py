"""The embedded DuckDB store: opening and migrations (full-text search: ``newsgraph.store.search``).

The schema is versioned: ``migrations/NNN_name.sql`` files run in order, each in
its own transaction, and ``schema_version`` records which have run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from newsgraph.errors import StoreError
from newsgraph.settings import get_settings

MIGRATIONS = "newsgraph.store.migrations"


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: commit when the block ends, roll back on any exception (a kill included)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def fts_extension_path() -> Path:
    """The FTS extension shipped by the ``duckdb-extension-fts`` package (never INSTALLed from the network).

    The search index (``newsgraph.store.search``) uses its Snowball ``stem`` function."""
    import duckdb_extension_fts

    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(root.glob(f"v{duckdb.__version__}/fts.duckdb_extension"))
    if not found:
        raise StoreError(f"no FTS extension for duckdb {duckdb.__version__} under {root}")
    return found[0]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and migrate, unless read-only) the store at ``path``."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such database")
    recovering = Path(f"{path}.wal").exists()  # a writer died (or is still writing)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open database ({exc})") from exc
    con.execute(f"LOAD '{fts_extension_path()}'")
    limit = get_settings().store_memory_limit
    if limit:
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit):
            raise StoreError(f"NEWSGRAPH_STORE_MEMORY={limit!r}: not a size such as 1GB or 512MiB")
        con.execute(f"SET memory_limit = '{limit}'")
    if not read_only:
        if recovering:
            # Fold the replayed log into the file at once: index lookups on rows recovered from the
            # log were seen to miss them until a checkpoint (tests/test_crash_safety.py).
            con.execute("CHECKPOINT")
        migrate(con)
    return con


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for item in resources.files(MIGRATIONS).iterdir():
        match = re.match(r"(\d+)_(\w+)\.sql$", item.name)
        if match:
            found.append((int(match.group(1)), match.group(2), item.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Run the migrations not yet applied; returns the schema version reached."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    # By the set of versions applied, not the highest: numbers are reserved per change and may land out
    # of order, so a store that has 010 must still get a 004 that arrived later.
    applied = {v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()}
    current = schema_version(con)
    for version, name, sql in _migrations():
        if version in applied:
            continue
        try:
            with transaction(con):
                con.execute(sql)
                con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
        except duckdb.Error as exc:
            raise StoreError(f"migration {version}_{name} failed: {exc}") from exc
        current = max(current, version)
    return current
