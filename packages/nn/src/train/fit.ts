/** The training loop: seeded shuffling, mini-batches, metrics, validation, early stopping. */
import {
  ArgumentError, Generator, type Tensor, autocast, binaryCrossEntropyWithLogits, concat, crossEntropy, gather, keep, mse, noGrad, tensor, tidy,
} from "@fcn/tensor";
import type { Module } from "../module.js";
import { clipGradNorm, type Optimizer } from "../optim/optimizers.js";
import type { Schedule } from "../optim/schedules.js";
import { GradScaler } from "../amp/gradScaler.js";

export type LossName = "mse" | "crossEntropy" | "binaryCrossEntropy";
export type LossFunction = (prediction: Tensor, target: Tensor) => Tensor;
export type MetricName = "accuracy" | "mse" | "loss";
export type MetricFunction = (prediction: Tensor, target: Tensor) => number;

/** Inputs and targets, row i of `x` paired with row i of `y`. */
export interface Dataset {
  x: Tensor;
  y: Tensor;
}

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

/**
 * Fraction of correct predictions: argmax over classes for [batch, C > 1] outputs against
 * int labels, or logit > 0 against target > 0.5 for one output column.
 */
export function accuracy(prediction: Tensor, target: Tensor): number {
  const p = prediction.dataSync();
  const t = target.dataSync();
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
  if (name === "mse") return (p, t) => tidy(() => mse(p, t.reshape(p.shape).cast(p.dtype)).item());
  if (name === "loss") return (p, t) => tidy(() => loss(p, t).item());
  throw new ArgumentError(`metric must be "accuracy", "mse", "loss" or a function, got ${String(name)}`);
}

export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Training-set metrics (computed on the epoch's batches, weighted by batch size). */
  metrics: Record<string, number>;
  /** Validation loss and metrics, when `validation` is given. */
  validation?: { loss: number; metrics: Record<string, number> };
  lr: number;
  /** With `amp`: the loss scale after the epoch and the steps skipped so far (inf/NaN gradients). */
  amp?: { scale: number; skippedSteps: number };
}

export interface FitOptions {
  epochs: number;
  batchSize?: number;
  optimizer: Optimizer;
  lossFn: LossName | LossFunction;
  metrics?: Record<string, MetricName | MetricFunction> | MetricName[];
  validation?: Dataset;
  /** Stop after `patience` epochs without improving the monitored value by `minDelta`. */
  earlyStopping?: { patience: number; monitor?: "loss" | string; mode?: "min" | "max"; minDelta?: number; restoreBest?: boolean };
  /** Stepped once per epoch. */
  schedule?: Schedule;
  /** Global gradient-norm clipping (of the unscaled gradients, with `amp`). */
  clipNorm?: number;
  /**
   * Mixed precision: the forward pass and the loss run under `autocast` (float16 matmul and
   * conv2d, float32 master weights) and the loss is scaled by a GradScaler, which skips steps
   * whose gradients overflow. true: a new GradScaler with PyTorch's defaults; or pass one
   * (its options, its state, its `skippedSteps`; a disabled one turns autocast off too).
   * Validation runs in float32. Default off.
   */
  amp?: boolean | GradScaler;
  /** Seed of the per-epoch shuffles (default 0). */
  seed?: number;
  shuffle?: boolean;
  /** Called after every epoch; returning false stops training. */
  onEpoch?: (report: EpochReport) => void | boolean;
}

export interface FitResult {
  history: EpochReport[];
  /** Epoch of the best monitored value (early stopping), else the last epoch. */
  bestEpoch: number;
  stoppedEarly: boolean;
}

function namedMetrics(metrics: FitOptions["metrics"], loss: LossFunction): [string, MetricFunction][] {
  if (!metrics) return [];
  if (Array.isArray(metrics)) return metrics.map((m) => [m, metricFunction(m, loss)]);
  return Object.entries(metrics).map(([k, m]) => [k, metricFunction(m, loss)]);
}

/**
 * Trains `model` on `data` with mini-batch gradient steps. Every step runs inside `tidy`, and
 * gradients are disposed after each update.
 * @example fit(model, { x, y }, { epochs: 50, batchSize: 64, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "crossEntropy", metrics: ["accuracy"] })
 */
export function fit(model: Module, data: Dataset, options: FitOptions): FitResult {
  const { epochs, optimizer } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ArgumentError(`fit: epochs must be an integer ≥ 0, got ${epochs}`);
  const n = data.x.shape[0];
  if (data.y.shape[0] !== n) throw new ArgumentError(`fit: x has ${n} rows but y has ${data.y.shape[0]}`);
  const batchSize = options.batchSize ?? n;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const loss = lossFunction(options.lossFn);
  const metrics = namedMetrics(options.metrics, loss);
  const generator = new Generator(options.seed ?? 0);
  const scaler = ampScaler(options.amp);
  const precision = (fn: () => Tensor) => autocast(fn, { enabled: scaler?.enabled ?? false });
  const history: EpochReport[] = [];
  const stop = options.earlyStopping;
  const monitorMode = stop?.mode ?? (stop?.monitor && stop.monitor !== "loss" && /acc/i.test(stop.monitor) ? "max" : "min");
  let best = monitorMode === "min" ? Infinity : -Infinity;
  let bestEpoch = epochs;
  let bestState: Map<string, Tensor> | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    const order = options.shuffle === false ? null : generator.permutation(n);
    let lossSum = 0;
    const metricSums = new Map<string, number>();
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      tidy(() => {
        let xb = data.x;
        let yb = data.y;
        if (order || count !== n) {
          const rows = order ? order.subarray(start, start + count) : Int32Array.from({ length: count }, (_, i) => start + i);
          const index = tensor(rows, { shape: [count], dtype: "int32" });
          xb = gather(data.x, index, 0);
          yb = gather(data.y, index, 0);
        }
        const prediction = precision(() => model.forward(xb));
        const value = precision(() => loss(prediction, yb));
        (scaler ? scaler.scale(value) : value).backward();
        if (options.clipNorm !== undefined) {
          scaler?.unscale(optimizer);
          clipGradNorm(optimizer.parameters, options.clipNorm);
        }
        if (scaler) {
          scaler.step(optimizer);
          scaler.update();
        } else {
          optimizer.step();
        }
        optimizer.zeroGrad();
        lossSum += value.item() * count;
        // Metrics see a float32 prediction: a float16 one (amp) would overflow in their sums.
        const scored = noGrad(() => (prediction.dtype === "float16" ? prediction.cast("float32") : prediction.detach()));
        for (const [name, fn] of metrics) metricSums.set(name, (metricSums.get(name) ?? 0) + noGrad(() => fn(scored, yb)) * count);
      });
    }
    const report: EpochReport = {
      epoch, loss: lossSum / n, lr: optimizer.lr,
      metrics: Object.fromEntries([...metricSums].map(([k, v]) => [k, v / n])),
      ...(scaler ? { amp: { scale: scaler.getScale(), skippedSteps: scaler.skippedSteps } } : {}),
    };
    if (options.validation) {
      const v = evaluate(model, options.validation, { lossFn: loss, metrics: Object.fromEntries(metrics), batchSize: options.batchSize });
      report.validation = { loss: v.loss, metrics: v.metrics };
    }
    history.push(report);
    options.schedule?.step();
    const proceed = options.onEpoch?.(report);
    if (stop) {
      const monitor = stop.monitor ?? "loss";
      const source = report.validation ?? { loss: report.loss, metrics: report.metrics };
      const value = monitor === "loss" ? source.loss : source.metrics[monitor];
      if (value === undefined) throw new ArgumentError(`fit: earlyStopping.monitor '${monitor}' is not a computed metric`);
      const delta = stop.minDelta ?? 0;
      const improved = monitorMode === "min" ? value < best - delta : value > best + delta;
      if (improved) {
        best = value;
        bestEpoch = epoch;
        sinceBest = 0;
        if (stop.restoreBest) {
          bestState?.forEach((t) => t.dispose());
          bestState = new Map([...model.stateDict()].map(([k, t]) => [k, keep(noGrad(() => t.add(0)))]));
        }
      } else if (++sinceBest >= stop.patience) {
        stoppedEarly = true;
      }
    }
    if (proceed === false || stoppedEarly) break;
  }
  if (bestState) {
    model.loadStateDict(bestState);
    bestState.forEach((t) => t.dispose());
  }
  model.eval();
  return { history, bestEpoch: stop ? bestEpoch : history.length, stoppedEarly };
}

function ampScaler(amp: FitOptions["amp"]): GradScaler | null {
  if (amp instanceof GradScaler) return amp;
  if (amp === true) return new GradScaler();
  if (amp === undefined || amp === false) return null;
  throw new ArgumentError(`fit: amp must be a boolean or a GradScaler, got ${String(amp)}`);
}

export interface EvaluateOptions {
  lossFn: LossName | LossFunction;
  metrics?: Record<string, MetricName | MetricFunction> | MetricName[];
  batchSize?: number;
}

/** Loss and metrics of `model` on `data` in evaluation mode, without gradients. */
export function evaluate(model: Module, data: Dataset, options: EvaluateOptions): { loss: number; metrics: Record<string, number> } {
  const loss = lossFunction(options.lossFn);
  const metrics = namedMetrics(options.metrics, loss);
  const wasTraining = model.training;
  model.eval();
  try {
    const prediction = predict(model, data.x, options.batchSize);
    const out = tidy(() => ({
      loss: loss(prediction, data.y).item(),
      metrics: Object.fromEntries(metrics.map(([name, fn]) => [name, fn(prediction, data.y)])),
    }));
    prediction.dispose();
    return out;
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
