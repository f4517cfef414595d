"""The web UI, driven in Debian Chromium through Playwright against the real server (uvicorn).

Browser tests need /usr/bin/chromium (`apt-get install -y chromium`) and skip without it; the
pure layout helpers are tested without a browser. The server and browser fixtures are in
tests/webtools.py (a plugin of tests/conftest.py). Set NEWSGRAPH_SCREENSHOT=docs/story-page.png to
write the story-page screenshot into the docs (it goes to a temp folder otherwise).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest

from newsgraph.display.story import actor_network
from newsgraph.display.text import segments
from newsgraph.web.render import safe_url
from webtools import LiveServer, needs_chromium

# The reader's text without the removed-boilerplate blocks the toggle shows.
READER_TEXT = """r => { const c = r.cloneNode(true); c.querySelectorAll('.removed').forEach(e => e.remove());
                        return c.textContent; }"""
PAYLOAD = "window.__pwned = 1"
SCRIPT = f"<script>{PAYLOAD}</script>"
IMG = f"<img src=x onerror=\"{PAYLOAD}\">"
JS_URL = f"javascript:{PAYLOAD}"


# --------------------------------------------------------------------------- layout helpers (no browser)


def test_segments_cover_the_text_and_nest_overlapping_spans():
    text = 'Admiral Rana Voss said "Kestrel Bay stays open" on Monday.'
    quote_start = text.index('"') + 1
    quote_end = text.index('"', quote_start)
    place = text.index("Kestrel Bay")
    highlights = [
        {"start": 8, "end": 17, "kind": "mention"},
        {"start": quote_start, "end": quote_end, "kind": "quote"},
        {"start": place, "end": place + len("Kestrel Bay"), "kind": "mention"},
    ]
    pieces = segments(text, highlights)
    assert "".join(p["text"] for p in pieces) == text
    by_text = {p["text"]: p for p in pieces}
    assert by_text["Rana Voss"]["marks"] == [0]
    assert by_text["Kestrel Bay"]["marks"] == [1, 2]
    assert by_text["Kestrel Bay"]["kinds"] == "entity quote"
    assert by_text[" stays open"]["marks"] == [1]
    assert all(not p["marks"] for p in pieces if p["text"] == " on Monday.")


def test_segments_clip_spans_outside_the_text():
    pieces = segments("short text", [{"start": 6, "end": 99, "kind": "event"}, {"start": 50, "end": 60,
                                                                                "kind": "claim"}])
    assert [(p["text"], p["marks"]) for p in pieces] == [("short ", []), ("text", [0])]


@pytest.mark.parametrize("url, expected", [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("http://news.example/", "http://news.example/"),
    (JS_URL, None), (" JavaScript:alert(1)", None), ("data:text/html,<b>x</b>", None),
    ("//evil.example/x", None), ("news.example/a", None), ("", None), (None, None),
])
def test_safe_url_lets_only_http_links_through(url, expected):
    assert safe_url(url) == expected


def test_actor_network_links_entities_sharing_an_event():
    events = [
        {"participants": [{"entity": "e1", "name": "Aland", "role": "actor"},
                          {"entity": "e2", "name": "Borduria", "role": "target"}]},
        {"participants": [{"entity": "e1", "name": "Aland", "role": "actor"},
                          {"entity": "e2", "name": "Borduria", "role": "partner"},
                          {"entity": "e3", "name": "Carpania", "role": "partner"}]},
        {"participants": [{"entity": None, "name": "unresolved", "role": "actor"}]},
    ]
    net = actor_network(events, [{"id": "e1", "type": "COUNTRY"}])
    assert [n["id"] for n in net["nodes"]] == ["e1", "e2", "e3"]
    assert net["nodes"][0]["type"] == "COUNTRY" and net["nodes"][0]["events"] == 2
    weights = {(e["source"], e["target"]): e["weight"] for e in net["edges"]}
    assert weights == {("e1", "e2"): 2, ("e1", "e3"): 1, ("e2", "e3"): 1}


def _largest_story(live: LiveServer) -> dict:
    stories = live.api("/api/stories", limit=200)["items"]
    assert stories, "the sample corpus made no story"
    return stories[0]


# --------------------------------------------------------------------------- story page


@pytest.mark.browser
@needs_chromium
def test_story_list_links_every_story(live, page):
    page.goto(live.url + "/")
    stories = live.api("/api/tables/stories", limit=50)
    rows = page.locator("tr.story-row")
    assert rows.count() == len(stories["items"]) == min(stories["total"], 50)
    assert stories["total"] == live.api("/api/stories", limit=1)["total"]
    first = stories["items"][0]
    assert rows.nth(0).locator("td[data-col=title] a").inner_text() == first["title"]
    assert rows.nth(0).locator("td[data-col=documents]").inner_text() == str(first["documents"])
    assert rows.nth(0).locator("td[data-col=title] a").get_attribute("href") == f"/stories/{first['id']}"


@pytest.mark.browser
@needs_chromium
def test_story_page_renders_brief_timeline_conflicts_and_network(live, page, tmp_path):
    story = live.api(f"/api/stories/{_largest_story(live)['id']}")
    page.goto(f"{live.url}/stories/{story['id']}")
    assert page.locator("#story-title").inner_text() == story["title"]
    # Brief: every sentence cites a numbered source that is listed on the page.
    brief = page.locator("#brief")
    assert brief.count() == 1, page.locator("#brief-missing").all_inner_texts()
    cites = brief.locator("a.cite")
    assert cites.count() > 0
    listed = {i.removeprefix("src-") for i in brief.locator("ol.sources li").evaluate_all("els => els.map(e => e.id)")}
    assert set(cites.evaluate_all("els => els.map(e => e.dataset.source)")) <= listed
    # Each [n] opens a document of the story's sources (at the cited words when the brief knows them).
    cited_docs = {h.split("?")[0].split("#")[0].rsplit("/", 1)[-1]
                  for h in cites.evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    assert cited_docs <= {s["id"] for s in live.api("/api/documents", limit=200)["items"]}
    # Timeline: one mark per placed event in the window shown, the others counted at the edges;
    # clicking a mark lists the event's sources from the API.
    timeline = page.locator("#timeline")
    dots = timeline.locator(".ev")
    placed = int(timeline.get_attribute("data-events"))
    assert dots.count() + int(timeline.get_attribute("data-outside")) == placed > 0
    assert len([e for e in story["events"] if e["date"]]) <= placed <= len(story["events"])
    modalities = set(dots.evaluate_all("els => els.map(e => e.dataset.modality)"))
    assert modalities <= {"happened", "planned", "announced", "expected", "negated"}
    event_id = dots.first.get_attribute("data-id")
    dots.first.dispatch_event("click")  # dots of a large story may overlap; the handler is what is tested
    sources = live.api(f"/api/events/{event_id}")["sources"]
    page.locator("#event-sources li").first.wait_for()
    assert page.locator("#event-sources li").count() == len(sources)
    # Conflicts, at the top: one item per disputed claim of the story, every value its documents state
    # shown and linked to exactly its characters.
    disputed = [c for c in story["claims"] if c["status"] in ("conflict", "superseded")]
    assert page.locator("li.conflict-row").count() == len(disputed)
    own = {d["id"] for d in story["documents"]}
    for claim in disputed:
        row = page.locator(f"li.conflict-row[data-claim='{claim['id']}']")
        values = {v["value"] for v in live.api(f"/api/claims/{claim['id']}")["values"] if v["source"]["doc"] in own}
        assert values <= set(row.locator("a.claim-value").all_inner_texts())
    # Network: Cytoscape drew one node per co-participating entity.
    network = json.loads(page.locator("#network-data").text_content())
    if network["nodes"]:
        page.wait_for_selector("#network[data-ready='1']")
        assert int(page.locator("#network").get_attribute("data-nodes")) == len(network["nodes"])
        assert int(page.locator("#network").get_attribute("data-edges")) == len(network["edges"])
    assert page.errors == []
    shot = Path(os.environ.get("NEWSGRAPH_SCREENSHOT") or tmp_path / "story-page.png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.browser
@needs_chromium
def test_topic_page_shows_its_stories_on_one_timeline(live, page):
    topics = live.api("/api/tables/topics", limit=50)
    assert topics["total"] == live.api("/api/topics", limit=1)["total"]
    page.goto(live.url + "/topics")
    assert page.locator("tr.topic-row").count() == topics["total"] > 0
    top = topics["items"][0]
    page.locator("a.topic-title").first.click()
    page.wait_for_url(f"**/topics/{top['id']}")
    topic = live.api(f"/api/topics/{top['id']}")
    assert page.locator("#topic-title").inner_text() == topic["title"]
    dated = [s for s in topic["stories"] if s["first_date"]]
    assert page.locator("#topic-timeline").get_attribute("data-stories") == str(len(dated))
    assert page.locator("line.story-bar").count() == len(dated)
    assert page.locator("#topic-stories tr.story-row").count() == len(topic["stories"])
    page.locator("#topic-stories a.story-title").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#story-title").inner_text() == topic["stories"][0]["title"]
    assert not page.errors


@pytest.mark.browser
@needs_chromium
def test_click_through_story_document_and_entity(live, page):
    story = live.api(f"/api/stories/{_largest_story(live)['id']}")
    page.goto(f"{live.url}/stories/{story['id']}")
    page.locator("#sources a").first.click()
    page.wait_for_url("**/documents/**")
    doc_id = page.url.rsplit("/", 1)[-1].split("#")[0]
    doc = live.api(f"/api/documents/{doc_id}")
    assert page.locator("#doc-title").inner_text() == doc["title"]
    marks = page.locator("#reader mark.hl")
    assert marks.count() > 0
    # The reader shows the cleaned text unchanged: highlights only wrap it (removed lines are extra blocks).
    assert page.locator("#reader").evaluate(READER_TEXT) == doc["text"]
    # Pick a name whose entity other documents mention too, click it, and expect those documents.
    target = None
    for h in doc["highlights"]:
        if h["kind"] != "mention":
            continue
        entity = live.api(f"/api/entities/{h['ref']}")
        others = {m["doc"] for m in entity["mentions"]} - {doc_id}
        if others:
            target = (h, entity, others)
            break
    assert target is not None, "no entity of this document is named elsewhere"
    h, entity, others = target
    page.locator(f"#at-{h['start']}").click()
    panel = page.locator("#panel-body .fact[data-kind='mention']")
    panel.locator("ul.other-sources").wait_for()
    assert panel.locator("a.panel-entity").inner_text() == entity["name"]
    linked = set(panel.locator("ul.other-sources a").evaluate_all(
        "els => els.map(a => new URL(a.href).pathname.split('/').pop())"))
    assert linked == others
    # On to the entity page: its name, and one block per document that mentions it.
    panel.locator("a.panel-entity").click()
    page.wait_for_url("**/entities/**")
    assert page.locator("#entity-name").inner_text() == entity["name"]
    assert page.locator("#mentions .mention-doc").count() == len({m["doc"] for m in entity["mentions"]})
    assert page.errors == []


@pytest.mark.browser
@needs_chromium
def test_clicking_an_event_trigger_lists_every_report(live, page):
    events = live.api("/api/events", limit=200)["items"]
    event = max(events, key=lambda e: e["sources"])
    sources = live.api(f"/api/events/{event['id']}")["sources"]
    first = sources[0]
    page.goto(f"{live.url}/documents/{first['doc']}#at-{first['trigger']['start']}")
    fact = page.locator("#panel-body .fact[data-kind='event']")
    fact.locator("ul.other-sources").wait_for()
    assert fact.locator("ul.other-sources li").count() == len(sources)
    assert page.locator(f"#at-{first['trigger']['start']}").evaluate("e => e.classList.contains('selected')")


@pytest.mark.browser
@needs_chromium
def test_document_page_shows_source_cue_and_content_of_an_attribution(live, page):
    found = live.api("/api/attributions", kind="indirect", limit=200)["items"]
    a = next(x for x in found if x["source"] and x["speaker_name"])
    page.goto(f"{live.url}/documents/{a['doc']}#at-{a['cue']['start']}")
    fact = page.locator("#panel-body .fact[data-kind='attribution']")
    fact.wait_for()
    assert a["cue"]["text"] in fact.inner_text() and a["speaker_name"] in fact.inner_text()
    styles = {kind: page.locator(f"mark.hl.{kind}").first.evaluate(
        "e => [getComputedStyle(e).borderBottomStyle, getComputedStyle(e).fontWeight, "
        "getComputedStyle(e).backgroundImage]") for kind in ("attr-source", "attr-cue", "attr-content")}
    assert styles["attr-source"][0] == "double"
    assert styles["attr-cue"][1] == "600"
    assert styles["attr-content"][2].startswith("linear-gradient")
    assert not page.errors


@pytest.mark.browser
@needs_chromium
def test_entity_with_coordinates_gets_a_map_pin(live, page):
    places = live.api("/api/entities", type="PLACE", limit=200)["items"]
    located = next((e for e in places if live.api(f"/api/entities/{e['id']}")["coordinates"]), None)
    if located is None:
        pytest.skip("no place in the sample store carries coordinates")
    page.goto(f"{live.url}/entities/{located['id']}")
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map path.land").count() > 100  # the vendored world outline
    assert page.locator("#map-pin").count() == 1


@pytest.mark.browser
@needs_chromium
def test_search_and_relations_pages(live, page):
    page.goto(f"{live.url}/search?q=carrier")
    hits = live.api("/api/search", q="carrier", limit=50)
    assert page.locator("#results li a").count() == len(hits["items"]) > 0
    page.goto(f"{live.url}/relations")
    dyads = live.api("/api/dyads")
    if dyads["available"] and dyads["items"]:
        page.wait_for_selector("#relations-chart[data-ready='1']")
        pairs = {r["pair"] for r in dyads["items"]}
        assert int(page.locator("#relations-chart").get_attribute("data-series")) == len(pairs)
        shown = set(page.locator("#relations-table tbody td:first-child").all_inner_texts())
        assert shown == pairs
    else:
        assert page.locator("#relations-missing").count() == 1
    assert page.errors == []


# --------------------------------------------------------------------------- untrusted text stays text


HOSTILE_PARAGRAPHS = [
    f"Officials from Aland and Borduria met in the harbour town of Kestrel Bay on Thursday {SCRIPT} to "
    "discuss the shared use of the northern anchorage, the ministry of defence said in a statement. "
    f"Admiral Rana Voss, who led the Aland delegation, told reporters: \"We will not sign {IMG} anything "
    "that closes the anchorage to our patrol boats.\" The Borduria side said it wanted a joint inspection "
    f"regime and more time. Details were posted at {JS_URL} according to the organisers.",
    f"The talks will resume in June, a spokesperson for Minister Tomas Vell{IMG} said. Observers said "
    "neither side expected a quick agreement, and fishing crews in the bay complained that the patrols "
    "had already disrupted their season.",
]
# The body is HTML whose text is the payloads (entity-escaped, as a page would carry them), so the
# cleaned text the store keeps holds the literal markup characters.
HOSTILE_ARTICLE = {
    "title": f"Port talks {SCRIPT} end {IMG} early",
    "sitename": f"Gazette{SCRIPT}",
    "url": JS_URL,
    "date": "2024-05-02",
    "text": "".join(f"<p>{html.escape(p)}</p>" for p in HOSTILE_PARAGRAPHS),
}


# A page dump whose furniture (removed by the cleaner, shown by the document page's toggle) holds payloads.
HOSTILE_PAGE = f"""Tidewater Gazette
Menu
Share this {SCRIPT}

Harbour patrols resume in Kestrel Bay

By Rana Voss

Officials from Aland and Borduria met in the harbour town of Kestrel Bay on Thursday to discuss the shared use
of the northern anchorage, the ministry of defence said in a statement on Friday morning.

A patrol boat at the northern anchorage <img src=x onerror=alert(1)> Photo: Gazette/Rana Voss

Admiral Rana Voss, who led the Aland delegation, told reporters that the anchorage would stay open to patrol
boats from both sides while the talks continued into the summer, and that inspections would start in June.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, context):
    """A separate store holding two invented articles full of script payloads (a JSON record, a page dump)."""
    from newsgraph.archive import Archive

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE_ARTICLE) + "\n", encoding="utf-8")
    (folder / "hostile-page.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    path = folder / "hostile.duckdb"
    with Archive(path) as archive:
        archive._ctx = context
        report = archive.ingest([folder])
    assert report.ingested == 2, report.rejected
    with LiveServer(path) as server:
        yield server


def _assert_inert(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main img").count() == 0
    assert page.locator("main script:not([type='application/json'])").count() == 0
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]


@pytest.mark.browser
@needs_chromium
def test_script_payloads_render_as_text(hostile, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    docs = hostile.api("/api/documents")["items"]
    doc = next(d for d in docs if SCRIPT in (d["title"] or ""))
    dump = next(d for d in docs if d["id"] != doc["id"])
    stories = hostile.api("/api/stories")["items"]
    paths = ["/", "/stories", "/documents", "/topics", "/relations", "/alerts", "/new", "/search?q=" + quote(SCRIPT),
             "/search?q=" + quote(IMG) + "&offset=20", "/no/such/" + quote(SCRIPT),
             "/documents/" + quote(SCRIPT, safe=""), "/entities/" + quote(IMG, safe=""),
             "/entities", "/events", "/claims", "/quotes", "/quotes?text=" + quote(SCRIPT) + "&sort=" + quote(IMG),
             "/entities?name=" + quote(IMG) + "&type=" + quote(SCRIPT)]
    paths += [f"/documents/{d['id']}" for d in docs] + [f"/stories/{s['id']}" for s in stories]
    paths += [f"/topics/{t['id']}" for t in hostile.api("/api/topics")["items"]]
    entities = hostile.api(f"/api/documents/{doc['id']}")["entities"]
    paths += [f"/entities/{e['id']}" for e in entities]
    for path in paths:
        page.goto(hostile.url + path)
        page.wait_for_load_state("networkidle")
        _assert_inert(page)
    # The document page shows the payloads as the words they are.
    page.goto(f"{hostile.url}/documents/{doc['id']}")
    assert SCRIPT in page.locator("#doc-title").inner_text()
    assert IMG in page.locator("#doc-title").inner_text()
    assert page.locator("#reader").evaluate(READER_TEXT).count(SCRIPT) == 1
    assert page.locator("#doc-url").count() == 0  # the javascript: URL is shown, never linked
    assert page.locator("#doc-url-text").inner_text() == JS_URL
    # The fact panel fills itself from the JSON API with textContent: clicking every highlight runs nothing.
    for mark in page.locator("#reader mark.hl").all():
        mark.click()
        _assert_inert(page)
    quoted = page.locator("#reader mark.hl.quote")
    if quoted.count():
        quoted.first.click()
        page.locator("#panel-body blockquote").wait_for()
        assert "<img" in page.locator("#panel-body blockquote").first.inner_text()
    # Removed boilerplate, shown in place by the toggle, is text too.
    page.goto(f"{hostile.url}/documents/{dump['id']}")
    page.locator("label[for=show-removed]").click()
    shown = page.locator("#reader .removed .line").all_inner_texts()
    assert f"Share this {SCRIPT}" in shown and any("<img src=x onerror=alert(1)>" in t for t in shown)
    _assert_inert(page)
    # The actor list and graph of each story hold names as text.
    for story in stories:
        page.goto(f"{hostile.url}/stories/{story['id']}")
        page.keyboard.press("Tab")
        _assert_inert(page)
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
