/**
 * The training loop: seeded shuffling, mini-batches, metrics, validation, early stopping,
 * mixed precision, callbacks and a budget of steps. Every read from the device is asynchronous
 * (the loss once per step, the metrics, the GradScaler's inf/NaN check, gradient clipping's
 * norm), so one loop trains on the CPU and on WebGPU alike.
 */
import { ArgumentError, Generator, type Tensor, autocast, dispose, gather, noGrad, tensor, tidy } from "@fcn/tensor";
import type { Module } from "../module.js";
import { clipGradNormAsync, type Optimizer } from "../optim/optimizers.js";
import type { Schedule } from "../optim/schedules.js";
import { GradScaler } from "../amp/gradScaler.js";
import { type Callback, type EpochReport, type FitResult, callEach, callEachSync } from "./callbacks.js";
import { EarlyStopping, type EarlyStoppingOptions } from "./earlyStopping.js";
import { type Dataset, evaluate } from "./evaluate.js";
import { type LossFunction, type LossName, type MetricFunction, type Metrics, lossFunction, namedMetrics } from "./metrics.js";

export interface FitOptions {
  epochs: number;
  /**
   * A budget of training steps in all: training stops after this many (or after `epochs`, whichever
   * comes first), even in the middle of an epoch, which then ends as any other (validation,
   * callbacks; its report averages the rows it trained on). Default: no budget.
   */
  maxSteps?: number;
  /** Rows per training step (default: all rows, one step per epoch). */
  batchSize?: number;
  optimizer: Optimizer;
  lossFn: LossName | LossFunction;
  metrics?: Metrics;
  validation?: Dataset;
  /** Rows per forward pass of the validation (default `batchSize`). */
  validationBatchSize?: number;
  /** An {@link EarlyStopping} made from these options, run after the other callbacks. */
  earlyStopping?: EarlyStoppingOptions;
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
  /** Hooks into the loop (Keras-style); see {@link Callback}. */
  callbacks?: readonly Callback[];
  /** Called after every epoch, before `callbacks`' onEpochEnd; returning false stops training. */
  onEpoch?: (report: EpochReport) => void | boolean | Promise<void | boolean>;
}

/** One training step's tensors that outlive its `tidy`: the loss and what the metrics score. */
interface StepOutput {
  value: Tensor;
  scored: Tensor | null;
  target: Tensor | null;
}

/**
 * Trains `model` on `data` with mini-batch gradient steps and resolves to the per-epoch history.
 * Each step's forward and backward run inside `tidy`, and gradients are disposed after each update.
 * @example await fit(model, { x, y }, { epochs: 50, batchSize: 64, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "crossEntropy", metrics: ["accuracy"] })
 */
export async function fit(model: Module, data: Dataset, options: FitOptions): Promise<FitResult> {
  const { epochs, optimizer } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ArgumentError(`fit: epochs must be an integer ≥ 0, got ${epochs}`);
  const n = data.x.shape[0];
  if (data.y.shape[0] !== n) throw new ArgumentError(`fit: x has ${n} rows but y has ${data.y.shape[0]}`);
  const batchSize = options.batchSize ?? n;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const maxSteps = options.maxSteps ?? Infinity;
  if (options.maxSteps !== undefined && (!Number.isInteger(maxSteps) || maxSteps < 0)) {
    throw new ArgumentError(`fit: maxSteps must be an integer ≥ 0, got ${options.maxSteps}`);
  }
  const loss = lossFunction(options.lossFn);
  const metrics = namedMetrics(options.metrics, loss);
  const generator = new Generator(options.seed ?? 0);
  const scaler = ampScaler(options.amp);
  const precision = (fn: () => Tensor) => autocast(fn, { enabled: scaler?.enabled ?? false });
  const stop = options.earlyStopping ? new EarlyStopping(options.earlyStopping) : null;
  const onEpoch: Callback[] = options.onEpoch ? [{ onEpochEnd: options.onEpoch }] : [];
  const callbacks = [...onEpoch, ...(options.callbacks ?? []), ...(stop ? [stop] : [])];
  const stopper = stop ?? callbacks.find((c): c is EarlyStopping => c instanceof EarlyStopping) ?? null;
  const batches = Math.ceil(n / batchSize);
  const history: EpochReport[] = [];
  await callEach(callbacks, "onTrainBegin", { model, optimizer, epochs, batches });

  let steps = 0;
  /** Set by a step budget or an onBatchEnd answering false: this epoch is the last, ending after the current step. */
  let stopping = maxSteps === 0;
  for (let epoch = 1; epoch <= epochs && !stopping; epoch++) {
    model.train();
    await callEach(callbacks, "onEpochBegin", epoch);
    const order = options.shuffle === false ? null : generator.permutation(n);
    let lossSum = 0;
    let rows = 0;
    const metricSums = new Map<string, number>();
    for (let batch = 0, start = 0; start < n && !stopping; batch++, start += batchSize) {
      const count = Math.min(batchSize, n - start);
      const position = { epoch, batch, batches };
      const step = tidy((): StepOutput => {
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
        callEachSync(callbacks, "onBeforeBackward", position);
        (scaler ? scaler.scale(value) : value).backward();
        callEachSync(callbacks, "onAfterBackward", position);
        if (metrics.length === 0) return { value, scored: null, target: null };
        // Metrics see a float32 prediction: a float16 one (amp) would overflow in their sums.
        const scored = noGrad(() => (prediction.dtype === "float16" ? prediction.cast("float32") : prediction.detach()));
        return { value, scored, target: yb === data.y ? yb.detach() : yb };
      });
      try {
        await optimizerStep(optimizer, scaler, options.clipNorm);
        const value = (await step.value.data())[0];
        lossSum += value * count;
        rows += count;
        for (const [name, fn] of metrics) metricSums.set(name, (metricSums.get(name) ?? 0) + (await score(fn, step)) * count);
        steps++;
        const answers = await callEach(callbacks, "onBatchEnd", { ...position, size: count, loss: value });
        stopping = steps >= maxSteps || answers.includes(false);
      } finally {
        dispose([step.value, step.scored, step.target].filter((t) => t !== null));
      }
    }
    await callEach(callbacks, "onTrainEpochEnd", epoch);
    const report: EpochReport = {
      epoch, loss: lossSum / rows, lr: optimizer.lr,
      metrics: Object.fromEntries([...metricSums].map(([k, v]) => [k, v / rows])),
      ...(scaler ? { amp: { scale: scaler.getScale(), skippedSteps: scaler.skippedSteps } } : {}),
    };
    if (options.validation) {
      const v = await evaluate(model, options.validation, { lossFn: loss, metrics: Object.fromEntries(metrics), batchSize: options.validationBatchSize ?? options.batchSize });
      report.validation = { loss: v.loss, metrics: v.metrics };
    }
    history.push(report);
    options.schedule?.step();
    const answers = await callEach(callbacks, "onEpochEnd", report);
    if (answers.includes(false)) break;
  }
  const result: FitResult = { history, bestEpoch: stopper ? stopper.bestEpoch : history.length, stoppedEarly: stopper?.stoppedEarly ?? false };
  await callEach(callbacks, "onTrainEnd", result);
  model.eval();
  return result;
}

/** Clips (unscaled) gradients, steps (through the scaler, which skips inf/NaN steps) and clears the gradients. */
async function optimizerStep(optimizer: Optimizer, scaler: GradScaler | null, clipNorm: number | undefined): Promise<void> {
  if (clipNorm !== undefined) {
    await scaler?.unscaleAsync(optimizer);
    await clipGradNormAsync(optimizer.parameters, clipNorm);
  }
  if (scaler) {
    await scaler.stepAsync(optimizer);
    scaler.update();
  } else {
    tidy(() => optimizer.step());
  }
  optimizer.zeroGrad();
}

async function score(fn: MetricFunction, step: StepOutput): Promise<number> {
  return noGrad(() => fn(step.scored!, step.target!));
}

function ampScaler(amp: FitOptions["amp"]): GradScaler | null {
  if (amp instanceof GradScaler) return amp;
  if (amp === true) return new GradScaler();
  if (amp === undefined || amp === false) return null;
  throw new ArgumentError(`fit: amp must be a boolean or a GradScaler, got ${String(amp)}`);
}
