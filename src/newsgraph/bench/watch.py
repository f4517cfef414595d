"""Measures of ``newsgraph watch`` against a local fixture server (``newsgraph.watch.testing``).

* ``latency``: a new feed item → its alert at the webhook receiver, with the watch polling every
  ``interval`` seconds over a store of N documents (goal: at most interval + 15 s);
* ``soak``: ``feeds`` feeds polled for ``duration`` seconds with a short interval while items keep
  appearing: the watch's resident memory over time, items lost, duplicate alerts;
* ``kill_runs``: the watch killed with SIGKILL at random moments, restarted each time: items lost,
  stored pages fetched again, alerts delivered twice.

Each runs the real CLI in a subprocess (as a user would); ``prelude`` is Python run before it
(the tests install their loopback guard there). The tests run these at tiny sizes; ``make bench``
at the sizes the issue names.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb

from newsgraph.watch.testing import FixtureServer, WebhookReceiver, article_html, rfc822, rss, story

SECRET_ENV = "NEWSGRAPH_BENCH_WEBHOOK_SECRET"
SECRET = "bench-secret"
CLI = "import sys\n{prelude}\nfrom newsgraph.cli.main import app\nsys.argv = ['newsgraph', *sys.argv[1:]]\napp()\n"


class Site:
    """Feeds of generated articles on a fixture server; ``publish`` adds an item to a feed."""

    def __init__(self, feeds: int, per_feed: int = 2) -> None:
        self.server = FixtureServer().start()
        self.server.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        self.items: dict[int, list[dict[str, str]]] = {f: [] for f in range(feeds)}
        self.published: dict[str, float] = {}  # page URL → when it appeared in a feed
        self._next = 0
        self._lock = threading.Lock()
        for feed in range(feeds):
            for _ in range(per_feed):
                self.publish(feed)

    def publish(self, feed: int) -> str:
        with self._lock:
            i = self._next
            self._next += 1
            title, paragraphs, date = story(i)
            path = f"/n/{i}.html"
            self.server.set(path, article_html(title, paragraphs, published=date))
            url = self.server.url(path)
            self.items[feed].append({"title": title, "link": url, "guid": f"n{i}", "pubDate": rfc822(date)})
            recent = self.items[feed][-20:]  # a feed shows its latest items, as real ones do
            self.server.set(f"/f/{feed}.xml", rss(f"Fixture Feed {feed}", recent), content_type="application/rss+xml",
                            etag=f'"{feed}-{i}"')
            self.published[url] = time.time()
            return url

    def stop(self) -> None:
        self.server.stop()


def write_config(path: Path, site: Site, hook: WebhookReceiver, every: float, host_delay: float = 0.01) -> Path:
    feeds = "\n".join(f'  - {{feed: "{site.server.url(f"/f/{k}.xml")}", name: feed-{k}}}' for k in site.items)
    path.write_text(f"""every: {every}s
fetch: {{host_delay: {host_delay}s, timeout: 10s, concurrency: 8, host_concurrency: 4}}
sources:
{feeds}
alerts:
  - name: exercises
    event: EXERCISE
    deliver: [atom, {{webhook: "{hook.url}", secret_env: {SECRET_ENV}}}]
""", encoding="utf-8")
    return path


def start_watch(config: Path, store: Path, prelude: str = "", once: bool = False,
                log: Path | None = None) -> subprocess.Popen:
    args = [sys.executable, "-c", CLI.format(prelude=prelude), "watch", str(config), "--db", str(store)]
    if once:
        args.append("--once")
    env = dict(os.environ, **{SECRET_ENV: SECRET})
    out = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def stored_urls(store: Path) -> set[str]:
    if not store.exists():
        return set()
    try:
        with duckdb.connect(str(store), read_only=True) as con:
            return {u for (u,) in con.execute("SELECT key FROM watch_items WHERE state = 'stored'").fetchall()}
    except duckdb.Error:
        return set()


def alert_counts(store: Path) -> dict[str, int]:
    with duckdb.connect(str(store), read_only=True) as con:
        total, distinct = con.execute("SELECT count(*), count(DISTINCT (rule, subject)) FROM alerts").fetchone()
    return {"alerts": total, "distinct_subjects": distinct}


def _duplicates(hook: WebhookReceiver) -> int:
    ids = hook.deliveries()
    return len(ids) - len(set(ids))


# --------------------------------------------------------------------------- latency


def latency(workdir: Path, store: Path | None, interval: float = 60.0, samples: int = 3,
            prelude: str = "", wait_s: float | None = None, seed: int = 5) -> dict[str, Any]:
    """Seconds from publishing a feed item to its alert at the webhook, ``samples`` times."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "latency.duckdb"
    target.unlink(missing_ok=True)
    if store is not None:
        shutil.copy(store, target)
    site, hook = Site(feeds=1, per_feed=1), WebhookReceiver(SECRET)
    config = write_config(workdir / "latency.yaml", site, hook, interval)
    proc = start_watch(config, target, prelude, log=workdir / "latency.log")
    rng = random.Random(seed)
    delays: list[float] = []
    try:
        _wait_for(lambda: len(hook.received) >= 1 or proc.poll() is not None, 900)  # the first round's alert
        for _ in range(samples):
            time.sleep(rng.uniform(0, interval))  # publish at a random phase of the poll cycle
            before = len(hook.received)
            url = site.publish(0)
            began = site.published[url]
            if not _wait_for(lambda b=before: len(hook.received) > b, wait_s or interval + 120):
                delays.append(float("inf"))
                continue
            delays.append(hook.received[before]["at"] - began)
    finally:
        _stop(proc)
        site.stop()
        hook.stop()
    worst = max(delays) if delays else float("inf")
    return {"interval_s": interval, "store_docs": _count(target), "delays_s": [round(d, 1) for d in delays],
            "worst_s": round(worst, 1), "goal_s": interval + 15, "met": worst <= interval + 15,
            "headline": f"new item → alert: worst {worst:.1f}s over {len(delays)} items, interval {interval:g}s "
                        f"(goal ≤ {interval + 15:g}s)"}


# --------------------------------------------------------------------------- soak


def soak(workdir: Path, feeds: int = 100, duration: float = 3600.0, interval: float = 5.0,
         publish_every: float = 2.0, prelude: str = "", sample_every: float = 10.0) -> dict[str, Any]:
    """``feeds`` feeds polled for ``duration`` s while items appear; memory, lost items, duplicate alerts."""
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / "soak.duckdb"
    for stale in (store, Path(f"{store}.wal")):
        stale.unlink(missing_ok=True)
    site, hook = Site(feeds=feeds, per_feed=1), WebhookReceiver(SECRET)
    config = write_config(workdir / "soak.yaml", site, hook, interval)
    proc = start_watch(config, store, prelude, log=workdir / "soak.log")
    rng = random.Random(11)
    samples: list[tuple[float, float]] = []
    began = time.time()
    next_sample = next_publish = began
    try:
        while time.time() - began < duration and proc.poll() is None:
            now = time.time()
            if now >= next_publish:
                site.publish(rng.randrange(feeds))
                next_publish = now + publish_every
            if now >= next_sample:
                mb = rss_mb(proc.pid)
                if mb:
                    samples.append((now - began, mb))
                next_sample = now + sample_every
            time.sleep(0.2)
        time.sleep(interval * 3)  # let the last items be picked up
        _stop(proc)
        # One uninterrupted round with the site still up: an item the loop had not reached yet (a busy
        # machine) is pending, not lost; lost is what even a complete round cannot find in the store.
        final = _drain(config, store, prelude, workdir)
    finally:
        _stop(proc)
        site.stop()
        hook.stop()
    lost = sorted(set(site.published) - stored_urls(store))
    return _soak_result(samples, lost, site, hook, store, duration, feeds, final)


def _soak_result(samples: list[tuple[float, float]], lost: list[str], site: Site, hook: WebhookReceiver,
                 store: Path, duration: float, feeds: int, final: int) -> dict[str, Any]:
    quarter = max(1, len(samples) // 4)
    second = [mb for _, mb in samples[quarter:2 * quarter]] or [0.0]
    last = [mb for _, mb in samples[-quarter:]] or [0.0]
    growth = statistics.median(last) - statistics.median(second)
    counts = alert_counts(store)
    duplicates = _duplicates(hook) + counts["alerts"] - counts["distinct_subjects"]
    return {"feeds": feeds, "duration_s": duration, "items_published": len(site.published), "lost": len(lost),
            "lost_examples": lost[:5], "duplicate_alerts": duplicates, "alerts": counts["alerts"],
            "rss_mb_samples": [(round(t), round(mb, 1)) for t, mb in samples],
            "rss_growth_mb": round(growth, 1), "final_drain_exit": final,
            "headline": f"{feeds} feeds for {duration:g}s: RSS {statistics.median(second):.0f} → "
                        f"{statistics.median(last):.0f} MB, {len(lost)} lost, {duplicates} duplicate alerts"}


def _drain(config: Path, store: Path, prelude: str, workdir: Path) -> int:
    """One uninterrupted ``--once`` round: finishes pending work and picks up what the loop had not reached."""
    proc = start_watch(config, store, prelude, once=True, log=workdir / "drain.log")
    return proc.wait(timeout=1800)


# --------------------------------------------------------------------------- kill -9


def kill_runs(workdir: Path, runs: int = 10, seed: int = 7, prelude: str = "", feeds: int = 3,
              kill_window: tuple[float, float] = (2.0, 12.0), every: float = 1.0) -> dict[str, Any]:
    """Kill the watch at random moments ``runs`` times; count lost items, refetches, duplicate alerts."""
    workdir.mkdir(parents=True, exist_ok=True)
    store = workdir / "kill.duckdb"
    for stale in (store, Path(f"{store}.wal")):
        stale.unlink(missing_ok=True)
    rng = random.Random(seed)
    site, hook = Site(feeds=feeds, per_feed=2), WebhookReceiver(SECRET)
    config = write_config(workdir / "kill.yaml", site, hook, every)
    refetches: list[str] = []
    kills = 0
    try:
        for _ in range(runs):
            site.publish(rng.randrange(feeds))  # new work for every run
            stored_before = stored_urls(store)
            hits_before = len(site.server.hits)
            proc = start_watch(config, store, prelude, log=workdir / "kill.log")
            time.sleep(rng.uniform(*kill_window))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            refetches += _refetched(site, stored_before, hits_before)
        stored_before = stored_urls(store)
        hits_before = len(site.server.hits)
        final = start_watch(config, store, prelude, once=True, log=workdir / "kill.log").wait(timeout=900)
        refetches += _refetched(site, stored_before, hits_before)
        time.sleep(0.5)
    finally:
        site.stop()
    lost = sorted(set(site.published) - stored_urls(store))
    counts = alert_counts(store)
    duplicates = _duplicates(hook) + counts["alerts"] - counts["distinct_subjects"]
    hook.stop()
    return {"runs": runs, "kills": kills, "final_exit": final, "items": len(site.published), "lost": len(lost),
            "lost_examples": lost[:5], "refetches": len(refetches), "refetch_examples": refetches[:5],
            "alerts": counts["alerts"], "webhook_deliveries": len(hook.deliveries()), "duplicate_alerts": duplicates,
            "headline": f"{kills} kills: {len(lost)} lost, {len(refetches)} refetches of stored pages, "
                        f"{duplicates} duplicate alerts"}


def _refetched(site: Site, stored: set[str], since: int) -> list[str]:
    paths = {site.server.url(p) for _, p in site.server.hits[since:]}
    return sorted(paths & stored)


# --------------------------------------------------------------------------- helpers


def _wait_for(condition, timeout: float) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _count(store: Path) -> int:
    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
