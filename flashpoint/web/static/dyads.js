/* Dyad explorer: a dyad's series with its flags; clicking a column lists the events behind it. */
"use strict";

const state = {dyad: null, freq: "day", series: null, selected: null};

function periodEnd(period) {
  return state.freq === "week" ? FP.addDays(period, 6) : period;
}

async function showPoint(period) {
  state.selected = period;
  drawChart();
  const title = document.getElementById("point-title");
  const box = FP.clear(document.getElementById("point-events"));
  title.textContent = `${state.dyad} · ${state.freq === "week" ? `week of ${period}` : period}`;
  const page = await FP.api("/api/events", {
    dyad: state.dyad, date_from: period, date_to: periodEnd(period), counted: true, page_size: 100,
  });
  box.classList.remove("muted");
  const list = FP.el("ul", {class: "plain", id: "point-event-list"});
  for (const record of page.events) {
    list.append(FP.el("li", {class: "point-event", dataset: {event: record.id}},
      FP.el("div", {}, FP.quadChip(record.quad_code), " ",
        FP.el("b", {text: record.event}), ` ${FP.sides(record.actor)} → ${FP.sides(record.recipient)} · ${record.date} `,
        FP.el("a", {class: "evidence-link", href: FP.eventLink(record), text: "evidence in the article ›"})),
      FP.el("div", {class: "small"}, FP.evidence(record))));
  }
  if (!page.events.length) list.append(FP.el("li", {class: "muted", text: "No counted events in this period."}));
  box.append(FP.el("div", {class: "muted small", text: `${page.total} event${page.total === 1 ? "" : "s"}`}), list);
}

function drawChart() {
  const one = state.series && state.series.series[0];
  const box = document.getElementById("series-chart");
  if (!one) {
    FP.clear(box).append(FP.el("p", {class: "muted", text: "No counted events for this dyad."}));
    return;
  }
  FP.timeChart(box, {
    periods: one.periods,
    up: one.periods.map((_, i) => one.verbal_cooperation[i] + one.material_cooperation[i]),
    down: one.periods.map((_, i) => one.verbal_conflict[i] + one.material_conflict[i]),
    flags: state.series.flags || [],
    selected: state.selected,
    label: `${state.dyad} events per ${state.freq}`,
    onClick: (period) => showPoint(period).catch(FP.showError),
  });
}

function drawFlags() {
  const list = FP.clear(document.getElementById("dyad-flags"));
  const flags = state.series.flags || [];
  if (!flags.length) list.append(FP.el("li", {class: "muted", text: "None flagged for this dyad."}));
  for (const flag of flags) {
    list.append(FP.el("li", {},
      FP.el("span", {class: `chip flag-${flag.direction}`, text: flag.direction}), " ",
      FP.el("a", {href: "#", text: flag.date, on: {click: (e) => { e.preventDefault(); showPoint(flag.date).catch(FP.showError); }}}),
      FP.el("span", {class: "muted small", text: ` z = ${flag.score.toFixed(1)}${flag.detected ? `, detected ${flag.detected}` : ""}, ${flag.driver_event_ids.length} driving events`})));
  }
}

async function drawTimeline(form) {
  const {timeline} = await FP.api("/api/timeline", {
    dyad: state.dyad, per_day: 1, date_from: form.get("date_from"), date_to: form.get("date_to"),
  });
  const list = FP.clear(document.getElementById("dyad-timeline"));
  if (!timeline.length) list.append(FP.el("li", {class: "muted", text: "No counted events."}));
  for (const item of timeline.slice(-12).reverse()) {
    const evidence = (item.evidence || [])[0];
    list.append(FP.el("li", {},
      FP.el("div", {}, FP.quadChip(item.quad_code), " ", FP.el("b", {text: item.event}), ` ${item.date} `,
        evidence ? FP.el("a", {href: FP.eventLink({story_id: evidence.story_id, id: evidence.event_id}), text: "evidence ›"}) : null),
      evidence ? FP.el("div", {class: "small muted", text: evidence.sentence}) : null));
  }
}

async function load() {
  FP.hideError();
  const form = new FormData(document.getElementById("dyad-form"));
  state.dyad = form.get("dyad");
  state.freq = form.get("freq");
  document.getElementById("chart-title").textContent = `${state.dyad} per ${state.freq}`;
  state.series = await FP.api("/api/series", {
    dyad: state.dyad, freq: state.freq, date_from: form.get("date_from"), date_to: form.get("date_to"),
  });
  drawChart();
  drawFlags();
  await drawTimeline(form);
  history.replaceState(null, "", `/dyads?${new URLSearchParams({dyad: state.dyad, freq: state.freq})}`);
}

async function init() {
  const wanted = FP.params();
  const dyads = await FP.api("/api/dyads", {limit: 200});
  const select = document.getElementById("dyad-select");
  for (const row of dyads.dyads) select.append(FP.el("option", {value: row.dyad, text: `${row.dyad} (${row.n})`}));
  const dyad = wanted.get("dyad");
  if (dyad && !dyads.dyads.some((row) => row.dyad === dyad)) select.append(FP.el("option", {value: dyad, text: dyad}));
  if (dyad) select.value = dyad;
  if (wanted.get("freq")) document.getElementById("freq-select").value = wanted.get("freq");
  if (!select.value) {
    FP.clear(document.getElementById("series-chart")).append(FP.el("p", {class: "muted", text: "No dyads in this database."}));
    return;
  }
  document.getElementById("dyad-form").addEventListener("submit", (e) => { e.preventDefault(); load().catch(FP.showError); });
  await load();
  if (wanted.get("period")) await showPoint(wanted.get("period"));
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/dyads");
  init().catch(FP.showError);
});
