/* Shared helpers. Data from the store is untrusted: it only ever reaches the page through
   textContent / setAttribute on safe attributes, never through innerHTML. */
"use strict";

const NG = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";

  /** Parse the JSON a template embedded with `tojson` in <script type="application/json" id=...>. */
  function data(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /** Create an element; `text` is set as textContent, children appended as nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k === "href") { const u = safeHref(v); if (u) node.setAttribute("href", u); }
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  /** Only same-site paths and http(s) URLs become links: no javascript:, data: or vbscript:. */
  function safeHref(value) {
    const s = String(value).trim();
    if (s.startsWith("/") && !s.startsWith("//")) return s;
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }

  /** A failed request: `status` is the HTTP status, or 0 when the server could not be reached. */
  class HttpError extends Error {
    constructor(status, path) {
      super(status ? `HTTP ${status} for ${path}` : `no answer for ${path}`);
      this.status = status;
    }
  }

  async function getJSON(path) {
    let res;
    try {
      res = await fetch(path, { headers: { Accept: "application/json" } });
    } catch (e) {
      throw new HttpError(0, path);
    }
    if (!res.ok) throw new HttpError(res.status, path);
    return res.json();
  }

  /** "Loading …" with a spinner, announced politely. */
  function loading(text) {
    return el("p", { class: "loading", role: "status" }, text);
  }

  /** Says a request failed (never that the fact is absent), with a button to try again. */
  function failure(what, err, retry) {
    const why = err && err.status ? `the server answered ${err.status}` : "the server could not be reached";
    const box = el("p", { class: "failed", role: "alert" }, `Could not load ${what}: ${why}.`);
    if (retry) {
      const again = el("button", { type: "button", class: "btn secondary" }, "Try again");
      again.addEventListener("click", retry);
      box.append(again);
    }
    return box;
  }

  /** A snippet of text around [start, end) with the span in bold, as DOM nodes. */
  function snippet(text, start, end, width = 80) {
    const from = Math.max(0, start - width), to = Math.min(text.length, end + width);
    return el("span", { class: "snippet" },
      (from > 0 ? "…" : "") + text.slice(from, start),
      el("b", {}, text.slice(start, end)),
      text.slice(end, to) + (to < text.length ? "…" : ""));
  }

  /** Enter and Space activate an element that acts as a button. */
  function onActivate(node, handler) {
    node.addEventListener("click", (e) => handler(e, false));
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); handler(e, true); }
    });
  }

  const enc = encodeURIComponent;
  const link = {
    entity: (id) => `/entities/${enc(id)}`,
    document: (id, start) => `/documents/${enc(id)}` + (start !== undefined && start !== null ? `#at-${start}` : ""),
    story: (id) => `/stories/${enc(id)}`,
    event: (id) => `/events/${enc(id)}`,
    claim: (id) => `/claims/${enc(id)}`,
    /** The document with [start, end) highlighted and the fact (`kind:id`) open: display/links.py's format. */
    evidence: (doc, start, end, fact) => {
      const params = new URLSearchParams();
      const ok = Number.isInteger(start) && Number.isInteger(end) && end > start && start >= 0;
      if (ok) params.set("span", `${start}-${end}`);
      if (fact) params.set("fact", fact);
      const query = params.toString();
      return `/documents/${enc(doc)}` + (query ? `?${query}` : "") + (ok ? "#cited" : "");
    },
  };

  /* A page that takes a while to come (the first story page builds its brief) shows a bar. */
  function showProgress() {
    if (document.getElementById("nav-progress")) return;
    document.body.append(el("div", { id: "nav-progress", role: "status" }, "Loading the page…"));
  }
  let progressTimer = null;
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("a[href]");
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || a.target || (url.pathname === location.pathname && url.hash)) return;
    progressTimer = setTimeout(showProgress, 400);
  });
  document.addEventListener("submit", () => { progressTimer = setTimeout(showProgress, 400); });
  window.addEventListener("pageshow", () => {
    clearTimeout(progressTimer);
    const bar = document.getElementById("nav-progress");
    if (bar) bar.remove();
  });

  return { data, el, svg, safeHref, getJSON, HttpError, loading, failure, snippet, onActivate, link };
})();
