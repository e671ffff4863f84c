/**
 * One verdict per published figure. The rules, in order:
 *
 * 1. evidence that the figure contradicts the seed's own definitions → *contradicts*;
 * 2. a chance level is given and both the published figure and ours lie within two binomial
 *    standard errors of it (at the test-set size) → *both at chance*;
 * 3. ours (under the default reading) agrees within the spread (see `compare`; an accuracy
 *    measured on n points carries its binomial standard error as the published std) → *reproduced*
 *    (said to rest on a wide spread, with our range, when our std dwarfs the figure's tolerance);
 * 4. ours under another reading agrees → *reproduced under reading X* (the closest such);
 * 5. otherwise → *miss*, with the experiment's diagnosis (a miss without one says so, and the
 *    report's summary lists it).
 *
 * Units rule: a figure is only ever compared in the published figure's units; series in other
 * units must be converted first, or judging throws.
 */
import { FcnError } from "@fcn/tensor";
import { compare, publishedDecimals, summarize, type Summary } from "../framework/stats.js";

/** The verdict kinds, in the order the summary lists them. */
export const VERDICT_KINDS = ["reproduced", "reproduced under reading", "contradicts the seed's own definitions", "both at chance", "miss"] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** Our values for one figure under one reading. */
export interface ReadingSeries {
  /** e.g. "swissRollLabels=arms"; "" for an experiment without readings. */
  readonly label: string;
  readonly values: readonly number[];
  /** Units of the values, e.g. "raw MSE"; must equal the figure's. */
  readonly unit?: string;
}

/** Everything a verdict is decided from. */
export interface FigureEvidence {
  readonly published: number;
  /** The published std, where the seed gives one. */
  readonly publishedStd?: number;
  /** Decimals the seed printed, when JSON dropped trailing zeros. */
  readonly printedDecimals?: number;
  /**
   * Points the published accuracy was measured on, where the seed gives them: its binomial
   * standard error √(p(1−p)/n) then counts as the published std.
   */
  readonly publishedSampleSize?: number;
  /** Units of the published figure (checked against every series that states its own). */
  readonly unit?: string;
  /** Ours under the default reading. */
  readonly ours: ReadingSeries;
  /** Ours under the other readings that were run. */
  readonly others?: readonly ReadingSeries[];
  /** Accuracy a model that does not learn gets, and the test-set size per run. */
  readonly chance?: { readonly level: number; readonly testSize: number };
  /** Evidence that the published figure contradicts the seed's own definitions. */
  readonly contradiction?: string;
  /** Why ours misses, with the evidence (a sentence and a link to it in the report). */
  readonly diagnosis?: string;
}

/** A verdict and the sentence the report prints for it. */
export interface Verdict {
  readonly kind: VerdictKind;
  /** The reading that reproduces it (for "reproduced under reading"). */
  readonly reading?: string;
  readonly text: string;
}

/** Thrown when a figure would be compared across units. */
export class UnitsError extends FcnError {}

/** The band around chance that one run at this test size cannot tell from chance: 2 binomial SEs. */
export function chanceBand(level: number, testSize: number): number {
  return 2 * Math.sqrt((level * (1 - level)) / testSize);
}

function checkUnits(evidence: FigureEvidence): void {
  if (evidence.unit === undefined) return;
  for (const series of [evidence.ours, ...(evidence.others ?? [])]) {
    if (series.unit !== undefined && series.unit !== evidence.unit) {
      throw new UnitsError(`figure in ${evidence.unit} compared with ours in ${series.unit}${series.label ? ` (${series.label})` : ""}: convert first`);
    }
  }
}

/** The published figure's std: the seed's, or the binomial standard error of an accuracy. */
export function publishedSpread(evidence: Pick<FigureEvidence, "published" | "publishedStd" | "publishedSampleSize">): number {
  const p = evidence.published;
  const binomial = evidence.publishedSampleSize && p >= 0 && p <= 1 ? Math.sqrt((p * (1 - p)) / evidence.publishedSampleSize) : 0;
  return Math.max(evidence.publishedStd ?? 0, binomial);
}

/**
 * When the agreement rests on a wide spread over our seeds (our std more than three times the
 * published figure's own tolerance and more than 5% of our mean), the verdict says so and gives
 * the range: some seeds reach the figure, others do not.
 */
function wideSpread(evidence: FigureEvidence, ours: Summary): string {
  const published = Math.max(publishedSpread(evidence), 0.5 * 10 ** -(evidence.printedDecimals ?? publishedDecimals(evidence.published)));
  // Wide: three times the figure's own tolerance and more than 5% of our mean, so a few seeds'
  // ordinary scatter around a figure printed to many digits is not called wide.
  if (ours.n < 2 || !(ours.std > 3 * published && ours.std > 0.05 * Math.abs(ours.mean))) return "";
  const near = evidence.ours.values.filter((v) => Math.abs(v - evidence.published) <= published).length;
  return `, within a wide spread over seeds (${fmtNumber(ours.min)}–${fmtNumber(ours.max)}; ${near} of ${ours.n} within the published figure's own tolerance)`;
}

function fmtNumber(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function agrees(evidence: FigureEvidence, series: ReadingSeries): { ok: boolean; distance: number } {
  const s = summarize(series.values);
  if (s.n === 0) return { ok: false, distance: Infinity };
  const c = compare(s, evidence.published, publishedSpread(evidence), evidence.printedDecimals);
  return { ok: c.withinSpread, distance: Math.abs(c.difference) };
}

/** The verdict for one published figure (rules in the module comment). */
export function judge(evidence: FigureEvidence): Verdict {
  checkUnits(evidence);
  if (evidence.contradiction) return { kind: "contradicts the seed's own definitions", text: `contradicts the seed's own definitions: ${evidence.contradiction}` };
  const ours: Summary = summarize(evidence.ours.values);
  if (evidence.chance && ours.n > 0) {
    const { level, testSize } = evidence.chance;
    const band = chanceBand(level, testSize);
    if (Math.abs(evidence.published - level) <= band && Math.abs(ours.mean - level) <= band) {
      return { kind: "both at chance", text: `both at chance (${level} ± ${Number(band.toPrecision(2))}, two binomial SEs at ${testSize} test examples)` };
    }
  }
  if (agrees(evidence, evidence.ours).ok) return { kind: "reproduced", text: `reproduced${wideSpread(evidence, ours)}` };
  const others = (evidence.others ?? []).map((s) => ({ s, ...agrees(evidence, s) })).filter((o) => o.ok).sort((a, b) => a.distance - b.distance);
  if (others.length > 0) return { kind: "reproduced under reading", reading: others[0].s.label, text: `reproduced under reading ${others[0].s.label}` };
  return { kind: "miss", text: `miss: ${evidence.diagnosis ?? "undiagnosed"}` };
}

/** The kind a verdict cell's text starts with, or undefined for a cell that is not a verdict. */
export function verdictKindOf(text: string): VerdictKind | undefined {
  // Longest first: "reproduced under reading" before "reproduced".
  return [...VERDICT_KINDS].sort((a, b) => b.length - a.length).find((k) => text.startsWith(k));
}

/** Whether a verdict cell is a miss without a diagnosis. */
export function undiagnosed(text: string): boolean {
  return text === "miss: undiagnosed";
}
