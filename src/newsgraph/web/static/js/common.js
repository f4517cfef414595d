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

  async function getJSON(path) {
    const res = await fetch(path, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`${res.status} ${path}`);
    return res.json();
  }

  /** A snippet of text around [start, end) with the span in bold, as DOM nodes. */
  function snippet(text, start, end, width = 80) {
    const from = Math.max(0, start - width), to = Math.min(text.length, end + width);
    return el("span", { class: "snippet" },
      (from > 0 ? "…" : "") + text.slice(from, start),
      el("b", {}, text.slice(start, end)),
      text.slice(end, to) + (to < text.length ? "…" : ""));
  }

  const enc = encodeURIComponent;
  const link = {
    entity: (id) => `/entities/${enc(id)}`,
    document: (id, start) => `/documents/${enc(id)}` + (start !== undefined && start !== null ? `#at-${start}` : ""),
    story: (id) => `/stories/${enc(id)}`,
  };

  return { data, el, svg, safeHref, getJSON, snippet, link };
})();
