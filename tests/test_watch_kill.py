"""kill -9 at random moments during a watch: nothing lost, nothing stored fetched again, no alert twice.

The real CLI in a subprocess (with the loopback guard installed), killed with SIGKILL a few times,
restarted each time, then run once to the end. ``make bench`` runs the 10-kill form
(``newsgraph.bench.watch.kill_runs``); the bench's latency and soak code paths run here at tiny sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.bench import watch

TESTS = Path(__file__).resolve().parent
PRELUDE = f"sys.path.insert(0, {str(TESTS)!r})\nimport netguard\nnetguard.install()"


@pytest.mark.slow
def test_kill_9_loses_nothing_refetches_nothing_and_alerts_once(tmp_path):
    result = watch.kill_runs(tmp_path, runs=3, seed=3, prelude=PRELUDE, feeds=2, kill_window=(3.0, 9.0))
    assert result["final_exit"] == 0, (tmp_path / "kill.log").read_text()[-3000:]
    assert result["kills"] >= 2
    assert result["lost"] == 0, result
    assert result["refetches"] == 0, result
    assert result["duplicate_alerts"] == 0, result
    assert result["alerts"] >= 1 and result["webhook_deliveries"] == result["alerts"]


@pytest.mark.slow
def test_bench_latency_and_soak_code_paths_at_tiny_sizes(tmp_path):
    got = watch.latency(tmp_path / "latency", None, interval=2.0, samples=1, prelude=PRELUDE, wait_s=120)
    assert got["delays_s"] and got["delays_s"][0] < 120, got
    assert got["store_docs"] >= 2
    soak = watch.soak(tmp_path / "soak", feeds=3, duration=8.0, interval=1.0, publish_every=1.0, prelude=PRELUDE,
                      sample_every=1.0)
    assert soak["items_published"] >= 6 and soak["lost"] == 0, soak
    assert soak["duplicate_alerts"] == 0 and soak["rss_mb_samples"], soak
