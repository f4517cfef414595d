"""Story clustering scores: pairwise precision/recall/F1 of our stories against gold document groups.

Pairwise scoring (as in news-stream clustering papers, e.g. Miranda et al. 2018, Priberam):
every pair of documents that our clustering puts in one story is a predicted link; precision
is the share of predicted links that join two documents of the same gold group, recall the
share of gold links we predicted. The gold groups are MEANTIME's four topic corpora and, for
ECB+, the seminal event of each document: (topic, ecb) or (topic, ecbplus).

The documents go through the real pipeline: spaCy and the registered per-document stages,
a temporary store, then the corpus-level entity and story steps.
"""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.model import Document
from newsgraph.settings import Settings, get_settings
from newsgraph.store.db import transaction

DEFAULT_ECBPLUS = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "ecbplus"
_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|')$", re.I)
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#"}
# Stories and entity coreference need only the entities stage; the later stages are not scored here.
STAGES = ("entities",)


@dataclass
class CatDocument:
    """A CAT/CROMER XML file as text: token offsets into ``text``, sentence 0 as title."""

    name: str
    text: str
    title: str
    offsets: dict[str, tuple[int, int]]  # t_id → (start, end)
    root: ET.Element


def read_cat(path: Path) -> CatDocument:
    """Rebuild the text from the tokens (one sentence per line, light detokenisation)."""
    root = ET.parse(path).getroot()
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos, sentence, prev = 0, None, ""
    for tok in root.iter("token"):
        word = tok.text or ""
        if sentence is not None and tok.get("sentence") != sentence:
            parts.append("\n")
            pos += 1
        elif parts and not _NO_SPACE_BEFORE.match(word) and prev not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        offsets[tok.get("t_id", "")] = (pos, pos + len(word))
        parts.append(word)
        pos += len(word)
        sentence, prev = tok.get("sentence"), word
    text = "".join(parts)
    return CatDocument(path.name, text, text.split("\n", 1)[0], offsets, root)


def pairwise_scores(gold: dict[str, Hashable], predicted: dict[str, Hashable]) -> dict[str, float]:
    """Pairwise P/R/F1 over the documents both sides know."""
    docs = [d for d in gold if d in predicted]
    both = Counter((gold[d], predicted[d]) for d in docs)
    pred = Counter(predicted[d] for d in docs)
    true = Counter(gold[d] for d in docs)
    tp, pp, gp = (sum(n * (n - 1) // 2 for n in c.values()) for c in (both, pred, true))
    precision = tp / pp if pp else 0.0
    recall = tp / gp if gp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "documents": len(docs),
            "stories": len(pred), "gold_groups": len(true)}


def analyse_into_store(documents: Iterable[Document], db_path: Path, settings: Settings | None = None,
                       stages: tuple[str, ...] = STAGES):
    """Run the named per-document stages over ``documents`` into a new store, then resolve entities and stories."""
    from newsgraph.model import Analysis
    from newsgraph.nlp.pipeline import make_context
    from newsgraph.resolve.entities import resolve_entities
    from newsgraph.resolve.stories import resolve_stories
    from newsgraph.stages import registered
    from newsgraph.store import db, write

    settings = settings or get_settings()
    ctx = make_context(settings)
    run = [fn for name, fn in registered() if name in stages]
    con = db.connect(db_path)
    failed = []
    for doc in documents:
        try:
            analysis = Analysis(document=doc, nlp=ctx.nlp(doc.text))
            for fn in run:
                fn(analysis, ctx)
            analysis.nlp = None
            write.write_analysis(con, analysis)
        except Exception as exc:  # one bad document must not sink the benchmark: count it
            failed.append(f"{doc.id}: {type(exc).__name__}: {exc}")
            write.write_analysis(con, _bare(doc))
    for step in (resolve_entities, resolve_stories):
        with transaction(con):
            step(con, ctx)
    return con, failed


def _bare(doc: Document):
    from newsgraph.model import Analysis

    return Analysis(document=doc)


def recluster(con, settings: Settings) -> dict[str, str]:
    """Forget the stories and cluster the stored documents again under other settings."""
    from newsgraph.resolve.stories import forget, resolve_stories
    from newsgraph.stages import Context

    with transaction(con):
        forget(con)
        resolve_stories(con, Context(settings=settings))
    return dict(con.execute("SELECT id, story FROM documents").fetchall())


def topics_of(con) -> dict[str, str]:
    """Document → its story's topic (a story without a topic stands for itself)."""
    return dict(con.execute("SELECT d.id, coalesce(i.topic, d.story) FROM documents d "
                            "LEFT JOIN story_info i ON i.story = d.story WHERE d.story IS NOT NULL").fetchall())


def ecbplus_documents(bench_dir: Path) -> tuple[list[Document], dict[str, str]]:
    docs, gold = [], {}
    for path in sorted((bench_dir / "topics").glob("*/*.xml")):
        cat = read_cat(path)
        seminal = "ecbplus" if path.name.endswith("ecbplus.xml") else "ecb"
        doc_id = path.stem
        docs.append(Document(id=doc_id, source=str(path), text=cat.text))
        gold[doc_id] = f"{path.parent.name}/{seminal}"
    return docs, gold


def sweep(con, gold: dict[str, Hashable], base: Settings, thresholds: Iterable[float],
          windows: Iterable[int]) -> list[dict[str, Any]]:
    """Scores under several settings (the store's analyses are reused; only stories are redone)."""
    rows = []
    for window in windows:
        for threshold in thresholds:
            settings = Settings(**{**base.__dict__, "story_threshold": threshold, "story_window_days": window})
            scores = pairwise_scores(gold, recluster(con, settings))
            rows.append({"threshold": threshold, "window_days": window, **scores})
    return rows


def story_scores_ecbplus(bench_dir: Path = DEFAULT_ECBPLUS) -> dict[str, Any]:
    """Cluster all ECB+ test documents together; score against (topic, seminal event) and against topic."""
    docs, gold = ecbplus_documents(Path(bench_dir))
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        con, failed = analyse_into_store(docs, Path(tmp) / "ecbplus.duckdb", settings)
        try:
            predicted = dict(con.execute("SELECT id, story FROM documents").fetchall())
            topic_gold = {d: g.split("/")[0] for d, g in gold.items()}
            result = {
                "setting": {"threshold": settings.story_threshold, "window_days": settings.story_window_days,
                            "topic_threshold": settings.topic_threshold,
                            "note": "ECB+ documents carry no dates, so the time window plays no part"},
                "seminal_event": pairwise_scores(gold, predicted),
                "topic": pairwise_scores(topic_gold, predicted),
                "topic_level": pairwise_scores(topic_gold, topics_of(con)),
                "threshold_sweep": sweep(con, gold, settings, (0.08, 0.1, 0.12, 0.15, 0.2, 0.25), (0,)),
                "failed_documents": failed,
            }
        finally:
            con.close()
    return result
