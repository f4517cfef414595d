/* Relations page: one line per country pair, monthly score, drawn with the vendored Chart.js. */
"use strict";

(() => {
  /** Every month from the first to the last, so that the x axis keeps time proportional. */
  function monthRange(found) {
    const sorted = [...new Set(found)].sort();
    if (!sorted.length) return [];
    let [y, m] = sorted[0].split("-").map(Number);
    const out = [], last = sorted[sorted.length - 1];
    for (let guard = 0; guard < 600; guard++) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      out.push(key);
      if (key >= last) break;
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  const rel = NG.data("relations-data");
  const canvas = document.getElementById("relations-chart");
  if (!rel || !canvas) return;
  if (typeof Chart === "undefined") {
    canvas.parentNode.replaceChildren(NG.el("p", { class: "failed" }, "The chart library did not load; the table below has the same numbers."));
    return;
  }
  const PALETTE = ["#1f5fa8", "#b3261e", "#2e7d4f", "#935700", "#7a4fb0", "#0f7c8a", "#6b2e2e", "#5f6b7a",
                   "#d4a017", "#c2185b", "#00897b", "#3949ab"];
  const months = monthRange(rel.months.map((m) => m.month));
  const datasets = rel.pairs.map((pair, i) => {
    const byMonth = new Map(rel.months.filter((m) => m.pair === pair).map((m) => [m.month, m.score]));
    const colour = PALETTE[i % PALETTE.length];
    return { label: pair, data: months.map((m) => (byMonth.has(m) ? byMonth.get(m) : null)), borderColor: colour,
             backgroundColor: colour, spanGaps: false, tension: 0.2, pointRadius: 4 };
  });
  const chart = new Chart(canvas, {
    type: "line",
    data: { labels: months, datasets },
    options: {
      maintainAspectRatio: false, animation: false,
      scales: { y: { min: -10, max: 10, title: { display: true, text: "conflict ← score → cooperation" } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  canvas.dataset.series = String(chart.data.datasets.length);
  canvas.dataset.ready = "1";
})();
