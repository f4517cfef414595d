"""The Python API: an ``Archive`` is one store and everything you can do with it.

The CLI, the REST API and the web UI are faces over this class; they hold no logic of their own.

    >>> from newsgraph import Archive
    >>> with Archive("news.duckdb") as archive:
    ...     report = archive.ingest(["articles/"])
    ...     data = archive.export()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsgraph.settings import Settings, get_settings
from newsgraph.stages import Context
from newsgraph.store import db


class Archive:
    def __init__(self, path: str | Path, read_only: bool = False, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or get_settings()
        self.read_only = read_only
        self.con = db.connect(self.path, read_only=read_only)
        self._ctx: Context | None = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @property
    def context(self) -> Context:
        """Settings, knowledge base and spaCy pipeline, loaded on first use."""
        if self._ctx is None:
            from newsgraph.nlp.pipeline import make_context

            self._ctx = make_context(self.settings)
        return self._ctx

    def ingest(
        self,
        paths: Sequence[str | Path],
        meta: str | Path | None = None,
        progress: Callable[[int], None] | None = None,
    ):
        """Read, clean, dedupe, analyse and store ``paths``; then resolve across the corpus."""
        from newsgraph.ingest.meta import load_meta
        from newsgraph.pipeline import Ingestor, finish

        sidecar = load_meta(Path(meta)) if meta else None
        ingestor = Ingestor(self.con, self.context)
        report = ingestor.run([Path(p) for p in paths], meta=sidecar, progress=progress)
        finish(self.con, self.context)
        return report

    def resolve(self) -> dict[str, float]:
        """Re-run the corpus-level steps; returns the seconds each took."""
        from newsgraph.resolve import resolve_all

        timings: dict[str, float] = {}
        resolve_all(self.con, self._ctx, timings)
        return timings

    def export(self) -> dict[str, Any]:
        from newsgraph.outputs.export import build_export

        return build_export(self.con)

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
        """Documents matching ``query``, best first (BM25 over titles and bodies; docs/search.md)."""
        from newsgraph.store import search

        return search.search(self.con, query, limit=limit, offset=offset)[0]

    def overview(self) -> dict[str, Any]:
        """Counts per table and the most mentioned entities: what `make demo` prints."""
        tables = ("documents", "entities", "mentions", "events", "quotes", "attributions", "claims", "stories",
                  "topics")
        counts = {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        counts["duplicates"] = self.con.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"
        ).fetchone()[0]
        top = self.con.execute(
            "SELECT e.name, e.type, count(*) AS n FROM mentions x JOIN entity_map m ON m.local_entity = x.local_entity "
            "JOIN entities e ON e.id = m.entity GROUP BY e.name, e.type ORDER BY n DESC, e.name LIMIT 12"
        ).fetchall()
        return {"counts": counts, "top_entities": [{"name": n, "type": t, "mentions": c} for n, t, c in top]}
