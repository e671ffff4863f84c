/**
 * Losses and metrics of `fit` and `evaluate`, by name or as functions. Every built-in metric
 * reads its result with an asynchronous read (`await tensor.data()`), so it works on every
 * device: on WebGPU synchronous reads throw.
 */
import { ArgumentError, type Tensor, binaryCrossEntropyWithLogits, crossEntropy, mse, tidy } from "@fcn/tensor";

export type LossName = "mse" | "crossEntropy" | "binaryCrossEntropy";
export type LossFunction = (prediction: Tensor, target: Tensor) => Tensor;
export type MetricName = "accuracy" | "mse" | "loss";
/**
 * A metric of a prediction against its target: a number, or a Promise of one (read the tensors
 * with `await t.data()` to work on every device). It runs outside `tidy`: dispose what it makes.
 */
export type MetricFunction = (prediction: Tensor, target: Tensor) => number | Promise<number>;
/** Metrics by name (`["accuracy"]`) or under names of your own (`{ acc: "accuracy", f1: myF1 }`). */
export type Metrics = Record<string, MetricName | MetricFunction> | MetricName[];

/** Resolves a loss by name: "binaryCrossEntropy" is on logits, targets reshaped to the prediction. */
export function lossFunction(loss: LossName | LossFunction): LossFunction {
  if (typeof loss === "function") return loss;
  switch (loss) {
    case "mse": return (p, t) => mse(p, t.shape.join() === p.shape.join() ? t : t.reshape(p.shape));
    case "crossEntropy": return (p, t) => crossEntropy(p, t);
    case "binaryCrossEntropy": return (p, t) => binaryCrossEntropyWithLogits(p, (t.shape.join() === p.shape.join() ? t : t.reshape(p.shape)).cast(p.dtype));
    default: throw new ArgumentError(`lossFn must be "mse", "crossEntropy", "binaryCrossEntropy" or a function, got ${String(loss)}`);
  }
}

/** The value of a one-element tensor computed by `fn` (inside `tidy`), read asynchronously and freed. */
export async function readScalar(fn: () => Tensor): Promise<number> {
  const value = tidy(fn);
  try {
    return (await value.data())[0];
  } finally {
    value.dispose();
  }
}

/**
 * Fraction of correct predictions: argmax over classes for [batch, C > 1] outputs against
 * int labels (the first of equal maxima; NaN never wins), or logit > 0 against target > 0.5
 * for one output column. Reads both tensors asynchronously.
 */
export async function accuracy(prediction: Tensor, target: Tensor): Promise<number> {
  const [p, t] = await Promise.all([prediction.data(), target.data()]);
  const rows = prediction.shape[0];
  const classes = prediction.size / rows;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    if (classes === 1) {
      if ((p[r] > 0) === (t[r] > 0.5)) correct++;
    } else {
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[r * classes + c] > p[r * classes + best]) best = c;
      if (best === t[r]) correct++;
    }
  }
  return correct / rows;
}

function metricFunction(name: MetricName | MetricFunction, loss: LossFunction): MetricFunction {
  if (typeof name === "function") return name;
  if (name === "accuracy") return accuracy;
  if (name === "mse") return (p, t) => readScalar(() => mse(p, t.reshape(p.shape).cast(p.dtype)));
  if (name === "loss") return (p, t) => readScalar(() => loss(p, t));
  throw new ArgumentError(`metric must be "accuracy", "mse", "loss" or a function, got ${String(name)}`);
}

/** The metrics of `fit`/`evaluate` options as [name, function] pairs, in the order given. */
export function namedMetrics(metrics: Metrics | undefined, loss: LossFunction): [string, MetricFunction][] {
  if (!metrics) return [];
  if (Array.isArray(metrics)) return metrics.map((m) => [m, metricFunction(m, loss)]);
  return Object.entries(metrics).map(([k, m]) => [k, metricFunction(m, loss)]);
}
