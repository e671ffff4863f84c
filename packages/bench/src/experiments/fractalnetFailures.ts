/**
 * Seed 003's failure rate. 003 names the failure signature "Accuracy ≈ 0.1 (random chance):
 * Likely layer incompatibility or initialization failure" beside the "3% training failure rate
 * noted in paper", and asks "What mechanisms cause the ~3% training failure rate and
 * near-random accuracy in some generated architectures?". So a variant *fails* when it trains
 * to the end but its final held-out (test) accuracy cannot be told from chance: at most
 * 1/classes + two binomial standard errors at the test-set size. A run that throws (a
 * non-finite loss, an invalid config) *crashed*: 003's "OOM errors" are a separate signature,
 * so crashes are counted apart, and both rates have every variant attempted as denominator.
 */
import { chanceBand } from "../report/verdict.js";
import type { RunRecord } from "../framework/types.js";
import { fmt } from "../report/format.js";
import type { FractalRunConfig, FractalVariant } from "./fractalnet.js";

export type RunOutcome = "crashed" | "chance" | "learned";

/** The highest accuracy that is still chance: 1/classes + 2 binomial SEs at `testSize` examples. */
export function chanceThreshold(classes: number, testSize: number): number {
  const level = 1 / classes;
  return level + chanceBand(level, testSize);
}

/** The held-out accuracy a run is judged by: final test accuracy (final validation accuracy for records made before the test split existed). */
export function heldOutAccuracy(record: RunRecord): number {
  const test = record.metrics.finalTestAccuracy;
  return typeof test === "number" ? test : (record.metrics.finalValAccuracy as number);
}

function testSizeOf(record: RunRecord): number {
  const t = (record.config as FractalRunConfig).train;
  return typeof t.testSize === "number" ? t.testSize : t.validationSize;
}

/** Crashed (failed record), at chance (accuracy ≤ {@link chanceThreshold}) or learned. */
export function outcomeOf(record: RunRecord): RunOutcome {
  if (record.status !== "ok") return "crashed";
  const t = (record.config as FractalRunConfig).train;
  return heldOutAccuracy(record) <= chanceThreshold(t.classes, testSizeOf(record)) ? "chance" : "learned";
}

export interface FailureCounts {
  readonly variants: number;
  readonly crashed: number;
  readonly chance: number;
  readonly learned: number;
  /** 003's failure rate: variants at chance / variants attempted. */
  readonly rate: number;
  readonly crashRate: number;
}

export function failureCounts(records: readonly RunRecord[]): FailureCounts {
  const outcomes = records.map(outcomeOf);
  const count = (o: RunOutcome) => outcomes.filter((x) => x === o).length;
  const variants = records.length;
  const [crashed, chance, learned] = [count("crashed"), count("chance"), count("learned")];
  return { variants, crashed, chance, learned, rate: variants ? chance / variants : 0, crashRate: variants ? crashed / variants : 0 };
}

/** A short name of a variant, e.g. "N2 C4 B3 k5 layer/leakyRelu/concat dp0.15". */
export function variantLabel(v: FractalVariant): string {
  return `N${v.N} C${v.columns} B${v.blocks} k${v.kernel} ${v.norm}/${v.activation}/${v.join}${v.dropPath ? ` dp${v.dropPath}` : ""}`;
}

const pct = (x: number) => `${fmt(100 * x, 3)}%`;

/** "k/n" of the variants with each value of an axis that ended at chance, e.g. "none 2/3, layer 1/5, batch 0/8". */
export function chanceByAxis(records: readonly RunRecord[], axis: keyof FractalVariant): string {
  const groups = new Map<string, { chance: number; n: number }>();
  for (const r of records) {
    const key = String((r.config as FractalRunConfig).variant[axis]);
    const g = groups.get(key) ?? { chance: 0, n: 0 };
    groups.set(key, { chance: g.chance + (outcomeOf(r) === "chance" ? 1 : 0), n: g.n + 1 });
  }
  return [...groups].sort((a, b) => b[1].chance / b[1].n - a[1].chance / a[1].n).map(([k, g]) => `${k} ${g.chance}/${g.n}`).join(", ");
}

/**
 * Why our failure rate differs from 003's, from the records: how many variants ended at chance
 * and which, with their learning curves (train loss first → last epoch against ln(classes), the
 * loss of a uniform guess; validation accuracy per epoch) and the share at chance per norm,
 * activation and depth; or, with none at chance, the lowest accuracy and how far above chance it is.
 */
export function failureDiagnosis(records: readonly RunRecord[], published: number, plain: readonly RunRecord[] = []): string {
  const c = failureCounts(records);
  const first = records[0]?.config as FractalRunConfig | undefined;
  if (!first) return "no runs";
  const t = first.train;
  const threshold = chanceThreshold(t.classes, testSizeOf(records[0]));
  const head = `${c.chance} of ${c.variants} variants (${pct(c.rate)}) ended at chance (test accuracy ≤ ${pct(threshold)}) vs ` +
    `003's ~${pct(published)} of 1,200+ on CIFAR-10; ${c.crashed} crashed; ${t.dataset}, lr ${t.lr}, ${t.epochs} epochs`;
  const atChance = records.filter((r) => outcomeOf(r) === "chance");
  if (atChance.length === 0) {
    const ok = records.filter((r) => r.status === "ok");
    if (!ok.length) return `${head}.`;
    const lowest = Math.min(...ok.map(heldOutAccuracy));
    return `${head}; the lowest test accuracy is ${pct(lowest)}, ${fmt(100 * (lowest - threshold), 3)} pp above the chance threshold, so every variant learned.`;
  }
  const ln = Math.log(t.classes);
  const curves = atChance.slice(0, 4).map((r) => {
    const loss = r.metrics.trainLoss as number[];
    const val = (r.metrics.valAccuracy as number[]).map((a) => pct(a)).join("→");
    return `${variantLabel((r.config as FractalRunConfig).variant)} (depth ${r.metrics.depth}: train loss ${loss[0].toFixed(3)}→${loss[loss.length - 1].toFixed(3)} ` +
      `vs ln ${t.classes} = ${ln.toFixed(3)}; val. ${val})`;
  });
  // A final train loss within 0.05 of ln(classes) never left the uniform guess (no training
  // signal reached the output); a lower one fitted the training images without generalizing.
  const stuck = atChance.filter((r) => Math.abs(((r.metrics.trainLoss as number[]).at(-1) ?? 0) - ln) < 0.05).length;
  const deep = (r: RunRecord) => (r.metrics.depth as number) >= 16;
  // The plain twin (deepest column alone, same variant and seed): at chance too means the
  // failure does not come from the fractal structure.
  const twinKey = (r: RunRecord) => `${r.seed} ${JSON.stringify((r.config as FractalRunConfig).variant)}`;
  const twins = new Map(plain.map((r) => [twinKey(r), r]));
  const paired = atChance.map((r) => twins.get(twinKey(r))).filter((r): r is RunRecord => r !== undefined);
  const twinNote = paired.length
    ? ` Their plain twins: ${paired.filter((r) => outcomeOf(r) !== "learned").length} of ${paired.length} at chance or crashed too.`
    : "";
  const ok = records.filter((r) => r.status === "ok");
  const deepCount = ok.filter(deep);
  const share = (rs: RunRecord[]) => `${rs.filter((r) => outcomeOf(r) === "chance").length}/${rs.length}`;
  return `${head}. ${stuck} of the ${atChance.length} at chance ended with train loss within 0.05 of ln ${t.classes} (never ` +
    `left the uniform guess), ${atChance.length - stuck} fitted the training images below it without generalizing. ` +
    `At chance: ${curves.join("; ")}${atChance.length > 4 ? `; and ${atChance.length - 4} more` : ""}. Share at chance ` +
    `by norm: ${chanceByAxis(ok, "norm")}; by activation: ${chanceByAxis(ok, "activation")}; depth ≥ 16: ${share(deepCount)}, ` +
    `depth < 16: ${share(ok.filter((r) => !deep(r)))}.${twinNote}`;
}
