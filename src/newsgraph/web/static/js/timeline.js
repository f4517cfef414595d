/* The events timeline (SVG), drawn from display/timeline.py's model.

   It opens on the dense period (`model.window`); events outside the window are counted at the edge
   of their lane ("◂ 3"), and selecting that count shows every date. The zoom buttons and the overview
   strip above the chart (a brush: drag it, drag its ends, or drag across the strip; from the keyboard, arrow
   keys move it, + and − zoom, Home and End go to the ends) choose the window. One lane per PLOVER
   category, and a lane of events dated only by their report (hollow marks). Modality is a shape as
   well as a colour (colour-blind safe): happened ●, planned ◆, announced ■, expected ▲, negated ✕.
   Short titles are written beside marks where there is room; marks never cover each other (they
   stack in sub-rows). */
"use strict";

const NG_TIMELINE = (() => {
  const { el, svg, onActivate } = NG;
  const DAY = 86400000;
  const MODALITIES = ["happened", "planned", "announced", "expected", "negated"];
  const SYMBOL = { happened: "●", planned: "◆", announced: "■", expected: "▲", negated: "✕" };
  const time = (iso) => Date.parse(String(iso).slice(0, 10) + "T00:00:00Z");
  const fmt = (ms, opts) => new Date(ms).toLocaleDateString("en-GB", { timeZone: "UTC", ...opts });
  const fullDate = (ms) => fmt(ms, { day: "numeric", month: "short", year: "numeric" });
  const radius = (e) => 4 + 2 * Math.sqrt(Math.min(e.sources || 1, 16));

  /** The path of a modality's shape centred on (x, y), `r` its half size. */
  function shape(modality, x, y, r) {
    switch (modality) {
      case "planned": return `M${x},${y - r * 1.25}L${x + r * 1.25},${y}L${x},${y + r * 1.25}L${x - r * 1.25},${y}Z`;
      case "announced": return `M${x - r},${y - r}h${2 * r}v${2 * r}h${-2 * r}Z`;
      case "expected": return `M${x},${y - r * 1.2}L${x + r * 1.15},${y + r * 0.85}L${x - r * 1.15},${y + r * 0.85}Z`;
      case "negated": {
        const a = r * 0.95, w = r * 0.38;
        return `M${x - a},${y - a + w}L${x - a + w},${y - a}L${x},${y - w}L${x + a - w},${y - a}L${x + a},${y - a + w}` +
          `L${x + w},${y}L${x + a},${y + a - w}L${x + a - w},${y + a}L${x},${y + w}L${x - a + w},${y + a}` +
          `L${x - a},${y + a - w}L${x - w},${y}Z`;
      }
      default: return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
    }
  }

  const STEPS = [[1, "day"], [2, "day"], [7, "day"], [1, "month"], [3, "month"], [12, "month"], [24, "month"], [60, "month"]];

  /** Tick times every `n` days (weeks start on Mondays) or every `n` months across [lo, hi]. */
  function tickTimes(lo, hi, [n, unit]) {
    const out = [];
    const d = new Date(lo);
    if (unit === "day") {
      d.setUTCHours(0, 0, 0, 0);
      if (n === 7) d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));  // Mondays
      for (let t = d.getTime(); t <= hi; t += n * DAY) if (t >= lo) out.push(t);
    } else {
      let m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
      while (m.getUTCMonth() % n !== 0) m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
      for (; m.getTime() <= hi; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + n, 1))) {
        if (m.getTime() >= lo) out.push(m.getTime());
      }
    }
    return out;
  }

  /** Ticks at whole days, weeks, months, quarters or years: at most about `count`, at least two. */
  function ticks(lo, hi, count) {
    const days = (hi - lo) / DAY;
    let i = STEPS.findIndex(([k, u]) => days / (u === "day" ? k : k * 30.4) <= count);
    if (i < 0) i = STEPS.length - 1;
    let times = tickTimes(lo, hi, STEPS[i]);
    while (times.length < 2 && i > 0) times = tickTimes(lo, hi, STEPS[--i]);
    const [n, unit] = STEPS[i];
    const label = unit === "day" ? { day: "numeric", month: "short" } : n >= 12 ? { year: "numeric" } : { month: "short", year: "numeric" };
    return times.map((t) => ({ t, text: fmt(t, label) }));
  }

  let measure = null;
  function textWidth(text) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    return measure.measureText(text).width;
  }

  /** Sub-rows of one lane's marks (no two overlap), then a title beside each mark that has room. */
  function stack(items) {
    const rows = [];
    for (const it of items) {
      let i = rows.findIndex((row) => it.cx - it.r > row[row.length - 1].right + 2);
      if (i < 0) { i = rows.length; rows.push([]); }
      it.row = i;
      it.right = Math.max(it.cx + it.r, it.barEnd);
      rows[i].push(it);
    }
    for (const row of rows) {
      row.forEach((it, k) => {
        const next = row[k + 1], room = (next ? next.cx - next.r - 4 : it.limit) - (it.cx + it.r + 4);
        const w = textWidth(it.e.title || "");
        it.label = it.e.title && w <= room ? it.e.title : null;
      });
    }
    return Math.max(1, rows.length);
  }

  function draw(box, model, { onSelect, status }) {
    const events = model.events.map((e) => ({ ...e, t0: time(e.t0), t1: time(e.t1) }));
    const full = [time(model.full.start), time(model.full.end)];
    const dense = [time(model.window.start), time(model.window.end)];
    let win = dense.slice();

    function setWindow(lo, hi) {
      const minSpan = 4 * DAY;
      if (hi - lo < minSpan) { const mid = (lo + hi) / 2; lo = mid - minSpan / 2; hi = mid + minSpan / 2; }
      win = [Math.max(full[0], lo), Math.min(full[1], hi)];
      if (win[1] - win[0] < minSpan) win = full.slice();
      render();
    }

    const chart = el("div", { class: "timeline-chart" });
    const overview = el("div", { class: "timeline-overview" });
    box.replaceChildren(overview, chart);  // the strip on top: a drag never moves it

    function render() {
      const width = Math.max(280, box.clientWidth || 900);
      chart.replaceChildren(chartSvg(width));
      // The strip is built once per width and its brush moved in place: a drag keeps its element.
      if (overview.dataset.width !== String(width)) {
        overview.replaceChildren(overviewSvg(width));
        overview.dataset.width = String(width);
      }
      placeBrush();
      const [lo, hi] = win;
      const before = events.filter((e) => e.t1 < lo).length, after = events.filter((e) => e.t0 > hi).length;
      box.dataset.events = String(events.length);
      box.dataset.window = `${new Date(lo).toISOString().slice(0, 10)}/${new Date(hi).toISOString().slice(0, 10)}`;
      box.dataset.outside = String(before + after);
      if (status) {
        status.textContent = `Showing ${fullDate(lo)} – ${fullDate(hi)}` +
          (before || after ? ` · ${before} event${before === 1 ? "" : "s"} earlier, ${after} later (at the edges)` : " · every dated event");
      }
    }

    function chartSvg(width) {
      const narrow = width < 560;
      const left = narrow ? 88 : 140, gutter = narrow ? 30 : 40, right = 8, top = 8, subH = 22, lanePad = 8;
      const x0 = left + gutter, x1 = width - right - gutter;
      const [lo, hi] = win;
      const x = (t) => x0 + ((t - lo) / (hi - lo)) * (x1 - x0);
      const lanes = model.lanes.map((name) => ({ name, items: [], before: [], after: [] }));
      const byName = Object.fromEntries(lanes.map((l) => [l.name, l]));
      for (const e of [...events].sort((a, b) => a.t0 - b.t0 || a.id.localeCompare(b.id))) {
        const lane = byName[e.lane];
        // An event is in view when its dates overlap the window ("August" from the 21st): its mark
        // goes where it enters the window, its bar runs to where it leaves.
        if (e.t1 < lo) lane.before.push(e);
        else if (e.t0 > hi) lane.after.push(e);
        else {
          const from = Math.max(e.t0, lo);
          lane.items.push({ e, cx: x(from), r: radius(e), barEnd: e.t1 > from + DAY ? x(Math.min(e.t1, hi)) : 0, limit: x1 + gutter - 2 });
        }
      }
      let y = top;
      for (const lane of lanes) {
        lane.top = y;
        lane.rows = stack(lane.items);
        y += lane.rows * subH + lanePad;
      }
      const axisY = y + 2, height = axisY + 26;
      const root = svg("svg", { class: "timeline-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
                                "aria-label": `Events from ${fullDate(lo)} to ${fullDate(hi)}, one row per PLOVER category`,
                                "data-x0": x0.toFixed(1), "data-x1": x1.toFixed(1) });
      for (const lane of lanes) {
        const mid = lane.top + subH / 2;
        root.append(svg("rect", { class: `lane-band${lane.name === model.report_lane ? " reported" : ""}`, x: 0, y: lane.top - 2,
                                  width, height: lane.rows * subH + 4, "aria-hidden": "true" }));
        const label = svg("text", { class: "row-label", x: left - 8, y: mid + 4, "text-anchor": "end", "aria-hidden": "true" });
        const name = lane.name.replace(/_/g, " ");
        label.textContent = narrow && name.length > 12 ? name.slice(0, 11) + "…" : name;
        root.append(label);
        lane.items.forEach((it) => { it.y = lane.top + subH / 2 + it.row * subH; });
        if (lane.before.length) root.append(outliers(lane, lane.before, left + gutter / 2, mid, "earlier"));
        if (lane.after.length) root.append(outliers(lane, lane.after, x1 + gutter / 2, mid, "later"));
      }
      root.append(svg("line", { class: "axis", x1: x0, x2: x1, y1: axisY, y2: axisY, "aria-hidden": "true" }));
      for (const tick of ticks(lo, hi, Math.max(2, Math.floor((x1 - x0) / (narrow ? 70 : 95))))) {
        root.append(svg("line", { class: "grid-line", x1: x(tick.t), x2: x(tick.t), y1: top, y2: axisY, "aria-hidden": "true" }));
        const t = svg("text", { class: "tick", x: x(tick.t), y: axisY + 16, "text-anchor": "middle", "aria-hidden": "true" });
        t.textContent = tick.text;
        root.append(t);
      }
      const items = lanes.flatMap((l) => l.items).sort((a, b) => a.e.t0 - b.e.t0 || a.y - b.y);  // Tab moves through time
      for (const it of items) root.append(mark(it));
      return root;
    }

    function outliers(lane, list, cx, y, side) {
      const g = svg("g", { class: `outliers ${side}`, tabindex: "0", role: "button",
                           "aria-label": `${list.length} ${side} event${list.length === 1 ? "" : "s"} in ${lane.name}: show every date` });
      const arrow = side === "earlier" ? `M${cx - 9},${y}l7,-6v12Z` : `M${cx + 9},${y}l-7,-6v12Z`;
      g.append(svg("path", { d: arrow, class: "outlier-arrow" }));
      const t = svg("text", { class: "outlier-count", x: side === "earlier" ? cx + 1 : cx - 1, y: y + 4,
                              "text-anchor": side === "earlier" ? "start" : "end" });
      t.textContent = String(list.length);
      g.append(t);
      const tip = svg("title", {});
      tip.textContent = list.map((e) => `${e.title} (${fullDate(e.t0)})`).join("\n");
      g.append(tip);
      onActivate(g, () => setWindow(full[0], full[1]));
      return g;
    }

    function mark(it) {
      const e = it.e, modality = MODALITIES.includes(e.modality) ? e.modality : "happened";
      const g = svg("g", { class: "ev-mark" });
      if (it.barEnd) g.append(svg("line", { class: `range r-${modality}`, x1: it.cx, x2: it.barEnd, y1: it.y, y2: it.y, "aria-hidden": "true" }));
      const when = e.placement === "reported" ? `undated, reported ${fullDate(e.t0)}` :
        e.t1 > e.t0 + DAY ? `${fullDate(e.t0)} – ${fullDate(e.t1)}` : fullDate(e.t0);
      const label = `${e.title} · ${when} · ${modality} · ${e.sources || 0} source(s)`;
      const node = svg("path", { d: shape(modality, it.cx, it.y, it.r), class: `ev ${modality}${e.placement === "reported" ? " reported" : ""}`,
                                 tabindex: "0", role: "button", "aria-label": label, "data-id": e.id, "data-modality": modality,
                                 "data-date": new Date(e.t0).toISOString().slice(0, 10), "data-x": it.cx.toFixed(1) });
      const tip = svg("title", {});
      tip.textContent = label;
      node.append(tip);
      onActivate(node, () => onSelect(e));
      g.append(node);
      if (it.label) {
        const t = svg("text", { class: "ev-title", x: it.cx + it.r + 4, y: it.y + 4, "aria-hidden": "true" });
        t.textContent = it.label;
        g.append(t);
      }
      return g;
    }

    /** The overview strip: every event across the full range, and the brush of the window shown above. */
    function overviewSvg(width) {
      const pad = 10, h = 38, x0 = pad, x1 = width - pad;
      const x = (t) => x0 + ((t - full[0]) / (full[1] - full[0])) * (x1 - x0);
      const t = (px) => full[0] + ((px - x0) / (x1 - x0)) * (full[1] - full[0]);
      const root = svg("svg", { class: "timeline-overview-svg", width, height: h, viewBox: `0 0 ${width} ${h}` });
      root.append(svg("rect", { class: "overview-bg", x: x0, y: 4, width: x1 - x0, height: 20 }));
      for (const e of events) root.append(svg("line", { class: `overview-tick ${e.modality}`, x1: x(e.t0), x2: x(e.t0), y1: 7, y2: 21, "aria-hidden": "true" }));
      for (const tick of ticks(full[0], full[1], Math.max(2, Math.floor((x1 - x0) / 110)))) {
        const label = svg("text", { class: "tick", x: x(tick.t), y: 35, "text-anchor": "middle", "aria-hidden": "true" });
        label.textContent = tick.text;
        root.append(label);
      }
      const brush = svg("rect", { class: "brush", y: 2, height: 24, tabindex: "0", role: "slider",
                                  "aria-label": "Time window of the chart: arrow keys move it, + and − zoom, Home and End go to the ends",
                                  "aria-valuemin": String(full[0]), "aria-valuemax": String(full[1]) });
      root.append(brush);
      for (const side of [0, 1]) root.append(svg("rect", { class: "brush-handle", "data-side": String(side), y: 6, width: 6, height: 16 }));
      root.scale = x;
      brush.addEventListener("keydown", (ev) => {
        const span = win[1] - win[0], step = span * 0.1;
        const keys = {
          ArrowLeft: () => setWindow(win[0] - step, win[1] - step), ArrowRight: () => setWindow(win[0] + step, win[1] + step),
          "+": () => zoom(0.5), "=": () => zoom(0.5), "-": () => zoom(2), Home: () => setWindow(full[0], full[0] + span),
          End: () => setWindow(full[1] - span, full[1]),
        };
        if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
      });
      dragging(root, x, t);
      return root;
    }

    /** The brush over the window shown, its ends, and what a screen reader says of it. */
    function placeBrush() {
      const root = overview.querySelector("svg"), x = root.scale;
      const bx = x(win[0]), bw = Math.max(6, x(win[1]) - bx);
      const brush = root.querySelector(".brush");
      for (const [k, v] of Object.entries({ x: bx, width: bw, "aria-valuenow": String(win[0]),
                                            "aria-valuetext": `${fullDate(win[0])} to ${fullDate(win[1])}` })) brush.setAttribute(k, v);
      root.querySelectorAll(".brush-handle").forEach((h) => h.setAttribute("x", (h.dataset.side === "1" ? bx + bw : bx) - 3));
    }

    /** Pointer drags on the strip: the brush pans, a handle resizes, the background draws a new window. */
    function dragging(root, x, t) {
      root.addEventListener("pointerdown", (ev) => {
        const rect = root.getBoundingClientRect(), px = (e) => e.clientX - rect.left;
        const start = px(ev), target = ev.target, [lo0, hi0] = win;
        const mode = target.classList.contains("brush-handle") ? `side${target.dataset.side}` : target.classList.contains("brush") ? "pan" : "draw";
        root.setPointerCapture(ev.pointerId);
        const move = (e) => {
          const dt = t(px(e)) - t(start);
          if (mode === "pan") setWindow(lo0 + dt, hi0 + dt);
          else if (mode === "side0") setWindow(Math.min(lo0 + dt, hi0 - DAY), hi0);
          else if (mode === "side1") setWindow(lo0, Math.max(hi0 + dt, lo0 + DAY));
          else setWindow(Math.min(t(start), t(px(e))), Math.max(t(start), t(px(e))));
        };
        const up = () => { root.removeEventListener("pointermove", move); root.removeEventListener("pointerup", up); };
        root.addEventListener("pointermove", move);
        root.addEventListener("pointerup", up);
      });
    }

    function zoom(factor) {
      const mid = (win[0] + win[1]) / 2, half = ((win[1] - win[0]) * factor) / 2;
      setWindow(mid - half, mid + half);
    }

    render();
    return { render, zoom, dense: () => setWindow(dense[0], dense[1]), all: () => setWindow(full[0], full[1]) };
  }

  /** The legend: each modality's shape and colour, hollow for report dates, the size rule. */
  function legend(box, anyReported) {
    box.replaceChildren();
    for (const m of MODALITIES) box.append(el("span", { class: "legend-item" }, el("span", { class: `sym ${m}`, "aria-hidden": "true" }, SYMBOL[m]), m));
    if (anyReported) box.append(el("span", { class: "legend-item" }, el("span", { class: "sym hollow", "aria-hidden": "true" }, "○"), "hollow: dated only by its report"));
    box.append(el("span", {}, "· size: number of sources · select a mark for its sources"));
  }

  return { draw, legend, shape };
})();
