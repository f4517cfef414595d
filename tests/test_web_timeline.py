"""The story timeline in real Chromium: the dense period, outliers at the edges, the zoom controls from
the keyboard, labels, shapes, the undated list, and 390 px.

Real server (tests/webtools.py) on the sample store; the chart is web/static/js/timeline.js drawing
the model of newsgraph.display.timeline.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from webtools import needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def story(live) -> dict:
    """The sample's longest story (most events), as the API gives it."""
    items = live.api("/api/stories", limit=200)["items"]
    return live.api(f"/api/stories/{max(items, key=lambda s: s['events'])['id']}")


def _day(event: dict) -> str | None:
    """The day an event is drawn at: its stated start, else its first report."""
    if event["date"] and event["date"].get("start"):
        return event["date"]["start"][:10]
    reports = sorted(h["published"] for h in event.get("history") or [] if h.get("published"))
    return reports[0][:10] if reports else None


def _open(page, live, story: dict) -> None:
    page.goto(f"{live.url}/stories/{story['id']}")
    page.wait_for_selector("#timeline svg.timeline-svg")


def _window(page) -> tuple[str, str]:
    lo, hi = page.locator("#timeline").get_attribute("data-window").split("/")
    return lo, hi


def test_the_busiest_month_fills_at_least_half_the_width(live, page, story):
    """On the sample that is August 2024: its events are spread over at least half the plot, not 42 px."""
    months = Counter(d[:7] for e in story["events"] if (d := _day(e)))
    month, count = months.most_common(1)[0]
    assert count >= 5
    _open(page, live, story)
    svg = page.locator("#timeline svg.timeline-svg")
    x0, x1 = float(svg.get_attribute("data-x0")), float(svg.get_attribute("data-x1"))
    marks = page.locator("#timeline .ev").evaluate_all("els => els.map(e => [e.dataset.date, +e.dataset.x])")
    xs = [x for d, x in marks if d.startswith(month)]
    assert len(xs) == count, "every event of the busiest month is drawn in the opening window"
    assert max(xs) - min(xs) >= 0.5 * (x1 - x0), (month, min(xs), max(xs), x0, x1)
    # The others are counted at the edges of their lanes, and the status line says how many.
    outside = int(page.locator("#timeline").get_attribute("data-outside"))
    edges = page.locator("#timeline .outliers .outlier-count").evaluate_all("els => els.map(e => e.textContent)")
    assert outside == sum(int(n) for n in edges) == len([e for e in story["events"] if _day(e)]) - len(marks) > 0
    assert "at the edges" in page.locator("#timeline-status").inner_text()
    assert page.errors == []


def test_zoom_controls_work_from_the_keyboard(live, page, story):
    _open(page, live, story)
    dense = _window(page)
    brush = page.locator(".timeline-overview .brush")
    assert brush.get_attribute("role") == "slider" and brush.get_attribute("aria-label")
    brush.focus()
    page.keyboard.press("-")  # zoom out: a wider window
    wider = _window(page)
    assert wider[0] < dense[0] and wider[1] >= dense[1]
    assert page.evaluate("document.activeElement.classList.contains('brush')"), "the focus stays on the brush"
    page.keyboard.press("ArrowLeft")  # pan earlier
    panned = _window(page)
    assert panned[0] < wider[0] and panned[1] < wider[1]
    page.keyboard.press("Home")
    full = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent).full")
    assert _window(page)[0] == full["start"]
    # The buttons: Tab reaches them, Enter and Space press them.
    page.locator("#zoom-all").focus()
    page.keyboard.press("Enter")
    assert _window(page) == (full["start"], full["end"])
    assert page.locator("#timeline").get_attribute("data-outside") == "0"
    assert "every dated event" in page.locator("#timeline-status").inner_text()
    page.locator("#zoom-dense").focus()
    page.keyboard.press(" ")
    assert _window(page) == dense
    # An edge count is a button too: Enter shows every date.
    page.locator("#timeline .outliers").first.focus()
    page.keyboard.press("Enter")
    assert _window(page) == (full["start"], full["end"])
    assert page.errors == []


def test_planned_and_happened_differ_in_shape_and_titles_never_overlap(live, page, story):
    _open(page, live, story)
    page.locator("#zoom-all").click()
    marks = page.locator("#timeline .ev").evaluate_all(
        "els => els.map(e => [e.dataset.modality, e.getAttribute('d')])")
    assert {m for m, _ in marks} >= {"happened"}
    for modality, d in marks:  # a circle (two arcs) only for what happened
        assert ("a" in d) == (modality == "happened"), (modality, d)
    shapes = page.evaluate("['happened', 'planned', 'announced', 'expected', 'negated']"
                           ".map(m => NG_TIMELINE.shape(m, 10, 10, 5))")
    assert len(set(shapes)) == 5
    legend = page.locator("#timeline-legend .sym").all_inner_texts()
    assert len(set(legend[:5])) == 5, "the legend shows each modality's own shape"
    # Lane labels, and short titles beside the marks where there is room, never on top of each other.
    page.locator("#zoom-dense").click()
    lanes = page.locator("#timeline .row-label").all_inner_texts()
    assert len(lanes) == len(page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent).lanes"))
    boxes = page.locator("#timeline .ev-title").evaluate_all(
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })")
    assert len(boxes) >= 3
    for a, b in combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_undated_events_are_listed_apart_and_open_their_sources(live, page, story):
    undated = [e for e in story["events"] if not _day(e)]
    _open(page, live, story)
    items = page.locator("#undated-events .undated-event")
    assert items.count() == len(undated)
    if not undated:
        pytest.skip("the longest story has no undated event")
    page.locator("#undated summary").click()
    items.first.click()
    page.locator("#event-sources li").first.wait_for()
    event_id = items.first.get_attribute("data-id")
    assert page.locator("#event-sources li").count() == len(live.api(f"/api/events/{event_id}")["sources"])


def test_the_timeline_fits_a_390px_screen(live, browser, story):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        tab = context.new_page()
        _open(tab, live, story)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
        card = tab.locator("#timeline-card").bounding_box()
        for part in ("#timeline svg.timeline-svg", ".timeline-overview svg", "#timeline-legend", ".timeline-tools"):
            box = tab.locator(part).bounding_box()
            assert box["x"] >= card["x"] - 1 and box["x"] + box["width"] <= card["x"] + card["width"] + 1, part
        ticks = tab.locator("#timeline .tick").count()
        assert ticks >= 2, "the axis keeps at least two dates at 390 px"
    finally:
        context.close()


def test_dragging_across_the_strip_sets_the_window_and_dragging_the_brush_pans_it(live, page, story):
    from datetime import date

    _open(page, live, story)
    strip = page.locator(".timeline-overview svg")
    strip.scroll_into_view_if_needed()
    full = page.evaluate("JSON.parse(document.getElementById('timeline-data').textContent).full")
    span = (date.fromisoformat(full["end"]) - date.fromisoformat(full["start"])).days
    box = strip.bounding_box()
    y = box["y"] + 15
    page.mouse.move(box["x"] + 0.2 * box["width"], y)
    page.mouse.down()
    ends = []
    for step in range(1, 6):  # every move of one drag counts, not only the first
        page.mouse.move(box["x"] + (0.2 + 0.08 * step) * box["width"], y)
        ends.append(_window(page)[1])
    page.mouse.up()
    assert ends == sorted(ends) and len(set(ends)) == 5
    lo, hi = (date.fromisoformat(d) for d in _window(page))
    assert 0.3 * span <= (hi - lo).days <= 0.5 * span
    brush = page.locator(".timeline-overview .brush").bounding_box()
    page.mouse.move(brush["x"] + brush["width"] / 2, brush["y"] + brush["height"] / 2)
    page.mouse.down()
    page.mouse.move(brush["x"] + brush["width"] / 2 + 0.1 * box["width"], brush["y"] + brush["height"] / 2, steps=4)
    page.mouse.up()
    lo2, hi2 = (date.fromisoformat(d) for d in _window(page))
    assert lo2 > lo and hi2 > hi and abs((hi2 - lo2).days - (hi - lo).days) <= 1, "a pan keeps the width"
