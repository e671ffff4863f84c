/** CSV export of records: one row per record, config and scalar metrics flattened to columns. */
import type { RunRecord } from "./types.js";

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: columns experiment, hash, status, seed, wall_time_ms, then `config.<key>` and
 * `metric.<name>` for every scalar (array metrics are left out; they live in the JSON records).
 */
export function recordsToCsv(records: readonly RunRecord[]): string {
  const configKeys = new Set<string>();
  const metricKeys = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r.config)) if (k !== "seed") configKeys.add(k);
    for (const [k, v] of Object.entries(r.metrics)) if (!Array.isArray(v)) metricKeys.add(k);
  }
  const configColumns = [...configKeys].sort();
  const metricColumns = [...metricKeys].sort();
  const header = ["experiment", "hash", "status", "seed", "wall_time_ms", "error",
    ...configColumns.map((k) => `config.${k}`), ...metricColumns.map((k) => `metric.${k}`)];
  const lines = [header.join(",")];
  for (const r of records) {
    lines.push([
      r.experiment, r.hash, r.status, r.seed, Math.round(r.wallTimeMs), r.error ?? "",
      ...configColumns.map((k) => (r.config as Record<string, unknown>)[k]),
      ...metricColumns.map((k) => { const v = r.metrics[k]; return Array.isArray(v) ? "" : v; }),
    ].map(cell).join(","));
  }
  return `${lines.join("\n")}\n`;
}
