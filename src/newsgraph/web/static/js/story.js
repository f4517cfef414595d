/* Story page: the events timeline (drawn by timeline.js), an event's sources, the actors network
   (Cytoscape), and the brief's citation tooltips.

   All work from the keyboard: timeline marks are buttons (Tab, Enter or Space lists the event's
   sources); the network graph takes the focus, arrow keys move to the nearest actor in that
   direction, Enter opens it, and the list below the graph has every actor as a link. After the
   force layout, actors are pushed apart until no two labels (or a label and a node) overlap. */
"use strict";

(() => {
  const { data, el, getJSON, loading, failure, link } = NG;
  const TYPE_COLOURS = {
    PERSON: "#1f5fa8", ORG: "#7a4fb0", COUNTRY: "#2e7d4f", PLACE: "#935700", FACILITY: "#7d6300",
    VESSEL: "#0f7c8a", AIRCRAFT: "#b3261e", WEAPON: "#6b2e2e", PROGRAM: "#56616f",
  };

  // ------------------------------------------------------------------ timeline (timeline.js draws it)

  let chart = null;
  function drawTimeline() {
    const box = document.getElementById("timeline");
    const model = data("timeline-data");
    const undated = Object.fromEntries((model ? model.undated : []).map((e) => [e.id, e]));
    for (const button of document.querySelectorAll("#undated-events .undated-event")) {
      button.addEventListener("click", () => showEvent(undated[button.dataset.id]));
    }
    if (!model || !model.events.length) {
      box.replaceChildren(el("p", { class: "empty" }, model && model.undated.length
        ? "None of this story's events carries a date: they are listed below." : "This story has no events yet."));
      box.dataset.events = "0";
      return;
    }
    chart = NG_TIMELINE.draw(box, model, { onSelect: showEvent, status: document.getElementById("timeline-status") });
    NG_TIMELINE.legend(document.getElementById("timeline-legend"), model.events.some((e) => e.placement === "reported"));
    const tools = { "zoom-dense": () => chart.dense(), "zoom-all": () => chart.all(), "zoom-in": () => chart.zoom(0.5),
                    "zoom-out": () => chart.zoom(2) };
    for (const [id, act] of Object.entries(tools)) {
      const button = document.getElementById(id);
      if (button) { button.hidden = false; button.addEventListener("click", act); }
    }
  }

  function dateText(e) {
    if (!e.date || e.placement === "reported" || e.date.basis === "reported") {
      return e.t0 ? `undated, reported ${new Date(e.t0).toISOString().slice(0, 10)}` : "undated";
    }
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
    const slot = el("div", {});
    box.append(slot);
    const load = async () => {
      slot.replaceChildren(loading("Loading the event's sources…"));
      try {
        const detail = await getJSON(`/api/events/${encodeURIComponent(e.id)}`);
        slot.replaceChildren(el("ul", { id: "event-sources" }, ...detail.sources.map((s) => el("li", {},
          el("a", { href: link.evidence(s.doc, s.sentence.start, s.sentence.end, `event:${e.id}`) }, s.outlet || s.title || s.doc), ` (${s.published || "undated"}): `,
          el("span", { class: "snippet" }, s.sentence.text || s.trigger.text || "")))));
      } catch (err) {
        slot.replaceChildren(failure("the sources of this event", err, load));
      }
    };
    await load();
  }

  // ------------------------------------------------------------------ network

  /** Push nodes apart until no two boxes (node with its label, plus a margin) overlap. */
  function separate(cy, margin = 6, rounds = 300) {
    const nodes = cy.nodes().toArray();
    const pos = nodes.map((n) => ({ ...n.position() }));
    const box = nodes.map((n, i) => {
      const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
      return { dx1: b.x1 - pos[i].x - margin, dx2: b.x2 - pos[i].x + margin, dy1: b.y1 - pos[i].y - margin, dy2: b.y2 - pos[i].y + margin };
    });
    for (let round = 0; round < rounds; round++) {
      let moved = false;
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const a = box[i], b = box[j], p = pos[i], q = pos[j];
          const ox = Math.min(p.x + a.dx2, q.x + b.dx2) - Math.max(p.x + a.dx1, q.x + b.dx1);
          const oy = Math.min(p.y + a.dy2, q.y + b.dy2) - Math.max(p.y + a.dy1, q.y + b.dy1);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) { const s = (p.x <= q.x ? -1 : 1) * (ox / 2 + 0.5); p.x += s; q.x -= s; }
          else { const s = (p.y <= q.y ? -1 : 1) * (oy / 2 + 0.5); p.y += s; q.y -= s; }
        }
      }
      if (!moved) break;
    }
    cy.batch(() => nodes.forEach((n, i) => n.position(pos[i])));
  }

  /** The nearest node from `from` in an arrow key's direction (a 90° cone), else null. */
  function nearest(cy, from, key) {
    const dir = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[key];
    const p = from.position();
    let best = null, bestScore = Infinity;
    cy.nodes().forEach((n) => {
      if (n.same(from)) return;
      const q = n.position(), dx = q.x - p.x, dy = q.y - p.y;
      const along = dx * dir[0] + dy * dir[1], across = Math.abs(dx * dir[1] - dy * dir[0]);
      if (along <= 0 || across > along) return;
      const score = along + 2 * across;
      if (score < bestScore) { best = n; bestScore = score; }
    });
    return best;
  }

  function drawNetwork() {
    const box = document.getElementById("network");
    const net = data("network-data");
    if (!box || !net) return;
    if (typeof cytoscape === "undefined") {
      box.replaceChildren(el("p", { class: "failed" }, "The graph library did not load; the list below has every actor."));
      return;
    }
    box.replaceChildren();
    const maxW = Math.max(1, ...net.edges.map((e) => e.weight));
    const cy = cytoscape({
      container: box,
      elements: [
        ...net.nodes.map((n) => ({ data: { id: n.id, label: n.name, type: n.type || "OTHER", events: n.events, size: 14 + 6 * Math.sqrt(n.events) } })),
        ...net.edges.map((e, i) => ({ data: { id: `edge${i}`, source: e.source, target: e.target, width: 1 + 4 * (e.weight / maxW) } })),
      ],
      style: [
        { selector: "node", style: {
          label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 11, color: "#1d2733",
          "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 110,
          "text-background-color": "#fbfcfd", "text-background-opacity": 0.85, "text-background-padding": 1,
          "background-color": (n) => TYPE_COLOURS[n.data("type")] || "#6a737d", "border-width": 1, "border-color": "#fff" } },
        { selector: "edge", style: { width: "data(width)", "line-color": "#b9c4d0", "curve-style": "haystack" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#1d2733", "font-weight": "bold" } },
      ],
      layout: { name: "preset" },
      userPanningEnabled: true, boxSelectionEnabled: false,
    });
    cy.layout({ name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
                nodeRepulsion: () => 12000, idealEdgeLength: () => 80, padding: 20 }).run();
    separate(cy);
    cy.fit(undefined, 20);
    box.cy = cy;  // for the tests: label boxes are read from the instance
    keyboard(cy, box, net);
    cy.on("tap", "node", (evt) => { window.location.assign(link.entity(evt.target.id())); });
    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
    box.dataset.ready = "1";
    networkLegend(net);
  }

  function keyboard(cy, box, net) {
    const status = document.getElementById("network-status");
    const list = document.getElementById("actor-list");
    const degree = (n) => n.connectedEdges().length;
    const choose = (node) => {
      cy.nodes().unselect();
      node.select();
      const ext = cy.extent(), p = node.position();
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) cy.center(node);
      status.textContent = `${node.data("label")}: ${String(node.data("type")).toLowerCase()}, ${node.data("events")} event(s), `
        + `linked to ${degree(node)} actor(s). Enter opens it.`;
      if (list) list.querySelectorAll("li").forEach((li) => li.classList.toggle("current", li.dataset.id === node.id()));
    };
    const first = () => cy.nodes().sort((a, b) => b.data("events") - a.data("events"))[0];
    box.addEventListener("focus", () => choose(cy.$("node:selected")[0] || first()));
    box.addEventListener("keydown", (e) => {
      const current = cy.$("node:selected")[0] || first();
      if (e.key.startsWith("Arrow")) {
        e.preventDefault();
        const next = nearest(cy, current, e.key);
        if (next) choose(next); else status.textContent = `No actor further ${e.key.slice(5).toLowerCase()} of ${current.data("label")}.`;
      } else if (e.key === "Home" || e.key === "End") {
        e.preventDefault();
        const sorted = cy.nodes().sort((a, b) => a.position().x - b.position().x);
        choose(e.key === "Home" ? sorted[0] : sorted[sorted.length - 1]);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        window.location.assign(link.entity(current.id()));
      }
    });
    if (list) {
      const mark = (e) => {
        const li = e.target.closest("li[data-id]");
        const node = li && cy.getElementById(li.dataset.id);
        if (node && node.length) { cy.nodes().unselect(); node.select(); }
      };
      list.addEventListener("focusin", mark);
      list.addEventListener("mouseover", mark);
    }
  }

  function networkLegend(net) {
    const types = [...new Set(net.nodes.map((n) => n.type || "OTHER"))].sort();
    const legendBox = document.getElementById("network-legend");
    for (const t of types) {
      const sw = el("span", { class: "sw" });
      sw.style.background = TYPE_COLOURS[t] || "#6a737d";  // CSSOM, allowed by the CSP
      legendBox.append(el("span", {}, sw, t.toLowerCase()));
    }
    legendBox.append(el("span", {}, "· select an actor to open it"));
  }

  // A narrower or wider window redraws the timeline at its new width.
  let width = 0, timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const box = document.getElementById("timeline");
      if (chart && box && box.clientWidth !== width) { width = box.clientWidth; chart.render(); }
    }, 150);
  });

  // A citation's tooltip (the sentence [n] cites) is moved left when it would leave the screen.
  function placeTip(e) {
    const tip = e.target.closest && e.target.closest(".cite-wrap") && e.target.closest(".cite-wrap").querySelector(".cite-tip");
    if (!tip) return;
    tip.style.left = "0px";
    const over = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (over > 0) tip.style.left = `${-over}px`;
  }
  const briefBox = document.getElementById("brief");
  if (briefBox) { briefBox.addEventListener("mouseover", placeTip); briefBox.addEventListener("focusin", placeTip); }

  drawTimeline();
  drawNetwork();
})();
