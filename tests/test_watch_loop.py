"""A watch end to end against a real fixture server and webhook receiver on 127.0.0.1.

One scenario, several rounds: good feeds, a news sitemap, a folder, and every bad case the issue
names (500, 404, a slow answer, a redirect loop, a malformed feed, a 50 MB page, a gzip bomb, a
feed whose items all link to one page, a changed ETag). Each bad case is logged naming the source
and the reason; the round goes on; nothing stored is fetched again; no alert is sent twice.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb
import pytest

from newsgraph.watch import Watch, load_config
from newsgraph.watch.testing import (
    FixtureServer,
    WebhookReceiver,
    article_html,
    big_page,
    gzip_bomb,
    news_sitemap,
    rfc822,
    rss,
    story,
)

SECRET = "fixture-secret"


def page(srv: FixtureServer, i: int) -> dict[str, str]:
    title, paragraphs, date = story(i)
    srv.set(f"/news/{i}.html", article_html(title, paragraphs, published=date))
    return {"title": title, "link": srv.url(f"/news/{i}.html"), "guid": f"item-{i}", "pubDate": rfc822(date)}


def bad(srv: FixtureServer, path: str, title: str) -> dict[str, str]:
    return {"title": title, "link": srv.url(path), "guid": path, "pubDate": rfc822("2025-05-09")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("watch")
    srv = FixtureServer().start()
    hook = WebhookReceiver(SECRET, fail_first=2)
    srv.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    srv.set("/good.xml", rss("Harbour Ledger - World", [page(srv, 0), page(srv, 1)]),
            content_type="application/rss+xml", etag='"good-1"')
    srv.set("/broken.xml", "<rss><channel><item><title>unclosed", content_type="application/rss+xml")
    srv.set("/error.xml", "server trouble", status=500)
    srv.set("/slow.xml", rss("Slow", [page(srv, 2)]), delay=4.0)
    srv.set("/huge.html", big_page(50 * 2**20))
    srv.set("/bomb.html", gzip_bomb(), headers={"Content-Encoding": "gzip"})
    srv.redirect("/loop/a", "/loop/b")
    srv.redirect("/loop/b", "/loop/a")
    srv.set("/private/secret.html", article_html("Hidden", ["Never fetched."] * 5))
    srv.set("/bad-pages.xml", rss("Troubles", [bad(srv, "/huge.html", "huge"), bad(srv, "/bomb.html", "bomb"),
                                               bad(srv, "/loop/a", "loop"), bad(srv, "/gone.html", "gone"),
                                               bad(srv, "/private/secret.html", "private")]))
    one_page = []
    for i in (5, 6, 7):
        title, paragraphs, date = story(i)
        one_page.append({"title": title, "link": srv.url("/front.html"), "guid": f"front-{i}", "pubDate": rfc822(date),
                         "description": "\n".join(paragraphs)})
    srv.set("/front.html", article_html("Front page", ["Latest news from everywhere, updated hourly."] * 4))
    srv.set("/one-page.xml", rss("One Page Gazette", one_page))
    title, paragraphs, date = story(3)
    srv.set("/news/3.html", article_html(title, paragraphs, published=date))
    srv.set("/sitemap.xml", news_sitemap([{"loc": srv.url("/news/3.html"), "title": title, "date": date},
                                          {"loc": srv.url("/news/0.html"), "title": "dup", "date": date}]))
    folder = root / "inbox"
    folder.mkdir()
    config = root / "watch.yaml"
    config.write_text(f"""
every: 1s
server: http://127.0.0.1:8000
fetch: {{timeout: 1.5s, max_bytes: 2MB, host_delay: 10ms, max_attempts: 2}}
sources:
  - {{feed: "{srv.url('/good.xml')}", name: good}}
  - {{feed: "{srv.url('/broken.xml')}", name: broken}}
  - {{feed: "{srv.url('/error.xml')}", name: erroring}}
  - {{feed: "{srv.url('/missing.xml')}", name: missing}}
  - {{feed: "{srv.url('/slow.xml')}", name: slow}}
  - {{feed: "{srv.url('/bad-pages.xml')}", name: troubles}}
  - {{feed: "{srv.url('/one-page.xml')}", name: one-page}}
  - {{sitemap: "{srv.url('/sitemap.xml')}", name: sitemap}}
  - {{folder: inbox, name: inbox}}
alerts:
  - name: italy-japan
    pair: ITA-JPN
    deliver: [atom, log, {{webhook: "{hook.url}", secret_env: WATCH_TEST_SECRET}}]
  - name: ferrante
    quote_by: Lucia Ferrante
  - name: growing
    story_growth: 2
""", encoding="utf-8")
    yield {"root": root, "srv": srv, "hook": hook, "config": config, "db": root / "news.duckdb", "inbox": folder}
    srv.stop()
    hook.stop()


@pytest.fixture(scope="module")
def rounds(world, context):
    """Round 1 on everything; round 2 unchanged; round 3 after a changed ETag and a new folder file."""
    import os

    os.environ["WATCH_TEST_SECRET"] = SECRET
    logs: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = logs.append  # type: ignore[method-assign]
    logging.getLogger("newsgraph").addHandler(handler)
    logging.getLogger("newsgraph").setLevel(logging.INFO)
    try:
        watch = Watch(load_config(world["config"]), world["db"], ctx=context, webhook_backoff=0.05)
        first = watch.round(force=True)
        hits_after_first = list(world["srv"].hits)
        second = watch.round(force=True)
        hits_after_second = list(world["srv"].hits)
        srv = world["srv"]
        srv.set("/good.xml", rss("Harbour Ledger - World", [page(srv, 0), page(srv, 1), page(srv, 8)]),
                content_type="application/rss+xml", etag='"good-2"')
        title, paragraphs, _ = story(9)
        (world["inbox"] / "desk-note.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        old = time.time() - 10
        os.utime(world["inbox"] / "desk-note.txt", (old, old))
        third = watch.round(force=True)
        watch.webhooks.wait_idle(10)
        deadline = time.time() + 10
        while time.time() < deadline and len(world["hook"].deliveries()) < 1:
            time.sleep(0.1)
        watch.close()
    finally:
        logging.getLogger("newsgraph").removeHandler(handler)
    return {"reports": [first, second, third], "logs": [r.getMessage() for r in logs],
            "hits": [hits_after_first, hits_after_second]}


def store(world):
    return duckdb.connect(str(world["db"]), read_only=True)


def test_good_items_are_stored_and_duplicates_are_not_fetched_twice(world, rounds):
    first = rounds["reports"][0]
    assert first.ingested >= 4, first  # news 0, 1, 3 and the feed texts of the one-page feed
    with store(world) as con:
        stored = dict(con.execute("SELECT key, doc FROM watch_items WHERE state = 'stored'").fetchall())
        sources = {s for (s,) in con.execute("SELECT source FROM documents").fetchall()}
    srv = world["srv"]
    for i in (0, 1, 3):
        assert srv.url(f"/news/{i}.html") in stored and srv.url(f"/news/{i}.html") in sources
    assert world["srv"].count("/news/0.html") == 1  # in the feed and the sitemap: fetched once


@pytest.mark.parametrize(("source", "reason"), [
    ("broken", "malformed"), ("erroring", "http_500"), ("missing", "http_404"), ("slow", "timeout"),
    ("troubles", "too_large"), ("troubles", "redirect_loop"), ("troubles", "robots"), ("troubles", "http_404"),
])
def test_each_bad_case_is_logged_with_source_and_reason(rounds, source, reason):
    first = rounds["reports"][0]
    assert any(e.startswith(f"{source}: ") and reason in e for e in first.errors), first.errors
    assert any(f"source {source}: " in m and reason in m for m in rounds["logs"])


def test_the_gzip_bomb_is_refused_as_too_large_after_decompression(rounds):
    assert any("bomb.html" in e and "once decompressed" in e for e in rounds["reports"][0].errors)


def test_a_feed_whose_items_share_one_page_is_read_from_its_own_content(world, rounds):
    assert any("items share 1 link" in m and "one-page" in m for m in rounds["logs"])
    assert world["srv"].count("/front.html") == 0
    with store(world) as con:
        texts = [t for (t,) in con.execute("SELECT text FROM documents WHERE source LIKE 'item:%'").fetchall()]
    assert len(texts) == 3 and all("naval exercise" in t for t in texts)


def test_the_second_round_fetches_nothing_stored_and_gets_304s(world, rounds):
    second = rounds["reports"][1]
    before, after = rounds["hits"]
    new_paths = [p for _, p in after[len(before):]]
    assert not [p for p in new_paths if p.startswith("/news/")], new_paths
    assert second.ingested == 0 and second.alerts == 0
    with store(world) as con:
        statuses = [s for (s,) in con.execute(
            "SELECT status FROM watch_fetches WHERE url LIKE '%/good.xml' ORDER BY fetched_at").fetchall()]
    assert statuses[:2] == [200, 304]


def test_a_changed_etag_brings_only_the_new_item(world, rounds):
    third = rounds["reports"][2]
    srv = world["srv"]
    assert srv.count("/news/8.html") == 1 and srv.count("/news/0.html") == 1
    assert third.ingested >= 2  # news 8 and the folder's new file


def test_alerts_fire_once_and_reach_the_signed_webhook_after_retries(world, rounds):
    with store(world) as con:
        alerts = con.execute("SELECT id, rule, kind, payload FROM alerts").fetchall()
        hooks = con.execute("SELECT status, attempts FROM alert_deliveries WHERE target LIKE 'webhook:%'").fetchall()
    rules = [r for _, r, _, _ in alerts]
    assert len({a for a, *_ in alerts}) == len(alerts)
    assert "italy-japan" in rules and "ferrante" in rules and "growing" in rules
    received = world["hook"].received
    assert received and all(r["valid"] for r in received)
    assert len(world["hook"].deliveries()) == len(set(world["hook"].deliveries())) == rules.count("italy-japan")
    assert hooks and all(s == "delivered" for s, _ in hooks) and max(n for _, n in hooks) == 3  # 2 failures first
    payload = received[0]["payload"]
    assert payload["rule"] == "italy-japan" and payload["fired"]["pairs"] == ["ITA-JPN"]
    evidence = payload["evidence"][0]
    assert evidence["doc"].startswith("doc_") and evidence["link"].endswith(f"/documents/{evidence['doc']}")
    assert any(s["what"] == "event trigger" and s["text"] for s in evidence["spans"])
    assert sum(r.alerts for r in rounds["reports"][1:]) <= len(alerts) - rounds["reports"][0].alerts


def test_a_restarted_watch_sends_nothing_again(world, rounds, context):
    count = len(world["hook"].received)
    with store(world) as con:
        before = con.execute("SELECT count(*) FROM alerts").fetchone()[0]
    watch = Watch(load_config(world["config"]), world["db"], ctx=context, webhook_backoff=0.05)
    report = watch.round(force=True)
    watch.close()
    assert report.ingested == 0 and report.alerts == 0
    with store(world) as con:
        assert con.execute("SELECT count(*) FROM alerts").fetchone()[0] == before
    assert len(world["hook"].received) == count


def test_the_server_publishes_the_alerts(world, rounds):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    client = TestClient(create_app(world["db"]))
    atom = client.get("/alerts.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    assert atom.text.count("<entry>") >= 3 and "italy-japan" in atom.text
    page = client.get("/alerts")
    assert page.status_code == 200 and page.text.count('class="alert-row"') >= 3
    new = client.get("/new")
    assert new.status_code == 200 and "newsgraph_seen" in new.cookies
    again = client.get("/new")
    assert "Nothing new." in again.text


def test_every_fetch_is_traceable_to_its_warc_record(world, rounds):
    from newsgraph.ingest.warc import read_warc

    with store(world) as con:
        file, offset = con.execute("SELECT warc_file, warc_offset FROM watch_fetches WHERE url LIKE '%/news/1.html' "
                                   "AND outcome = 'ok'").fetchone()
    data = Path(file).read_bytes()
    items = [i for i in read_warc(data[offset:], file) if getattr(i, "url", "").endswith("/news/1.html")]
    assert items and "naval exercise" in items[0].content
