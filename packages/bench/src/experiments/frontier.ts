/**
 * Seed 001's `multi_frontier` runner: 14 data sets × model families × width sweeps × seeds, raw
 * and effective learned parameters, Pareto points (non-dominated in effective parameters and
 * validation score) and per-data-set frontier ownership (Figure 11's winner map).
 */
import { frontierDatasets } from "@fcn/data";
import {
  CEN, DeepMLP, DenseMLP, GatedKroneckerReservoir, HSN, KroneckerReservoir, LeakyReservoir, type Module,
} from "@fcn/nn";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Mode, RunRecord } from "../framework/types.js";
import { failureNotes, fmt, fmtSummary, okRecords } from "../report/format.js";
import { scatterSpec } from "../report/specs.js";
import { PUBLISHED } from "./published.js";
import { trainTabular } from "./training.js";

type IO = { inputs: number; outputs: number; seed: number };

/** Every family: builder from width, its width sweeps (full, quick), and whether it is dense. */
export const FAMILIES: Record<string, { build: (io: IO, width: number) => Module; widths: number[]; quickWidths: number[]; dense: boolean; optimizer?: "adamw" }> = {
  dense: { build: (io, w) => new DenseMLP({ ...io, width: w }), widths: [4, 8, 16, 22, 32, 64], quickWidths: [8, 16], dense: true },
  dense_adamw: { build: (io, w) => new DenseMLP({ ...io, width: w }), widths: [4, 8, 16, 22, 32, 64], quickWidths: [8, 16], dense: true, optimizer: "adamw" },
  dense_deep: { build: (io, w) => new DeepMLP({ ...io, width: w }), widths: [8, 16, 32], quickWidths: [8, 16], dense: true },
  kronecker_reservoir: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h }), widths: [8, 16, 32, 64], quickWidths: [8, 16], dense: false },
  gated_kronecker: { build: (io, h) => new GatedKroneckerReservoir({ ...io, hidden: h }), widths: [8, 16, 32, 64], quickWidths: [8, 16], dense: false },
  random_sparse_reservoir: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h, graph: { kind: "randomSparse" } }), widths: [8, 16, 32, 64], quickWidths: [8, 16], dense: false },
  no_recurrence: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h, graph: { kind: "noRecurrence" } }), widths: [8, 16, 32, 64], quickWidths: [8, 16], dense: false },
  permuted_kronecker: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h, graph: { kind: "permutedKronecker" } }), widths: [8, 16, 32, 64], quickWidths: [16], dense: false },
  dense_random_reservoir: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h, graph: { kind: "denseRandom" } }), widths: [8, 16, 32, 64], quickWidths: [16], dense: false },
  leaky: { build: (io, h) => new LeakyReservoir({ ...io, hidden: h }), widths: [8, 16, 32, 64], quickWidths: [16], dense: false },
  learned_initiator: { build: (io, h) => new KroneckerReservoir({ ...io, hidden: h, graph: { mode: "learnedInitiator" } }), widths: [8, 16, 32, 64], quickWidths: [16], dense: false },
  cen: { build: (io, h) => new CEN({ ...io, hidden: h }), widths: [64, 128, 256, 512], quickWidths: [128], dense: false },
  hsn: { build: (io, h) => new HSN({ ...io, ca3Width: h }), widths: [8, 16, 32], quickWidths: [16], dense: false },
};

export function familyNames(): string[] {
  return Object.keys(FAMILIES);
}

/** Throws with the valid names for an unknown family or data set. */
export function checkFrontierNames(datasets: readonly string[], families: readonly string[]): void {
  for (const d of datasets) if (!frontierDatasets.includes(d)) throw new Error(`unknown data set "${d}"; valid data sets: ${frontierDatasets.join(", ")}`);
  for (const f of families) if (!(f in FAMILIES)) throw new Error(`unknown family "${f}"; valid families: ${familyNames().join(", ")}`);
}

export interface FrontierConfig extends Config {
  readonly dataset: string;
  readonly family: string;
  readonly width: number;
  readonly epochs: number;
  readonly lr: number;
}

/** Selection of the frontier sweep (the `frontier` command narrows it). */
export interface FrontierSelection { datasets?: readonly string[]; families?: readonly string[] }

let selection: FrontierSelection = {};
/** Narrows the grid to some data sets / families (used by `fcn-bench frontier`). */
export function selectFrontier(next: FrontierSelection): void {
  checkFrontierNames(next.datasets ?? [], next.families ?? []);
  selection = next;
}

function runFrontier(config: FrontierConfig): Metrics {
  const family = FAMILIES[config.family];
  if (!family) throw new Error(`unknown family "${config.family}"; valid families: ${familyNames().join(", ")}`);
  const r = trainTabular({ dataset: config.dataset, trainSize: 512, validationSize: 256, epochs: config.epochs, lr: config.lr, batchSize: 64, seed: config.seed, optimizer: family.optimizer, build: (io) => family.build(io, config.width) });
  return { task: r.task, score: r.score, raw_params: r.rawParams, effective_params: r.effectiveParams, fixed_params: r.fixedParams, train_seconds: r.trainSeconds };
}

/** A point of a frontier: one (family, width) with its mean score over seeds. */
export interface FrontierPoint { family: string; width: number; effectiveParams: number; rawParams: number; score: number; std: number; seeds: number; pareto: boolean }

/** Pareto points: no other point has ≤ params and a better score (lower MSE / higher accuracy), one of them strictly. */
export function paretoPoints(points: Omit<FrontierPoint, "pareto">[], lowerIsBetter: boolean): FrontierPoint[] {
  const better = (a: number, b: number) => (lowerIsBetter ? a < b : a > b);
  return points.map((p) => ({
    ...p,
    pareto: !points.some((q) => q !== p && q.effectiveParams <= p.effectiveParams && (better(q.score, p.score) || q.score === p.score) && (q.effectiveParams < p.effectiveParams || better(q.score, p.score))),
  }));
}

/** Frontier points of one data set from its records. */
export function frontierOf(records: readonly RunRecord[]): FrontierPoint[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of okRecords(records)) {
    const key = `${r.config.family}/${r.config.width}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lower = okRecords(records)[0]?.metrics.task === "regression";
  const points = [...groups.values()].map((rs) => {
    const s = summarize(rs.map((r) => r.metrics.score as number));
    return { family: String(rs[0].config.family), width: Number(rs[0].config.width), effectiveParams: summarize(rs.map((r) => r.metrics.effective_params as number)).mean, rawParams: summarize(rs.map((r) => r.metrics.raw_params as number)).mean, score: s.mean, std: s.std, seeds: s.n };
  });
  return paretoPoints(points, lower);
}

function tables(records: readonly RunRecord[]) {
  const datasets = frontierDatasets.filter((d) => records.some((r) => r.config.dataset === d));
  const ownershipRows: (string | number)[][] = [];
  const winnerCells: Record<string, string | number>[] = [];
  const paretoRows: (string | number)[][] = [];
  const scatter: Record<string, string | number>[] = [];
  for (const d of datasets) {
    const points = frontierOf(records.filter((r) => r.config.dataset === d));
    const frontier = points.filter((p) => p.pareto).sort((a, b) => a.effectiveParams - b.effectiveParams);
    const reservoirShare = frontier.filter((p) => !FAMILIES[p.family]?.dense).length / Math.max(1, frontier.length);
    ownershipRows.push([d, frontier.length, fmt(reservoirShare), frontier.map((p) => `${p.family} w=${p.width} (${fmt(p.effectiveParams)}: ${fmt(p.score)})`).join("; ")]);
    for (const f of Object.keys(FAMILIES)) winnerCells.push({ dataset: d, family: f, share: frontier.filter((p) => p.family === f).length / Math.max(1, frontier.length) });
    for (const p of points) scatter.push({ dataset: d, family: p.family, params: Math.max(1, p.effectiveParams), score: p.score, pareto: p.pareto ? "Pareto" : "dominated" });
    for (const p of frontier) paretoRows.push([d, p.family, p.width, fmt(p.rawParams), fmt(p.effectiveParams), `${fmt(p.score)} ± ${fmt(p.std, 2)}`, p.seeds]);
  }
  // Published friedman1/sine rows beside ours at the same family and width.
  const compareRows: (string | number)[][] = [];
  const lookup = (dataset: string, family: string, width: number) => {
    const mine = okRecords(records).filter((r) => r.config.dataset === dataset && r.config.family === family && r.config.width === width);
    return mine.length ? fmtSummary(summarize(mine.map((r) => r.metrics.score as number))) : "not run";
  };
  const parse = (name: string): [string, number] | undefined => {
    const m = /^(.*?)_([hH])(\d+)(?:_best)?$/.exec(name);
    return m ? [m[1] === "kronecker" ? "kronecker_reservoir" : m[1], Number(m[3])] : undefined;
  };
  for (const [key, dataset] of [["frontier_friedman1", "friedman1"], ["frontier_sine", "sine"], ["frontier_multiscale_fourier", "multiscaleFourierRegression"]] as const) {
    for (const row of (PUBLISHED[key].rows as (string | number)[][])) {
      const parsed = parse(String(row[0]));
      if (parsed) compareRows.push([dataset, String(row[0]), lookup(dataset, parsed[0], parsed[1]), row[1], row[2]]);
    }
  }
  return {
    tables: [
      { title: "Frontier ownership per data set (001 §8, Figure 11)", columns: ["data set", "Pareto points", "reservoir/fractal share", "frontier (family w=width (effective params: score))"], rows: ownershipRows },
      { title: "Pareto points", columns: ["data set", "family", "width", "raw params", "effective params", "score ± std", "seeds"], rows: paretoRows },
      { title: "001's published frontier rows beside ours (same family and width)", columns: ["data set", "published model", "ours: val MSE", "published val MSE", "published effective params"], rows: compareRows,
        caption: "Our MSE is in standardized target units; 001 does not state its target scaling, so the columns compare orders of magnitude and rankings, not digits. \"not run\": the width is outside this run's sweep (quick mode runs one or two widths per family)." },
    ],
    plots: [
      { name: "frontier-pareto", title: "Frontier — score vs effective parameters per data set", spec: scatterSpec(scatter, { x: "params", y: "score", series: "family", facet: "dataset", logX: true, shape: "pareto", title: "Validation score vs effective learned parameters (filled: all points; shape: Pareto)" }) },
      { name: "frontier-winner-map", title: "Frontier — winner map", spec: { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Share of each data set's Pareto frontier owned by each family", data: { values: winnerCells }, mark: "rect", width: 420, height: 320,
        encoding: { x: { field: "family", type: "nominal" }, y: { field: "dataset", type: "nominal" }, color: { field: "share", type: "quantitative", scale: { scheme: "blues" } } } } },
    ],
    notes: [
      "Families map to @fcn/nn models: dense = DenseMLP (Adam; AdamW with weight decay 0.01 for dense_adamw), dense_deep = DeepMLP (3 hidden layers), reservoirs = KroneckerReservoir with the graph kind of each control, gated = GatedKroneckerReservoir (scalar gate), leaky = LeakyReservoir (α = 0.5), learned_initiator = graph mode learnedInitiator, CEN and HSN from 002.",
      "Every run: 512 train / 256 validation points (70/30 for iris, wine, digits), Adam lr 0.02, batch 64; inputs standardized on the training split, regression targets too.",
      ...failureNotes(records),
    ],
  };
}

export const frontier: Experiment<FrontierConfig> = {
  id: "frontier",
  title: "Parameter frontiers: 14 data sets × model families × widths",
  seedRef: "001 §4–8",
  estimate: (mode) => (mode === "quick" ? 230 : 20000),
  grid(mode: Mode, seeds) {
    const quick = mode === "quick";
    const datasets = selection.datasets?.length ? selection.datasets : frontierDatasets;
    const families = selection.families?.length ? selection.families : Object.keys(FAMILIES);
    const useSeeds = quick ? seeds.slice(0, 3) : seeds;
    return datasets.flatMap((dataset) => families.flatMap((family) => (quick ? FAMILIES[family].quickWidths : FAMILIES[family].widths).flatMap((width) =>
      useSeeds.map((seed) => ({ dataset, family, width, epochs: quick ? 20 : 100, lr: 0.02, seed })))));
  },
  run: (config) => runFrontier(config),
  tables,
};
