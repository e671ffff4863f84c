/**
 * Experiments 8–11 share one shape: models × data sets × (learning rates) × seeds, each trained
 * with @fcn/nn, the best learning rate per (model, data set, seed) chosen on validation, and a
 * table of ours beside the published one. This module builds such experiments from a description.
 */
import type { Module } from "@fcn/nn";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Mode, RunRecord, Table } from "../framework/types.js";
import { comparisonCells, failureNotes, fmt, fmtSummary, okRecords } from "../report/format.js";
import { barSpec } from "../report/specs.js";
import { trainTabular } from "./training.js";

export interface TabularConfig extends Config {
  readonly model: string;
  readonly dataset: string;
  readonly lr: number;
  readonly epochs: number;
  readonly trainSize: number;
  readonly validationSize: number;
  readonly batchSize: number;
}

/** Description of a tabular comparison experiment. */
export interface TabularExperimentSpec {
  readonly id: string;
  readonly title: string;
  readonly seedRef: string;
  readonly models: Record<string, (io: { inputs: number; outputs: number; seed: number; dataset: string }) => Module>;
  readonly datasets: readonly string[];
  /** Models to run per data set (default all). */
  readonly modelsFor?: (dataset: string) => readonly string[];
  readonly learningRates: (mode: Mode) => readonly number[];
  readonly epochs: (mode: Mode, dataset: string) => number;
  readonly sizes: (mode: Mode) => { trainSize: number; validationSize: number };
  /** Published score of (model, data set), when the seed has one. */
  readonly published: (model: string, dataset: string) => number | undefined;
  readonly publishedParams?: (model: string, dataset: string) => number | undefined;
  readonly estimate: (mode: Mode) => number;
  readonly notes: readonly string[];
  readonly optimizer?: (model: string) => "adam" | "adamw";
}

function runTabular(spec: TabularExperimentSpec, config: TabularConfig): Metrics {
  const build = spec.models[config.model];
  if (!build) throw new Error(`unknown model "${config.model}"; valid models: ${Object.keys(spec.models).join(", ")}`);
  const r = trainTabular({
    dataset: config.dataset, trainSize: config.trainSize, validationSize: config.validationSize, epochs: config.epochs,
    lr: config.lr, batchSize: config.batchSize, seed: config.seed, optimizer: spec.optimizer?.(config.model),
    build: (io) => build({ ...io, dataset: config.dataset }),
  });
  return {
    task: r.task, score: r.score, train_score: r.trainScore, raw_params: r.rawParams, effective_params: r.effectiveParams,
    fixed_params: r.fixedParams, train_seconds: r.trainSeconds, final_loss: r.finalLoss,
  };
}

/** For each (model, data set, seed): the record with the best validation score over the learning rates. */
export function bestOverLearningRates(records: readonly RunRecord[]): RunRecord[] {
  const best = new Map<string, RunRecord>();
  for (const r of okRecords(records)) {
    const key = `${r.config.model}/${r.config.dataset}/${r.seed}/${r.config.extra ?? ""}`;
    const previous = best.get(key);
    const better = (a: RunRecord, b: RunRecord) => (a.metrics.task === "regression" ? (a.metrics.score as number) < (b.metrics.score as number) : (a.metrics.score as number) > (b.metrics.score as number));
    if (!previous || better(r, previous)) best.set(key, r);
  }
  return [...best.values()];
}

function tables(spec: TabularExperimentSpec, records: readonly RunRecord[]) {
  const best = bestOverLearningRates(records);
  const rows: (string | number | null)[][] = [];
  const bars: Record<string, string | number>[] = [];
  for (const dataset of spec.datasets) {
    for (const model of Object.keys(spec.models)) {
      const mine = best.filter((r) => r.config.dataset === dataset && r.config.model === model);
      if (mine.length === 0) continue;
      const scores = mine.map((r) => r.metrics.score as number);
      const task = mine[0].metrics.task;
      const raw = summarize(mine.map((r) => r.metrics.raw_params as number));
      const effective = summarize(mine.map((r) => r.metrics.effective_params as number));
      const time = summarize(mine.map((r) => r.metrics.train_seconds as number));
      const publishedParams = spec.publishedParams?.(model, dataset);
      rows.push([dataset, model, task === "regression" ? "val MSE" : "val accuracy", ...comparisonCells(scores, spec.published(model, dataset)),
        fmt(raw.mean), fmt(effective.mean), publishedParams ?? "—", fmt(time.mean)]);
      const s = summarize(scores);
      bars.push({ dataset, model, score: s.mean, std: s.std });
    }
  }
  const table: Table = {
    title: `${spec.title} (${spec.seedRef})`,
    columns: ["data set", "model", "score", "ours: mean ± std [95% CI]", "n", "published", "difference", "within spread", "raw params", "effective params", "published params", "train s"],
    rows,
    caption: `Best learning rate per seed from {${[...new Set(records.map((r) => r.config.lr))].join(", ")}} on the validation split; ${records[0] ? `${records[0].config.trainSize}/${records[0].config.validationSize} train/validation points, ${[...new Set(records.map((r) => r.config.epochs))].join("/")} epochs` : ""}. Regression MSE is in standardized target units.`,
  };
  return {
    tables: [table],
    plots: bars.length ? [{ name: `${spec.id}-scores`, title: `${spec.id} — validation scores`, spec: barSpec(bars, { group: "dataset", series: "model", y: "score", error: "std", title: `${spec.title}: validation score (mean ± std over seeds)`, yTitle: "accuracy / MSE" }) }] : [],
    notes: [...spec.notes, ...failureNotes(records)],
  };
}

/** Builds the experiment module from its description. */
export function tabularExperiment(spec: TabularExperimentSpec): Experiment<TabularConfig> {
  return {
    id: spec.id, title: spec.title, seedRef: spec.seedRef, estimate: spec.estimate,
    grid(mode, seeds) {
      const { trainSize, validationSize } = spec.sizes(mode);
      return spec.datasets.flatMap((dataset) => (spec.modelsFor?.(dataset) ?? Object.keys(spec.models)).flatMap((model) =>
        spec.learningRates(mode).flatMap((lr) => seeds.map((seed) => ({ model, dataset, lr, epochs: spec.epochs(mode, dataset), trainSize, validationSize, batchSize: 64, seed })))));
    },
    run: (config) => runTabular(spec, config),
    tables: (records) => tables(spec, records),
  };
}

export { fmtSummary };
