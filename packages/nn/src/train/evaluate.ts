/** Scoring a trained model: `evaluate` (loss and metrics, read asynchronously) and `predict`. */
import { type Tensor, concat, noGrad, tidy } from "@fcn/tensor";
import type { Module } from "../module.js";
import { type LossFunction, type LossName, type Metrics, lossFunction, namedMetrics, readScalar } from "./metrics.js";

/** Inputs and targets, row i of `x` paired with row i of `y`. */
export interface Dataset {
  x: Tensor;
  y: Tensor;
}

export interface EvaluateOptions {
  lossFn: LossName | LossFunction;
  metrics?: Metrics;
  /** Rows per forward pass (default: all at once); the loss and metrics see the whole prediction. */
  batchSize?: number;
}

/** Loss and metrics of a model on a data set. */
export interface Evaluation {
  loss: number;
  metrics: Record<string, number>;
}

/**
 * Loss and metrics of `model` on `data` in evaluation mode, without gradients (the training
 * flag is restored afterwards). Values are read asynchronously, so it works on every device.
 * @example const { loss, metrics } = await evaluate(model, test, { lossFn: "crossEntropy", metrics: ["accuracy"] });
 */
export async function evaluate(model: Module, data: Dataset, options: EvaluateOptions): Promise<Evaluation> {
  const loss = lossFunction(options.lossFn);
  const metrics = namedMetrics(options.metrics, loss);
  const wasTraining = model.training;
  model.eval();
  try {
    const prediction = predict(model, data.x, options.batchSize);
    try {
      const value = await readScalar(() => loss(prediction, data.y));
      const scores: Record<string, number> = {};
      for (const [name, fn] of metrics) scores[name] = await noGrad(() => fn(prediction, data.y));
      return { loss: value, metrics: scores };
    } finally {
      prediction.dispose();
    }
  } finally {
    model.train(wasTraining);
  }
}

/** model(x) without gradients, in batches (concatenated). */
export function predict(model: Module, x: Tensor, batchSize?: number): Tensor {
  return noGrad(() => {
    const n = x.shape[0];
    const size = batchSize ?? n;
    if (size >= n) return tidy(() => model.forward(x));
    const parts: Tensor[] = [];
    for (let start = 0; start < n; start += size) {
      parts.push(tidy(() => model.forward(x.slice([start], [Math.min(n, start + size)]))));
    }
    const out = concat(parts, 0);
    parts.forEach((p) => p.dispose());
    return out;
  });
}
