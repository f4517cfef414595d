"""Resolution of a large backlog in chunks of documents, so no step holds the whole backlog in memory.

An ingest of a few thousand documents is resolved in one pass, as always. A larger backlog (a first
ingest of 100k articles, a Spark load) is resolved ``CHUNK_DOCS`` documents at a time, in publication
order (stories take documents in that order anyway): every step runs over the chunk's documents, as if
they had been ingested on their own, then the next chunk. A step narrows its pending records with
``in_scope(con, column)``, which is ``TRUE`` outside a chunked run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

CHUNK_DOCS = 5000
SCOPE = "_ng_resolve_scope"
_SCOPED: set[int] = set()  # connections with a chunk registered


def pending_documents(con) -> list[str]:
    """Documents with a record no step has resolved yet, in publication order."""
    return [r[0] for r in con.execute("""
        WITH waiting AS (
            SELECT l.doc FROM local_entities l ANTI JOIN entity_map m ON m.local_entity = l.id
            UNION SELECT x.doc FROM event_mentions x ANTI JOIN event_map m ON m.event_mention = x.id
            UNION SELECT v.doc FROM claim_values v ANTI JOIN claim_map m ON m.claim_value = v.id
            UNION SELECT id FROM documents WHERE story IS NULL AND duplicate_of IS NULL)
        SELECT d.id FROM documents d JOIN waiting w ON w.doc = d.id ORDER BY d.published NULLS LAST, d.id
    """).fetchall()]


def chunks(con) -> list[list[str] | None]:
    """``[None]`` (one unscoped pass) for a backlog up to ``CHUNK_DOCS`` documents, else the chunks."""
    docs = pending_documents(con)
    if len(docs) <= CHUNK_DOCS:
        return [None]
    return [docs[i:i + CHUNK_DOCS] for i in range(0, len(docs), CHUNK_DOCS)]


@contextmanager
def scoped(con, docs: list[str] | None) -> Iterator[None]:
    """Steps run inside see only ``docs`` as pending (all pending records when ``docs`` is None)."""
    if docs is None:
        yield
        return
    con.register(SCOPE, pa.table({"doc": pa.array(docs, pa.string())}))
    _SCOPED.add(id(con))
    try:
        yield
    finally:
        _SCOPED.discard(id(con))
        con.unregister(SCOPE)


def in_scope(con, column: str) -> str:
    """SQL condition: ``column`` (a document id) is in the current chunk; ``TRUE`` when not chunked."""
    return f"{column} IN (SELECT doc FROM {SCOPE})" if id(con) in _SCOPED else "TRUE"
