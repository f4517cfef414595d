"""Score cross-document entity coreference and story clustering on NewsReader MEANTIME (English).

Input: ``intra_cross-doc_annotation/corpus_*/*.xml`` (CAT XML). The text of each article is
rebuilt from its tokens (one sentence per line; sentence 0 is the title, the CREATION_TIME
TIMEX3 the publication date) and run through the real pipeline (spaCy, the registered stages,
a temporary store, corpus-level entity and story resolution).

Gold entity clusters: every ENTITY_MENTION that a REFERS_TO relation links to an ENTITY; the
cluster is the ENTITY's cross-document ``instance_id`` (or, without one, the ENTITY itself, a
document-local chain).

Mention matching (one-to-one, greedy): a system mention matches a gold mention when one span
contains the other and the system span covers the gold mention's last token (the head of an
English noun phrase, approximately: "Airbus" matches "European aircraft manufacturer, Airbus");
an exact span match is preferred, then the tightest gold span.

Scores: MUC, B³, CEAF-e and CoNLL F1 over the matched gold mentions (key: gold clusters of the
matched mentions; response: our corpus entities of the same mentions), beside a within-document
baseline (each document-local entity kept apart); mention detection recall over all linked gold
mentions and over the named ones (syntactic_type NAM/PRE.NAM), precision over our mentions
(understated: MEANTIME leaves some named things unannotated). Story clustering: pairwise P/R/F1
of our stories against the four topic corpora (each ``corpus_*`` folder is one gold group; these
are broad company topics spanning years, not stories; the 0.94 of Priberam's streaming
clustering is on a different corpus and task).

Run: ``python -m newsgraph.eval.meantime [bench_dir]``.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.eval import coref_metrics
from newsgraph.eval.stories import (
    STAGES,
    analyse_into_store,
    pairwise_scores,
    read_cat,
    recluster,
    sweep,
    topics_of,
)
from newsgraph.model import Document
from newsgraph.settings import get_settings

DEFAULT_BENCH = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "meantime"
NAMED = {"NAM", "PRE.NAM"}


@dataclass
class GoldMention:
    doc: str
    m_id: str
    start: int
    end: int
    head_start: int
    cluster: str
    named: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.doc, self.m_id


@dataclass
class Article:
    document: Document
    topic: str
    mentions: list[GoldMention]


def read_article(path: Path) -> Article:
    cat = read_cat(path)
    doc_id = path.stem
    root = cat.root
    dct = next((t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    published = _iso_date(dct or "")
    document = Document(id=doc_id, source=str(path), text=cat.text, title=cat.title, published=published)
    return Article(document, path.parent.name, _gold_mentions(root, doc_id, cat.offsets))


def _iso_date(value: str) -> str | None:
    """The creation time as YYYY-MM-DD; one file writes it day first (DD-MM-YYYY)."""
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    day_first = re.match(r"(\d{2})-(\d{2})-(\d{4})$", value)
    return f"{day_first[3]}-{day_first[2]}-{day_first[1]}" if day_first else None


def _gold_mentions(root, doc_id: str, offsets: dict[str, tuple[int, int]]) -> list[GoldMention]:
    markables = root.find("Markables")
    if markables is None:
        return []
    entities = {e.get("m_id"): e for e in markables.findall("ENTITY")}
    spans = {m.get("m_id"): m for m in markables.findall("ENTITY_MENTION")}
    out = []
    for rel in root.iter("REFERS_TO"):
        target = rel.find("target")
        entity = entities.get(target.get("m_id")) if target is not None else None
        if entity is None:
            continue  # an event chain
        cluster = entity.get("instance_id") or f"{doc_id}#{entity.get('m_id')}"
        for source in rel.findall("source"):
            mention = spans.get(source.get("m_id"))
            tokens = [offsets[a.get("t_id")] for a in mention.findall("token_anchor")] if mention is not None else []
            if tokens:
                out.append(GoldMention(doc_id, source.get("m_id"), min(s for s, _ in tokens),
                                       max(e for _, e in tokens), tokens[-1][0], cluster,
                                       mention.get("syntactic_type", "") in NAMED))
    return out


def match_mentions(gold: list[GoldMention], system: list[tuple[int, int, Any]]) -> dict[tuple, Any]:
    """Gold mention key → system label, one-to-one (see the module docstring)."""
    taken: set[tuple] = set()
    matched: dict[tuple, Any] = {}
    for start, end, label in sorted(system, key=lambda s: (s[0], s[1])):
        options = [g for g in gold if g.key not in taken and _compatible(g, start, end)]
        if not options:
            continue
        best = min(options, key=lambda g: ((g.start, g.end) != (start, end), g.end - g.start))
        taken.add(best.key)
        matched[best.key] = label
    return matched


def _compatible(g: GoldMention, start: int, end: int) -> bool:
    nested = (g.start <= start and end <= g.end) or (start <= g.start and g.end <= end)
    return nested and start <= g.head_start < end


def score_entities(articles: list[Article], con) -> dict[str, Any]:
    rows = con.execute(
        'SELECT x.doc, x.start, x."end", x.local_entity, m.entity FROM mentions x '
        "LEFT JOIN entity_map m ON m.local_entity = x.local_entity"
    ).fetchall()
    system: dict[str, list] = {}
    for doc, start, end, local, entity in rows:
        system.setdefault(doc, []).append((start, end, (local, entity or local)))
    matched: dict[tuple, tuple] = {}
    for art in articles:
        matched.update(match_mentions(art.mentions, system.get(art.document.id, [])))
    gold_all = [g for a in articles for g in a.mentions]
    key = _clusters({g.key: g.cluster for g in gold_all if g.key in matched})
    corpus = coref_metrics.conll(key, _clusters({k: v[1] for k, v in matched.items()}))
    local = coref_metrics.conll(key, _clusters({k: v[0] for k, v in matched.items()}))
    named = [g for g in gold_all if g.named]
    n_system = len(rows)
    return {
        "cross_document": _rounded(corpus),
        "within_document_baseline": _rounded(local),
        "mentions": {
            "gold_linked": len(gold_all),
            "gold_named": len(named),
            "system": n_system,
            "matched": len(matched),
            "recall_all": round(len(matched) / len(gold_all), 4) if gold_all else 0.0,
            "recall_named": round(sum(g.key in matched for g in named) / len(named), 4) if named else 0.0,
            "precision": round(len(matched) / n_system, 4) if n_system else 0.0,
        },
        "gold_clusters_matched": len(key),
    }


def _clusters(assignment: dict) -> list[set]:
    groups: dict[Any, set] = {}
    for item, label in assignment.items():
        groups.setdefault(label, set()).add(item)
    return list(groups.values())


def _rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores.items()}


def evaluate(bench_dir: Path = DEFAULT_BENCH, store: Path | None = None) -> dict[str, Any]:
    """Score; ``store`` keeps the analysed store there (and reuses it when it exists) for tuning runs."""
    bench_dir = Path(bench_dir)
    paths = sorted(bench_dir.glob("intra_cross-doc_annotation/corpus_*/*.xml"))
    articles = [read_article(p) for p in paths]
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        con, failed = _store(articles, store or Path(tmp) / "meantime.duckdb", settings)
        try:
            entities = score_entities(articles, con)
            gold = {a.document.id: a.topic for a in articles}
            predicted = recluster(con, settings)  # a reused store may hold another setting's stories
            topics = topics_of(con)
            stories = {
                "scores": pairwise_scores(gold, predicted),
                "topic_level": pairwise_scores(gold, topics),
                "sweep": sweep(con, gold, settings, (0.05, 0.1, 0.15, 0.25), (30, 365, 0)),
                "note": "gold = the 4 topic corpora (airbus, apple, gm, stock), broad topics over years; "
                        "the 0.94 anchor (Priberam streaming clustering) is on a different corpus",
            }
        finally:
            con.close()
    return {
        "documents": len(articles),
        "setting": {"spacy_model": settings.spacy_model, "stages": list(STAGES),
                    "story_threshold": settings.story_threshold,
                    "story_window_days": settings.story_window_days,
                    "topic_threshold": settings.topic_threshold,
                    "mention_matching": "nested spans covering the gold last token, one-to-one"},
        "entities": entities,
        "stories": stories,
        "failed_documents": failed,
    }


def _store(articles: list[Article], path: Path, settings):
    if path.exists():
        from newsgraph.store import db

        return db.connect(path), []
    return analyse_into_store([a.document for a in articles], path, settings)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BENCH
    kept = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    print(json.dumps(evaluate(target, kept), indent=1, default=str))
