"""``make watch-demo``: a watch against a local fixture site, ending with alerts in ``/alerts.atom``
and at a local webhook receiver. Everything listens on 127.0.0.1; nothing leaves the machine.

The site serves the bundled sample corpus (articles written for newsgraph): three of its web pages
in an RSS feed, one in a news sitemap; its page dumps sit in a watched folder. Round 1 reads them
all; then a fourth page appears in the feed (its ETag changes) and round 2 reads only that one.
Both rounds run the real ``newsgraph watch --once``; then ``newsgraph serve`` is started and its
``/alerts.atom`` read back.

    python -m newsgraph.watch.demo [--workdir watch-demo]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

from newsgraph.settings import SAMPLE_DIR
from newsgraph.watch.testing import FixtureServer, WebhookReceiver, news_sitemap, rfc822, rss

SECRET_ENV = "NEWSGRAPH_DEMO_WEBHOOK_SECRET"
FEED_PAGES = ("pdr-italy-carrier-indo-pacific-plan.html", "pdr-gcap-treaty-analysis.html",
              "naval-observer-vespucci-tokyo.html")
SITEMAP_PAGE = "eurasia-monitor-g7-hiroshima.html"


def _meta(html: str, prop: str) -> str:
    match = re.search(rf'property="{prop}" content="([^"]+)"', html)
    return match.group(1) if match else ""


def _item(server: FixtureServer, name: str) -> dict[str, str]:
    html = (SAMPLE_DIR / "html" / name).read_text(encoding="utf-8")
    path = f"/articles/{name}"
    server.set(path, html)
    published = _meta(html, "article:published_time")[:10] or "2024-08-01"
    return {"title": _meta(html, "og:title") or name, "link": server.url(path), "guid": path,
            "pubDate": rfc822(published)}


def build_site(server: FixtureServer, feed_pages: tuple[str, ...]) -> None:
    server.set("/robots.txt", "User-agent: *\nDisallow: /drafts/\n", content_type="text/plain")
    items = [_item(server, name) for name in feed_pages]
    server.set("/world.xml", rss("Demo Wire - World", items), content_type="application/rss+xml",
               etag=f'"{len(items)}"')


def write_config(folder: Path, server: FixtureServer, hook: WebhookReceiver, port: int) -> Path:
    entry = _item(server, SITEMAP_PAGE)
    server.set("/news-sitemap.xml", news_sitemap([{"loc": entry["link"], "title": entry["title"],
                                                   "date": "2023-05-20"}], outlet="Eurasia Monitor"))
    config = folder / "watch.yaml"
    config.write_text(f"""# Written by `make watch-demo` (docs/watch.md explains every key).
every: 10m
server: http://127.0.0.1:{port}
contact: mailto:demo@example.org
fetch: {{host_delay: 200ms, timeout: 10s}}
sources:
  - feed: {server.url('/world.xml')}
    name: demo-wire
  - sitemap: {server.url('/news-sitemap.xml')}
    name: eurasia-sitemap
  - folder: inbox
    name: inbox
alerts:
  - name: italy-japan
    pair: ITA-JPN
    deliver: [atom, log, {{webhook: "{hook.url}", secret_env: {SECRET_ENV}}}]
  - name: meloni-speaks
    quote_by: Giorgia Meloni
  - name: disputed-facts
    conflict: true
  - name: growing-stories
    story_growth: 2
""", encoding="utf-8")
    return config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _newsgraph(*args: str) -> None:
    env = dict(os.environ)
    print("$ newsgraph " + " ".join(args), flush=True)
    subprocess.run([sys.executable, "-m", "newsgraph.cli.main", *args], check=True, env=env)


def _atom_entries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/alerts.atom"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
                root = ET.fromstring(response.read())
            return [e.findtext("{http://www.w3.org/2005/Atom}title") or "" for e in
                    root.iter("{http://www.w3.org/2005/Atom}entry")]
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"newsgraph serve did not answer at {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.watch.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("watch-demo"))
    args = parser.parse_args(argv)
    folder: Path = args.workdir
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "inbox").mkdir(parents=True)
    shutil.copytree(SAMPLE_DIR / "pages", folder / "inbox" / "pages")
    shutil.copy(SAMPLE_DIR / "meta.jsonl", folder / "inbox" / "meta.jsonl")
    old = time.time() - 60
    for path in (folder / "inbox").rglob("*"):
        os.utime(path, (old, old))  # settled files (a watch waits for files still being written)
    secret = os.environ.setdefault(SECRET_ENV, "demo-secret-change-me")
    port = _free_port()
    db = folder / "watch.duckdb"
    with FixtureServer() as server, WebhookReceiver(secret) as hook:
        build_site(server, FEED_PAGES[:2])
        config = write_config(folder, server, hook, port)
        print(f"fixture site at {server.url('/')}, webhook receiver at {hook.url}", flush=True)
        _newsgraph("watch", str(config), "--db", str(db), "--once")
        build_site(server, FEED_PAGES)  # a new item in the feed, a new ETag
        print("\n-- a new article appears in the feed --\n", flush=True)
        _newsgraph("watch", str(config), "--db", str(db), "--once")
        time.sleep(1)
        served = subprocess.Popen([sys.executable, "-m", "newsgraph.cli.main", "serve", "--db", str(db),
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            entries = _atom_entries(port)
        finally:
            served.terminate()
            served.wait(timeout=30)
        received = hook.received
    print(f"\n/alerts.atom of `newsgraph serve --db {db}`: {len(entries)} entries")
    for title in entries:
        print(f"  - {title}")
    valid = sum(r["valid"] for r in received)
    print(f"webhook receiver: {len(received)} POSTs, {valid} with a valid HMAC-SHA256 signature")
    print(f"\nBrowse it: newsgraph serve --db {db}   # then open http://127.0.0.1:8000/alerts and /new")
    if not entries or not valid:
        print("error: the demo ended without alerts", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
