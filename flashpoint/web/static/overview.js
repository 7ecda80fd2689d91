/* Overview: totals, weekly volume, top dyads, escalation flags, events per type. */
"use strict";

const QUAD_COLORS = {1: "var(--coop-light)", 2: "var(--coop)", 3: "var(--conflict-light)", 4: "var(--conflict)"};

async function loadOverview() {
  const [health, dyads, series, types] = await Promise.all([
    FP.api("/api/health"),
    FP.api("/api/dyads", {limit: 1000}),
    FP.api("/api/series", {freq: "week", flags: false}),
    FP.api("/api/types", {limit: 50}),
  ]);
  document.getElementById("stat-events").textContent = health.events.toLocaleString();
  document.getElementById("stat-articles").textContent = health.articles.toLocaleString();
  document.getElementById("stat-dyads").textContent = dyads.dyads.length.toLocaleString();

  const all = series.series[0];
  if (all) {
    FP.timeChart(document.getElementById("volume-chart"), {
      periods: all.periods,
      up: all.periods.map((_, i) => all.verbal_cooperation[i] + all.material_cooperation[i]),
      down: all.periods.map((_, i) => all.verbal_conflict[i] + all.material_conflict[i]),
      label: "events per week",
      onClick: (period) => {
        window.location.href = `/events?${new URLSearchParams({date_from: period, date_to: FP.addDays(period, 6)})}`;
      },
    });
  }

  const table = document.getElementById("top-dyads");
  table.append(FP.el("tr", {}, FP.el("th", {text: "dyad"}), FP.el("th", {class: "num", text: "events"}),
    FP.el("th", {class: "num", text: "coop"}), FP.el("th", {class: "num", text: "conflict"}),
    FP.el("th", {class: "num", text: "mean score"})));
  for (const row of dyads.dyads.slice(0, 12)) {
    table.append(FP.el("tr", {},
      FP.el("td", {}, FP.el("a", {href: `/dyads?dyad=${encodeURIComponent(row.dyad)}`, text: row.dyad})),
      FP.el("td", {class: "num", text: row.n}),
      FP.el("td", {class: "num", text: row.verbal_cooperation + row.material_cooperation}),
      FP.el("td", {class: "num", text: row.verbal_conflict + row.material_conflict}),
      FP.el("td", {class: "num", text: row.mean_scale})));
  }

  FP.barList(document.getElementById("types-chart"), types.types.map((row) => ({
    label: row.event, value: row.n, color: QUAD_COLORS[row.quad],
  })), {width: 900, labelWidth: 100});

  const flags = await FP.api("/api/escalation", {limit: 10});
  document.getElementById("stat-flags").textContent = flags.flags.length.toLocaleString();
  const list = document.getElementById("flags");
  if (!flags.flags.length) list.append(FP.el("li", {class: "muted", text: "No escalation or de-escalation flagged."}));
  for (const flag of flags.flags.slice(0, 15)) {
    const href = `/dyads?${new URLSearchParams({dyad: flag.dyad, period: flag.date})}`;
    list.append(FP.el("li", {},
      FP.el("span", {class: `chip flag-${flag.direction}`, text: flag.direction}), " ",
      FP.el("a", {href, text: flag.dyad}), ` from ${flag.date}`,
      FP.el("span", {class: "muted small", text: ` (z = ${flag.score.toFixed(1)}${flag.detected ? `, detected ${flag.detected}` : ""}, ${flag.driver_event_ids.length} driving events)`})));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/");
  loadOverview().catch(FP.showError);
});
