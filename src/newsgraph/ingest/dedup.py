"""Exact and near-duplicate detection.

Exact duplicates share a content hash. Near-duplicates (syndicated copies,
light edits) are found with MinHash over word shingles and LSH banding: each
document's band keys are stored in DuckDB and looked up by index, so finding the
candidates for a new document never compares it with the whole corpus.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import duckdb
import numpy as np
from datasketch import MinHash

from newsgraph.lang.scripts import tokens
from newsgraph.settings import Settings


def shingles(text: str, size: int) -> set[bytes]:
    """Word shingles; in scripts without spaces (CJK, Thai) each character is a token."""
    words = tokens(text)
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str, settings: Settings) -> np.ndarray:
    mh = MinHash(num_perm=settings.minhash_perm, seed=1)
    mh.update_batch(list(shingles(text, settings.shingle_size)))
    return mh.hashvalues.astype(np.uint64)


def band_keys(sig: np.ndarray, bands: int) -> list[tuple[int, int]]:
    """(band, key) pairs; a key is a stable signed 64-bit hash of the band's rows."""
    rows = len(sig) // bands
    keys = []
    for b in range(bands):
        digest = hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest()
        keys.append((b, int.from_bytes(digest, "little", signed=True)))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity of two shingle sets."""
    return float(np.mean(a == b))


def lsh_bands_for(settings: Settings) -> int:
    # 16 bands of 8 rows for 128 permutations: candidates from Jaccard ≈ 0.7, verified at the threshold.
    return max(1, settings.minhash_perm // 8)


@dataclass
class DuplicateFinder:
    """Finds the original of a document among stored ones and those seen earlier in this run."""

    con: duckdb.DuckDBPyConnection
    settings: Settings
    _hashes: dict[str, str] = field(default_factory=dict)
    _bands: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    _sigs: dict[str, np.ndarray] = field(default_factory=dict)

    def exact(self, content_hash: str) -> str | None:
        if content_hash in self._hashes:
            return self._hashes[content_hash]
        row = self.con.execute(
            "SELECT coalesce(duplicate_of, id) FROM documents WHERE content_hash = ? ORDER BY ingested_at, id LIMIT 1",
            [content_hash],
        ).fetchone()
        return row[0] if row else None

    def near(self, sig: np.ndarray, keys: list[tuple[int, int]]) -> tuple[str | None, float]:
        candidates = {doc for key in keys for doc in self._bands.get(key, [])}
        candidates |= self._stored_candidates(keys)
        best, best_sim = None, 0.0
        for doc in sorted(candidates):
            other = self._sigs.get(doc)
            if other is None:
                other = self._stored_signature(doc)
            sim = similarity(sig, other)
            if sim > best_sim:
                best, best_sim = doc, sim
        if best is not None and best_sim >= self.settings.minhash_threshold:
            return self._original(best), best_sim
        return None, best_sim

    def remember(self, doc_id: str, content_hash: str, sig: np.ndarray, keys: list[tuple[int, int]]) -> None:
        self._hashes.setdefault(content_hash, doc_id)
        self._sigs[doc_id] = sig
        for key in keys:
            self._bands.setdefault(key, []).append(doc_id)

    def forget(self, doc_id: str) -> None:
        """Drop a document that was not stored after all (rejected in analysis): it is no one's original."""
        self._hashes = {h: d for h, d in self._hashes.items() if d != doc_id}
        self._sigs.pop(doc_id, None)
        for docs in self._bands.values():
            if doc_id in docs:
                docs.remove(doc_id)

    def _stored_candidates(self, keys: list[tuple[int, int]]) -> set[str]:
        if not keys:
            return set()
        clause = " OR ".join("(band = ? AND key = ?)" for _ in keys)
        params = [v for key in keys for v in key]
        return {r[0] for r in self.con.execute(f"SELECT DISTINCT doc FROM lsh_bands WHERE {clause}", params).fetchall()}

    def _stored_signature(self, doc: str) -> np.ndarray:
        row = self.con.execute("SELECT signature FROM doc_minhash WHERE doc = ?", [doc]).fetchone()
        return np.frombuffer(row[0], dtype=np.uint64) if row else np.zeros(self.settings.minhash_perm, np.uint64)

    def _original(self, doc: str) -> str:
        row = self.con.execute("SELECT duplicate_of FROM documents WHERE id = ?", [doc]).fetchone()
        return row[0] if row and row[0] else doc
