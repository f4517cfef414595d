"""Evidence at the value: every link from a fact lands on its document with exactly its characters
highlighted, scrolled into view, and the fact's panel open (display/links.py, document.js).

Real Chromium (Debian's) through Playwright against the real server on the sample store.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from newsgraph.display.links import evidence_url, parse_fact, parse_span
from webtools import LiveServer, needs_chromium

CITED_TEXT = "() => [...document.querySelectorAll('#reader .cited')].map(e => e.textContent).join('')"
IN_VIEW = """() => { const r = document.querySelector('#reader .cited').getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= window.innerHeight; }"""


# --------------------------------------------------------------------------- the link format (no browser)


def test_evidence_url_round_trips_span_and_fact():
    url = evidence_url("doc_a b", 12, 40, "claim:claim_1")
    parts = urlsplit(url)
    assert parts.path == "/documents/doc_a%20b" and parts.fragment == "cited"
    query = parse_qs(parts.query)
    assert parse_span(query["span"][0], 100) == (12, 40)
    assert parse_fact(query["fact"][0]) == {"kind": "claim", "ref": "claim_1"}
    assert evidence_url("d", None, None) == "/documents/d"
    assert evidence_url("d", 5, 5) == "/documents/d"  # an empty span is no span
    assert evidence_url(None, 1, 2) is None


@pytest.mark.parametrize("value,length,expected", [
    ("3-9", 10, (3, 9)), ("3-11", 10, None), ("9-3", 10, None), ("-1-3", 10, None), ("3-3", 10, None),
    ("a-b", 10, None), (None, 10, None), ("3-9<script>", 10, None),
])
def test_parse_span_accepts_only_a_span_inside_the_text(value, length, expected):
    assert parse_span(value, length) == expected


def test_parse_fact_rejects_unknown_kinds_and_markup():
    assert parse_fact("event:event_1") == {"kind": "event", "ref": "event_1"}
    assert parse_fact("story:x") is None
    assert parse_fact("claim:<b>") is None


# --------------------------------------------------------------------------- in the browser



def _disputed_story(live: LiveServer) -> tuple[dict, dict]:
    """A story with a disputed claim, and that claim (the sample has conflicts)."""
    for item in live.api("/api/stories", limit=200)["items"]:
        story = live.api(f"/api/stories/{item['id']}")
        claims = [c for c in story["claims"] if c["status"] in ("conflict", "superseded")]
        if claims:
            return story, claims[0]
    pytest.skip("no story of the sample store has a disputed claim")


@pytest.mark.browser
@needs_chromium
def test_clicking_a_conflict_value_highlights_exactly_that_values_characters(live, page):
    story, claim = _disputed_story(live)
    values = live.api(f"/api/claims/{claim['id']}")["values"]
    page.goto(f"{live.url}/stories/{story['id']}")
    link = page.locator(f"li.conflict-row[data-claim='{claim['id']}'] a.claim-value").last
    shown = link.inner_text()
    link.click()
    page.wait_for_url("**/documents/**")
    query = parse_qs(urlsplit(page.url).query)
    start, end = parse_span(query["span"][0], 10**9)
    value = next(v for v in values if v["source"]["start"] == start and v["source"]["end"] == end)
    doc = live.api(f"/api/documents/{value['source']['doc']}")
    # Exactly the value's characters are marked: not its sentence, not a word more or less.
    assert page.evaluate(CITED_TEXT) == doc["text"][start:end] == value["source"]["text"] == shown
    assert page.evaluate(IN_VIEW), "the cited words are scrolled into view"
    # The panel opens on that claim first, with each source's value.
    first = page.locator("#panel-body .fact").first
    first.locator("ul.other-sources").wait_for()
    assert first.get_attribute("data-kind") == "claim"
    assert claim["attribute"].replace("_", " ") in first.locator("h3").inner_text()
    assert page.errors == []


@pytest.mark.browser
@needs_chromium
def test_every_disputed_value_is_one_click_from_its_words(live, page):
    """On every story page the disputed claims come first, and each value links to exactly its words
    (the sample's fighter-programme story and its generation conflict among them)."""
    checked = 0
    for item in live.api("/api/stories", limit=200)["items"]:
        story = live.api(f"/api/stories/{item['id']}")
        disputed = [c for c in story["claims"] if c["status"] in ("conflict", "superseded")]
        if not disputed:
            continue
        page.goto(f"{live.url}/stories/{story['id']}")
        cards = page.locator("main section.card").evaluate_all("els => els.map(e => e.id)")
        assert cards[0] == "conflicts-card", cards
        for link in page.locator("#conflicts a.claim-value").all():
            href = link.get_attribute("href")
            doc = urlsplit(href).path.rsplit("/", 1)[-1]
            start, end = parse_span(parse_qs(urlsplit(href).query)["span"][0], 10**9)
            assert live.api(f"/api/documents/{doc}")["text"][start:end] == link.inner_text()
            checked += 1
    assert checked > 0


@pytest.mark.browser
@needs_chromium
def test_a_brief_citation_lands_on_the_cited_sentence(live, page):
    story = max(live.api("/api/stories", limit=200)["items"], key=lambda s: s["documents"])
    page.goto(f"{live.url}/stories/{story['id']}")
    exact = page.locator("#brief a.cite[href*='span=']")
    assert exact.count() > 0, "no brief citation carries its span"
    # A summary sentence: it quotes its source, so the cited words are that sentence.
    cite = page.locator("#brief [data-section='summary'] a.cite[href*='span=']").first
    sentence = cite.evaluate("a => a.closest('p').textContent")
    tip = cite.locator("xpath=following-sibling::span[@role='tooltip']")
    cite.hover()
    assert tip.is_visible() and tip.inner_text().strip("“").split("”")[0][:30] in sentence
    cite.click()
    page.wait_for_url("**/documents/**")
    doc_id = urlsplit(page.url).path.rsplit("/", 1)[-1]
    start, end = parse_span(parse_qs(urlsplit(page.url).query)["span"][0], 10**9)
    text = live.api(f"/api/documents/{doc_id}")["text"]
    cited = page.evaluate(CITED_TEXT)
    assert cited == text[start:end]
    assert " ".join(cited.split()).strip(" \"“”")[:40] in " ".join(sentence.split())
    assert page.evaluate(IN_VIEW)
    assert page.errors == []


@pytest.mark.browser
@needs_chromium
def test_event_sources_link_to_their_sentences(live, page):
    events = live.api("/api/events", limit=200)["items"]
    event = max(events, key=lambda e: e["sources"])
    source = live.api(f"/api/events/{event['id']}")["sources"][0]
    page.goto(f"{live.url}/documents/{source['doc']}?span={source['sentence']['start']}-{source['sentence']['end']}"
              f"&fact=event:{event['id']}#cited")
    assert page.evaluate(CITED_TEXT) == source["sentence"]["text"]
    first = page.locator("#panel-body .fact").first
    first.locator("ul.other-sources").wait_for()
    assert first.get_attribute("data-kind") == "event"
    hrefs = first.locator("ul.other-sources a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert all("span=" in h and f"fact=event%3A{event['id']}" in h for h in hrefs)


@pytest.mark.browser
@needs_chromium
def test_a_span_outside_the_text_is_ignored(live, page):
    doc = live.api("/api/documents", limit=1)["items"][0]
    page.goto(f"{live.url}/documents/{doc['id']}?span=5-99999999&fact=claim:nope")
    assert page.locator("#reader .cited").count() == 0
    assert page.locator("#doc-title").count() == 1
