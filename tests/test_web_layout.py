"""The web UI at phone and desktop widths, from the keyboard, under an axe-core scan, and when requests fail.

Real Chromium (Debian's) through Playwright against the real server (tests/webtools.py). axe-core is
vendored from npm by web/vendor.sh into tests/vendor (a test tool, not shipped in the package).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from webtools import LiveServer, needs_chromium

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
PAGE_TYPES = ["stories", "stories-path", "story", "documents", "document", "entity", "topics", "topic", "search",
              "search-empty", "relations", "alerts", "new", "not-found", "missing-record",
              "entities-index", "events-index", "claims-index", "quotes-index", "documents-index"]

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def urls(live: LiveServer) -> dict[str, str]:
    """One URL per page type, on records of the sample store."""
    stories = live.api("/api/stories", limit=200)["items"]
    story = max(stories, key=lambda s: s["events"])
    docs = live.api("/api/documents", limit=200, duplicates="false")["items"]
    doc = max(docs, key=lambda d: len(live.api(f"/api/documents/{d['id']}")["removed"]))
    entity = live.api("/api/entities", limit=1)["items"][0]
    topic = live.api("/api/topics", limit=1)["items"][0]
    return {
        "stories": "/", "stories-path": "/stories", "story": f"/stories/{story['id']}",
        "documents": "/documents", "document": f"/documents/{doc['id']}", "entity": f"/entities/{entity['id']}",
        "topics": "/topics", "topic": f"/topics/{topic['id']}",
        "search": "/search?q=carrier", "search-empty": "/search?q=whereas", "relations": "/relations",
        "alerts": "/alerts", "new": "/new", "not-found": "/no/such/page", "missing-record": "/stories/no_such_story",
        "entities-index": "/entities?type=person", "events-index": "/events?sort=-sources",
        "claims-index": "/claims", "quotes-index": "/quotes?kind=direct", "documents-index": "/documents?original=any",
    }


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    tab = context.new_page()
    yield tab
    context.close()


def _open(tab, live: LiveServer, path: str) -> None:
    tab.goto(live.url + path)
    tab.wait_for_load_state("networkidle")


# --------------------------------------------------------------------------- 390 px


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_horizontal_overflow_at_390px(live, urls, phone, kind):
    _open(phone, live, urls[kind])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{kind}: the page is {width} px wide at a {PHONE['width']} px viewport"
    # The top bar's search box fits, and every table stays inside its card (it scrolls there).
    box = phone.locator("#topbar-q").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for table in phone.locator("main table").all():
        card = table.locator("xpath=ancestor::*[contains(@class,'card')][1]").bounding_box()
        wrap = table.locator("xpath=..").bounding_box()
        assert wrap["x"] + wrap["width"] <= card["x"] + card["width"] + 1, kind


def test_tapping_a_highlight_opens_the_bottom_sheet(live, urls, phone):
    _open(phone, live, urls["document"])
    panel = phone.locator("#panel")
    assert not _in_view(phone, panel), "the sheet is hidden until a highlight is tapped"
    mark = phone.locator("#reader mark.hl.entity").nth(2)
    mark.scroll_into_view_if_needed()
    mark.tap()
    phone.locator("#panel-body .fact").first.wait_for()
    _until(phone, "document.getElementById('panel').getBoundingClientRect().bottom <= window.innerHeight + 1")
    assert _in_view(phone, panel)
    box = panel.bounding_box()
    assert box["height"] <= PHONE["height"] * 0.7 and box["width"] <= PHONE["width"]
    assert _in_view(phone, mark), "the tapped words stay visible above the sheet"
    phone.locator("#panel-close").tap()
    _until(phone, "document.getElementById('panel').getBoundingClientRect().top >= window.innerHeight")
    assert not _in_view(phone, panel)


def _until(tab, expression: str, timeout_s: float = 10) -> None:
    """Poll a JS expression (``wait_for_function`` would eval it, which the pages' CSP forbids)."""
    for _ in range(int(timeout_s / 0.05)):
        if tab.evaluate(expression):
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def _in_view(tab, locator) -> bool:
    """True when the element's box is on screen and it is visible."""
    return locator.evaluate("""e => { const r = e.getBoundingClientRect();
        return getComputedStyle(e).visibility !== 'hidden' && r.bottom > 0 && r.top < window.innerHeight
               && r.height > 0; }""")


# --------------------------------------------------------------------------- accessibility


def _axe(tab) -> list[dict]:
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    return tab.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
    }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1400px"])
def test_axe_finds_no_serious_or_critical_violations(live, urls, browser, viewport):
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    found = {}
    try:
        for kind in PAGE_TYPES:
            _open(tab, live, urls[kind])
            if kind == "document":  # with the panel open and the removed lines shown
                tab.locator("#reader mark.hl").first.click()
                tab.locator("#panel-body .fact").first.wait_for()
                tab.locator("label[for=show-removed]").click()
            if kind == "story":  # with an event's sources listed
                tab.locator("#timeline .ev").first.click()
                tab.locator("#event-sources").wait_for()
            violations = _axe(tab)
            if violations:
                found[kind] = violations
    finally:
        context.close()
    assert not found, found


def test_visible_focus_and_keyboard_selection_of_a_highlight(live, urls, page):
    _open(page, live, urls["document"])
    page.locator("#reader mark.hl[role=button]").first.focus()
    page.keyboard.press("Tab")  # a real key press, so :focus-visible applies
    focused = page.evaluate("document.activeElement.matches('mark.hl') ? document.activeElement.id : null")
    assert focused, "Tab moves from highlight to highlight"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' "
                            "+ getComputedStyle(document.activeElement).outlineWidth")
    assert outline.split()[0] != "none" and float(outline.split()[1].rstrip("px")) >= 2
    page.keyboard.press("Enter")
    page.locator("#panel-body .fact").first.wait_for()
    assert page.locator(f"#{focused}").get_attribute("aria-pressed") == "true"
    page.keyboard.press(" ")  # Space activates too (and does not scroll the page)
    page.locator("#panel-body .fact").first.wait_for()


def test_timeline_dots_work_from_the_keyboard(live, urls, page):
    _open(page, live, urls["story"])
    dot = page.locator("#timeline .ev").first
    assert dot.get_attribute("role") == "button" and dot.get_attribute("aria-label")
    dot.focus()
    page.keyboard.press("Enter")
    page.locator("#event-sources li").first.wait_for()
    assert page.locator("#event-sources li").count() == len(live.api(f"/api/events/{dot.get_attribute('data-id')}")["sources"])


LABEL_BOXES = """box => box.cy.nodes().map(n => {
    const b = n.boundingBox({ includeLabels: true, includeNodes: false, includeOverlays: false });
    return { id: n.id(), x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2 };
})"""


def test_actor_graph_labels_never_overlap(live, urls, page):
    """Every story's graph: no two actor labels share a pixel, after the layout and the push-apart pass."""
    checked = 0
    for story in live.api("/api/stories", limit=200)["items"]:
        network = live.api(f"/api/stories/{story['id']}/network")
        if len(network["nodes"]) < 2:
            continue
        _open(page, live, f"/stories/{story['id']}")
        page.wait_for_selector("#network[data-ready='1']")
        boxes = page.locator("#network").evaluate(LABEL_BOXES)
        assert len(boxes) == len(network["nodes"])
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = min(a["x2"], b["x2"]) > max(a["x1"], b["x1"]) and min(a["y2"], b["y2"]) > max(a["y1"], b["y1"])
                assert not overlap, (story["id"], a["id"], b["id"])
        checked += 1
    assert checked >= 2


def test_actor_graph_works_from_the_keyboard(live, urls, page):
    _open(page, live, urls["story"])
    page.wait_for_selector("#network[data-ready='1']")
    network = page.locator("#network")
    page.locator("#actor-list a").first.focus()  # the graph is the stop before the actor list
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "network"
    status = page.locator("#network-status")
    first = status.inner_text()
    names = {n["name"] for n in live.api(f"/api/stories/{urls['story'].rsplit('/', 1)[1]}/network")["nodes"]}
    assert first.split(":")[0] in names
    seen = {first.split(":")[0]}
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Home", "End"):
        page.keyboard.press(key)
        seen.add(status.inner_text().split(":")[0])
    assert len(seen & names) >= 2, seen
    selected = network.evaluate("box => box.cy.$('node:selected').map(n => n.data('label'))")
    assert len(selected) == 1 and selected[0] in names
    page.keyboard.press("Enter")
    page.wait_for_url("**/entities/**")
    assert page.locator("#entity-name").inner_text() == selected[0]


def test_actor_list_links_every_actor(live, urls, page):
    _open(page, live, urls["story"])
    network = live.api(f"/api/stories/{urls['story'].rsplit('/', 1)[1]}/network")
    links = page.locator("#actor-list a")
    assert links.count() == len(network["actors"])
    hrefs = set(links.evaluate_all("els => els.map(a => a.getAttribute('href'))"))
    assert hrefs == {f"/entities/{a['id']}" for a in network["actors"]}


# --------------------------------------------------------------------------- loading, empty and error states


def test_panel_shows_loading_then_says_a_failed_request_failed(live, urls, page):
    _open(page, live, urls["document"])
    held = []
    page.route("**/api/entities/**", lambda route: held.append(route))
    page.locator("#reader mark.hl.entity").first.click()
    loading = page.locator("#panel-body .fact .loading")
    loading.wait_for()
    assert "Loading" in loading.inner_text()
    assert page.locator("#panel-body .fact").get_attribute("aria-busy") == "true"
    _wait_for(page, held)
    held[0].fulfill(status=503, body='{"detail": "store unavailable"}', content_type="application/json")
    failed = page.locator("#panel-body .failed")
    failed.wait_for()
    text = failed.inner_text()
    assert "Could not load" in text and "503" in text
    assert "not linked" not in page.locator("#panel-body").inner_text()
    page.unroute("**/api/entities/**")
    failed.locator("button").click()  # try again, now answered
    page.locator("#panel-body a.panel-entity").wait_for()
    assert page.locator("#panel-body .failed").count() == 0


def _wait_for(tab, held: list, timeout_s: float = 10) -> None:
    """Until a route handler has held a request (handlers run while Playwright waits)."""
    for _ in range(int(timeout_s / 0.05)):
        if held:
            return
        tab.wait_for_timeout(50)
    raise AssertionError("the request never came")


def test_a_missing_record_is_stated_as_a_fact(live, urls, page):
    _open(page, live, urls["document"])
    page.route("**/api/entities/**", lambda route: route.fulfill(status=404, body='{"detail": "no entity"}',
                                                                 content_type="application/json"))
    page.locator("#reader mark.hl.entity").first.click()
    page.locator("#panel-body .fact .empty").wait_for()
    assert "Not linked to an entity" in page.locator("#panel-body").inner_text()
    assert page.locator("#panel-body .failed").count() == 0


def test_an_unreachable_server_is_a_failure_not_a_fact(live, urls, page):
    _open(page, live, urls["story"])
    page.route("**/api/events/**", lambda route: route.abort())
    page.locator("#timeline .ev").first.click()
    page.locator("#event-detail .failed").wait_for()
    assert "could not be reached" in page.locator("#event-detail .failed").inner_text()


def test_a_slow_page_shows_a_loading_bar(live, urls, page):
    _open(page, live, "/")
    # The old page records the bar (sessionStorage outlives the navigation); Playwright cannot read
    # the page while its navigation is held.
    page.evaluate("""() => new MutationObserver(() => {
        const bar = document.getElementById('nav-progress');
        if (bar) sessionStorage.setItem('progress', bar.textContent);
    }).observe(document.body, { childList: true })""")
    held = []
    page.route("**/stories/*", lambda route: held.append(route))
    page.evaluate("document.querySelector('a.story-title').click()")  # a click that does not wait for the page
    _wait_for(page, held)
    page.wait_for_timeout(900)  # longer than the bar's 400 ms delay
    held[0].continue_()
    page.wait_for_selector("#story-title")
    assert "Loading" in (page.evaluate("sessionStorage.getItem('progress')") or "")
    assert page.locator("#nav-progress").count() == 0  # the new page starts without it


def test_search_explains_an_empty_result_and_pages(live, page):
    _open(page, live, "/search?q=whereas")
    why = page.locator("#why-empty").inner_text()
    assert "“whereas”" in why and "too common" in why
    _open(page, live, "/search?q=zqxwv+carrier")
    hits = live.api("/api/search", q="zqxwv carrier")
    assert page.locator("#results li").count() == min(hits["total"], 20) > 0
    _open(page, live, "/search?q=zqxwvk")
    assert "No document contains “zqxwvk”" in page.locator("#why-empty").inner_text()
    total = live.api("/api/search", q="japan")["total"]
    assert total > 10
    _open(page, live, "/search?q=japan&offset=10")
    assert page.locator("#results li").count() == total - 10
    assert page.locator("#results").get_attribute("start") == "11"
    prev = page.locator(".pager a[rel=prev]")
    assert prev.get_attribute("href") == "/search?q=japan"


def test_error_pages_are_html(live, page):
    for path, status, heading in (("/no/such/page", 404, "Page not found"),
                                  ("/stories/no_such_story", 404, "No story with this id")):
        response = page.goto(live.url + path)
        assert response.status == status
        assert page.locator("h1").inner_text() == heading
        assert page.locator("#error-page a[href='/']").count() == 1
    response = page.goto(live.url + "/stories")
    assert response.status == 200 and page.locator("tr.story-row").count() > 0


# --------------------------------------------------------------------------- removed boilerplate


READER_REMOVALS = """reader => {
    const out = []; let offset = 0;
    const walk = (node) => {
        for (const child of node.childNodes) {
            if (child.nodeType === 1 && child.classList.contains('removed')) {
                out.push({ at: offset, text: child.querySelector('.line').textContent,
                           shown: getComputedStyle(child).display !== 'none' });
            } else if (child.nodeType === 3) { offset += child.textContent.length; }
            else { walk(child); }
        }
    };
    walk(reader);
    return out;
}"""


def test_removed_lines_are_shown_in_place_by_the_toggle(live, urls, page):
    _open(page, live, urls["document"])
    doc = live.api(f"/api/documents/{urls['document'].rsplit('/', 1)[1]}")
    assert doc["removed"] and all(r["at"] is not None for r in doc["removed"])
    reader = page.locator("#reader")
    hidden = reader.evaluate(READER_REMOVALS)
    assert hidden and not any(r["shown"] for r in hidden)
    toggle = page.locator("#show-removed")
    page.locator("label[for=show-removed]").click()
    assert toggle.is_checked()
    shown = reader.evaluate(READER_REMOVALS)
    assert all(r["shown"] for r in shown)
    # Each removed line sits at the offset the cleaner recorded, in raw line order.
    assert [(r["at"], r["text"]) for r in shown] == [(r["at"], r["text"]) for r in doc["removed"]]
    reasons = page.locator("#reader .removed .why").all_inner_texts()
    assert all(t.startswith("removed: ") for t in reasons)
    page.locator("#show-removed").focus()
    page.keyboard.press("Space")  # the toggle works from the keyboard
    assert not toggle.is_checked()
