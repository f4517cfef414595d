"""The bench's attribution-share measure (bench/stage_share.py), on a few sample articles."""

from __future__ import annotations

from newsgraph.bench.measures import MEASURES, Bench
from newsgraph.bench.stage_share import stage_times


def test_stage_times_cover_the_parse_and_every_stage(context):
    from newsgraph.stages import registered

    times = stage_times(["Officials said the frigate would sail on Monday, the ministry said."] * 3, context)
    assert set(times) == {"nlp", *(name for name, _ in registered())}
    assert all(t >= 0 for t in times.values()) and times["nlp"] > 0


def test_attribution_share_is_a_ratio_measured_in_one_run(context, tmp_path):
    bench = Bench(tmp_path, None, n=10, sample_words=300)
    bench.state["ctx"] = context
    result = MEASURES["attribution_share"](bench)
    assert 0 < result["attribution_share"] < 1
    assert abs(sum(result["shares"].values()) - 1) < 0.01
    assert result["docs"] >= 1 and "attribution stage" in result["headline"]
