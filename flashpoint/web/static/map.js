/* Map: country outlines from /api/map/world (plate carrée: x = lon, y = -lat), events as circles per
   place (area = events, colour = share of conflict). Click a place to list its events. */
"use strict";

const WORLD = [-180, -90, 360, 180];
const view = {box: WORLD.slice(), places: []};

function setBox(box) {
  view.box = box;
  const map = document.querySelector("#map svg");
  if (map) map.setAttribute("viewBox", box.join(" "));
  // keep circles a constant size on screen
  const scale = box[2] / 360;
  document.querySelectorAll("#map .place").forEach((c) => c.setAttribute("r", c.dataset.r * scale));
  document.querySelectorAll("#map .country").forEach((c) => c.setAttribute("stroke-width", 0.3 * scale));
}

function fitPlaces() {
  if (!view.places.length) { setBox(WORLD.slice()); return; }
  const xs = view.places.map((p) => p.lon);
  const ys = view.places.map((p) => -p.lat);
  const pad = 4;
  let [x0, x1, y0, y1] = [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
  // keep the map's 2:1 shape
  const w = Math.max(x1 - x0, 2 * (y1 - y0), 20);
  const h = w / 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  setBox([cx - w / 2, cy - h / 2, w, h]);
}

async function showPlace(place) {
  document.getElementById("place-title").textContent = `${place.place || "unnamed place"} · ${place.n} events`;
  const d = 0.0001;
  const form = new FormData(document.getElementById("map-form"));
  const filters = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
  const page = await FP.api("/api/events", {
    ...filters, bbox: [place.lon - d, place.lat - d, place.lon + d, place.lat + d].join(","), page_size: 50,
  });
  const list = FP.el("ul", {class: "plain"});
  for (const record of page.events) {
    list.append(FP.el("li", {},
      FP.el("div", {}, FP.quadChip(record.quad_code), " ", FP.el("b", {text: record.event}),
        ` ${FP.sides(record.actor)} → ${FP.sides(record.recipient)} · ${record.date} `,
        FP.el("a", {href: FP.eventLink(record), text: "evidence ›"})),
      FP.el("div", {class: "small"}, FP.evidence(record))));
  }
  FP.clear(document.getElementById("place-events")).append(list);
}

async function draw() {
  FP.hideError();
  const form = new FormData(document.getElementById("map-form"));
  const filters = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
  const [world, {places}] = await Promise.all([
    FP.api("/api/map/world"),
    FP.api("/api/places", {...filters, limit: 1000}),
  ]);
  view.places = places;
  document.getElementById("map-source").textContent = `Outlines: ${world.source}.`;
  const active = new Set(places.map((p) => p.country));
  const map = FP.svg("svg", {viewBox: WORLD.join(" "), role: "img", "aria-label": "map of events",
    preserveAspectRatio: "xMidYMid meet"});
  const countries = FP.svg("g", {});
  for (const country of world.countries) {
    countries.append(FP.svg("path", {class: `country${active.has(country.code) ? " active" : ""}`, d: country.path,
      dataset: {code: country.code}}, FP.svg("title", {text: country.name})));
  }
  map.append(countries);
  const maxN = Math.max(1, ...places.map((p) => p.n));
  for (const place of places) {
    const share = place.n ? place.conflict / place.n : 0;
    map.append(FP.svg("circle", {
      class: "place", cx: place.lon, cy: -place.lat, r: 1, "fill-opacity": 0.8,
      fill: share > 0.5 ? "var(--conflict)" : "var(--coop)", "stroke-width": 0.1,
      dataset: {r: 1.2 + 5 * Math.sqrt(place.n / maxN), place: place.place || ""},
      on: {click: () => showPlace(place).catch(FP.showError)},
    }, FP.svg("title", {text: `${place.place}: ${place.n} events (${place.conflict} conflictual)`})));
  }
  FP.clear(document.getElementById("map")).append(map);
  fitPlaces();
  const side = FP.clear(document.getElementById("place-events"));
  const table = FP.el("table", {class: "data"}, FP.el("tr", {}, FP.el("th", {text: "place"}),
    FP.el("th", {text: "country"}), FP.el("th", {class: "num", text: "events"})));
  for (const place of places.slice(0, 30)) {
    table.append(FP.el("tr", {class: "clickable", on: {click: () => showPlace(place).catch(FP.showError)}},
      FP.el("td", {text: place.place || "–"}), FP.el("td", {text: place.country || "–"}),
      FP.el("td", {class: "num", text: place.n})));
  }
  side.append(table);
  document.getElementById("place-title").textContent = `${places.length} places`;
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/map");
  document.getElementById("map-form").addEventListener("submit", (e) => { e.preventDefault(); draw().catch(FP.showError); });
  document.getElementById("zoom-world").addEventListener("click", () => setBox(WORLD.slice()));
  document.getElementById("zoom-events").addEventListener("click", fitPlaces);
  draw().catch(FP.showError);
});
