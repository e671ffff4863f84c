/**
 * Training one model on one tabular data set (the nn experiments' shared path): @fcn/data
 * generates and splits into train / validation / test, inputs are standardized with the training
 * split's statistics (regression targets too under the "standardized" units reading), @fcn/nn
 * fits with Adam/AdamW keeping the weights of the best validation loss, and the held-out test
 * split is scored once.
 */
import { dataset, standardize, trainValTestSplit } from "@fcn/data";
import { toTensor } from "@fcn/data/tensor";
import { Adam, AdamW, type Module, evaluate, fit } from "@fcn/nn";
import type { Tensor } from "@fcn/tensor";

/** Data sets shipped with a fixed size (no `n`): split 60/20/20. */
const FIXED_SIZE = new Set(["iris", "wine", "digits"]);

/** Units regression targets are trained and scored in. */
export type TargetUnits = "raw" | "standardized";

/** What one training run needs. */
export interface TabularSpec {
  readonly dataset: string;
  /** Options passed to the data set's generator (e.g. `{ labelling: "halves" }`). */
  readonly datasetOptions?: Readonly<Record<string, string | number | boolean>>;
  /** Points per split for generated data sets; fixed-size sets use 60/20/20. */
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly epochs: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly optimizer?: "adam" | "adamw";
  /** Regression targets as generated ("raw", default) or standardized on the training split. */
  readonly targets?: TargetUnits;
  /** Stop after this many epochs without a lower validation loss (default: never stop early). */
  readonly patience?: number;
  readonly seed: number;
  /** Builds the model for the data set's input and output widths. */
  readonly build: (io: { inputs: number; outputs: number; seed: number }) => Module;
  /** Measures the trained model on the (standardized) training inputs, e.g. how many units are active. */
  readonly inspect?: (model: Module, trainX: Tensor) => Record<string, number>;
}

/** Outcome of one training run. */
export interface TabularResult {
  readonly task: "regression" | "binary" | "multiclass";
  /** Test accuracy (classification) or test MSE in the units trained in (regression). */
  readonly testScore: number;
  readonly validationScore: number;
  readonly trainScore: number;
  /** Regression only: test MSE in the targets' own units and divided by the training variance. */
  readonly testMseRaw?: number;
  readonly testMseStandardized?: number;
  /** Regression only: variance of the training targets (population), the factor between the two. */
  readonly targetVariance?: number;
  readonly rawParams: number;
  readonly effectiveParams: number;
  readonly fixedParams: number;
  readonly trainSeconds: number;
  readonly finalLoss: number;
  /** Epoch whose weights were kept (lowest validation loss) and epochs run. */
  readonly bestEpoch: number;
  readonly epochsRun: number;
  /** Per-epoch training loss, validation loss and validation score. */
  readonly trainLossCurve: number[];
  readonly validationLossCurve: number[];
  readonly validationScoreCurve: number[];
  /** What `inspect` measured. */
  readonly inspected: Record<string, number>;
}

function variance(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return sum / values.length;
}

/** Trains on the training split, keeps the best-validation weights, scores every split. */
export async function trainTabular(spec: TabularSpec): Promise<TabularResult> {
  const fixed = FIXED_SIZE.has(spec.dataset);
  const total = spec.trainSize + spec.validationSize + spec.testSize;
  const data = fixed ? dataset(spec.dataset, { seed: spec.seed }) : dataset(spec.dataset, { ...spec.datasetOptions, n: total, seed: spec.seed });
  const task = data.meta.task;
  const split = fixed
    ? trainValTestSplit(data, { validationSize: 0.2, testSize: 0.2, seed: spec.seed })
    : trainValTestSplit(data, { trainSize: spec.trainSize, validationSize: spec.validationSize, testSize: spec.testSize, seed: spec.seed });
  const units: TargetUnits = spec.targets ?? "raw";
  const scaled = standardize(split, { targets: task === "regression" && units === "standardized" });
  const inputs = scaled.train.x.shape.slice(1).reduce((a, b) => a * b, 1);
  const outputs = task === "multiclass" ? data.meta.classes : 1;
  const asTensors = (part: typeof scaled.train) => {
    const x = toTensor({ data: part.x.data, shape: [part.x.shape[0], inputs] }, { dtype: "float32" });
    const y = task === "regression" ? toTensor({ data: part.y.data, shape: [part.y.shape[0], 1] }, { dtype: "float32" }) : toTensor(part.y);
    return { x, y };
  };
  const trainSet = asTensors(scaled.train);
  const validationSet = asTensors(scaled.validation!);
  const testSet = asTensors(scaled.test!);
  const model = spec.build({ inputs, outputs, seed: spec.seed });
  const lossFn = task === "regression" ? "mse" : task === "binary" ? "binaryCrossEntropy" : "crossEntropy";
  const metric = task === "regression" ? "mse" : "accuracy";
  const optimizer = spec.optimizer === "adamw" ? new AdamW(model.parameters(), { lr: spec.lr, weightDecay: 1e-2 }) : new Adam(model.parameters(), { lr: spec.lr });
  const started = performance.now();
  const result = await fit(model, trainSet, {
    epochs: spec.epochs, batchSize: spec.batchSize, optimizer, lossFn, seed: spec.seed, metrics: [metric], validation: validationSet,
    earlyStopping: { patience: spec.patience ?? spec.epochs + 1, monitor: "loss", mode: "min", restoreBest: true },
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const scoreOf = async (set: typeof trainSet) => (await evaluate(model, set, { lossFn, metrics: [metric] })).metrics[metric];
  const testScore = await scoreOf(testSet);
  const validationScore = await scoreOf(validationSet);
  const trainScore = await scoreOf(trainSet);
  const regression = task === "regression" ? regressionUnits(testScore, units, variance(split.train.y.data as ArrayLike<number>)) : {};
  return {
    task, testScore, validationScore, trainScore, ...regression,
    rawParams: model.rawParams, effectiveParams: model.effectiveParams, fixedParams: model.fixedParams,
    trainSeconds, finalLoss: result.history.at(-1)?.loss ?? Number.NaN,
    bestEpoch: result.bestEpoch, epochsRun: result.history.length,
    trainLossCurve: result.history.map((h) => h.loss),
    validationLossCurve: result.history.map((h) => h.validation?.loss ?? Number.NaN),
    validationScoreCurve: result.history.map((h) => h.validation?.metrics[metric] ?? Number.NaN),
    inspected: spec.inspect?.(model, trainSet.x) ?? {},
  };
}

/** Test MSE in both units: standardized targets are (y − μ)/σ, so MSE_raw = σ²·MSE_standardized exactly. */
export function regressionUnits(mse: number, units: TargetUnits, targetVariance: number): { testMseRaw: number; testMseStandardized: number; targetVariance: number } {
  return units === "raw"
    ? { testMseRaw: mse, testMseStandardized: mse / targetVariance, targetVariance }
    : { testMseRaw: mse * targetVariance, testMseStandardized: mse, targetVariance };
}
