/** Statistics over seeds: mean, sample standard deviation and the 95% t-interval. */

/** Summary of a sample. */
export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for n = 1. */
  readonly std: number;
  /** Half-width of the 95% confidence interval of the mean, t_{0.975, n−1}·std/√n; 0 for n = 1. */
  readonly ci95: number;
  readonly min: number;
  readonly max: number;
}

// t_{0.975, ν} for ν = 1..30; beyond, the normal quantile 1.96 (error < 2%).
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with ν degrees of freedom. */
export function tQuantile975(degrees: number): number {
  if (degrees < 1) return Number.NaN;
  return degrees <= 30 ? T975[degrees - 1] : 1.96;
}

/**
 * Mean, sample std, 95% CI half-width, min and max of the finite values (non-finite ones are skipped).
 * @example summarize([1, 2, 3]).mean // 2
 */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n: 0, mean: Number.NaN, std: Number.NaN, ci95: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const ci95 = n > 1 ? (tQuantile975(n - 1) * std) / Math.sqrt(n) : 0;
  return { n, mean, std, ci95, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Element-wise mean of equally long curves (shorter ones are ignored beyond their length). */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const at = curves.filter((c) => i < c.length).map((c) => c[i]);
    out.push(at.reduce((s, v) => s + v, 0) / at.length);
  }
  return out;
}

/** Number of decimals a published number was given with (0.0078 → 4, 585 → 0, 1e-6 → 6). */
export function publishedDecimals(value: number): number {
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]) + (text.split("e")[0].split(".")[1]?.length ?? 0);
  return text.split(".")[1]?.length ?? 0;
}

/** How our value compares with a published one. */
export interface Comparison {
  readonly difference: number;
  /** Whether the two agree within the spread (see {@link compare}). */
  readonly withinSpread: boolean;
  /** The tolerance used. */
  readonly tolerance: number;
}

/**
 * Compares our summary with a published value: agreement when |ours − published| ≤ the larger of
 * our std over seeds, the published std (when the seed gives one) and half a unit in the last
 * digit the seed printed (so a deterministic 0.1345 matches a printed 0.13).
 */
export function compare(ours: Summary, published: number, publishedStd = 0, printedDecimals?: number): Comparison {
  const difference = ours.mean - published;
  // JSON drops trailing zeros ("1.0" → 1): pass the printed decimals when the seed shows more.
  const rounding = 0.5 * 10 ** -(printedDecimals ?? publishedDecimals(published));
  const tolerance = Math.max(Number.isFinite(ours.std) ? ours.std : 0, publishedStd, rounding);
  return { difference, withinSpread: Number.isFinite(difference) && Math.abs(difference) <= tolerance, tolerance };
}
