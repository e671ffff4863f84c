/** Number formatting and the "ours beside published" table rows shared by every experiment. */
import { summarize, type Summary } from "../framework/stats.js";
import { type FigureEvidence, judge, type ReadingSeries } from "./verdict.js";
import type { Cell, RunRecord } from "../framework/types.js";

/** Formats a number with about 4 significant digits (integers stay whole). */
export function fmt(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Math.abs(value) < 1e-12) return "0"; // round-off, e.g. λ₂ of a disconnected graph
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return value.toLocaleString("en-US");
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e7)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}

/** "mean ± std [lo, hi]" with the 95% CI of the mean; a single value or a zero std prints as the value. */
export function fmtSummary(s: Summary): string {
  if (s.n === 0) return "—";
  if (s.n === 1 || s.std <= 1e-12 * Math.max(1, Math.abs(s.mean))) return fmt(s.mean);
  return `${fmt(s.mean)} ± ${fmt(s.std, 2)} [${fmt(s.mean - s.ci95)}, ${fmt(s.mean + s.ci95)}]`;
}

/** Columns of a comparison table after the label columns. */
export const COMPARISON_COLUMNS = ["ours: mean ± std [95% CI]", "n", "published", "difference", "verdict"] as const;

/** What a comparison row may add to the bare numbers: see {@link FigureEvidence}. */
export type JudgeOptions = Omit<FigureEvidence, "published" | "ours"> & { readonly unit?: string; readonly oursUnit?: string; readonly label?: string };

/**
 * One comparison row: our values (default reading) summarized, the published value, the
 * difference and the verdict (see report/verdict.ts); "—" columns when the seed has no figure.
 * `options` is the published std (a number, for old callers) or the evidence for the verdict.
 */
export function comparisonCells(values: readonly number[], published: number | null | undefined, options: number | JudgeOptions = {}, printedDecimals?: number): Cell[] {
  const ours = summarize(values);
  if (published === null || published === undefined) return [fmtSummary(ours), ours.n, "—", "—", "—"];
  const evidence: JudgeOptions = typeof options === "number" ? { publishedStd: options, printedDecimals } : { printedDecimals, ...options };
  const verdict = judge({ ...evidence, published, ours: { label: evidence.label ?? "", values, unit: evidence.oursUnit } });
  return [fmtSummary(ours), ours.n, fmt(published), fmt(ours.mean - published), verdict.text];
}

/** "label: mean ± std" for each series, "; "-joined: a cell showing ours under other readings. */
export function readingsCell(series: readonly ReadingSeries[]): string {
  const parts = series.filter((s) => s.values.length > 0).map((s) => `${s.label}: ${fmtSummary(summarize(s.values))}`);
  return parts.length ? parts.join("; ") : "—";
}

/** Successful records only. */
export function okRecords(records: readonly RunRecord[]): RunRecord[] {
  return records.filter((r) => r.status === "ok");
}

/** Numeric metric values of the records matching a filter. */
export function metricValues(records: readonly RunRecord[], metric: string, where: (r: RunRecord) => boolean = () => true): number[] {
  return okRecords(records).filter(where).map((r) => r.metrics[metric]).filter((v): v is number => typeof v === "number");
}

/** A one-line note on failed runs, or nothing. */
export function failureNotes(records: readonly RunRecord[]): string[] {
  const failed = records.filter((r) => r.status === "failed");
  if (failed.length === 0) return [];
  const examples = [...new Set(failed.map((r) => r.error ?? "unknown error"))].slice(0, 3);
  return [`${failed.length} of ${records.length} runs failed and are left out of the statistics (recorded with their error: ${examples.join("; ")}).`];
}
