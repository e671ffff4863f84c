/**
 * Training one model on one tabular data set (the nn experiments' shared path): @fcn/data
 * generates and splits, inputs (and regression targets) are standardized with the training
 * split's statistics, @fcn/nn fits with Adam/AdamW and scores the validation split.
 */
import { dataset, standardize, trainValSplit } from "@fcn/data";
import { toTensor } from "@fcn/data/tensor";
import { Adam, AdamW, type Module, evaluate, fit } from "@fcn/nn";

/** Data sets shipped with a fixed size (no `n`). */
const FIXED_SIZE = new Set(["iris", "wine", "digits"]);

/** What one training run needs. */
export interface TabularSpec {
  readonly dataset: string;
  /** Points generated (train + validation) for generated data sets; fixed-size sets use 70/30. */
  readonly trainSize: number;
  readonly validationSize: number;
  readonly epochs: number;
  readonly lr: number;
  readonly batchSize: number;
  readonly optimizer?: "adam" | "adamw";
  readonly seed: number;
  /** Builds the model for the data set's input and output widths. */
  readonly build: (io: { inputs: number; outputs: number; seed: number }) => Module;
}

/** Outcome of one training run. */
export interface TabularResult {
  readonly task: "regression" | "binary" | "multiclass";
  /** Validation accuracy (classification) or MSE in standardized target units (regression). */
  readonly score: number;
  readonly trainScore: number;
  readonly rawParams: number;
  readonly effectiveParams: number;
  readonly fixedParams: number;
  readonly trainSeconds: number;
  readonly finalLoss: number;
}

/** Trains and scores one model. */
export function trainTabular(spec: TabularSpec): TabularResult {
  const fixed = FIXED_SIZE.has(spec.dataset);
  const data = fixed ? dataset(spec.dataset, { seed: spec.seed }) : dataset(spec.dataset, { n: spec.trainSize + spec.validationSize, seed: spec.seed });
  const task = data.meta.task;
  const split = fixed
    ? trainValSplit(data, { validationSize: 0.3, seed: spec.seed })
    : trainValSplit(data, { trainSize: spec.trainSize, validationSize: spec.validationSize, seed: spec.seed });
  const { train, validation } = standardize(split, { targets: task === "regression" });
  const inputs = train.x.shape.slice(1).reduce((a, b) => a * b, 1);
  const outputs = task === "multiclass" ? data.meta.classes : 1;
  const asTensors = (part: typeof train) => {
    const x = toTensor({ data: part.x.data, shape: [part.x.shape[0], inputs] }, { dtype: "float32" });
    const y = task === "regression" ? toTensor({ data: part.y.data, shape: [part.y.shape[0], 1] }, { dtype: "float32" }) : toTensor(part.y);
    return { x, y };
  };
  const trainSet = asTensors(train);
  const validationSet = asTensors(validation!);
  const model = spec.build({ inputs, outputs, seed: spec.seed });
  const lossFn = task === "regression" ? "mse" : task === "binary" ? "binaryCrossEntropy" : "crossEntropy";
  const optimizer = spec.optimizer === "adamw" ? new AdamW(model.parameters(), { lr: spec.lr, weightDecay: 1e-2 }) : new Adam(model.parameters(), { lr: spec.lr });
  const started = performance.now();
  const result = fit(model, trainSet, { epochs: spec.epochs, batchSize: spec.batchSize, optimizer, lossFn, seed: spec.seed });
  const trainSeconds = (performance.now() - started) / 1000;
  const metric = task === "regression" ? "mse" : "accuracy";
  const scoreOf = (set: typeof trainSet) => evaluate(model, set, { lossFn, metrics: [metric] }).metrics[metric];
  return {
    task, score: scoreOf(validationSet), trainScore: scoreOf(trainSet),
    rawParams: model.rawParams, effectiveParams: model.effectiveParams, fixedParams: model.fixedParams,
    trainSeconds, finalLoss: result.history.at(-1)?.loss ?? Number.NaN,
  };
}
