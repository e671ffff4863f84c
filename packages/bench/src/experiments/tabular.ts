/**
 * Experiments 8–11 share one shape: models × data sets × learning rates × seeds (× readings),
 * each trained with @fcn/nn, the learning rate per (model, data set, seed, reading) chosen on
 * the validation split, the test split reported, and one verdict per published figure.
 */
import { ArgumentError } from "@fcn/tensor";
import type { Module } from "@fcn/nn";
import { atDefaults, readingLabel } from "../framework/readings.js";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Mode, Reading, RunRecord, Table } from "../framework/types.js";
import { COMPARISON_COLUMNS, comparisonCells, failureNotes, fmt, fmtSummary, okRecords, readingsCell } from "../report/format.js";
import { barSpec } from "../report/specs.js";
import { diagnoseMiss } from "./diagnosis.js";
import { datasetOptionsOf, targetUnitsOf } from "./tabularReadings.js";
import { trainTabular } from "./training.js";

export interface TabularConfig extends Config {
  readonly model: string;
  readonly dataset: string;
  readonly lr: number;
  readonly epochs: number;
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly batchSize: number;
}

/** What a model builder gets: the data's widths, the seed and the whole configuration (readings). */
export interface BuildContext { readonly inputs: number; readonly outputs: number; readonly seed: number; readonly dataset: string; readonly config: Config }

/** Description of a tabular comparison experiment. */
export interface TabularExperimentSpec {
  readonly id: string;
  readonly title: string;
  readonly seedRef: string;
  readonly models: Record<string, (io: BuildContext) => Module>;
  readonly datasets: readonly string[];
  /** Models to run per data set (default all). */
  readonly modelsFor?: (dataset: string) => readonly string[];
  readonly learningRates: (mode: Mode) => readonly number[];
  readonly epochs: (mode: Mode, dataset: string) => number;
  readonly sizes: (mode: Mode) => { trainSize: number; validationSize: number; testSize: number };
  readonly seeds?: (mode: Mode, seeds: readonly number[]) => readonly number[];
  readonly readings: readonly Reading[];
  /** The data set a configuration trains on, when a reading chooses it (default: `config.dataset`). */
  readonly datasetOf?: (config: Config) => string;
  /** Published score of (model, data set), when the seed has one. */
  readonly published: (model: string, dataset: string) => number | undefined;
  readonly publishedParams?: (model: string, dataset: string) => number | undefined;
  /** A sentence added to a miss's diagnosis, e.g. a link to an ablation. */
  readonly diagnosis?: (model: string, dataset: string) => string | undefined;
  readonly estimate: (mode: Mode) => number;
  readonly notes: readonly string[];
  readonly findings?: (records: readonly RunRecord[]) => string[];
  readonly optimizer?: (model: string) => "adam" | "adamw";
}

/** 002 §2: "validated on 256 points"; 000 gives no size, so its figures are taken at the same protocol. */
export const PUBLISHED_SAMPLE_SIZE = 256;

/** Units of every regression score we compare: the published MSEs are in units of y². */
export const MSE_UNIT = "MSE in units of y²";

async function runTabular(spec: TabularExperimentSpec, config: TabularConfig): Promise<Metrics> {
  const build = spec.models[config.model];
  if (!build) throw new ArgumentError(`unknown model "${config.model}"; valid models: ${Object.keys(spec.models).join(", ")}`);
  const r = await trainTabular({
    dataset: spec.datasetOf?.(config) ?? config.dataset, datasetOptions: datasetOptionsOf({ ...config, dataset: spec.datasetOf?.(config) ?? config.dataset }), targets: targetUnitsOf(config),
    trainSize: config.trainSize, validationSize: config.validationSize, testSize: config.testSize, epochs: config.epochs,
    lr: config.lr, batchSize: config.batchSize, seed: config.seed, optimizer: spec.optimizer?.(config.model),
    build: (io) => build({ ...io, dataset: config.dataset, config }),
  });
  return {
    task: r.task,
    // Regression scores are compared in the published units (raw MSE) whatever the training units.
    score: r.task === "regression" ? r.testMseRaw! : r.testScore,
    ...(r.task === "regression" ? { score_standardized: r.testMseStandardized!, target_variance: r.targetVariance! } : {}),
    val_score: r.validationScore, train_score: r.trainScore, raw_params: r.rawParams, effective_params: r.effectiveParams,
    fixed_params: r.fixedParams, train_seconds: r.trainSeconds, final_loss: r.finalLoss, best_epoch: r.bestEpoch, epochs_run: r.epochsRun,
    train_loss_curve: r.trainLossCurve, val_loss_curve: r.validationLossCurve,
  };
}

/** For each (model, data set, seed, readings): the record with the best validation score over the learning rates. */
export function bestOverLearningRates(records: readonly RunRecord[]): RunRecord[] {
  const best = new Map<string, RunRecord>();
  const validation = (r: RunRecord) => (r.metrics.val_score ?? r.metrics.score) as number;
  for (const r of okRecords(records)) {
    const key = `${r.config.model}/${r.config.dataset}/${r.seed}/${readingLabel(r.config)}/${r.config.extra ?? ""}`;
    const previous = best.get(key);
    const better = (a: RunRecord, b: RunRecord) => (a.metrics.task === "regression" ? validation(a) < validation(b) : validation(a) > validation(b));
    if (!previous || better(r, previous)) best.set(key, r);
  }
  return [...best.values()];
}

/** Records grouped by reading label, the default readings' group first. */
export function groupByReading(records: readonly RunRecord[], readings: readonly Reading[]): { label: string; isDefault: boolean; records: RunRecord[] }[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) groups.set(readingLabel(r.config), [...(groups.get(readingLabel(r.config)) ?? []), r]);
  return [...groups.entries()]
    .map(([label, rs]) => ({ label, isDefault: atDefaults(rs[0].config, readings), records: rs }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.label.localeCompare(b.label));
}

function tables(spec: TabularExperimentSpec, records: readonly RunRecord[]) {
  const best = bestOverLearningRates(records);
  const rows: (string | number | null)[][] = [];
  const bars: Record<string, string | number>[] = [];
  for (const dataset of spec.datasets) {
    for (const model of Object.keys(spec.models)) {
      const mine = best.filter((r) => r.config.dataset === dataset && r.config.model === model);
      if (mine.length === 0) continue;
      const groups = groupByReading(mine, spec.readings);
      const main = groups.find((g) => g.isDefault) ?? groups[0];
      const others = groups.filter((g) => g !== main).map((g) => ({ label: g.label, values: g.records.map((r) => r.metrics.score as number), unit: MSE_UNIT }));
      const scores = main.records.map((r) => r.metrics.score as number);
      const task = main.records[0].metrics.task;
      const regression = task === "regression";
      const published = spec.published(model, dataset);
      const extra = spec.diagnosis?.(model, dataset);
      const diagnosis = published === undefined ? undefined : [diagnoseMiss(main.records, published, regression), extra].filter(Boolean).join("; ");
      const trainScores = summarize(main.records.map((r) => r.metrics.train_score as number));
      const raw = summarize(main.records.map((r) => r.metrics.raw_params as number));
      const effective = summarize(main.records.map((r) => r.metrics.effective_params as number));
      const time = summarize(main.records.map((r) => r.metrics.train_seconds as number));
      const bestEpoch = summarize(main.records.map((r) => r.metrics.best_epoch as number));
      rows.push([dataset, model, regression ? "test MSE (units of y²)" : "test accuracy", main.label || "—",
        ...comparisonCells(scores, published, regression ? { unit: MSE_UNIT, oursUnit: MSE_UNIT, others, diagnosis } : { others, diagnosis, publishedSampleSize: PUBLISHED_SAMPLE_SIZE }),
        readingsCell(others), fmtSummary(trainScores), regression ? fmtSummary(summarize(main.records.map((r) => r.metrics.score_standardized as number))) : "—",
        fmt(raw.mean), fmt(effective.mean), spec.publishedParams?.(model, dataset) ?? "—", `${fmt(bestEpoch.mean)} / ${main.records[0].config.epochs}`, fmt(time.mean)]);
      const s = summarize(scores);
      bars.push({ dataset, model, score: s.mean, std: s.std });
    }
  }
  const first = records[0]?.config;
  const table: Table = {
    title: `${spec.title} (${spec.seedRef})`,
    columns: [
      "data set",
      "model",
      "score",
      "reading",
      ...COMPARISON_COLUMNS,
      "ours under other readings",
      "train score",
      "test MSE, standardized units",
      "raw params",
      "effective params",
      "published params",
      "best epoch / epochs",
      "train s",
    ],
    rows,
    caption: first ? `Learning rate per seed chosen from {${[...new Set(records.map((r) => r.config.lr))].join(", ")}} on the validation ` +
      `split, weights of the epoch with the lowest validation loss; ${first.trainSize}/${first.validationSize}/${first.testSize} ` +
      `train/validation/test points, ${[...new Set(records.map((r) => r.config.epochs))].join("/")} epochs. Scores are ` +
      `on the held-out test split; regression MSE in units of y² (the published units), with the standardized value beside ` +
      `it.` : undefined,
  };
  return {
    tables: [table],
    plots: bars.length ? [{
      name: `${spec.id}-scores`,
      title: `${spec.id} — test scores`,
      spec: barSpec(
        bars,
        { group: "dataset", series: "model", y: "score", error: "std", title: `${spec.title}: test score under the default readings (mean ± std over seeds)`, yTitle: "accuracy / MSE" },
      ),
    }] : [],
    notes: [...spec.notes, ...failureNotes(records)],
    findings: spec.findings?.(best) ?? [],
  };
}

/** Builds the experiment module from its description. */
export function tabularExperiment(spec: TabularExperimentSpec): Experiment<TabularConfig> {
  return {
    id: spec.id, title: spec.title, seedRef: spec.seedRef, estimate: spec.estimate, readings: spec.readings,
    grid(mode, seeds) {
      const { trainSize, validationSize, testSize } = spec.sizes(mode);
      const useSeeds = spec.seeds?.(mode, seeds) ?? seeds;
      return spec.datasets.flatMap((dataset) => (spec.modelsFor?.(dataset) ?? Object.keys(spec.models)).flatMap((model) =>
        spec.learningRates(mode).flatMap((lr) => useSeeds.map((seed) => ({ model, dataset, lr, epochs: spec.epochs(mode, dataset), trainSize, validationSize, testSize, batchSize: 64, seed })))));
    },
    run: (config) => runTabular(spec, config),
    tables: (records) => tables(spec, records),
  };
}

export { fmtSummary };

/** Mean test score of (data set, model) under each value of one reading, e.g. "halves 0.98, arms 0.64". */
export function readingContrast(records: readonly RunRecord[], dataset: string, model: string, reading: Reading, metric = "score", heldAtDefault: readonly Reading[] = []): string {
  const mine = records.filter((r) => r.config.dataset === dataset && r.config.model === model && atDefaults(r.config, heldAtDefault));
  return Object.keys(reading.values).map((value) => {
    const values = mine.filter((r) => (r.config.reading as Record<string, string> | undefined)?.[reading.id] === value).map((r) => r.metrics[metric] as number);
    return values.length ? `${value} ${fmt(summarize(values).mean)}` : `${value} not run`;
  }).join(", ");
}
