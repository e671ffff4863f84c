/**
 * Early stopping as a `fit` callback (Keras's `EarlyStopping`): watches the validation loss or
 * a metric (the training ones without validation), stops after `patience` epochs without an
 * improvement larger than `minDelta`, and with `restoreBest` puts back the weights of the best
 * epoch when training ends.
 */
import { ArgumentError, type Tensor, keep, noGrad } from "@fcn/tensor";
import type { Module } from "../module.js";
import type { Callback, EpochReport, FitContext } from "./callbacks.js";

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping (≥ 0). */
  patience: number;
  /** "loss" (default) or the name of a metric. */
  monitor?: "loss" | string;
  /** Default "max" for a monitor whose name contains "acc", else "min". */
  mode?: "min" | "max";
  minDelta?: number;
  /** Keep a copy of the best epoch's weights and load it when training ends. */
  restoreBest?: boolean;
}

export class EarlyStopping implements Callback {
  readonly patience: number;
  readonly monitor: string;
  readonly mode: "min" | "max";
  readonly minDelta: number;
  readonly restoreBest: boolean;
  /** Epoch of the best value (the last epoch planned when none improved on ±Infinity). */
  bestEpoch = 0;
  best = Number.NaN;
  stoppedEarly = false;
  private sinceBest = 0;
  private model: Module | null = null;
  private bestState: Map<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions) {
    if (!(options.patience >= 0)) throw new ArgumentError(`EarlyStopping: patience must be ≥ 0, got ${String(options.patience)}`);
    this.patience = options.patience;
    this.monitor = options.monitor ?? "loss";
    this.mode = options.mode ?? (this.monitor !== "loss" && /acc/i.test(this.monitor) ? "max" : "min");
    if (this.mode !== "min" && this.mode !== "max") throw new ArgumentError(`EarlyStopping: mode must be "min" or "max", got ${String(this.mode)}`);
    this.minDelta = options.minDelta ?? 0;
    this.restoreBest = options.restoreBest ?? false;
  }

  onTrainBegin(context: FitContext): void {
    this.dropState();
    this.model = context.model;
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.bestEpoch = context.epochs;
    this.sinceBest = 0;
    this.stoppedEarly = false;
  }

  onEpochEnd(report: EpochReport): boolean | undefined {
    const source = report.validation ?? { loss: report.loss, metrics: report.metrics };
    const value = this.monitor === "loss" ? source.loss : source.metrics[this.monitor];
    if (value === undefined) throw new ArgumentError(`fit: earlyStopping.monitor '${this.monitor}' is not a computed metric`);
    const improved = this.mode === "min" ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (improved) {
      this.best = value;
      this.bestEpoch = report.epoch;
      this.sinceBest = 0;
      if (this.restoreBest && this.model) {
        this.dropState();
        this.bestState = new Map([...this.model.stateDict()].map(([k, t]) => [k, keep(noGrad(() => t.add(0)))]));
      }
    } else if (++this.sinceBest >= this.patience) {
      this.stoppedEarly = true;
    }
    return this.stoppedEarly ? false : undefined;
  }

  onTrainEnd(): void {
    if (this.bestState && this.model) this.model.loadStateDict(this.bestState);
    this.dropState();
    this.model = null;
  }

  private dropState(): void {
    this.bestState?.forEach((t) => t.dispose());
    this.bestState = null;
  }
}
