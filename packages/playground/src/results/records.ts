/**
 * Records of an fcn-bench sweep (one JSON file per run: {experiment, config, seed, status,
 * metrics, …}) read in the browser, and grouped the way the report's plots group them:
 * a family (model, graph family, attention, …) per series, the other varying config values
 * (data set, depth, readings) per group, seeds averaged.
 */

export interface BenchRecord {
  readonly experiment: string;
  readonly config: Record<string, unknown>;
  readonly seed: number;
  readonly status: "ok" | "failed";
  readonly metrics: Record<string, unknown>;
}

export interface ParsedFiles {
  readonly records: BenchRecord[];
  /** Files that are not records, with why. */
  readonly skipped: { name: string; reason: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses record files; anything else (report JSON, CSV, broken files) is listed as skipped. */
export function parseRecords(files: readonly { name: string; text: string }[]): ParsedFiles {
  const records: BenchRecord[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const { name, text } of files) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      skipped.push({ name, reason: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    if (!isObject(value) || typeof value.experiment !== "string" || !isObject(value.config) || !isObject(value.metrics) || (value.status !== "ok" && value.status !== "failed")) {
      skipped.push({ name, reason: "not a run record (needs experiment, config, metrics, status)" });
      continue;
    }
    records.push({ experiment: value.experiment, config: value.config, seed: Number(value.seed ?? value.config.seed), status: value.status, metrics: value.metrics });
  }
  return { records, skipped };
}

/** Config keys that name the compared thing, in order of preference. */
const FAMILY_KEYS = ["model", "family", "attention", "operator", "structure", "pattern", "arm", "method", "variant", "part"];

export interface Summary {
  readonly family: string;
  readonly group: string;
  /** A config of the cell (for the published lookup). */
  readonly config: Record<string, unknown>;
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly failed: number;
}

export interface CurveSummary {
  readonly family: string;
  readonly group: string;
  readonly mean: number[];
  readonly n: number;
}

export interface Grouping {
  readonly familyKey: string | null;
  readonly groupKeys: readonly string[];
  readonly families: string[];
  readonly groups: string[];
  readonly scalarMetrics: string[];
  readonly curveMetrics: string[];
  /** The family and the group label of a record's config. */
  familyOf(config: Record<string, unknown>): string;
  groupOf(config: Record<string, unknown>): string;
}

/** Config flattened to scalar strings: nested reading values become `reading.<id>`. */
function flatten(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === "seed") continue;
    if (k === "reading" && isObject(v)) for (const [r, rv] of Object.entries(v)) out[`reading.${r}`] = String(rv);
    else out[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return out;
}

export function groupingOf(records: readonly BenchRecord[]): Grouping {
  const flat = records.map((r) => flatten(r.config));
  const values = new Map<string, Set<string>>();
  for (const f of flat) for (const [k, v] of Object.entries(f)) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(v);
  const familyKey = FAMILY_KEYS.find((k) => values.has(k) && flat.every((f) => f[k] === undefined || !f[k].startsWith("{"))) ?? null;
  // A key groups when it takes two or more values (a reading counts only where it is set).
  const varying = [...values.entries()].filter(([k, v]) => k !== familyKey && v.size > 1 && !k.startsWith("reading.")).map(([k]) => k);
  // A key another key determines (epochs set per data set) adds nothing to the group label.
  const determines = (j: string, k: string) => {
    const seen = new Map<string, string>();
    return flat.every((f) => (seen.get(f[j]) ?? seen.set(f[j], f[k]).get(f[j])) === f[k]);
  };
  const groupKeys = varying.filter((k, i) => !varying.some((j, jIndex) => j !== k && determines(j, k) && (!determines(k, j) || jIndex < i)));
  const readingKeys = [...values.entries()].filter(([k, v]) => k.startsWith("reading.") && v.size > 1).map(([k]) => k);
  const keys = [...groupKeys, ...readingKeys];
  const scalar = new Set<string>();
  const curves = new Set<string>();
  for (const r of records) {
    for (const [k, v] of Object.entries(r.metrics)) {
      if (typeof v === "number") scalar.add(k);
      else if (Array.isArray(v) && v.length > 1 && v.every((x) => typeof x === "number")) curves.add(k);
    }
  }
  const part = (f: Record<string, string>, k: string) => (k.startsWith("reading.") ? `${k.slice(8)}=${f[k]}` : groupKeys.length === 1 ? f[k] : `${k}=${f[k]}`);
  const label = (f: Record<string, string>) => keys.filter((k) => f[k] !== undefined).map((k) => part(f, k)).join(" · ") || "all";
  const families = [...new Set(flat.map((f) => (familyKey ? f[familyKey] ?? "—" : "runs")))].sort(naturalOrder);
  const groups = [...new Set(flat.map(label))].sort(naturalOrder);
  return {
    familyKey, groupKeys: keys, families, groups, scalarMetrics: [...scalar].sort(), curveMetrics: [...curves].sort(),
    familyOf: (config) => (familyKey ? flatten(config)[familyKey] ?? "—" : "runs"),
    groupOf: (config) => label(flatten(config)),
  };
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function cells(records: readonly BenchRecord[], grouping: Grouping): Map<string, { family: string; group: string; records: BenchRecord[] }> {
  const out = new Map<string, { family: string; group: string; records: BenchRecord[] }>();
  for (const r of records) {
    const family = grouping.familyOf(r.config);
    const group = grouping.groupOf(r.config);
    const key = `${family}\u0000${group}`;
    (out.get(key) ?? out.set(key, { family, group, records: [] }).get(key)!).records.push(r);
  }
  return out;
}

/** Mean and sample standard deviation of a scalar metric over seeds, per family and group. */
export function summarize(records: readonly BenchRecord[], grouping: Grouping, metric: string): Summary[] {
  const out: Summary[] = [];
  for (const cell of cells(records, grouping).values()) {
    const values = cell.records.filter((r) => r.status === "ok" && typeof r.metrics[metric] === "number").map((r) => r.metrics[metric] as number);
    if (values.length === 0) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    out.push({ family: cell.family, group: cell.group, config: cell.records[0].config, n: values.length, mean, sd, failed: cell.records.filter((r) => r.status === "failed").length });
  }
  return out;
}

/** Element-wise mean of a curve metric over seeds, per family and group. */
export function summarizeCurves(records: readonly BenchRecord[], grouping: Grouping, metric: string): CurveSummary[] {
  const out: CurveSummary[] = [];
  for (const cell of cells(records, grouping).values()) {
    const curves = cell.records.filter((r) => r.status === "ok" && Array.isArray(r.metrics[metric])).map((r) => r.metrics[metric] as number[]);
    if (curves.length === 0) continue;
    const length = Math.min(...curves.map((c) => c.length));
    const mean = Array.from({ length }, (_, i) => curves.reduce((s, c) => s + c[i], 0) / curves.length);
    out.push({ family: cell.family, group: cell.group, mean, n: curves.length });
  }
  return out;
}
