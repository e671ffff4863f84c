/**
 * The evidence behind Experiment 1's verdicts, computed from the records and from the seed's own
 * formulas: where a printed figure contradicts eq. 4, §3.1's D_k = k + 1, or the edge count a
 * family needs on N nodes, and why the others miss.
 */
import { summarize } from "../framework/stats.js";
import { readingOf } from "../framework/readings.js";
import type { Reading, RunRecord } from "../framework/types.js";
import { fmt, fmtSummary } from "../report/format.js";
import { DENSITY_DEFINITION, SPECTRAL_GAP } from "./graphReadings.js";
import type { GraphFamily } from "./graphs.js";

/** One family's records: all readings at their defaults, and the non-default variants by label. */
export interface FamilyRecords {
  readonly family: GraphFamily;
  readonly defaults: readonly RunRecord[];
  /** Non-default graph readings (spectral gap at its default), e.g. "baEdgesPerNode=2". */
  readonly graphVariants: ReadonlyMap<string, readonly RunRecord[]>;
  /** Non-default graph or spectral-gap readings (density at its default), e.g. "spectralGap=adjacency". */
  readonly gapVariants: ReadonlyMap<string, readonly RunRecord[]>;
  /** Non-default graph or density readings (spectral gap at its default), e.g. "densityDefinition=entries". */
  readonly densityVariants: ReadonlyMap<string, readonly RunRecord[]>;
}

/** "id=value, …" over the given readings that apply to the record's configuration. */
export function labelOf(record: RunRecord, readings: readonly Reading[]): string {
  return readings.filter((r) => r.appliesTo?.(record.config) ?? true).map((r) => `${r.id}=${readingOf(record.config, r)}`).join(", ");
}

function isDefault(record: RunRecord, readings: readonly Reading[]): boolean {
  return readings.every((r) => !(r.appliesTo?.(record.config) ?? true) || readingOf(record.config, r) === r.default);
}

/** Groups one family's records by reading. */
export function familyRecords(ok: readonly RunRecord[], family: GraphFamily, readings: readonly Reading[]): FamilyRecords {
  const mine = ok.filter((r) => r.config.family === family);
  const graphReadings = readings.filter((r) => r !== SPECTRAL_GAP && r !== DENSITY_DEFINITION);
  const atDefault = (r: RunRecord, reading: Reading) => readingOf(r.config, reading) === reading.default;
  const group = (records: readonly RunRecord[], over: readonly Reading[]) => {
    const groups = new Map<string, RunRecord[]>();
    for (const r of records) {
      if (isDefault(r, over)) continue;
      const label = labelOf(r, over);
      groups.set(label, [...(groups.get(label) ?? []), r]);
    }
    return groups;
  };
  return {
    family,
    defaults: mine.filter((r) => isDefault(r, readings)),
    graphVariants: group(mine.filter((r) => atDefault(r, SPECTRAL_GAP) && atDefault(r, DENSITY_DEFINITION)), graphReadings),
    gapVariants: group(mine.filter((r) => atDefault(r, DENSITY_DEFINITION)), readings.filter((r) => r !== DENSITY_DEFINITION)),
    densityVariants: group(mine.filter((r) => atDefault(r, SPECTRAL_GAP)), readings.filter((r) => r !== SPECTRAL_GAP)),
  };
}

export const metricOf = (records: readonly RunRecord[], metric: string): number[] =>
  records.map((r) => r.metrics[metric]).filter((v): v is number => typeof v === "number");
const meanOf = (records: readonly RunRecord[], metric: string): number => summarize(metricOf(records, metric)).mean;
const summaryOf = (records: readonly RunRecord[], metric: string): string => fmtSummary(summarize(metricOf(records, metric)));
const connectedCount = (records: readonly RunRecord[]): number => records.filter((r) => r.metrics.connected === true).length;

/** The diameter of each run: ∞ when the graph is disconnected (the graph's diameter, not a component's). */
export function diameters(records: readonly RunRecord[]): number[] {
  return records.map((r) => (r.metrics.connected === true ? Number(r.metrics.diameter_largest_component) : Infinity));
}

/** Half a unit of the last printed digit. */
const printedHalfUnit = (decimals: number): number => 0.5 * 10 ** -decimals;

/**
 * Most edges a graph on n nodes can have at a printed density (read at the top of its rounding
 * interval), and whether that is fewer than the n − 1 any connected graph needs.
 */
export function densityEdgeBound(printedDensity: number, n: number, decimals = 4): { maxEdges: number; pairs: number; belowConnected: boolean } {
  const pairs = (n * (n - 1)) / 2;
  // Under either density reading: N² (the mean of A) allows a few more edges than N(N − 1).
  const maxEdges = Math.floor(((printedDensity + printedHalfUnit(decimals)) * n * n) / 2 + 1e-9);
  return { maxEdges, pairs, belowConnected: maxEdges < n - 1 };
}

/** The row's density and finite diameter cannot both hold: the density is too low for a connected graph. */
function connectivityClause(printedDensity: number, printedDiameter: number, n: number): string | undefined {
  const bound = densityEdgeBound(printedDensity, n);
  if (!bound.belowConnected || !Number.isFinite(printedDiameter)) return undefined;
  return `the printed density ${printedDensity} allows at most ${bound.maxEdges} of the ${fmt(bound.pairs)} possible edges ` +
    `(under either density reading), fewer than the ${n - 1} a connected ${n}-node graph needs, so no graph has both ` +
    `it and the printed finite diameter ${printedDiameter}`;
}

function depthAndNodes(records: readonly RunRecord[]): { k: number; n: number } {
  const k = Number(records[0]?.config.depth);
  return { k, n: 2 ** k };
}

const LOOP_FREE = "kroneckerBinarization=initiatorLoops";

/** Eq. 4 (ρ_k = 3^k / (2^k(2^k − 1))) against the printed Kronecker density. */
export function kroneckerDensityContradiction(data: FamilyRecords, printed: number, printedDiameter: number): string | undefined {
  if (data.defaults.length === 0) return undefined;
  const { k, n } = depthAndNodes(data.defaults);
  const eq4 = 3 ** k / (n * (n - 1));
  if (Math.abs(eq4 - printed) <= printedHalfUnit(4)) return undefined;
  const parts = [`eq. 4 gives ρ_${k} = 3^${k}/(2^${k}·${n - 1}) = ${fmt(eq4)}; the binarized K₀^{⊗${k}} has ${fmt(meanOf(data.defaults, "stored_entries"))} ` +
    `stored entries (3^${k} − 1 = ${3 ** k - 1}) and density ${fmt(meanOf(data.defaults, "density"))} in our records`];
  const clause = connectivityClause(printed, printedDiameter, n);
  if (clause) parts.push(clause);
  const loopFree = data.graphVariants.get(LOOP_FREE);
  if (loopFree?.length) {
    const entries = meanOf(loopFree, "stored_entries");
    parts.push(`the other binarization (${LOOP_FREE}) has density ${fmt(meanOf(loopFree, "density"))} (${fmt(entries / (n * n))} ` +
      `as the mean of A, which prints as ${(entries / (n * n)).toFixed(4)}) but ${fmt(entries)} entries (2^${k}, not ` +
      `≈ 3^${k}) and ${fmt(meanOf(loopFree, "components"))} components`);
  }
  return parts.join("; ");
}

/** §3.1's D_k = k + 1 and the measured diameter against the printed Kronecker diameter. */
export function kroneckerDiameterContradiction(data: FamilyRecords, printed: number, printedDensity: number): string | undefined {
  if (data.defaults.length === 0) return undefined;
  const { k, n } = depthAndNodes(data.defaults);
  const measured = summarize(diameters(data.defaults));
  if (printed === k + 1 && Math.abs(measured.mean - printed) < 0.5) return undefined;
  const hub = meanOf(data.defaults, "max_degree");
  const parts = [`§3.1's D_k = k + 1 gives ${k + 1} at k = ${k}, not ${printed}; the binarized K₀^{⊗${k}} has diameter ${fmt(measured.mean)} ` +
    `in ${connectedCount(data.defaults)}/${data.defaults.length} runs${hub === n - 1 ? ` (node 0 has degree ${fmt(hub)} = N − 1, so no two nodes are more than 2 apart)` : ""}`];
  const clause = connectivityClause(printedDensity, printed, n);
  if (clause) parts.push(clause);
  const loopFree = data.graphVariants.get(LOOP_FREE);
  if (loopFree?.length) parts.push(`with ${LOOP_FREE} the graph has ${fmt(meanOf(loopFree, "components"))} components (diameter ∞)`);
  return parts.join("; ");
}

/** A row whose printed density is too low for its printed finite diameter, with our disconnected graphs. */
export function sparseDiameterContradiction(data: FamilyRecords, printed: number, printedDensity: number, generator: string): string | undefined {
  if (data.defaults.length === 0) return undefined;
  const { n } = depthAndNodes(data.defaults);
  const clause = connectivityClause(printedDensity, printed, n);
  if (!clause) return undefined;
  const runs = data.defaults.length;
  return `${clause}; our ${generator} graphs are disconnected in ${runs - connectedCount(data.defaults)}/${runs} runs (${summaryOf(data.defaults, "components")} ` +
    `components, diameter of the largest component ${summaryOf(data.defaults, "diameter_largest_component")})`;
}

/**
 * A printed density below the least density of the family on n nodes. `minimumEdges` and `why`
 * state the family's sparsest member; our sparsest generator's records are cited beside it.
 */
export function familyMinimumDensityContradiction(data: FamilyRecords, printed: number, minimumEdges: number, why: string): string | undefined {
  if (data.defaults.length === 0) return undefined;
  const { n } = depthAndNodes(data.defaults);
  // The lower of the two density readings (N² normalization) decides.
  const least = (2 * minimumEdges) / (n * n);
  if (printed + printedHalfUnit(4) >= least) return undefined;
  return `${why}, at least ${minimumEdges} edges on ${n} nodes (ours: ${summaryOf(data.defaults, "edges")} edges, density ` +
    `${summaryOf(data.defaults, "density")}), so its density is at least ${fmt((2 * minimumEdges) / (n * (n - 1)))} ` +
    `(2|E|/(N(N − 1))) or ${fmt(least)} (2|E|/N²); the printed ${printed} is below both`;
}

function variantList(variants: ReadonlyMap<string, readonly RunRecord[]>, describe: (records: readonly RunRecord[]) => string): string {
  return [...variants].sort(([a], [b]) => a.localeCompare(b)).map(([label, records]) => `${label}: ${describe(records)}`).join("; ");
}

/** Why our density misses: ours and every graph reading's. */
export function densityDiagnosis(data: FamilyRecords, printed: number): string {
  const others = variantList(data.graphVariants, (r) => summaryOf(r, "density"));
  return `ours ${summaryOf(data.defaults, "density")} (${summaryOf(data.defaults, "edges")} edges)${others ? `; ${others}` : ""}; none within the printed precision of ${printed}`;
}

/** Why our diameter misses: connectivity, the largest component, every graph reading. */
export function diameterDiagnosis(data: FamilyRecords, printed: number): string {
  const describe = (records: readonly RunRecord[]) => `${summaryOf(records, "diameter_largest_component")} (connected in ${connectedCount(records)}/${records.length} ` +
    `runs, components ${summaryOf(records, "components")})`;
  const others = variantList(data.graphVariants, describe);
  return `ours ${describe(data.defaults)}${others ? `; ${others}` : ""}; none within the spread of ${printed}`;
}

/** Why our spectral gap misses: all three definitions on every graph variant, and connectivity. */
export function gapDiagnosis(data: FamilyRecords, printed: number): string {
  const describe = (records: readonly RunRecord[]) =>
    `λ₂(L) ${summaryOf(records, "spectral_gap_normalized_laplacian")}, 1 − |μ₂| ${summaryOf(records, "spectral_gap_random_walk")}, λ₁ − λ₂(A) ${summaryOf(records, "spectral_gap_adjacency")}`;
  const disconnected = data.defaults.length - connectedCount(data.defaults);
  const parts = [`ours ${describe(data.defaults)}`];
  if (disconnected > 0) parts.push(`disconnected in ${disconnected}/${data.defaults.length} runs, where λ₂(L) and 1 − |μ₂| are 0`);
  for (const [label, records] of [...data.graphVariants].sort(([a], [b]) => a.localeCompare(b))) parts.push(`${label}: ${describe(records)}`);
  parts.push(`none within the spread of ${printed}`);
  return parts.join("; ");
}
