/* The API reference, drawn from /openapi.json (FastAPI's own docs page would load scripts from a CDN). */
"use strict";

function schemaType(schema) {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(schemaType).filter((t) => t !== "null").join(" | ");
  if (schema.enum) return schema.enum.join(" | ");
  const limits = [];
  if (schema.minimum !== undefined) limits.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) limits.push(`≤ ${schema.maximum}`);
  return `${schema.type || ""}${limits.length ? ` (${limits.join(", ")})` : ""}`;
}

async function drawDocs() {
  const spec = await FP.api("/openapi.json");
  const box = document.getElementById("api-docs");
  box.append(FP.el("p", {class: "muted", text: `${spec.info.title} ${spec.info.version}`}));
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const section = FP.el("div", {class: "docs-route"},
        FP.el("div", {}, FP.el("span", {class: "method", text: method.toUpperCase()}), FP.el("code", {text: path}),
          " ", FP.el("span", {text: op.summary || ""})));
      if (op.description) section.append(FP.el("p", {class: "small muted", text: op.description}));
      const params = op.parameters || [];
      if (params.length) {
        const t = FP.el("table", {class: "data small"}, FP.el("tr", {},
          ["parameter", "in", "type", "default", "meaning"].map((h) => FP.el("th", {text: h}))));
        for (const p of params) {
          const schema = p.schema || {};
          t.append(FP.el("tr", {}, FP.el("td", {}, FP.el("code", {text: p.name})), FP.el("td", {text: p.in}),
            FP.el("td", {text: schemaType(schema)}),
            FP.el("td", {text: schema.default === undefined || schema.default === null ? "" : String(schema.default)}),
            FP.el("td", {text: p.description || schema.description || ""})));
        }
        section.append(t);
      }
      if (op.requestBody) section.append(FP.el("p", {class: "small", text: "Body: a JSON object with the same fields as the query parameters of GET /api/events."}));
      box.append(section);
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  FP.header("/docs");
  drawDocs().catch(FP.showError);
});
