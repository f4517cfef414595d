/* Story page: the events timeline (SVG drawn here) and the actors network (Cytoscape). */
"use strict";

(() => {
  const { data, el, svg, getJSON, link } = NG;
  const MODALITIES = ["happened", "planned", "announced", "expected", "negated"];
  const DAY = 86400000;
  const TYPE_COLOURS = {
    PERSON: "#1f5fa8", ORG: "#7a4fb0", COUNTRY: "#2e7d4f", PLACE: "#b26a00", FACILITY: "#8a6d00",
    VESSEL: "#0f7c8a", AIRCRAFT: "#b3261e", WEAPON: "#6b2e2e", PROGRAM: "#5f6b7a",
  };

  const time = (iso) => (iso ? Date.parse(String(iso).slice(0, 10) + "T00:00:00Z") : NaN);
  const fmt = (ms) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

  // ------------------------------------------------------------------ timeline

  /** The x domain: the story's dated events, leaving far outliers (a 1999 anniversary) to edge gutters. */
  function domain(dated, range) {
    const first = time(range.first), last = time(range.last);
    const near = (e) => isNaN(first) || (e.t1 >= first - 365 * DAY && e.t0 <= last + 365 * DAY);
    const core = dated.filter(near);
    const pool = core.length ? core : dated;
    let lo = Math.min(...pool.map((e) => e.t0)), hi = Math.max(...pool.map((e) => e.t1));
    const pad = Math.max((hi - lo) * 0.05, 3 * DAY);
    return [lo - pad, hi + pad];
  }

  function ticks(lo, hi, count) {
    const out = [], step = (hi - lo) / count;
    for (let i = 0; i <= count; i++) out.push(lo + i * step);
    return out;
  }

  function drawTimeline() {
    const box = document.getElementById("timeline");
    const events = data("timeline-data") || [];
    const range = data("story-range") || {};
    const placed = events.map((e) => {
      const own = e.date && e.date.start && e.date.basis !== "reported";  // a report's date is not the event's
      const t0 = time(own ? e.date.start : e.first_reported);
      return { ...e, t0, t1: own ? time(e.date.end || e.date.start) : t0, reported: !own };
    }).filter((e) => !isNaN(e.t0));
    box.dataset.events = String(placed.length);
    if (!placed.length) {
      box.append(el("p", { class: "empty" }, "None of this story's events carries a date."));
    } else {
      box.append(timelineSvg(placed, domain(placed, range), box.clientWidth || 900));
    }
    legend(events.length - placed.length, placed.some((e) => e.reported));
  }

  function timelineSvg(placed, [lo, hi], width) {
    const lanes = [...new Set(placed.map((e) => e.plover || e.type))].sort();
    const left = 130, right = 70, top = 12, row = 28, gutter = 40;
    const early = placed.some((e) => e.t0 < lo), late = placed.some((e) => e.t0 > hi);
    const height = top + lanes.length * row + (early || late ? 48 : 32);
    const x0 = left + gutter, x1 = width - right;
    const x = (t) => (t < lo ? left + gutter / 2 : t > hi ? x1 + gutter / 2 : x0 + ((t - lo) / (hi - lo)) * (x1 - x0));
    const root = svg("svg", { class: "timeline-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
    lanes.forEach((lane, i) => {
      const y = top + i * row + row / 2;
      root.append(svg("line", { class: "grid-line", x1: left, x2: width - right + gutter, y1: y, y2: y }));
      const label = svg("text", { class: "row-label", x: left - 8, y: y + 4, "text-anchor": "end" });
      label.textContent = lane;
      root.append(label);
    });
    const axisY = top + lanes.length * row + 4;
    root.append(svg("line", { class: "axis", x1: x0, x2: x1, y1: axisY, y2: axisY }));
    for (const t of ticks(lo, hi, Math.max(2, Math.min(6, Math.floor((x1 - x0) / 150))))) {
      const tick = svg("text", { class: "tick", x: x(t), y: axisY + 16, "text-anchor": "middle" });
      tick.textContent = fmt(t);
      root.append(tick);
    }
    if (early) root.append(gutterLabel(left + gutter / 2, axisY + 34, "earlier"));
    if (late) root.append(gutterLabel(x1 + gutter / 2, axisY + 34, "later"));
    for (const e of placed) root.append(eventMark(e, x, top + lanes.indexOf(e.plover || e.type) * row + row / 2));
    return root;
  }

  function gutterLabel(cx, y, text) {
    const t = svg("text", { class: "tick", x: cx, y, "text-anchor": "middle" });
    t.textContent = text;
    return t;
  }

  function eventMark(e, x, y) {
    const g = svg("g", {});
    const modality = MODALITIES.includes(e.modality) ? e.modality : "happened";
    if (e.t1 > e.t0 + DAY) {
      g.append(svg("line", { class: `range r-${modality}`, x1: x(e.t0), x2: x(e.t1), y1: y, y2: y }));
    }
    const r = 4 + 2 * Math.sqrt(e.sources || 1);
    const dot = svg("circle", { class: `ev ${modality}${e.reported ? " reported" : ""}`, cx: x(e.t0), cy: y, r, tabindex: "0", "data-id": e.id, "data-modality": modality });
    const tip = svg("title", {});
    const when = e.reported ? `undated, first reported ${e.first_reported}` : `${e.date.text || e.date.start}`;
    tip.textContent = `${e.summary || e.type} · ${when} · ${e.sources || 0} source(s)`;
    dot.append(tip);
    dot.addEventListener("click", () => showEvent(e));
    dot.addEventListener("keydown", (ev) => { if (ev.key === "Enter") showEvent(e); });
    g.append(dot);
    return g;
  }

  function legend(unplaced, anyReported) {
    const box = document.getElementById("timeline-legend");
    for (const m of MODALITIES) box.append(el("span", {}, el("span", { class: `sw ${m}` }), m));
    if (anyReported) box.append(el("span", {}, el("span", { class: "sw hollow" }), "undated: at its first report"));
    box.append(el("span", {}, "· dot size: number of sources · click a dot for its sources"));
    if (unplaced) box.append(el("span", { id: "undated" }, `· ${unplaced} event(s) with no date at all`));
  }

  function dateText(e) {
    if (e.reported) return `undated, first reported ${e.first_reported}`;
    const span = e.date.end && e.date.end !== e.date.start ? `${e.date.start} – ${e.date.end}` : e.date.start;
    return `${e.date.text || ""} (${span})`;
  }

  async function showEvent(e) {
    const box = document.getElementById("event-detail");
    box.replaceChildren(
      el("span", { class: `badge ${e.modality}` }, e.modality), " ",
      el("strong", {}, e.summary || e.type), " ",
      el("span", { class: "meta" }, `${e.plover || ""} · ${dateText(e)}`),
    );
    const parts = (e.participants || []).filter((p) => p.entity);
    if (parts.length) {
      box.append(el("div", { class: "chips" }, ...parts.map((p) => el("a", { class: "chip", href: link.entity(p.entity) }, `${p.name} (${p.role})`))));
    }
    try {
      const detail = await getJSON(`/api/events/${encodeURIComponent(e.id)}`);
      box.append(el("ul", { id: "event-sources" }, ...detail.sources.map((s) => el("li", {},
        el("a", { href: link.document(s.doc, s.trigger.start) }, s.outlet || s.title || s.doc), ` (${s.published || "undated"}): `,
        el("span", { class: "snippet" }, s.sentence.text || s.trigger.text || "")))));
    } catch (err) {
      box.append(el("p", { class: "empty" }, "The sources of this event could not be loaded."));
    }
  }

  // ------------------------------------------------------------------ network

  function drawNetwork() {
    const box = document.getElementById("network");
    const net = data("network-data");
    if (!box || !net || typeof cytoscape === "undefined") return;
    const maxW = Math.max(1, ...net.edges.map((e) => e.weight));
    const cy = cytoscape({
      container: box,
      elements: [
        ...net.nodes.map((n) => ({ data: { id: n.id, label: n.name, type: n.type || "OTHER", size: 14 + 6 * Math.sqrt(n.events) } })),
        ...net.edges.map((e, i) => ({ data: { id: `edge${i}`, source: e.source, target: e.target, width: 1 + 4 * (e.weight / maxW) } })),
      ],
      style: [
        { selector: "node", style: {
          label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 10, color: "#1d2733",
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 110,
          "background-color": (n) => TYPE_COLOURS[n.data("type")] || "#9aa3ad", "border-width": 1, "border-color": "#fff" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#b9c4d0", "curve-style": "haystack" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1d2733" } },
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 70, padding: 20 },
    });
    cy.on("tap", "node", (evt) => { window.location.assign(link.entity(evt.target.id())); });
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
    box.dataset.ready = "1";
    const types = [...new Set(net.nodes.map((n) => n.type || "OTHER"))].sort();
    const legendBox = document.getElementById("network-legend");
    for (const t of types) {
      const sw = el("span", { class: "sw" });
      sw.style.background = TYPE_COLOURS[t] || "#9aa3ad";  // CSSOM, allowed by the CSP
      legendBox.append(el("span", {}, sw, t.toLowerCase()));
    }
    legendBox.append(el("span", {}, "· click an actor to open it"));
  }

  drawTimeline();
  drawNetwork();
})();
