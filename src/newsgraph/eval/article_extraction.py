"""Score ``extract_html`` on the article-extraction benchmark (scrapinghub's 181 pages).

The headline precision/recall/F1 follow the benchmark's own evaluate.py, which its
published numbers (trafilatura 0.958, newspaper4k 0.949, readability 0.922) use:
tokens are ``\\w+`` runs (case kept), each document becomes a bag of 4-token shingles,
true/false positives and false negatives come from the bag overlap and are normalised to
sum to 1 per document, precision and recall are averaged over documents, and F1 is taken
from the two averages. Plain token-level scores (bag of lower-cased tokens) are reported
beside it, pooled over all tokens (micro) and averaged over documents (macro).

Run: ``python -m newsgraph.eval.article_extraction ../shared/benchmarks/article-extraction``.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from newsgraph.ingest.html import TRAFILATURA_OPTIONS, extract_html

_TOKEN = re.compile(r"\w+")
SHINGLE = 4

Counts = tuple[float, float, float]  # true positives, false positives, false negatives


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The bag of n-token shingles; a text shorter than n is one shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def overlap(gold: Counter, predicted: Counter) -> Counts:
    true_pos = sum((gold & predicted).values())
    return true_pos, sum((predicted - gold).values()), sum((gold - predicted).values())


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _scores(precision: float, recall: float) -> dict[str, float]:
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(_f1(precision, recall), 4)}


def averaged(counts: list[Counts]) -> dict[str, float]:
    """Precision and recall averaged over documents (the benchmark's way), F1 of the averages.

    A document with nothing predicted has no precision; one with an empty gold has no recall.
    """
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    return _scores(statistics.fmean(precisions or [0.0]), statistics.fmean(recalls or [0.0]))


def pooled(counts: list[Counts]) -> dict[str, float]:
    """Micro average: counts summed over all documents first."""
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    return _scores(_precision(tp, fp, fn), _recall(tp, fp, fn))


def _normalised(counts: Counts) -> Counts:
    total = sum(counts)
    return tuple(c / total for c in counts) if total else counts  # type: ignore[return-value]


def score_pairs(pairs: list[tuple[str, str]]) -> dict[str, object]:
    """All scores for (gold body, predicted body) pairs."""
    shingle_counts = [_normalised(overlap(shingles(g), shingles(p))) for g, p in pairs]
    token_counts = [overlap(tokens(g), tokens(p)) for g, p in pairs]
    return {
        **averaged(shingle_counts),
        "token_micro": pooled(token_counts),
        "token_macro": averaged(token_counts),
    }


def load_benchmark(bench_dir: Path) -> list[tuple[str, str, str, Path]]:
    """(id, url, gold body, html path) for every page that has its HTML."""
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = ((key, item, bench_dir / "html" / f"{key}.html.gz") for key, item in sorted(truth.items()))
    return [(key, item.get("url", ""), item.get("articleBody", ""), path) for key, item, path in pages if path.exists()]


def _run(
    pages: list[tuple[str, str, str, Path]], extractor: Callable[[bytes, str], str], progress: bool
) -> tuple[list[tuple[str, str]], float]:
    pairs, started = [], time.perf_counter()
    for n, (_key, url, gold, path) in enumerate(pages, start=1):
        pairs.append((gold, extractor(gzip.decompress(path.read_bytes()), url)))
        if progress and n % 20 == 0:
            print(f"  {n}/{len(pages)}", file=sys.stderr, flush=True)
    return pairs, time.perf_counter() - started


def _standard(html: bytes, url: str) -> str:
    """trafilatura's own extract() with its standard settings, as a user would call it."""
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def evaluate(bench_dir: Path, progress: bool = False) -> dict:
    """Our extraction, raw trafilatura with our options, and trafilatura's standard settings, scored in
    the same run on the same pages."""
    pages = load_benchmark(Path(bench_dir))
    ours, ours_s = _run(pages, lambda html, url: extract_html(html, url=url).text, progress)
    raw, raw_s = _run(pages, lambda html, url: extract_html(html, url=url, postprocess=False).text, progress)
    standard, _ = _run(pages, lambda html, url: _standard(html, url), progress)
    return {
        "documents": len(pages),
        "metric": "4-token shingles, precision/recall averaged over documents (benchmark evaluate.py)",
        "ours": score_pairs(ours),
        "trafilatura": score_pairs(raw),
        "trafilatura_standard": score_pairs(standard),
        "trafilatura_options": {k: v for k, v in TRAFILATURA_OPTIONS.items() if k != "with_metadata"},
        "seconds": round(ours_s, 2),
        "seconds_trafilatura": round(raw_s, 2),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m newsgraph.eval.article_extraction BENCH_DIR")
    print(json.dumps(evaluate(Path(sys.argv[1]), progress=True), indent=2))
