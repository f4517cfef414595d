"""Choose the story threshold, the time window and the topic threshold by cross-validation.

Development data (docs/resolution.md, "Calibration"), each analysed once into a store and then
re-clustered under every setting (the per-document analyses are reused; only stories and topics
are redone):

* ``ecbplus``: the 210 ECB+ test articles written out as undated ``.txt`` (story gold: the seminal
  event; topic gold: the topic); its two topic halves (36-40, 41-45) are scored as two folds;
* ``meantime``: the 120 MEANTIME articles as undated ``.txt`` (topic gold: the four corpora);
* ``sample``: the bundled sample corpus with its metadata (story gold: its designed stories A-E;
  topic gold: the Italy–Japan stories A, B and C as one topic, D and E apart);
* ``seeds``: the two real articles of ``../shared/corpus/seeds`` (one story, one topic).

For each level, every fold is held out in turn: the setting with the best mean pairwise F1 on the
other folds is chosen, and its F1 on the held-out fold is reported. The default is the setting with
the best mean over all folds (the smallest such value on ties).

``python -m newsgraph.eval.calibrate_stories [--shared ../shared] [--workdir DIR] [--output FILE]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsgraph.eval.stories_dir import (
    gold_of,
    ingest_folder,
    recluster_store,
    scores,
    write_ecbplus,
    write_meantime,
)
from newsgraph.settings import SAMPLE_DIR, Settings, get_settings

STORY_GRID = (0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.3)
WINDOWS = (30, 90, 180, 365, 730, 0)
TOPIC_GRID = (0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.12)
SAMPLE_TOPICS = {"A": "italy-japan", "B": "italy-japan", "C": "italy-japan"}


@dataclass
class Dataset:
    name: str
    store: Path
    story_gold: dict[str, str] | None  # source file name → group; None: no gold at this level
    topic_gold: dict[str, str]
    folds: dict[str, Callable[[str], bool]]  # fold name → which documents (file names) it holds


def sample_gold() -> dict[str, str]:
    """Designed story of each sample article (README table of data/sample), keyed as ``documents.source`` ends."""
    gold = {}
    for line in (SAMPLE_DIR / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and len(cells[3]) == 1 and cells[3] in "ABCDE":
            gold[cells[0]] = cells[3]
    return gold


def _prepare(shared: Path, workdir: Path) -> list[Dataset]:
    datasets = []
    bench = shared / "benchmarks"
    if (bench / "ecbplus").is_dir():
        folder = workdir / "ecbplus"
        if not folder.is_dir():
            write_ecbplus(bench / "ecbplus", folder)
        files, story, topic = gold_of(folder, folder / "gold.jsonl")
        store = _ingested(files, folder / "gold.jsonl", workdir / "ecbplus.duckdb")
        halves = {"ecbplus 36-40": lambda f: f[:2] <= "40", "ecbplus 41-45": lambda f: f[:2] > "40"}
        datasets.append(Dataset("ecbplus", store, story, topic, halves))
    if (bench / "meantime").is_dir():
        folder = workdir / "meantime"
        if not folder.is_dir():
            write_meantime(bench / "meantime", folder)
        files, _, topic = gold_of(folder, None)
        datasets.append(Dataset("meantime", _ingested(files, None, workdir / "meantime.duckdb"), None, topic,
                                {"meantime": lambda f: True}))
    seeds = shared / "corpus" / "seeds"
    if seeds.is_dir():
        folder = workdir / "seeds"
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(seeds.glob("*.txt")):
            shutil.copy(path, folder / f"italy-japan.{path.name}")
        files, story, topic = gold_of(folder, None)
        datasets.append(Dataset("seeds", _ingested(files, None, workdir / "seeds.duckdb"), story, topic,
                                {"seeds": lambda f: True}))
    store = workdir / "sample.duckdb"
    if not store.exists():
        from newsgraph.archive import Archive

        with Archive(store) as archive:
            archive.ingest([SAMPLE_DIR], meta=SAMPLE_DIR / "meta.jsonl")
    story = sample_gold()
    datasets.append(Dataset("sample", store, story, {k: SAMPLE_TOPICS.get(v, v) for k, v in story.items()},
                            {"sample": lambda f: True}))
    return datasets


def _ingested(files: list[Path], sidecar: Path | None, store: Path) -> Path:
    if not store.exists():
        archive, _ = ingest_folder(files, sidecar, store)
        archive.close()
    return store


def _key(source: str) -> str:
    """``documents.source`` as the gold keys name it: a file name, or a sample path such as ``wire.jsonl#2``."""
    marker = "data/sample/"
    return source.split(marker, 1)[1] if marker in source else Path(source).name


def _predicted(con) -> tuple[dict[str, str], dict[str, str]]:
    rows = con.execute("SELECT d.source, d.story, coalesce(i.topic, d.story) FROM documents d "
                       "LEFT JOIN story_info i ON i.story = d.story").fetchall()
    return {_key(s): st for s, st, _ in rows if st}, {_key(s): t for s, _, t in rows if t}


def _fold_f1(gold: dict[str, str], found: dict[str, str], keep: Callable[[str], bool]) -> float:
    return scores({k: v for k, v in gold.items() if keep(k)}, found)["pairwise_f1"]


def sweep(datasets: list[Dataset], base: Settings) -> dict[str, Any]:
    """F1 of every fold under every story setting, then every topic threshold (at the chosen story setting)."""
    from newsgraph.archive import Archive

    story_curve: dict[str, dict[str, float]] = {}
    for window in WINDOWS:
        for threshold in STORY_GRID:
            setting = replace(base, story_threshold=threshold, story_window_days=window)
            row = story_curve.setdefault(f"{threshold}|{window}", {})
            for data in datasets:
                if data.story_gold is None:
                    continue
                with Archive(data.store, settings=setting) as archive:
                    recluster_store(archive.con, setting)
                    found, _ = _predicted(archive.con)
                row.update({fold: _fold_f1(data.story_gold, found, keep) for fold, keep in data.folds.items()})
    story_choice = cross_validate(story_curve)
    threshold, window = story_choice["default"].split("|")
    chosen = replace(base, story_threshold=float(threshold), story_window_days=int(window))
    topic_curve: dict[str, dict[str, float]] = {}
    for data in datasets:
        with Archive(data.store, settings=chosen) as archive:
            recluster_store(archive.con, chosen)
            for tau in TOPIC_GRID:
                retopic(archive.con, replace(chosen, topic_threshold=tau))
                _, topics = _predicted(archive.con)
                topic_curve.setdefault(str(tau), {}).update(
                    {fold: _fold_f1(data.topic_gold, topics, keep) for fold, keep in data.folds.items()})
    return {"story": {"curve": story_curve, **story_choice},
            "topic": {"curve": topic_curve, **cross_validate(topic_curve)}}


def retopic(con, settings: Settings) -> None:
    """Place every clusterable story in a topic again (stories kept as they are)."""
    from newsgraph.resolve.stories.clusterer import Outcome
    from newsgraph.resolve.stories.topics import TopicStep
    from newsgraph.store.db import transaction

    with transaction(con):
        for table in ("topics", "topic_keys"):
            con.execute(f"DELETE FROM {table}")
        con.execute("UPDATE story_info SET topic = NULL")
        stories = [r[0] for r in con.execute("SELECT story FROM story_info WHERE unclusterable IS NULL "
                                             "ORDER BY story").fetchall()]
        TopicStep(con, settings).run(Outcome(changed=stories))


def cross_validate(curve: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Leave one fold out: the best setting on the other folds, scored on the held-out one."""
    settings = sorted(curve, key=_order)
    folds = sorted({fold for row in curve.values() for fold in row})
    held_out = {}
    for fold in folds:
        others = [f for f in folds if f != fold]
        best = max(settings, key=lambda s: (round(statistics.fmean(curve[s][f] for f in others), 4), -_order(s)[0]))
        held_out[fold] = {"chosen_on_the_others": best, "f1": curve[best][fold]}
    default = max(settings, key=lambda s: (round(statistics.fmean(curve[s].values()), 4), -_order(s)[0]))
    return {"held_out": held_out, "held_out_mean_f1": round(statistics.fmean(h["f1"] for h in held_out.values()), 4),
            "default": default, "default_mean_f1": round(statistics.fmean(curve[default].values()), 4)}


def _order(setting: str) -> tuple[float, ...]:
    return tuple(float(x) if float(x) else 1e9 for x in setting.split("|"))


def markdown(result: dict[str, Any]) -> str:
    """The curves as tables for docs/resolution.md."""
    lines = []
    for level in ("story", "topic"):
        curve = result[level]["curve"]
        folds = sorted({f for row in curve.values() for f in row})
        lines.append(f"| {level} setting | " + " | ".join(folds) + " | mean |")
        lines.append("|---" * (len(folds) + 2) + "|")
        for setting in sorted(curve, key=_order):
            row = curve[setting]
            lines.append(f"| {setting} | " + " | ".join(f"{row[f]:.3f}" for f in folds)
                         + f" | {statistics.fmean(row.values()):.3f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.eval.calibrate_stories", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3].parent / "shared")
    parser.add_argument("--workdir", type=Path, required=True, help="stores and folders (kept and reused)")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    result = sweep(_prepare(args.shared, args.workdir), get_settings())
    text = json.dumps(result, indent=1)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(markdown(result))
    for level in ("story", "topic"):
        print(level, json.dumps({k: v for k, v in result[level].items() if k != "curve"}, indent=1))


if __name__ == "__main__":
    main()
