/* Topic page: the topic's stories on one timeline (SVG drawn here). One row per story, a bar from its
   first to its last report, a dot per dated event of that story. Data comes from #topic-data. */
"use strict";

(() => {
  const { data, el, svg } = NG;
  const DAY = 86400000;
  const time = (iso) => (iso ? Date.parse(String(iso).slice(0, 10) + "T00:00:00Z") : NaN);
  const fmt = (ms) => new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

  function draw() {
    const box = document.getElementById("topic-timeline");
    const model = data("topic-data") || { stories: [], events: [] };
    const rows = model.stories.filter((s) => !isNaN(time(s.first_date)));
    box.dataset.stories = String(rows.length);
    if (!rows.length) {
      box.append(el("p", { class: "empty" }, "None of this topic's stories carries a date."));
      return;
    }
    const dots = model.events.map((e) => ({ ...e, t: time(e.date && e.date.start ? e.date.start : e.first_reported) }))
      .filter((e) => !isNaN(e.t) && rows.some((s) => s.id === e.story));
    const times = rows.flatMap((s) => [time(s.first_date), time(s.last_date || s.first_date)]);
    let lo = Math.min(...times), hi = Math.max(...times);
    const pad = Math.max((hi - lo) * 0.05, 3 * DAY);
    lo -= pad; hi += pad;
    const width = box.clientWidth || 900, left = Math.min(260, Math.round(width * 0.4)), right = 30, top = 10, row = 28;
    const chars = Math.max(8, Math.floor(left / 7));  // a title's room beside the bars
    const height = top + rows.length * row + 30;
    const x = (t) => left + ((Math.min(Math.max(t, lo), hi) - lo) / (hi - lo)) * (width - left - right);
    const root = svg("svg", { class: "timeline-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "group",
                              "aria-label": `${rows.length} stories on a time axis; each title links to its story` });
    rows.forEach((s, i) => {
      const y = top + i * row + row / 2;
      const label = svg("text", { class: "row-label", x: left - 8, y: y + 4, "text-anchor": "end" });
      label.textContent = (s.title || s.id).length > chars ? (s.title || s.id).slice(0, chars - 1) + "…" : (s.title || s.id);
      const link = svg("a", { href: `/stories/${encodeURIComponent(s.id)}`, class: "story-lane", "data-story": s.id });
      link.append(label);
      root.append(link);
      const a = x(time(s.first_date)), b = x(time(s.last_date || s.first_date));
      const bar = svg("line", { class: "range r-happened story-bar", x1: a, x2: Math.max(b, a + 2), y1: y, y2: y });
      const tip = svg("title", {});
      tip.textContent = `${s.title || s.id} · ${s.first_date} – ${s.last_date || s.first_date} · ${s.documents} source(s)`;
      bar.append(tip);
      root.append(bar);
      for (const e of dots.filter((d) => d.story === s.id)) {
        const dot = svg("circle", { class: `ev ${e.modality || "happened"}`, cx: x(e.t), cy: y, r: 4, "data-id": e.id });
        const t = svg("title", {});
        t.textContent = `${e.summary || e.type} · ${e.date && e.date.text ? e.date.text : "undated, first reported " + e.first_reported}`;
        dot.append(t);
        root.append(dot);
      }
    });
    const axisY = top + rows.length * row + 4;
    root.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: axisY, y2: axisY }));
    for (let i = 0; i <= 4; i++) {
      const t = lo + (i * (hi - lo)) / 4;
      const tick = svg("text", { class: "tick", x: x(t), y: axisY + 16, "text-anchor": "middle" });
      tick.textContent = fmt(t);
      root.append(tick);
    }
    box.append(root);
  }

  draw();
})();
