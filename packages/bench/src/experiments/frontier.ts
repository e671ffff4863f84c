/**
 * Seed 001's `multi_frontier` runner: 14 data sets × model families × width sweeps × seeds, raw
 * and effective learned parameters, Pareto points (non-dominated in effective parameters and
 * validation score) and per-data-set frontier ownership (Figure 11's winner map).
 */
import { ArgumentError } from "@fcn/tensor";
import { frontierDatasets } from "@fcn/data";
import {
  CEN, DeepMLP, DenseMLP, GatedKroneckerReservoir, HSN, KroneckerReservoir, LeakyReservoir, type Module,
} from "@fcn/nn";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Mode, RunRecord } from "../framework/types.js";
import { atDefaults } from "../framework/readings.js";
import { defineOptions, type OptionValues } from "../framework/options.js";
import { COMPARISON_COLUMNS, comparisonCells, failureNotes, fmt, okRecords, readingsCell } from "../report/format.js";
import { diagnoseMiss } from "./diagnosis.js";
import { groupByReading } from "./tabular.js";
import { scatterSpec } from "../report/specs.js";
import { PUBLISHED } from "./published.js";
import { datasetOptionsOf, REGRESSION_UNITS, SWISS_ROLL_LABELS, targetUnitsOf } from "./tabularReadings.js";
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
  for (const d of datasets) if (!frontierDatasets.includes(d)) throw new ArgumentError(`unknown data set "${d}"; valid data sets: ${frontierDatasets.join(", ")}`);
  for (const f of families) if (!(f in FAMILIES)) throw new ArgumentError(`unknown family "${f}"; valid families: ${familyNames().join(", ")}`);
}

export interface FrontierConfig extends Config {
  readonly dataset: string;
  readonly family: string;
  readonly width: number;
  readonly epochs: number;
  readonly lr: number;
}

/** `fcn-bench run frontier --option datasets=sine,friedman1 --option families=dense`: a part of the sweep. */
export const FRONTIER_OPTIONS = defineOptions([
  {
    id: "datasets",
    type: "choices",
    values: frontierDatasets,
    changesResults: false,
    description: "only these data sets (standard mode: every family's full width sweep on them instead of the published subset)",
  },
  { id: "families", type: "choices", values: Object.keys(FAMILIES), changesResults: false, description: "only these model families (standard mode: as datasets)" },
]);
export type FrontierOptions = OptionValues<typeof FRONTIER_OPTIONS>;

async function runFrontier(config: FrontierConfig): Promise<Metrics> {
  const family = FAMILIES[config.family];
  if (!family) throw new ArgumentError(`unknown family "${config.family}"; valid families: ${familyNames().join(", ")}`);
  const r = await trainTabular({
    dataset: config.dataset, datasetOptions: datasetOptionsOf(config), targets: targetUnitsOf(config), trainSize: 512, validationSize: 256, testSize: 256,
    epochs: config.epochs, lr: config.lr, batchSize: 64, seed: config.seed, optimizer: family.optimizer, build: (io) => family.build(io, config.width),
  });
  const regression = r.task === "regression";
  // Scores in the units trained in (001 does not say which); both units are kept for regression.
  return {
    task: r.task, score: r.testScore, val_score: r.validationScore, train_score: r.trainScore,
    ...(regression ? { test_mse_raw: r.testMseRaw!, test_mse_standardized: r.testMseStandardized!, target_variance: r.targetVariance! } : {}),
    raw_params: r.rawParams, effective_params: r.effectiveParams, fixed_params: r.fixedParams, train_seconds: r.trainSeconds, best_epoch: r.bestEpoch,
  };
}

/** A point of a frontier: one (family, width) with its mean score over seeds. */
export interface FrontierPoint { family: string; width: number; effectiveParams: number; rawParams: number; score: number; std: number; seeds: number; pareto: boolean }

/** Pareto points: no other point has ≤ params and a better score (lower MSE / higher accuracy), one of them strictly. */
export function paretoPoints(points: Omit<FrontierPoint, "pareto">[], lowerIsBetter: boolean): FrontierPoint[] {
  const better = (a: number, b: number) => (lowerIsBetter ? a < b : a > b);
  return points.map((p) => ({
    ...p,
    pareto: !points.some((q) => q !== p && q.effectiveParams <= p.effectiveParams && (better(
      q.score,
      p.score,
    ) || q.score === p.score) && (q.effectiveParams < p.effectiveParams || better(q.score, p.score))),
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
    // 001: "A Pareto point is non-dominated if no other model has both fewer learned parameters and a better validation score."
    const s = summarize(rs.map((r) => (r.metrics.val_score ?? r.metrics.score) as number));
    return {
      family: String(rs[0].config.family),
      width: Number(rs[0].config.width),
      effectiveParams: summarize(rs.map((r) => r.metrics.effective_params as number)).mean,
      rawParams: summarize(rs.map((r) => r.metrics.raw_params as number)).mean,
      score: s.mean,
      std: s.std,
      seeds: s.n,
    };
  });
  return paretoPoints(points, lower);
}

const FRONTIER_READINGS = [SWISS_ROLL_LABELS, REGRESSION_UNITS];

/** Published rows of 001 as (data set, model name, figure, effective params, higher is better). */
export function publishedFrontierRows(): { dataset: string; model: string; value: number; params: number; accuracy: boolean }[] {
  const rows: { dataset: string; model: string; value: number; params: number; accuracy: boolean }[] = [];
  for (const [key, dataset] of [["frontier_friedman1", "friedman1"], ["frontier_sine", "sine"], ["frontier_multiscale_fourier", "multiscaleFourierRegression"]] as const) {
    for (const row of PUBLISHED[key].rows as (string | number)[][]) rows.push({ dataset, model: String(row[0]), value: Number(row[1]), params: Number(row[2]), accuracy: false });
  }
  for (const row of PUBLISHED.frontier_friedman1.graph_controls_H16 as (string | number)[][]) {
    const model = String(row[0]) === "dense_h16" ? "" : `${String(row[0]).replace("permuted_kronecker_reservoir", "permuted_kronecker")}_H16 (control)`;
    if (model) rows.push({ dataset: "friedman1", model, value: Number(row[1]), params: Number(row[2]), accuracy: false });
  }
  const names: Record<string, string> = { swiss_roll: "swissRoll", circles: "circles", moons: "moons", s_curve_binary: "sCurveBinary" };
  for (const row of PUBLISHED.frontier_binary_low_budget.rows as (string | number)[][]) rows.push({
    dataset: names[String(row[0])],
    model: String(row[1]),
    value: Number(row[3]),
    params: Number(row[2]),
    accuracy: true,
  });
  rows.push({ dataset: "digits", model: "dense_h8", value: 0.923, params: 682, accuracy: true });
  return rows;
}

/** (family, width) of a published model name such as "kronecker_reservoir_H16_best" or "dense_h8". */
export function parsePublishedModel(name: string): [string, number] | undefined {
  const m = /^(.*?)_([hH])(\d+)(?:_best)?(?: \(control\))?$/.exec(name);
  return m ? [m[1] === "kronecker" ? "kronecker_reservoir" : m[1], Number(m[3])] : undefined;
}

function tables(records: readonly RunRecord[]) {
  // Frontiers are drawn under the default readings; the published rows are judged under each.
  const defaults = okRecords(records).filter((r) => atDefaults(r.config, FRONTIER_READINGS));
  const datasets = frontierDatasets.filter((d) => defaults.some((r) => r.config.dataset === d));
  const ownershipRows: (string | number)[][] = [];
  const winnerCells: Record<string, string | number>[] = [];
  const paretoRows: (string | number)[][] = [];
  const scatter: Record<string, string | number>[] = [];
  for (const d of datasets) {
    const points = frontierOf(defaults.filter((r) => r.config.dataset === d));
    const frontier = points.filter((p) => p.pareto).sort((a, b) => a.effectiveParams - b.effectiveParams);
    const reservoirShare = frontier.filter((p) => !FAMILIES[p.family]?.dense).length / Math.max(1, frontier.length);
    ownershipRows.push([d, frontier.length, fmt(reservoirShare), frontier.map((p) => `${p.family} w=${p.width} (${fmt(p.effectiveParams)}: ${fmt(p.score)})`).join("; ")]);
    for (const f of Object.keys(FAMILIES)) winnerCells.push({ dataset: d, family: f, share: frontier.filter((p) => p.family === f).length / Math.max(1, frontier.length) });
    const panel = `${d} — ${defaults.find((r) => r.config.dataset === d)?.metrics.task === "regression" ? "MSE (lower is better)" : "accuracy"}`;
    for (const p of points) scatter.push({
      dataset: panel,
      family: p.family,
      params: Math.max(1, p.effectiveParams),
      score: p.score,
      std: Number.isFinite(p.std) ? p.std : 0,
      pareto: p.pareto ? "Pareto" : "dominated",
    });
    for (const p of frontier) paretoRows.push([d, p.family, p.width, fmt(p.rawParams), fmt(p.effectiveParams), `${fmt(p.score)} ± ${fmt(p.std, 2)}`, p.seeds]);
  }
  const compareRows: (string | number | null)[][] = [];
  for (const row of publishedFrontierRows()) {
    const parsed = parsePublishedModel(row.model);
    if (!parsed) continue;
    const mine = okRecords(records).filter((r) => r.config.dataset === row.dataset && r.config.family === parsed[0] && r.config.width === parsed[1]);
    if (mine.length === 0) {
      compareRows.push([row.dataset, row.model, "—", "not run", 0, row.value, "—", "—", "—", row.params, "—"]);
      continue;
    }
    const groups = groupByReading(mine, FRONTIER_READINGS);
    const main = groups.find((g) => g.isDefault) ?? groups[0];
    const others = groups.filter((g) => g !== main).map((g) => ({ label: g.label, values: g.records.map((r) => r.metrics.score as number) }));
    // 001 states no target scaling: diagnose under the reading whose mean lies nearest the figure.
    const distance = (g: (typeof groups)[number]) => Math.abs(summarize(g.records.map((r) => r.metrics.score as number)).mean - row.value);
    const nearest = groups.reduce((a, b) => (distance(b) < distance(a) ? b : a));
    const diagnosis = `${nearest === main || !nearest.label ? "" : `nearest under ${nearest.label}: `}${diagnoseMiss(nearest.records, row.value, !row.accuracy, "asTrained")}`;
    compareRows.push([row.dataset, row.model, main.label || "—", ...comparisonCells(main.records.map((r) => r.metrics.score as number), row.value, { others, diagnosis }),
      readingsCell(others), row.params, fmt(summarize(main.records.map((r) => r.metrics.effective_params as number)).mean)]);
  }
  return {
    tables: [
      {
        title: "Frontier ownership per data set (001 §8, Figure 11)",
        columns: ["data set", "Pareto points", "reservoir/fractal share", "frontier (family w=width (effective params: score))"],
        rows: ownershipRows,
      },
      { title: "Pareto points", columns: ["data set", "family", "width", "raw params", "effective params", "score ± std", "seeds"], rows: paretoRows },
      { title: "001's published frontier rows beside ours (same family and width)", columns: [
        "data set",
        "published model",
        "reading",
        ...COMPARISON_COLUMNS,
        "ours under other readings",
        "published effective params",
        "our effective params",
      ], rows: compareRows,
        caption: "Ours: test score (accuracy, or MSE in the units of the reading: 001 does not state its target scaling, so both " +
          "readings are run). 001 reports validation scores; ours are on a held-out test split, the weights kept at the lowest " +
          "validation loss. \"not run\": the width is outside this run's sweep." },
    ],
    plots: [
      {
        name: "frontier-pareto",
        title: "Frontier — score vs effective parameters per data set",
        spec: scatterSpec(scatter, {
          x: "params", y: "score", series: "family", facet: "dataset", logX: true, shape: "pareto", error: "std",
          xTitle: "effective learned parameters", yTitle: "validation accuracy / MSE",
          title: "Validation score (the panel names it: accuracy or MSE) vs effective learned parameters, mean ± std over seeds (shape: Pareto or dominated)",
        }),
      },
      { name: "frontier-winner-map", title: "Frontier — winner map", spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white",
        title: "Share of each data set's Pareto frontier owned by each family", data: { values: winnerCells }, mark: "rect", width: 420, height: 320,
        encoding: { x: { field: "family", type: "nominal" }, y: { field: "dataset", type: "nominal" }, color: { field: "share", type: "quantitative", scale: { scheme: "blues" } } } } },
    ],
    notes: [
      "Families map to @fcn/nn models: dense = DenseMLP (Adam; AdamW with weight decay 0.01 for dense_adamw), dense_deep " +
        "= DeepMLP (3 hidden layers), reservoirs = KroneckerReservoir with the graph kind of each control, gated = GatedKroneckerReservoir " +
        "(scalar gate), leaky = LeakyReservoir (α = 0.5), learned_initiator = graph mode learnedInitiator, CEN and HSN " +
        "from 002.",
      "Every run: 512 train / 256 validation points (70/30 for iris, wine, digits), Adam lr 0.02, batch 64; inputs standardized on the training split, regression targets too.",
      ...failureNotes(records),
    ],
  };
}

/**
 * Standard mode's subset: every (family, width) 001 publishes a figure for, on its data set, plus
 * the graph controls at H = 16 on friedman1 and a small dense/reservoir bracket around each.
 */
const STANDARD_SUBSET: Record<string, [string, number[]][]> = {
  friedman1: [
    ["dense", [8, 16, 22]],
    ["dense_adamw", [22]],
    ["kronecker_reservoir", [16]],
    ["random_sparse_reservoir", [16]],
    ["permuted_kronecker", [16]],
    ["dense_random_reservoir", [16]],
    ["no_recurrence", [16]],
  ],
  sine: [["kronecker_reservoir", [8, 16, 64]], ["random_sparse_reservoir", [32]], ["dense", [16]], ["dense_deep", [32]]],
  multiscaleFourierRegression: [["gated_kronecker", [8]], ["random_sparse_reservoir", [16]], ["no_recurrence", [64]], ["dense_deep", [32]]],
  swissRoll: [["gated_kronecker", [8]], ["kronecker_reservoir", [8]], ["dense", [8]]],
  circles: [["gated_kronecker", [8]], ["kronecker_reservoir", [8]], ["dense", [8]]],
  moons: [["kronecker_reservoir", [8]], ["gated_kronecker", [8]], ["dense", [8]]],
  sCurveBinary: [["kronecker_reservoir", [8]], ["gated_kronecker", [8]], ["dense", [8]]],
  digits: [["dense", [8]], ["no_recurrence", [16]], ["kronecker_reservoir", [16]]],
};

function standardGrid(seeds: readonly number[]): FrontierConfig[] {
  return Object.entries(STANDARD_SUBSET).flatMap(([dataset, families]) => families.flatMap(([family, widths]) => widths.flatMap((width) =>
    seeds.map((seed) => ({ dataset, family, width, epochs: 100, lr: 0.02, seed })))));
}

/** The sweep: quick and full every data set × family × width (or the chosen ones), standard the published subset unless some are chosen. */
export function frontierGrid(mode: Mode, seeds: readonly number[], selection: Partial<FrontierOptions> = {}): FrontierConfig[] {
  checkFrontierNames(selection.datasets ?? [], selection.families ?? []);
  if (mode === "standard" && !selection.datasets?.length && !selection.families?.length) return standardGrid(seeds);
  const quick = mode === "quick";
  const datasets = selection.datasets?.length ? selection.datasets : frontierDatasets;
  const families = selection.families?.length ? selection.families : Object.keys(FAMILIES);
  const useSeeds = quick ? seeds.slice(0, 3) : seeds;
  return datasets.flatMap((dataset) => families.flatMap((family) => (quick ? FAMILIES[family].quickWidths : FAMILIES[family].widths).flatMap((width) =>
    useSeeds.map((seed) => ({ dataset, family, width, epochs: quick ? 20 : 100, lr: 0.02, seed })))));
}

export const frontier: Experiment<FrontierConfig, FrontierOptions> = {
  id: "frontier",
  title: "Parameter frontiers: 14 data sets × model families × widths",
  seedRef: "001 §4–8",
  readings: FRONTIER_READINGS,
  runOptions: FRONTIER_OPTIONS,
  estimate: (mode) => (mode === "quick" ? 230 : mode === "standard" ? 900 : 20000),
  grid: frontierGrid,
  run: (config) => runFrontier(config),
  tables,
};
