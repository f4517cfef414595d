/* Entity map: a pin on the vendored world outline (world-atlas, Natural Earth 1:110m), no tiles.
   Equirectangular projection; the view is a window around the pin with the whole world drawn. */
"use strict";

(async () => {
  const { svg, el } = NG;
  const box = document.getElementById("map");
  if (!box) return;
  const lat = Number(box.dataset.lat), lon = Number(box.dataset.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
  const K = 4;  // SVG units per degree
  const px = (lo) => (lo + 180) * K, py = (la) => (90 - la) * K;

  let world;
  try {
    const res = await fetch("/static/vendor/countries-110m.json");
    if (!res.ok) throw new Error(String(res.status));
    world = await res.json();
  } catch (err) {
    box.replaceChildren(el("p", { class: "failed" }, "The world outline could not be loaded; the coordinates are below."));
    return;
  }
  if (typeof topojson === "undefined") {
    box.replaceChildren(el("p", { class: "failed" }, "The map library did not load; the coordinates are below."));
    return;
  }
  const land = topojson.feature(world, world.objects.countries);

  const ring = (coords) => coords.map(([lo, la], i) => `${i ? "L" : "M"}${px(lo).toFixed(1)},${py(la).toFixed(1)}`).join("") + "Z";
  const polygons = (g) => (g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : []);

  const w = 70, h = 42;  // degrees shown around the pin
  const vx = Math.min(Math.max(lon + 180 - w / 2, 0), 360 - w), vy = Math.min(Math.max(90 - lat - h / 2, 0), 180 - h);
  const root = svg("svg", { class: "map-svg", viewBox: `${vx * K} ${vy * K} ${w * K} ${h * K}`, "aria-hidden": "true", focusable: "false" });
  for (const f of land.features) {
    if (!f.geometry) continue;
    const d = polygons(f.geometry).map((poly) => poly.map(ring).join("")).join("");
    const path = svg("path", { class: "land", d });
    const name = svg("title", {});
    name.textContent = (f.properties && f.properties.name) || "";
    path.append(name);
    root.append(path);
  }
  root.append(svg("circle", { class: "pin", id: "map-pin", cx: px(lon), cy: py(lat), r: 5 }));
  box.replaceChildren(root);
  box.dataset.ready = "1";
})();
