"""How much of the per-document time each stage costs, the attribution stage above all (goal ≤ 15%).

The sample corpus, repeated to ``bench.sample_words`` words, is parsed with the pipeline's spaCy model
(``nlp.pipe``, timed) and every registered stage runs on each document (each timed). The per-document
time is the parse plus all the stages; writing to the store is left out, so each share is an upper
bound of the stage's share of a full ingest.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from newsgraph.extract.attribution.state import STAGE as ATTRIBUTION_STAGE

SHARE_GOAL = 0.15


def stage_times(texts: list[str], ctx) -> dict[str, float]:
    """Seconds spent parsing ("nlp") and in each registered stage, over all ``texts``."""
    from newsgraph.model import Analysis, Document
    from newsgraph.stages import registered

    stages = registered()
    times: dict[str, float] = defaultdict(float)
    began = time.perf_counter()
    docs = list(ctx.nlp.pipe(texts, batch_size=ctx.settings.batch_size))
    times["nlp"] = time.perf_counter() - began
    for i, (text, parsed) in enumerate(zip(texts, docs, strict=True)):
        analysis = Analysis(document=Document(id=f"bench-{i}", source=f"bench-{i}", text=text))
        analysis.nlp = parsed
        for name, run in stages:
            began = time.perf_counter()
            run(analysis, ctx)
            times[name] += time.perf_counter() - began
    return dict(times)


def attribution_share(bench) -> dict[str, Any]:
    """The attribution stage's share of the per-document time, with every other stage's beside it."""
    from newsgraph.bench.stores import SampleRepeat
    from newsgraph.settings import SAMPLE_DIR

    repeat = SampleRepeat(SAMPLE_DIR, bench.sample_words)
    times = stage_times(repeat.texts(), bench.context())
    total = sum(times.values())
    shares = {name: round(t / total, 3) for name, t in sorted(times.items(), key=lambda kv: -kv[1])}
    share = times.get(ATTRIBUTION_STAGE, 0.0) / total if total else 0.0
    return {
        "docs": repeat.docs, "words": repeat.words, "per_document_ms": round(1000 * total / repeat.docs, 1),
        "seconds_by_stage": {k: round(v, 2) for k, v in times.items()}, "shares": shares,
        "attribution_share": round(share, 3), "share_goal": SHARE_GOAL,
        "headline": f"attribution stage {share:.1%} of per-document time (goal ≤ {SHARE_GOAL:.0%})",
    }
