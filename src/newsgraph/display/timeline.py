"""What a story's timeline draws: events placed on a time axis, the dense period it opens on, lanes.

``timeline_view(events)`` takes events in the API's shape and returns, for the chart script:

- ``events``: the placed events, each with ``t0``/``t1`` (ISO days: where its marker and bar go),
  ``placement`` (``stated``: the text dates it; ``reported``: only its report's date is known, drawn
  hollow in its own lane), ``lane`` (its PLOVER category, or ``REPORT_LANE``), ``modality`` and a
  short ``title`` for a label where there is room;
- ``undated``: events with no date at all (listed under the chart, never piled at one spot);
- ``full``: the range of every placed event; ``window``: the dense period the chart opens on, the
  shortest span holding ``DENSE_SHARE`` of the dated events (widened to take in events just beside
  it); events outside it are drawn at the edge, as outliers. ``window`` is ``full`` when zooming
  would not help (the dense part already fills half the range, or there are few events);
- ``lanes``: the lanes in drawing order (PLOVER categories sorted, ``report_lane`` last).

The window is chosen from the events the text dates (a report's date is when it was written, not
when the event happened); report-dated events near it are taken in.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from newsgraph.outputs.brief_events import event_labels

REPORT_LANE = "report-dated"
DENSE_SHARE = 0.6  # share of the dated events the opening window must hold
DENSE_MIN = 3  # fewer dated events than this: no zoom
WIDEN = 0.2  # events this far outside the window (as a share of its width) are taken in
WIDEN_MIN_DAYS = 3  # ... or this many days, whichever is more (a one-day cluster takes in its week)
ZOOM_WHEN = 0.5  # zoom only when the window is narrower than this share of the full range
PAD = 0.04  # padding on each side of a window, as a share of its width (at least one day)
TITLE_CHARS = 28


def _day(iso: Any) -> date | None:
    try:
        return date.fromisoformat(str(iso)[:10]) if iso else None
    except ValueError:
        return None


def _first_reported(event: dict[str, Any]) -> date | None:
    days = [d for h in event.get("history") or [] if (d := _day(h.get("published")))]
    return min(days) if days else _day(event.get("first_reported"))


def short_title(event: dict[str, Any], labels: dict[str, str] | None = None) -> str:
    """``port call · Italy``: the event's kind and its first named participant, cut to ``TITLE_CHARS``."""
    kind = (labels or {}).get(event.get("type") or "", (event.get("type") or "event").replace("_", " ").lower())
    who = next((p.get("name") for p in event.get("participants") or [] if p.get("name")), None)
    text = f"{kind} · {who}" if who else kind
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rstrip() + "…"


def _place(event: dict[str, Any], labels: dict[str, str]) -> dict[str, Any] | None:
    when = event.get("date") or {}
    stated = _day(when.get("start")) if when.get("basis") != "reported" else None
    if stated is not None:
        t0, t1, placement = stated, max(stated, _day(when.get("end")) or stated), "stated"
    else:
        t0 = _day(when.get("start")) if when.get("basis") == "reported" else None
        t0 = t0 or _first_reported(event)
        if t0 is None:
            return None
        t1, placement = t0, "reported"
    lane = (event.get("plover") or event.get("type") or "event") if placement == "stated" else REPORT_LANE
    return _detail(event) | {"t0": t0, "t1": t1, "placement": placement, "lane": lane,
                             "title": short_title(event, labels)}


DETAIL = ("id", "type", "plover", "summary", "date", "sources", "participants", "story")


def _detail(event: dict[str, Any]) -> dict[str, Any]:
    """What the chart shows of an event when it is selected (the API's fields)."""
    return {k: event.get(k) for k in DETAIL} | {"modality": event.get("modality") or "happened"}


def dense_window(starts: list[date], others: list[date] | None = None) -> tuple[date, date] | None:
    """The shortest span holding ``DENSE_SHARE`` of ``starts``, widened to take in any start (or any
    of ``others``) within ``WIDEN`` of its width beyond an edge; None when there are too few."""
    starts = sorted(starts)
    n = len(starts)
    if n < DENSE_MIN:
        return None
    k = max(DENSE_MIN, math.ceil(DENSE_SHARE * n))
    i = min(range(n - k + 1), key=lambda j: (starts[j + k - 1] - starts[j], j))
    lo, hi = starts[i], starts[i + k - 1]
    pool = sorted(set(starts) | set(others or []))
    changed = True
    while changed:
        reach = timedelta(days=max(WIDEN_MIN_DAYS, (hi - lo).days * WIDEN))
        near = [t for t in pool if lo - reach <= t <= hi + reach]
        changed = min(near) < lo or max(near) > hi
        lo, hi = min(near), max(near)
    return lo, hi


def _padded(lo: date, hi: date) -> dict[str, str]:
    pad = timedelta(days=max(1, round((hi - lo).days * PAD)))
    return {"start": (lo - pad).isoformat(), "end": (hi + pad).isoformat()}


def timeline_view(events: list[dict[str, Any]], labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The chart's model of a story's (or any list of) events; see the module docstring."""
    labels = labels if labels is not None else event_labels()
    placed, undated = [], []
    for event in events:
        spot = _place(event, labels)
        if spot is None:
            undated.append(_detail(event) | {"title": short_title(event, labels)})
        else:
            placed.append(spot)
    if not placed:
        return {"events": [], "undated": undated, "full": None, "window": None, "lanes": [], "report_lane": REPORT_LANE}
    lo = min(e["t0"] for e in placed)
    hi = max(e["t1"] for e in placed)
    stated = [e["t0"] for e in placed if e["placement"] == "stated"]
    reported = [e["t0"] for e in placed if e["placement"] == "reported"]
    dense = dense_window(stated, reported) if len(stated) >= DENSE_MIN else dense_window(stated + reported)
    full = _padded(lo, hi)
    zoom = dense is not None and (dense[1] - dense[0]).days < ZOOM_WHEN * max(1, (hi - lo).days)
    lanes = sorted({e["lane"] for e in placed if e["lane"] != REPORT_LANE})
    if any(e["lane"] == REPORT_LANE for e in placed):
        lanes.append(REPORT_LANE)
    out = [e | {"t0": e["t0"].isoformat(), "t1": e["t1"].isoformat()} for e in placed]
    return {"events": out, "undated": undated, "full": full, "window": _padded(*dense) if zoom else full,
            "lanes": lanes, "report_lane": REPORT_LANE}

