/** CSV export of records: one row per record, config and scalar metrics flattened to columns. */
import { join } from "node:path";
import { writeFileAtomic } from "./store.js";
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

/** `results.csv` of a result folder, rewritten atomically as records land (see {@link csvWriter}). */
export interface CsvWriter {
  /** Adds (or replaces, by experiment and hash) a record; writes if the last write is `intervalMs` old, else schedules one. */
  add(record: RunRecord): void;
  /** Writes now if anything changed since the last write, and cancels a scheduled write. */
  flush(): void;
}

/**
 * Keeps the folder's records in memory (read once) and rewrites `<out>/results.csv` atomically
 * at most once every `intervalMs` while records land, so a killed sweep leaves a CSV at most
 * that old; `flush()` at the end writes the final one.
 */
export function csvWriter(out: string, initial: readonly RunRecord[], intervalMs = 5000, now: () => number = Date.now): CsvWriter {
  const rows = new Map<string, RunRecord>(initial.map((r) => [`${r.experiment}/${r.hash}`, r]));
  let lastWrite = Number.NEGATIVE_INFINITY;
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    const sorted = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
    writeFileAtomic(join(out, "results.csv"), recordsToCsv(sorted));
    dirty = false;
    lastWrite = now();
  };
  return {
    add(record) {
      rows.set(`${record.experiment}/${record.hash}`, record);
      dirty = true;
      const wait = lastWrite + intervalMs - now();
      if (wait <= 0) write();
      else if (!timer) {
        timer = setTimeout(write, wait);
        timer.unref?.();
      }
    },
    flush() {
      dirty = dirty || !Number.isFinite(lastWrite);
      write();
    },
  };
}
