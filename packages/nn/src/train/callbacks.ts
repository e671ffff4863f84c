/**
 * Hooks into `fit`, after Keras's callbacks (train / epoch / batch begin and end) and
 * Lightning's `on_before_backward` / `on_after_backward`. Every hook is optional and may be
 * async (fit awaits it), except the two backward hooks: they run inside the step's `tidy`,
 * while the forward's tensors are alive, and must be synchronous.
 */
import type { Module } from "../module.js";
import type { Optimizer } from "../optim/optimizers.js";

/** What a callback sees when training starts. */
export interface FitContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  /** Mini-batches per epoch. */
  readonly batches: number;
}

/** Where a training step is: epoch from 1, batch from 0 (as Keras). */
export interface BatchPosition {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

/** One finished training step. */
export interface BatchReport extends BatchPosition {
  /** Rows in the batch. */
  readonly size: number;
  /** The batch's loss (unscaled, as computed in the forward's precision). */
  readonly loss: number;
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

export interface FitResult {
  history: EpochReport[];
  /** Epoch of the best monitored value (early stopping), else the last epoch. */
  bestEpoch: number;
  stoppedEarly: boolean;
}

type Awaitable<T> = T | Promise<T>;

export interface Callback {
  onTrainBegin?(context: FitContext): Awaitable<void>;
  onEpochBegin?(epoch: number): Awaitable<void>;
  /** After the forward pass and the loss, before backward (synchronous). */
  onBeforeBackward?(position: BatchPosition): void;
  /** After backward, before the optimizer step (synchronous). */
  onAfterBackward?(position: BatchPosition): void;
  /**
   * After the optimizer step and the loss read; returning false stops training after this step
   * (the epoch ends there: validation, onEpochEnd); throwing ends training with that error.
   */
  onBatchEnd?(report: BatchReport): Awaitable<void | boolean>;
  /** After the epoch's last training step, before validation. */
  onTrainEpochEnd?(epoch: number): Awaitable<void>;
  /** After validation and the schedule's step; returning false stops training after this epoch. */
  onEpochEnd?(report: EpochReport): Awaitable<void | boolean>;
  /** After the last epoch (also one stopped early), before `fit` returns. */
  onTrainEnd?(result: FitResult): Awaitable<void>;
}

/** Calls one hook of every callback, in order, awaiting each. */
export async function callEach<K extends keyof Callback>(callbacks: readonly Callback[], hook: K, ...args: Parameters<NonNullable<Callback[K]>>): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const callback of callbacks) {
    const fn = callback[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (fn) results.push(await fn.apply(callback, args));
  }
  return results;
}

/** Calls a synchronous hook of every callback, in order. */
export function callEachSync(callbacks: readonly Callback[], hook: "onBeforeBackward" | "onAfterBackward", position: BatchPosition): void {
  for (const callback of callbacks) callback[hook]?.(position);
}
