"""The story timeline's model (newsgraph.display.timeline): placement, the dense window, lanes, titles.

Events are written here in the API's shape; no store is needed.
"""

from __future__ import annotations

from datetime import date

from newsgraph.display.timeline import (
    DENSE_MIN,
    REPORT_LANE,
    TITLE_CHARS,
    dense_window,
    short_title,
    timeline_view,
)

LABELS = {"PORT_CALL": "port call", "TALKS": "talks"}


def event(n: int, start: str | None, *, end: str | None = None, basis: str = "stated", plover: str = "CONSULT",
          modality: str = "happened", published: str | None = None, who: str | None = "Navy of Ruritania") -> dict:
    when = {"start": start, "end": end or start, "text": start, "basis": basis} if start else None
    return {"id": f"ev{n}", "type": "PORT_CALL", "plover": plover, "modality": modality, "summary": f"event {n}",
            "date": when, "sources": 1, "story": "s1",
            "participants": [{"entity": "e1", "name": who, "role": "actor"}] if who else [],
            "history": [{"published": published}] if published else []}


def days(*isos: str) -> list[date]:
    return [date.fromisoformat(d) for d in isos]


# --------------------------------------------------------------------------- the dense window


def test_one_early_event_does_not_stretch_the_window():
    """Twelve events in one fortnight and one a year and a half before: the window is the fortnight."""
    late = [event(i, f"2031-05-{d:02d}") for i, d in enumerate(range(3, 27, 2))]
    view = timeline_view([event(99, "2029-11-15"), *late], LABELS)
    assert view["full"]["start"] < "2029-11-15" and view["full"]["end"] > "2031-05-25"
    assert "2031-04-25" <= view["window"]["start"] <= "2031-05-03"
    assert "2031-05-25" <= view["window"]["end"] <= "2031-06-05"
    # The early one stays in the model (the chart draws it at the edge); nothing is dropped.
    assert len(view["events"]) == 13


def test_outliers_on_both_sides_stay_outside_the_window():
    core = [event(i, f"2030-03-{d:02d}") for i, d in enumerate(range(1, 29, 3))]
    view = timeline_view([event(90, "2027-01-10"), *core, event(91, "2033-12-01")], LABELS)
    lo, hi = view["window"]["start"], view["window"]["end"]
    inside = [e for e in view["events"] if lo <= e["t0"] <= hi]
    assert {e["id"] for e in view["events"]} - {e["id"] for e in inside} == {"ev90", "ev91"}


def test_no_zoom_when_events_are_spread_evenly():
    spread = [event(i, f"2030-{m:02d}-15") for i, m in enumerate(range(1, 13))]
    view = timeline_view(spread, LABELS)
    assert view["window"] == view["full"]


def test_no_zoom_with_too_few_events():
    view = timeline_view([event(1, "2030-01-01"), event(2, "2035-01-01")], LABELS)
    assert DENSE_MIN > 2 and view["window"] == view["full"]
    assert dense_window(days("2030-01-01", "2035-01-01")) is None


def test_the_window_takes_in_neighbours_just_outside_the_cluster():
    """A cluster on days 10-12 and one more on day 14: the shortest span is widened to take day 14 in."""
    starts = days("2030-06-10", "2030-06-10", "2030-06-11", "2030-06-12", "2030-06-14", "2028-01-01")
    lo, hi = dense_window(starts)
    assert (lo, hi) == (date(2030, 6, 10), date(2030, 6, 14))


def test_report_dated_events_near_the_window_are_taken_in_but_do_not_choose_it():
    """Many reports of one old day must not pull the window away from the dated events."""
    dated = [event(i, f"2030-09-{d:02d}") for i, d in enumerate(range(1, 15, 2))]
    old_reports = [event(50 + i, None, published="2026-02-02") for i in range(10)]
    near_report = event(70, None, published="2030-09-16")
    view = timeline_view([*dated, *old_reports, near_report], LABELS)
    assert view["window"]["start"] >= "2030-08-01"
    assert view["window"]["end"] >= "2030-09-16"


# --------------------------------------------------------------------------- placement and lanes


def test_report_dated_and_undated_events_are_kept_apart():
    view = timeline_view([event(1, "2030-01-05"), event(2, None, published="2030-01-07T09:00:00Z"),
                          event(3, "2030-01-06", basis="reported"), event(4, None)], LABELS)
    placed = {e["id"]: e for e in view["events"]}
    assert placed["ev1"]["placement"] == "stated" and placed["ev1"]["lane"] == "CONSULT"
    assert placed["ev2"]["placement"] == "reported" and placed["ev2"]["lane"] == REPORT_LANE
    assert placed["ev2"]["t0"] == "2030-01-07"
    assert placed["ev3"]["lane"] == REPORT_LANE  # a date the text did not state is its report's
    assert [e["id"] for e in view["undated"]] == ["ev4"]  # no date at all: listed, never placed
    assert view["lanes"] == ["CONSULT", REPORT_LANE]  # the report lane comes last


def test_a_range_keeps_its_end_and_lanes_are_sorted():
    view = timeline_view([event(1, "2030-08-01", end="2030-08-31", plover="MOBILIZE"),
                          event(2, "2030-08-10", plover="AGREE", modality="planned")], LABELS)
    placed = {e["id"]: e for e in view["events"]}
    assert (placed["ev1"]["t0"], placed["ev1"]["t1"]) == ("2030-08-01", "2030-08-31")
    assert placed["ev2"]["modality"] == "planned"
    assert view["lanes"] == ["AGREE", "MOBILIZE"]
    assert view["full"]["start"] < "2030-08-01" < "2030-08-31" < view["full"]["end"]


def test_no_dated_event_gives_an_empty_chart_and_the_list():
    view = timeline_view([event(1, None), event(2, None)], LABELS)
    assert view["events"] == [] and view["full"] is None and len(view["undated"]) == 2


def test_an_unreadable_date_is_undated_not_an_error():
    bad = event(1, "sometime")
    view = timeline_view([bad], LABELS)
    assert view["events"] == [] and [e["id"] for e in view["undated"]] == ["ev1"]


# --------------------------------------------------------------------------- titles


def test_short_titles_name_the_kind_and_first_participant_within_the_limit():
    assert short_title(event(1, None, who="Ruritania"), LABELS) == "port call · Ruritania"
    assert short_title(event(1, None, who="Ruritania"), {}) == "port call · Ruritania"  # from the type itself
    assert short_title(event(2, None, who=None), LABELS) == "port call"
    long = short_title(event(3, None, who="The Very Long Name of a Fictional Coastal Authority"), LABELS)
    assert len(long) == TITLE_CHARS and long.endswith("…")
