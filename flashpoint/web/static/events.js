/* Events: a filtered, paged table; a row opens its article with every evidence span marked and the
   row's own span (and trigger) emphasised. ?story_id=…&event=… opens one event directly. */
"use strict";

const table = {page: 1, pages: 1, filters: {}, selected: null, records: []};

async function openArticle(storyId, eventId) {
  table.selected = eventId;
  document.querySelectorAll("#event-table tr[data-event]").forEach((row) => {
    row.classList.toggle("selected", row.dataset.event === eventId);
  });
  const data = await FP.api(`/api/articles/${encodeURIComponent(storyId)}`);
  const article = data.article;
  document.getElementById("article-title").textContent = article.title || article.story_id;
  document.getElementById("article-meta").textContent =
    [article.date, article.source, article.story_id, `${data.events.length} events`].filter(Boolean).join(" · ");
  const box = FP.clear(document.getElementById("article"));
  const chosen = data.events.find((e) => e.id === eventId);
  if (chosen) {
    box.append(FP.el("p", {class: "small", id: "chosen-event"}, FP.quadChip(chosen.quad_code), " ",
      FP.el("b", {text: chosen.event}), ` ${FP.sides(chosen.actor)} → ${FP.sides(chosen.recipient)} · ${chosen.date}`,
      ` · ${chosen.modality} · confidence ${chosen.confidence}`));
  }
  box.append(FP.markedText(article.text, data.spans, eventId, (ids) => {
    const next = ids.find((id) => id !== table.selected) || ids[0];
    openArticle(storyId, next).catch(FP.showError);
  }));
  const current = box.querySelector("mark.current");
  if (current) current.scrollIntoView({block: "center"});
}

function row(record) {
  return FP.el("tr", {class: "clickable", dataset: {event: record.id, story: record.story_id},
    on: {click: () => openArticle(record.story_id, record.id).catch(FP.showError)}},
  FP.el("td", {class: "small", text: record.date || "–"}),
  FP.el("td", {}, FP.quadChip(record.quad_code), " ", record.event),
  FP.el("td", {class: "small", text: `${FP.sides(record.actor)} → ${FP.sides(record.recipient)}`}),
  FP.el("td", {class: "small", text: record.event_loc ? (record.event_loc.resolved_place || record.event_loc.extracted_place || "") : ""}),
  FP.el("td", {class: "small"}, FP.evidence(record)));
}

async function loadPage() {
  FP.hideError();
  const page = await FP.api("/api/events", {...table.filters, page: table.page, page_size: 25, order: "asc"});
  table.pages = Math.max(1, page.pages);
  table.records = page.events;
  const el = FP.clear(document.getElementById("event-table"));
  el.append(FP.el("tr", {}, ["date", "event", "actor → recipient", "place", "evidence"].map((h) => FP.el("th", {text: h}))));
  page.events.forEach((record) => el.append(row(record)));
  const count = FP.clear(document.getElementById("event-count"));
  count.append(`${page.total.toLocaleString()} events`);
  if (table.filters.story_id) {
    count.append(` in story ${table.filters.story_id} · `, FP.el("a", {href: "/events", text: "show all stories"}));
  }
  document.getElementById("page-info").textContent = `page ${table.page} of ${table.pages}`;
  document.getElementById("prev-page").disabled = table.page <= 1;
  document.getElementById("next-page").disabled = table.page >= table.pages;
}

function readForm() {
  const form = new FormData(document.getElementById("event-form"));
  table.filters = Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""));
  table.page = 1;
}

async function init() {
  const wanted = FP.params();
  const form = document.getElementById("event-form");
  for (const [key, value] of wanted.entries()) if (form.elements[key]) form.elements[key].value = value;
  readForm();
  form.addEventListener("submit", (e) => { e.preventDefault(); readForm(); loadPage().catch(FP.showError); });
  document.getElementById("prev-page").addEventListener("click", () => { table.page -= 1; loadPage().catch(FP.showError); });
  document.getElementById("next-page").addEventListener("click", () => { table.page += 1; loadPage().catch(FP.showError); });
  await loadPage();
  const storyId = wanted.get("story_id");
  const eventId = wanted.get("event");
  if (storyId) await openArticle(storyId, eventId || (table.records[0] && table.records[0].id));
  else if (table.records.length) await openArticle(table.records[0].story_id, table.records[0].id);
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/events");
  init().catch(FP.showError);
});
