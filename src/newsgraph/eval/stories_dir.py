"""``newsgraph eval stories DIR``: story and topic clustering scored on any folder of ``.txt`` articles.

The gold group of an article is its file name up to the first ``.`` (``paris-attacks.017.txt`` is in
group ``paris-attacks``). An optional JSONL sidecar (``--sidecar``; else the folder's ``gold.jsonl``
or metadata sidecar, ``meta.jsonl`` ...) keyed by ``file`` may give a ``story`` (overriding the
prefix), a ``topic`` (the gold of the topic level; else the story gold) and any metadata field the
ingest reads (url, title, outlet, published...). No metadata is needed: real archives often have none.

The articles go through the real ingest (reader, cleaner, publication dates, every stage, the
corpus-level steps) into a temporary store. Printed per level (``stories``: our stories against the
story gold; ``topics``: our topics against the topic gold): pairwise precision / recall / F1, B³
F1, and the number of predicted and gold clusters.

``python -m newsgraph.eval.stories_dir write ecbplus|meantime BENCH_DIR OUT_DIR`` writes a public
benchmark as such a folder (texts only, no dates): the undated development check in docs/resolution.md.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from newsgraph.eval.coref_metrics import b_cubed
from newsgraph.eval.stories import pairwise_scores, read_cat
from newsgraph.ingest.meta import SIDECAR_NAMES

GOLD_SIDECAR = "gold.jsonl"


def gold_of(folder: Path, sidecar: Path | None) -> tuple[list[Path], dict[str, str], dict[str, str]]:
    """The articles, and their story and topic gold keyed by file name."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".txt" and not p.name.startswith("."))
    story = {p.name: p.name.split(".", 1)[0] for p in files}
    topic = dict(story)
    for record in _sidecar_records(sidecar):
        name = Path(str(record.get("file") or "")).name
        if name in story:
            story[name] = str(record.get("story") or story[name])
            topic[name] = str(record.get("topic") or record.get("story") or topic[name])
    return files, story, topic


def find_sidecar(folder: Path, sidecar: Path | None = None) -> Path | None:
    if sidecar is not None:
        return sidecar
    return next((folder / n for n in (GOLD_SIDECAR, *SIDECAR_NAMES) if (folder / n).is_file()), None)


def _sidecar_records(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def scores(gold: dict[str, Hashable], predicted: dict[str, Hashable]) -> dict[str, Any]:
    """Pairwise P/R/F1, B³ F1 and cluster counts over the documents both sides know."""
    pair = pairwise_scores(gold, predicted)
    docs = [d for d in gold if d in predicted]
    key = _clusters({d: gold[d] for d in docs})
    response = _clusters({d: predicted[d] for d in docs})
    b3 = b_cubed(key, response)
    return {"pairwise_precision": round(pair["precision"], 4), "pairwise_recall": round(pair["recall"], 4),
            "pairwise_f1": round(pair["f1"], 4), "b3_f1": round(b3[2], 4), "predicted_clusters": len(response),
            "gold_clusters": len(key), "documents": len(docs)}


def _clusters(assignment: dict[str, Hashable]) -> list[set[str]]:
    groups: dict[Hashable, set[str]] = {}
    for item, label in assignment.items():
        groups.setdefault(label, set()).add(item)
    return list(groups.values())


def ingest_folder(files: list[Path], sidecar: Path | None, store: Path):
    """The real ingest of ``files`` into ``store``; returns the open Archive and the ingest report."""
    from newsgraph.archive import Archive

    archive = Archive(store)
    report = archive.ingest(files, meta=sidecar)
    return archive, report


def predicted(con) -> tuple[dict[str, str], dict[str, str]]:
    """File name → story, and file name → topic (a story without a topic counts as a topic of its own)."""
    rows = con.execute(
        "SELECT d.source, d.story, coalesce(i.topic, d.story) FROM documents d "
        "LEFT JOIN story_info i ON i.story = d.story"
    ).fetchall()
    return ({Path(s).name: st for s, st, _ in rows if st}, {Path(s).name: t for s, _, t in rows if t})


def evaluate(folder: Path, sidecar: Path | None = None, store: Path | None = None) -> dict[str, Any]:
    """Score newsgraph's stories and topics on ``folder``; ``store`` keeps the analysed store (reused if present)."""
    folder = Path(folder)
    sidecar = find_sidecar(folder, sidecar)
    files, story_gold, topic_gold = gold_of(folder, sidecar)
    if not files:
        raise ValueError(f"{folder}: no .txt articles")
    with tempfile.TemporaryDirectory() as tmp:
        path = store or Path(tmp) / "stories.duckdb"
        if path.exists():
            from newsgraph.archive import Archive

            archive, rejected = Archive(path), []
            recluster_store(archive.con, archive.settings)
        else:
            archive, report = ingest_folder(files, sidecar, path)
            rejected = [f"{Path(r.path).name}: {r.reason}" for r in report.rejected]
        try:
            stories, topics = predicted(archive.con)
            settings = archive.settings
        finally:
            archive.close()
    return {
        "folder": str(folder), "sidecar": str(sidecar) if sidecar else None, "articles": len(files),
        "setting": {"story_threshold": settings.story_threshold, "topic_threshold": settings.topic_threshold,
                    "story_window_days": settings.story_window_days},
        "stories": scores(story_gold, stories),
        "topics": scores(topic_gold, topics),
        "rejected": rejected,
    }


def recluster_store(con, settings) -> None:
    """Stories and topics again under ``settings`` (the stored document vectors are reused)."""
    from newsgraph.resolve.stories import recluster
    from newsgraph.store.db import transaction

    with transaction(con):
        recluster(con, settings)


# -- public benchmarks as folders ----------------------------------------------------------------
def write_ecbplus(bench_dir: Path, out: Path) -> int:
    """ECB+ test topics: ``<topic><ecb|ecbplus>.<name>.txt`` (story gold: the seminal event), topic in gold.jsonl."""
    out.mkdir(parents=True, exist_ok=True)
    gold = []
    for path in sorted((bench_dir / "topics").glob("*/*.xml")):
        seminal = "ecbplus" if path.name.endswith("ecbplus.xml") else "ecb"
        name = f"{path.parent.name}{seminal}.{path.stem}.txt"
        (out / name).write_text(read_cat(path).text + "\n", encoding="utf-8")
        gold.append({"file": name, "topic": path.parent.name})
    (out / GOLD_SIDECAR).write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    return len(gold)


def write_meantime(bench_dir: Path, out: Path) -> int:
    """MEANTIME English: ``<corpus>.<name>.txt``; the four corpora are the gold (topics)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted((bench_dir / "intra_cross-doc_annotation").glob("corpus_*/*.xml"))
    for path in paths:
        name = f"{path.parent.name.removeprefix('corpus_')}.{path.stem}.txt"
        (out / name).write_text(read_cat(path).text + "\n", encoding="utf-8")
    return len(paths)


WRITERS = {"ecbplus": write_ecbplus, "meantime": write_meantime}


def main(argv: list[str]) -> None:
    if len(argv) == 4 and argv[0] == "write" and argv[1] in WRITERS:
        print(WRITERS[argv[1]](Path(argv[2]), Path(argv[3])), "articles written to", argv[3])
        return
    if len(argv) in (1, 2):
        print(json.dumps(evaluate(Path(argv[0]), store=Path(argv[1]) if len(argv) == 2 else None), indent=1))
        return
    raise SystemExit("usage: python -m newsgraph.eval.stories_dir DIR [STORE] | write ecbplus|meantime BENCH_DIR OUT")


if __name__ == "__main__":
    main(sys.argv[1:])
