/* Document reader: selecting a highlight shows the fact and every other source of it, read from the
   JSON API. On narrow screens the panel is a bottom sheet that slides up when a highlight is chosen.
   Each fact shows a loading state, then its data; a request that fails says so (with a retry), and
   only a 404 (the record is not resolved across sources) is stated as a fact. */
"use strict";

(() => {
  const { data, el, getJSON, loading, failure, link } = NG;
  const page = data("page-data");
  const panel = document.getElementById("panel");
  const body = document.getElementById("panel-body");
  const enc = encodeURIComponent;
  const KIND_ORDER = { event: 0, claim: 1, mention: 2, quote: 3, attr_content: 4, attr_cue: 4, attr_source: 4 };
  const ATTR_KIND = { direct: "Direct quotation", mixed: "Partly quoted", indirect: "Reported speech",
    according_to: "According to", evidence: "Evidence" };
  const sheet = window.matchMedia("(max-width: 900px)");

  const where = (o) => `${o.outlet || o.title || o.doc}${o.published ? ", " + o.published : ""}`;
  const here = (doc) => doc === page.doc;

  /** One report of a fact: a link to its evidence (the span highlighted, the fact's panel open) and a snippet. */
  function sourceItem(span, fact, label, text) {
    return el("li", {}, el("a", { href: link.evidence(span.doc, span.start, span.end, fact) }, label),
      here(span.doc) ? " (this document)" : "", text ? el("div", { class: "snippet" }, text) : null);
  }

  /** The sentence around a value, the value in bold (a value without its sentence: the value alone). */
  function inContext(value) {
    const ctx = value.context, src = value.source;
    if (!ctx || ctx.start === null || src.start === null || src.start < ctx.start || src.end > ctx.end) return src.text;
    return NG.snippet(ctx.text, src.start - ctx.start, src.end - ctx.start, 120);
  }

  /** One fact box: a loading line while `url` is fetched, then `fill(box, record)`.
      A 404 calls `missing(box)`; any other failure says the request failed and offers a retry. */
  async function factBox(kind, heading, what, url, fill, missing) {
    const box = el("div", { class: "fact", "data-kind": kind, "aria-busy": "true" }, el("div", { class: "meta" }, heading));
    body.append(box);
    const load = async () => {
      box.querySelectorAll(".loading, .failed").forEach((n) => n.remove());
      box.setAttribute("aria-busy", "true");
      const wait = loading(`Loading ${what}…`);
      box.append(wait);
      try {
        const record = await getJSON(url);
        wait.remove();
        fill(box, record);
      } catch (err) {
        wait.remove();
        if (err.status === 404 && missing) missing(box);
        else box.append(failure(what, err, load));
      } finally {
        box.setAttribute("aria-busy", "false");
      }
    };
    await load();
  }

  /** An event's date as the text gives it; a report's date (basis "reported") is never shown as the event's. */
  function dateText(date) {
    if (!date) return "";
    if (date.basis === "reported") return `· undated, reported ${date.start}`;
    return `· ${date.text || ""} (${date.start})`;
  }

  function mention(fact) {
    return factBox("mention", `Entity · ${fact.label}`, "this entity", `/api/entities/${enc(fact.ref)}`, (box, ent) => {
      box.append(el("h3", {}, el("a", { href: link.entity(ent.id), class: "panel-entity" }, ent.name)), el("div", { class: "meta" }, ent.type));
      const others = new Map();
      for (const m of ent.mentions) if (!here(m.doc) && !others.has(m.doc)) others.set(m.doc, m);
      box.append(el("div", {}, `Named in ${others.size} other document${others.size === 1 ? "" : "s"}:`));
      box.append(el("ul", { class: "other-sources" }, ...[...others.values()].map((m) => sourceItem(m, `mention:${ent.id}`, where(m), `“${m.text}”`))));
    }, (box) => box.append(el("strong", {}, fact.text), el("p", { class: "empty" }, "Not linked to an entity across sources.")));
  }

  function event(fact) {
    return factBox("event", `Event · ${fact.label}`, "this event", `/api/events/${enc(fact.ref)}`, (box, ev) => {
      box.append(el("h3", {}, ev.summary || ev.type), el("span", { class: `badge ${ev.modality}` }, ev.modality),
        " ", el("span", { class: "meta" }, `${ev.plover || ""} ${dateText(ev.date)}`));
      const parts = (ev.participants || []).filter((p) => p.entity);
      if (parts.length) box.append(el("div", { class: "chips" }, ...parts.map((p) => el("a", { class: "chip", href: link.entity(p.entity) }, `${p.name} (${p.role})`))));
      box.append(el("div", {}, `Reported by ${ev.sources.length} source${ev.sources.length === 1 ? "" : "s"}:`));
      box.append(el("ul", { class: "other-sources" }, ...ev.sources.map((s) => sourceItem(s.sentence, `event:${ev.id}`, where(s), s.sentence.text))));
    }, (box) => box.append(el("strong", {}, fact.text), el("p", { class: "empty" }, "This event is not resolved across sources.")));
  }

  function claim(fact) {
    return factBox("claim", `Claim · ${fact.label}`, "this claim", `/api/claims/${enc(fact.ref)}`, (box, c) => {
      box.append(el("h3", {}, `${c.subject_name}: ${String(c.attribute).replace(/_/g, " ")}`), el("span", { class: `badge ${c.status}` }, c.status),
        c.explanation ? el("p", { class: "meta" }, c.explanation) : null);
      box.append(el("ul", { class: "other-sources" }, ...c.values.map((v) => sourceItem(v.source, `claim:${c.id}`, `${v.value} — ${where(v)}`, inContext(v)))));
    }, (box) => box.append(el("strong", {}, fact.text), el("p", { class: "empty" }, "This claim is not resolved across sources.")));
  }

  async function quote(fact) {
    const q = page.quotes[fact.ref] || {};
    const box = el("div", { class: "fact", "data-kind": "quote" }, el("div", { class: "meta" }, "Quote"));
    body.append(box);
    box.append(el("blockquote", {}, fact.text));
    if (!q.speaker) { box.append(el("p", { class: "empty" }, q.speaker_name ? `Said by ${q.speaker_name}.` : "No speaker found.")); return; }
    box.append(el("div", {}, "Said by ", el("a", { href: link.entity(q.speaker), class: "panel-entity" }, q.speaker_name || "the speaker")));
    const more = el("div", { class: "more-quotes" });
    box.append(more);
    const load = async () => {
      more.replaceChildren(loading("Loading this speaker's other quotes…"));
      try {
        const found = await getJSON(`/api/quotes?entity=${enc(q.speaker)}&limit=50`);
        const others = found.items.filter((o) => o.id !== fact.ref);
        more.replaceChildren(el("div", {}, `${others.length} other quote${others.length === 1 ? "" : "s"} by this speaker:`),
          el("ul", { class: "other-sources" }, ...others.map((o) => sourceItem(o, `quote:${o.id}`, where(o), `“${o.text.slice(0, 160)}${o.text.length > 160 ? "…" : ""}”`))));
      } catch (err) {
        more.replaceChildren(failure("the speaker's other quotes", err, load));
      }
    };
    await load();
  }

  async function attribution(fact) {
    const a = (page.attributions || {})[fact.ref] || {};
    const box = el("div", { class: "fact", "data-kind": "attribution" },
      el("div", { class: "meta" }, `${ATTR_KIND[a.kind] || "Attribution"} · ${a.statement_type || "statement"}`));
    body.append(box);
    const who = a.speaker ? el("a", { href: link.entity(a.speaker), class: "panel-entity" }, a.speaker_name || "the source")
      : el("span", {}, a.speaker_name || (a.source ? a.source.text : "no source named"));
    box.append(el("div", {}, "Source: ", who, a.source && a.speaker && a.source.text !== a.speaker_name ? ` (“${a.source.text}”)` : ""));
    if (a.cue) box.append(el("div", {}, "Cue: ", el("strong", {}, a.cue.text)));
    box.append(el("p", { class: "attr-said" }, (a.content || []).map((c) => c.text).join(" … ")));
  }

  const SHOW = { mention, event, claim, quote, attr_source: attribution, attr_cue: attribution, attr_content: attribution };

  /** Open the panel; as a bottom sheet (narrow screens) it takes the focus, so Escape or Close returns it. */
  function openSheet(mark) {
    panel.classList.add("open");
    document.body.classList.add("sheet-open");
    if (!sheet.matches) return;
    panel.focus({ preventScroll: true });
    // Keep the chosen words in sight above the sheet, which covers the lower part of the screen.
    const rect = mark.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight * 0.36) window.scrollBy(0, rect.top - 64);
  }

  function closeSheet() {
    panel.classList.remove("open");
    document.body.classList.remove("sheet-open");
    const current = document.querySelector(".hl.selected");
    if (current) current.focus({ preventScroll: true });
  }

  /** Does a highlight's fact stand for the fact an evidence link names (``{kind, ref}``)? */
  function isWanted(f, wanted) {
    if (!wanted || !f || f.ref !== wanted.ref) return false;
    return f.kind === wanted.kind || (wanted.kind === "attribution" && f.kind.startsWith("attr_"))
      || (wanted.kind === "entity" && f.kind === "mention");
  }

  let generation = 0;
  async function select(mark, wanted = null) {
    const mine = ++generation;
    document.querySelectorAll(".hl.selected").forEach((m) => { m.classList.remove("selected"); m.removeAttribute("aria-pressed"); });
    mark.classList.add("selected");
    mark.setAttribute("aria-pressed", "true");
    document.getElementById("panel-hint").hidden = true;
    body.replaceChildren();
    const seen = new Set();
    body.dataset.ready = "";
    openSheet(mark);
    const facts = mark.dataset.marks.split(" ").map((i) => page.facts[Number(i)])
      .filter((f) => !f.kind.startsWith("attr_") || (!seen.has(f.ref) && seen.add(f.ref)))
      .sort((a, b) => (isWanted(b, wanted) - isWanted(a, wanted)) || ((KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9)));
    for (const fact of facts) {
      if (mine !== generation) return;  // another highlight was chosen meanwhile
      await (SHOW[fact.kind] || mention)(fact);
    }
    if (mine === generation) body.dataset.ready = String(Date.now());
  }

  const reader = document.getElementById("reader");
  reader.addEventListener("click", (e) => { const m = e.target.closest("mark.hl"); if (m) select(m); });
  reader.addEventListener("keydown", (e) => {
    const m = e.target.closest("mark.hl");
    if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); select(m); }
  });
  document.getElementById("panel-close").addEventListener("click", closeSheet);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && panel.classList.contains("open")) closeSheet(); });

  const markStart = (m) => Number(m.id.slice(3));
  const overlaps = (m, span) => markStart(m) < span.end && markStart(m) + m.textContent.length > span.start;

  /** An evidence link (display/links.py: ?span=S-E&fact=kind:id#cited): centre the cited words and open
      the panel on the named fact first, from the highlight that carries it inside the span. */
  function openEvidence() {
    const span = page.cited, wanted = page.fact;
    const first = document.querySelector("#reader .cited");
    if (first) first.scrollIntoView({ block: "center" });
    const marks = [...reader.querySelectorAll("mark.hl")].filter((m) => !span || overlaps(m, span));
    const carries = (m) => m.dataset.marks.split(" ").some((i) => isWanted(page.facts[Number(i)], wanted));
    const mark = (wanted && marks.find(carries)) || (span && marks[0]);
    if (!mark) return;
    if (!first) mark.scrollIntoView({ block: "center" });
    select(mark, wanted);
  }

  // A link like /documents/ID#at-123 opens with the span at offset 123 selected.
  const target = location.hash.startsWith("#at-") ? document.getElementById(location.hash.slice(1)) : null;
  if (page.cited || page.fact) openEvidence();
  else if (target && target.matches("mark.hl")) { target.scrollIntoView({ block: "center" }); select(target); }
})();
