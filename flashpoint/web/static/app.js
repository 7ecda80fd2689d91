/* flashpoint dashboard: shared helpers (API calls, DOM and SVG building, the time chart, evidence).
   Plain JavaScript, no dependencies. Text from the database is only ever set as textContent. */
"use strict";

const FP = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
  const PAGES = [
    ["/", "Overview"], ["/dyads", "Dyad explorer"], ["/network", "Actor network"], ["/map", "Map"],
    ["/events", "Events"], ["/docs", "API"],
  ];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "on") for (const [name, fn] of Object.entries(value)) node.addEventListener(name, fn);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  class ApiError extends Error {
    constructor(body, status) {
      const error = (body && body.error) || {code: "?", message: `HTTP ${status}`};
      super(`${error.code}: ${error.message}`);
      this.code = error.code;
      this.status = status;
    }
  }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") query.set(key, value);
    }
    const url = query.toString() ? `${path}?${query}` : path;
    const response = await fetch(url, {headers: {Accept: "application/json"}});
    const body = await response.json();
    if (!response.ok) throw new ApiError(body, response.status);
    return body;
  }

  function showError(error) {
    const banner = document.getElementById("error-banner");
    if (!banner) return;
    banner.textContent = error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`;
    banner.classList.add("shown");
  }

  function hideError() {
    const banner = document.getElementById("error-banner");
    if (banner) banner.classList.remove("shown");
  }

  function header(active) {
    const top = document.querySelector("header.top");
    const links = PAGES.map(([href, label]) => el("a", {href, class: href === active ? "active" : null, text: label}));
    append(top, [
      el("div", {class: "brand"}, "flash", el("span", {text: "point"})),
      el("nav", {}, links),
      el("div", {class: "db", id: "db-name"}),
    ]);
    api("/api/health").then((health) => {
      document.getElementById("db-name").textContent =
        `${health.database} · ${health.events.toLocaleString()} events · ${health.articles.toLocaleString()} articles`;
    }).catch(showError);
  }

  function params() {
    return new URLSearchParams(window.location.search);
  }

  function quadChip(quad) {
    return el("span", {class: `chip q${quad}`, title: QUAD_NAMES[quad] || "", text: `Q${quad}`});
  }

  function sides(list) {
    return (list || []).map((a) => (a.sector ? `${a.code}/${a.sector}` : a.code)).join("+") || "–";
  }

  function addDays(day, n) {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  /* The evidence sentence with its trigger in bold. */
  function evidence(record) {
    const info = record.text_info || {};
    const text = info.text || record.event_text || "";
    const trigger = record.event_text || "";
    const at = trigger ? text.indexOf(trigger) : -1;
    if (at < 0) return el("span", {class: "evidence", text});
    return el("span", {class: "evidence"},
      text.slice(0, at), el("b", {class: "trigger", text: trigger}), text.slice(at + trigger.length));
  }

  /* Article text with every evidence span marked; the spans of `current` are emphasised. */
  function markedText(text, spans, current, onMarkClick) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) {
      cuts.add(s.start); cuts.add(s.end);
      if (s.trigger_start !== null && s.event_id === current) { cuts.add(s.trigger_start); cuts.add(s.trigger_end); }
    }
    const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
    const out = el("div", {class: "article-text"});
    for (let i = 0; i < points.length - 1; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      const piece = text.slice(a, b);
      const covering = spans.filter((s) => s.start <= a && b <= s.end);
      if (!covering.length) { out.append(piece); continue; }
      const ids = covering.map((s) => s.event_id);
      const mine = covering.find((s) => s.event_id === current);
      const inTrigger = mine && mine.trigger_start !== null && mine.trigger_start <= a && b <= mine.trigger_end;
      const mark = el("mark", {
        class: mine ? "current" : null,
        dataset: {events: ids.join(" ")},
        title: `${ids.length} event${ids.length > 1 ? "s" : ""}`,
        on: {click: () => onMarkClick && onMarkClick(ids)},
      }, inTrigger ? el("b", {class: "trigger", text: piece}) : piece);
      out.append(mark);
    }
    return out;
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
    return 10 * power;
  }

  /* A time chart: cooperation counts upward (green), conflict counts downward (red), one column per
     period. Columns with events are `.point` elements (data-period) that call onClick(period). Flags
     are dashed lines at their onset. */
  function timeChart(container, opts) {
    const {periods, up, down, flags = [], onClick, width = 900, height = 260, selected} = opts;
    const margin = {top: 16, right: 12, bottom: 26, left: 40};
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const top = niceMax(Math.max(1, ...up));
    const bottom = niceMax(Math.max(1, ...down));
    const scaleY = plotH / (top + bottom);
    const zeroY = margin.top + top * scaleY;
    const band = plotW / Math.max(1, periods.length);
    const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
      "aria-label": opts.label || "time series"});
    for (const [value, label] of [[top, top], [0, 0], [-bottom, bottom]]) {
      const y = zeroY - value * scaleY;
      chart.append(svg("line", {class: value === 0 ? "axis" : "grid-line", x1: margin.left, x2: width - margin.right, y1: y, y2: y}));
      chart.append(svg("text", {class: "tick", x: margin.left - 6, y: y + 4, "text-anchor": "end", text: label}));
    }
    let lastLabel = "";
    const labelEvery = Math.max(1, Math.ceil(periods.length / 10));
    periods.forEach((period, i) => {
      const x = margin.left + i * band;
      const w = Math.max(1, band * 0.8);
      if (up[i] > 0) chart.append(svg("rect", {x, y: zeroY - up[i] * scaleY, width: w, height: up[i] * scaleY, fill: "var(--coop)"}));
      if (down[i] > 0) chart.append(svg("rect", {x, y: zeroY, width: w, height: down[i] * scaleY, fill: "var(--conflict)"}));
      const label = periods.length > 60 ? period.slice(0, 7) : period.slice(5);
      if (i % labelEvery === 0 && label !== lastLabel) {
        chart.append(svg("text", {class: "tick", x: x + w / 2, y: height - 8, "text-anchor": "middle", text: label}));
        lastLabel = label;
      }
    });
    for (const flag of flags) {
      const i = periods.indexOf(flag.date);
      if (i < 0) continue;
      const x = margin.left + i * band + band * 0.4;
      chart.append(svg("line", {class: "flag-line", x1: x, x2: x, y1: margin.top - 4, y2: height - margin.bottom}));
      chart.append(svg("text", {class: "flag-label", x: x + 3, y: margin.top + 6,
        text: flag.direction === "escalation" ? "▲ escalation" : "▼ de-escalation"}));
    }
    // hit areas last, so they sit on top and take the clicks
    periods.forEach((period, i) => {
      const total = (up[i] || 0) + (down[i] || 0) + ((opts.other && opts.other[i]) || 0);
      if (!total) return;
      const x = margin.left + i * band;
      const hit = svg("rect", {
        class: `point${period === selected ? " selected" : ""}`, x, y: margin.top, width: Math.max(2, band),
        height: plotH, fill: "transparent", dataset: {period, index: i},
        on: {click: () => onClick && onClick(period, i)},
      }, svg("title", {text: `${period}: ${up[i]} cooperative, ${down[i]} conflictual${opts.other && opts.other[i] ? `, ${opts.other[i]} neutral` : ""}`}));
      chart.append(hit);
    });
    clear(container).append(chart);
    return chart;
  }

  /* Horizontal bars: rows of {label, value, color, href}. */
  function barList(container, rows, opts = {}) {
    const max = Math.max(1, ...rows.map((r) => r.value));
    const width = opts.width || 420;
    const rowH = 20;
    const labelW = opts.labelWidth || 110;
    const chart = svg("svg", {viewBox: `0 0 ${width} ${rows.length * rowH + 4}`, width: "100%"});
    rows.forEach((row, i) => {
      const y = i * rowH + 2;
      const w = ((width - labelW - 50) * row.value) / max;
      chart.append(svg("text", {class: "tick", x: labelW - 6, y: y + 13, "text-anchor": "end", text: row.label}));
      chart.append(svg("rect", {x: labelW, y: y + 2, width: Math.max(1, w), height: rowH - 6, fill: row.color || "var(--accent)", rx: 2}));
      chart.append(svg("text", {class: "tick", x: labelW + w + 4, y: y + 13, text: row.value.toLocaleString()}));
    });
    clear(container).append(chart);
  }

  function eventLink(record) {
    const query = new URLSearchParams({story_id: record.story_id, event: record.id});
    return `/events?${query}`;
  }

  return {
    QUAD_NAMES, el, svg, clear, api, showError, hideError, header, params, quadChip, sides, addDays,
    evidence, markedText, timeChart, barList, eventLink, ApiError,
  };
})();
