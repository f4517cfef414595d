"""The polite fetcher against a real HTTP server on 127.0.0.1: caps, robots, conditional GET, WARC."""

from __future__ import annotations

import gzip
import itertools
import threading
import time

import pytest

from newsgraph.ingest.warc import read_warc
from newsgraph.watch.config import FetchSettings
from newsgraph.watch.fetch import Fetcher, FetchError, user_agent
from newsgraph.watch.hosts import HostGate
from newsgraph.watch.testing import FixtureServer, article_html, big_page, gzip_bomb
from newsgraph.watch.warc import WarcRecorder, complete_length

PAGE = article_html("A page", ["Some words of a page written for the fetcher tests."] * 3)


@pytest.fixture
def server():
    with FixtureServer() as srv:
        srv.set("/robots.txt", "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n",
                content_type="text/plain")
        srv.set("/page.html", PAGE)
        yield srv


def fetcher(tmp_path=None, **kw) -> tuple[Fetcher, list]:
    settings = FetchSettings(**({"timeout": 2.0, "max_bytes": 1_000_000, "host_delay": 0.0} | kw))
    exchanges: list = []
    recorder = WarcRecorder(tmp_path, "t") if tmp_path else None

    def keep(exchange):
        exchanges.append(exchange)
        if recorder:
            recorder.record(exchange)
    return Fetcher(settings, user_agent("mailto:desk@example.org"), HostGate(settings.host_delay, 2),
                   on_exchange=keep), exchanges


def reason_of(client: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.get(url)
    return caught.value


def test_a_page_is_fetched_with_a_clear_user_agent(server):
    client, _ = fetcher()
    got = client.get(server.url("/page.html"))
    assert got.status == 200 and got.body.decode() == PAGE
    agent = server.headers["/page.html"]["User-Agent"]
    assert agent.startswith("newsgraph-watch/") and "robots.txt" in agent and "mailto:desk@example.org" in agent
    assert server.count("/robots.txt") == 1
    client.get(server.url("/page.html"))
    assert server.count("/robots.txt") == 1  # cached per host


@pytest.mark.parametrize(("setup", "path", "reason"), [
    (lambda s: s.set("/err", "boom", status=500), "/err", "http_500"),
    (lambda s: None, "/missing", "http_404"),
    (lambda s: s.set("/slow", PAGE, delay=3.0), "/slow", "timeout"),
    (lambda s: (s.redirect("/a", "/b"), s.redirect("/b", "/a")), "/a", "redirect_loop"),
    (lambda s: [s.redirect(f"/r{i}", f"/r{i + 1}") for i in range(9)], "/r0", "too_many_redirects"),
    (lambda s: s.set("/private/x", PAGE), "/private/x", "robots"),
    (lambda s: s.set("/huge", big_page(50 * 2**20)), "/huge", "too_large"),
    (lambda s: s.set("/declared", b"x" * 2_000_000), "/declared", "too_large"),
    (lambda s: s.set("/bomb", gzip_bomb(), headers={"Content-Encoding": "gzip"}), "/bomb", "too_large"),
    (lambda s: s.set("/br", b"xx", headers={"Content-Encoding": "br"}), "/br", "unsupported"),
    (lambda s: s.redirect("/ftp", "ftp://127.0.0.1/file"), "/ftp", "unsupported"),
])
def test_each_bad_case_is_a_named_error(server, setup, path, reason):
    setup(server)
    client, _ = fetcher(max_redirects=5)
    began = time.monotonic()
    error = reason_of(client, server.url(path))
    assert error.reason == reason, error
    assert server.url(path) in str(error) and error.detail
    assert time.monotonic() - began < 10


def test_decompression_is_bounded_not_refused(server):
    server.set("/zipped", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    client, _ = fetcher()
    assert client.get(server.url("/zipped")).body.decode() == PAGE


def test_conditional_get_and_a_changed_etag(server):
    server.set("/feed.xml", "<rss>one</rss>", etag='"v1"')
    client, _ = fetcher()
    first = client.get(server.url("/feed.xml"))
    assert first.etag == '"v1"' and not first.not_modified
    again = client.get(server.url("/feed.xml"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b""
    server.set("/feed.xml", "<rss>two</rss>", etag='"v2"')
    changed = client.get(server.url("/feed.xml"), etag=first.etag)
    assert not changed.not_modified and changed.body == b"<rss>two</rss>" and changed.etag == '"v2"'


def test_robots_unreachable_disallows_and_missing_allows():
    with FixtureServer() as down, FixtureServer() as none:
        down.set("/robots.txt", "oops", status=503)
        down.set("/page.html", PAGE)
        none.set("/page.html", PAGE)  # no robots.txt: 404
        client, _ = fetcher()
        assert reason_of(client, down.url("/page.html")).reason == "robots"
        assert down.count("/page.html") == 0
        assert client.get(none.url("/page.html")).status == 200


def test_per_host_gap_and_concurrency_cap(server):
    server.set("/slowish", PAGE, delay=0.3)
    client, _ = fetcher(host_delay=0.5)
    client.get(server.url("/page.html"))  # robots.txt read first
    threads = [threading.Thread(target=client.get, args=(server.url("/slowish"),)) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times = sorted(t for t, p in server.hits if p == "/slowish")
    assert len(times) == 5 and server.most_in_flight <= 2
    # Arrival times are stamped by the server's threads, so a busy machine jitters each by a little;
    # the whole run still spans four gaps (without the gap it would take about 0.6 s).
    assert times[-1] - times[0] >= 4 * 0.5 - 0.15
    assert all(b - a >= 0.3 for a, b in itertools.pairwise(times))


def test_every_response_is_kept_in_the_days_warc(server, tmp_path):
    server.redirect("/moved", "/page.html", status=301)
    client, exchanges = fetcher(tmp_path)
    got = client.get(server.url("/moved"))
    assert got.final_url == server.url("/page.html")
    files = list(tmp_path.glob("t-*.warc.gz"))
    assert len(files) == 1 and got.warc and got.warc[0] == str(files[0])
    items = list(read_warc(files[0].read_bytes(), str(files[0])))
    pages = [i for i in items if getattr(i, "url", None) == server.url("/page.html")]
    assert pages and "Some words of a page" in pages[0].content
    statuses = [e.status for e in exchanges]
    assert statuses == [200, 301, 200]  # robots.txt, the redirect, the page


def test_a_cut_warc_is_repaired_before_appending(server, tmp_path):
    client, _ = fetcher(tmp_path)
    client.get(server.url("/page.html"))
    path = next(tmp_path.glob("t-*.warc.gz"))
    intact = path.stat().st_size
    with path.open("ab") as fh:
        fh.write(gzip.compress(b"WARC/1.1\r\n" + b"x" * 5000)[:40])  # a member cut by a kill
    assert complete_length(path) == intact
    client2, _ = fetcher(tmp_path)
    client2.get(server.url("/page.html"))
    assert complete_length(path) == path.stat().st_size > intact
    assert not [i for i in read_warc(path.read_bytes(), str(path)) if type(i).__name__ == "RejectedInput"]
