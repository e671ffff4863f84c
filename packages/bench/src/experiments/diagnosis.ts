/**
 * Why a trained model's test score misses a published figure, read off its records: does it
 * fit its own training data (underfit vs overfit), was validation loss still falling at the last
 * epoch, and how far apart are the seeds.
 */
import { summarize } from "../framework/stats.js";
import type { RunRecord } from "../framework/types.js";
import { fmt } from "../report/format.js";

/**
 * A sentence of evidence for a miss of `published` by the records' `score` (test) metric, from
 * their `train_score`, `best_epoch` / `epochs_run` and the spread over seeds.
 */
export function diagnoseMiss(records: readonly RunRecord[], published: number, lowerIsBetter: boolean, scoreUnits: "raw" | "asTrained" = "raw"): string {
  const test = summarize(records.map((r) => r.metrics.score as number));
  // `score` is in units of y² (the nn experiments) or in the units trained in (the frontier).
  const trainOf = (r: RunRecord) => (lowerIsBetter && scoreUnits === "raw" ? trainMseRaw(r) : (r.metrics.train_score as number));
  const train = summarize(records.map(trainOf));
  if (test.n === 0) return "no successful runs";
  const parts: string[] = [];
  const worse = (a: number, b: number) => (lowerIsBetter ? a > b : a < b);
  const name = lowerIsBetter ? "MSE" : "accuracy";
  if (!worse(test.mean, published)) parts.push(`ours is better than published (${fmt(test.mean)} vs ${fmt(published)})`);
  if (Number.isFinite(train.mean)) {
    if (worse(train.mean, published)) parts.push(`underfits: train ${name} ${fmt(train.mean)} is already ${lowerIsBetter ? "above" : "below"} the published ${fmt(published)}`);
    // A gap counts when it exceeds 3% of the training figure and two standard errors of our test mean.
    else if (Math.abs(train.mean - test.mean) > Math.max(
      0.03 * Math.abs(train.mean),
      (2 * test.std) / Math.sqrt(test.n),
    )) parts.push(`generalization gap: train ${name} ${fmt(train.mean)} vs test ${fmt(test.mean)}`);
    else parts.push(`fits as well as it generalizes (train ${fmt(train.mean)}, test ${fmt(test.mean)})`);
  }
  const epochs = records.map((r) => r.config.epochs as number).filter(Number.isFinite);
  const bestEpochs = records.map((r) => r.metrics.best_epoch as number).filter(Number.isFinite);
  if (epochs.length && bestEpochs.length) {
    const late = bestEpochs.filter((b, i) => b >= 0.9 * (epochs[i] ?? epochs[0])).length;
    if (late > bestEpochs.length / 2) parts.push(`validation loss still falling at the end in ${late}/${bestEpochs.length} seeds (more epochs may help)`);
  }
  if (test.n > 1 && test.max - test.min > Math.abs(test.mean - published)) parts.push(`seeds range ${fmt(test.min)}–${fmt(test.max)}`);
  return parts.join("; ");
}

/** Training MSE in units of y² (the records' train_score is in the units trained in). */
function trainMseRaw(record: RunRecord): number {
  const score = record.metrics.train_score as number;
  const variance = record.metrics.target_variance as number | undefined;
  const units = record.config.reading && typeof record.config.reading === "object" && !Array.isArray(record.config.reading) ? record.config.reading.regressionUnits : undefined;
  return units === "standardized" && variance !== undefined ? score * variance : score;
}
