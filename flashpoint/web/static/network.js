/* Actor network: actors as nodes on a circle, directed dyads as curved arrows (width = events,
   colour = share of conflict). Click an actor to see its dyads; click an arrow to explore the dyad. */
"use strict";

const SIZE = 640;

function conflictColor(share) {
  // green (cooperative) to red (conflictual), through grey
  const mix = (a, b) => Math.round(a + (b - a) * share);
  return `rgb(${mix(43, 192)}, ${mix(138, 57)}, ${mix(90, 43)})`;
}

function showActor(code, dyads, names) {
  const title = document.getElementById("node-title");
  title.textContent = `${code}${names[code] && names[code] !== code ? ` · ${names[code]}` : ""}`;
  const table = FP.clear(document.getElementById("node-dyads"));
  table.append(FP.el("tr", {}, FP.el("th", {text: "dyad"}), FP.el("th", {class: "num", text: "events"}),
    FP.el("th", {class: "num", text: "conflict"}), FP.el("th", {class: "num", text: "mean score"})));
  for (const row of dyads.filter((d) => d.actor === code || d.recipient === code)) {
    table.append(FP.el("tr", {},
      FP.el("td", {}, FP.el("a", {href: `/dyads?dyad=${encodeURIComponent(row.dyad)}`, text: row.dyad})),
      FP.el("td", {class: "num", text: row.n}),
      FP.el("td", {class: "num", text: row.verbal_conflict + row.material_conflict}),
      FP.el("td", {class: "num", text: row.mean_scale})));
  }
  document.querySelectorAll("#network .edge, #network .node").forEach((node) => {
    const involved = node.dataset.actor === code || node.dataset.recipient === code || node.dataset.code === code;
    node.classList.toggle("dimmed", !involved);
  });
}

async function draw() {
  FP.hideError();
  const form = new FormData(document.getElementById("network-form"));
  const query = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
  const [{dyads}, {actors}] = await Promise.all([
    FP.api("/api/dyads", query),
    FP.api("/api/actors", {...query, limit: 200}),
  ]);
  const names = Object.fromEntries(actors.map((a) => [a.code, a.name]));
  const totals = {};
  for (const d of dyads) {
    totals[d.actor] = (totals[d.actor] || 0) + d.n;
    totals[d.recipient] = (totals[d.recipient] || 0) + d.n;
  }
  const codes = Object.keys(totals).sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
  const center = SIZE / 2;
  const ring = SIZE / 2 - 70;
  const position = {};
  codes.forEach((code, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, codes.length) - Math.PI / 2;
    position[code] = [center + ring * Math.cos(angle), center + ring * Math.sin(angle)];
  });
  const maxN = Math.max(1, ...dyads.map((d) => d.n));
  const maxTotal = Math.max(1, ...Object.values(totals));
  const chart = FP.svg("svg", {viewBox: `0 0 ${SIZE} ${SIZE}`, role: "img", "aria-label": "actor network"});
  const defs = FP.svg("defs", {});
  chart.append(defs);
  dyads.forEach((d, i) => {
    const share = (d.verbal_conflict + d.material_conflict) / d.n;
    const color = conflictColor(share);
    defs.append(FP.svg("marker", {id: `arrow-${i}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 5,
      markerHeight: 5, orient: "auto-start-reverse"}, FP.svg("path", {d: "M0,0 L10,5 L0,10 z", fill: color})));
    if (d.actor === d.recipient) return;  // a country acting on itself has no arrow on a circle
    const [x1, y1] = position[d.actor];
    const [x2, y2] = position[d.recipient];
    // bend each arrow to its right, so A→B and B→A are two separate curves
    const mx = (x1 + x2) / 2 + (y2 - y1) * 0.15;
    const my = (y1 + y2) / 2 - (x2 - x1) * 0.15;
    const r2 = 6 + 16 * Math.sqrt(totals[d.recipient] / maxTotal);
    const length = Math.hypot(x2 - mx, y2 - my) || 1;
    const ex = x2 - ((x2 - mx) / length) * (r2 + 2);
    const ey = y2 - ((y2 - my) / length) * (r2 + 2);
    const edge = FP.svg("path", {
      class: "edge", d: `M${x1},${y1} Q${mx},${my} ${ex},${ey}`, stroke: color,
      "stroke-width": 1 + (7 * d.n) / maxN, "stroke-opacity": 0.75, "marker-end": `url(#arrow-${i})`,
      dataset: {actor: d.actor, recipient: d.recipient, dyad: d.dyad},
      on: {click: () => { window.location.href = `/dyads?dyad=${encodeURIComponent(d.dyad)}`; }},
    }, FP.svg("title", {text: `${d.dyad}: ${d.n} events, mean score ${d.mean_scale}`}));
    chart.append(edge);
  });
  for (const code of codes) {
    const [x, y] = position[code];
    const r = 6 + 16 * Math.sqrt(totals[code] / maxTotal);
    const outside = [(x - center) / ring, (y - center) / ring];
    chart.append(FP.svg("g", {class: "node", dataset: {code}, on: {click: () => showActor(code, dyads, names)}},
      FP.svg("circle", {cx: x, cy: y, r, fill: "#17202e", stroke: "#fff", "stroke-width": 2}),
      FP.svg("text", {x: x + outside[0] * (r + 16), y: y + outside[1] * (r + 16) + 4, "text-anchor": "middle", text: code}),
      FP.svg("title", {text: `${names[code] || code}: ${totals[code]} events in these dyads`})));
  }
  FP.clear(document.getElementById("network")).append(chart);
  if (!dyads.length) document.getElementById("network").append(FP.el("p", {class: "muted", text: "No dyads match."}));
  else if (codes.length) showActor(codes[0], dyads, names);
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/network");
  document.getElementById("network-form").addEventListener("submit", (e) => { e.preventDefault(); draw().catch(FP.showError); });
  draw().catch(FP.showError);
});
