/** Learning-rate schedules: each `step()` (once per epoch or per batch, the caller's choice) sets optimizer.lr. */
import { ArgumentError } from "@fcn/tensor";
import type { Optimizer } from "./optimizers.js";

export interface Schedule {
  /** Advances one step and writes the new rate into the optimizer; returns it. */
  step(): number;
  /** The rate at step t (t = 0 is the base rate). */
  rateAt(t: number): number;
}

/** lr_t = lr₀ · γ^⌊t / stepSize⌋. */
export class StepSchedule implements Schedule {
  private t = 0;
  private readonly base: number;
  constructor(private readonly optimizer: Optimizer, readonly options: { stepSize: number; gamma?: number }) {
    if (!Number.isInteger(options.stepSize) || options.stepSize < 1) throw new ArgumentError(`StepSchedule: stepSize must be a positive integer, got ${options.stepSize}`);
    this.base = optimizer.lr;
  }
  rateAt(t: number): number {
    return this.base * (this.options.gamma ?? 0.1) ** Math.floor(t / this.options.stepSize);
  }
  step(): number {
    this.t++;
    this.optimizer.lr = this.rateAt(this.t);
    return this.optimizer.lr;
  }
}

/**
 * Cosine annealing with optional linear warmup: lr_t = min + (lr₀ − min)(1 + cos(π t'/T'))/2
 * after `warmup` steps of linear increase; constant `min` after `total` steps.
 */
export class CosineSchedule implements Schedule {
  private t = 0;
  private readonly base: number;
  constructor(private readonly optimizer: Optimizer, readonly options: { total: number; min?: number; warmup?: number }) {
    if (!Number.isInteger(options.total) || options.total < 1) throw new ArgumentError(`CosineSchedule: total must be a positive integer, got ${options.total}`);
    const warmup = options.warmup ?? 0;
    if (!Number.isInteger(warmup) || warmup < 0 || warmup >= options.total) throw new ArgumentError(`CosineSchedule: warmup must be an integer in [0, total), got ${warmup}`);
    this.base = optimizer.lr;
  }
  rateAt(t: number): number {
    const min = this.options.min ?? 0;
    const warmup = this.options.warmup ?? 0;
    if (t < warmup) return (this.base * (t + 1)) / warmup;
    const progress = Math.min(1, (t - warmup) / (this.options.total - warmup));
    return min + ((this.base - min) * (1 + Math.cos(Math.PI * progress))) / 2;
  }
  step(): number {
    this.t++;
    this.optimizer.lr = this.rateAt(this.t);
    return this.optimizer.lr;
  }
}
