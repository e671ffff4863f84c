/**
 * Dynamic loss scaling for mixed-precision training, with `torch.amp.GradScaler`'s semantics
 * and defaults. float16 activation gradients underflow to zero for small losses, so the loss
 * is multiplied by a large scale before backward; the parameters' (float32) gradients are
 * divided by it again before the optimizer step. When some gradient came back ±Infinity or
 * NaN the scale was too large: the step is skipped and the scale backs off; after
 * `growthInterval` clean steps in a row it grows again.
 *
 * @example
 * const scaler = new GradScaler();
 * const loss = autocast(() => crossEntropy(model.forward(x), y));
 * scaler.scale(loss).backward();
 * scaler.step(optimizer);   // unscales, skips the step on inf/NaN
 * scaler.update();          // backs off or grows the scale
 * optimizer.zeroGrad();
 */
import { ArgumentError, DTypeError, DeviceError, type Tensor, noGrad } from "@fcn/tensor";
import type { Optimizer } from "../optim/optimizers.js";
import { hasNonFinite, hasNonFiniteAsync, readableSync } from "./finite.js";

export interface GradScalerOptions {
  /** Starting scale (default 2^16). */
  initScale?: number;
  /** Factor of the scale after `growthInterval` clean steps in a row, > 1 (default 2). */
  growthFactor?: number;
  /** Factor of the scale after a step with inf/NaN gradients, in (0, 1) (default 0.5). */
  backoffFactor?: number;
  /** Clean steps in a row before the scale grows, a positive integer (default 2000). */
  growthInterval?: number;
  /** false makes every method a pass-through (scale 1, plain steps), so one loop serves both modes. Default true. */
  enabled?: boolean;
}

/** What `stateDict()` returns (empty when disabled, as in PyTorch). */
export interface GradScalerState {
  scale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
  growthTracker: number;
}

/** Where an optimizer is between two `update()` calls. */
interface OptimizerStage {
  stage: "unscaled" | "stepped";
  foundInf: boolean;
}

const OWNER = "GradScaler";

function checked(field: string, value: number, ok: boolean, rule: string): number {
  if (typeof value !== "number" || !ok) throw new ArgumentError(`${OWNER}: ${field} must be ${rule}, got ${String(value)}`);
  return value;
}

export class GradScaler {
  readonly enabled: boolean;
  readonly growthFactor: number;
  readonly backoffFactor: number;
  readonly growthInterval: number;
  /** Steps skipped because a gradient was ±Infinity or NaN (since construction). */
  skippedSteps = 0;
  /** Whether the last `step()` was skipped. */
  lastStepSkipped = false;
  private currentScale: number;
  private growthTracker = 0;
  private stages = new Map<Optimizer, OptimizerStage>();

  constructor(options: GradScalerOptions = {}) {
    const enabled = options.enabled ?? true;
    if (typeof enabled !== "boolean") throw new ArgumentError(`${OWNER}: enabled must be a boolean, got ${String(enabled)}`);
    this.enabled = enabled;
    const init = options.initScale ?? 2 ** 16;
    // The scale is a float32 in PyTorch; Math.fround keeps the same arithmetic.
    this.currentScale = Math.fround(checked("initScale", init, init > 0 && Number.isFinite(Math.fround(init)), "a positive finite float32"));
    const growth = options.growthFactor ?? 2;
    this.growthFactor = checked("growthFactor", growth, growth > 1 && Number.isFinite(growth), "a finite number > 1");
    const backoff = options.backoffFactor ?? 0.5;
    this.backoffFactor = checked("backoffFactor", backoff, backoff > 0 && backoff < 1, "in (0, 1)");
    const interval = options.growthInterval ?? 2000;
    this.growthInterval = checked("growthInterval", interval, Number.isInteger(interval) && interval >= 1, "a positive integer");
  }

  /** The current scale (1 when disabled). */
  getScale(): number {
    return this.enabled ? this.currentScale : 1;
  }

  /** Clean steps in a row since the scale last changed. */
  getGrowthTracker(): number {
    return this.growthTracker;
  }

  /** loss · scale (the loss itself when disabled). Call `backward()` on the result. */
  scale(loss: Tensor): Tensor {
    return this.enabled ? loss.mul(this.currentScale) : loss;
  }

  /**
   * Divides the optimizer's gradients by the scale in place and records whether any is
   * ±Infinity or NaN. Call it before clipping gradients; `step` calls it when you did not.
   * Needs synchronous reads (CPU); on WebGPU use {@link unscaleAsync}.
   */
  unscale(optimizer: Optimizer): void {
    if (this.enabled) this.unscaleSync("unscale", optimizer, "unscaleAsync");
  }

  /** {@link unscale} with an asynchronous read of the inf/NaN check: works on every device. */
  async unscaleAsync(optimizer: Optimizer): Promise<void> {
    if (!this.enabled) return;
    const grads = this.startUnscale("unscaleAsync", optimizer, null);
    this.stages.set(optimizer, { stage: "unscaled", foundInf: await hasNonFiniteAsync(grads) });
  }

  /**
   * Unscales (unless `unscale` was called), then runs `optimizer.step()` only if every
   * gradient is finite. Returns whether the optimizer stepped. Synchronous reads only (CPU);
   * on WebGPU use {@link stepAsync}.
   */
  step(optimizer: Optimizer): boolean {
    if (!this.enabled) return this.plainStep(optimizer);
    this.checkNotStepped("step", optimizer);
    if (!this.stages.has(optimizer)) this.unscaleSync("step", optimizer, "stepAsync");
    return this.finishStep(optimizer);
  }

  /** {@link step} with an asynchronous read of the inf/NaN check: works on every device. */
  async stepAsync(optimizer: Optimizer): Promise<boolean> {
    if (!this.enabled) return this.plainStep(optimizer);
    this.checkNotStepped("stepAsync", optimizer);
    if (!this.stages.has(optimizer)) await this.unscaleAsync(optimizer);
    return this.finishStep(optimizer);
  }

  /**
   * Adjusts the scale once per iteration, after `step`: × backoffFactor if any optimizer
   * found inf/NaN, × growthFactor after `growthInterval` clean steps in a row (only while
   * the result stays a finite float32). `newScale` sets the scale directly instead.
   */
  update(newScale?: number): void {
    if (!this.enabled) return;
    if (newScale !== undefined) {
      this.currentScale = Math.fround(checked("update(newScale)", newScale, newScale > 0 && Number.isFinite(Math.fround(newScale)), "a positive finite float32"));
    } else {
      if (this.stages.size === 0) {
        throw new ArgumentError(`${OWNER}.update: no inf/NaN checks were recorded since the last update; call step(optimizer) (or unscale) first`);
      }
      const foundInf = [...this.stages.values()].some((s) => s.foundInf);
      if (foundInf) {
        this.currentScale = Math.fround(this.currentScale * this.backoffFactor);
        this.growthTracker = 0;
      } else if (++this.growthTracker === this.growthInterval) {
        const grown = Math.fround(this.currentScale * this.growthFactor);
        if (Number.isFinite(grown)) this.currentScale = grown;
        this.growthTracker = 0;
      }
    }
    this.stages.clear();
  }

  /** The scale and its schedule (empty when disabled, as PyTorch's). */
  stateDict(): GradScalerState | Record<string, never> {
    if (!this.enabled) return {};
    return {
      scale: this.currentScale, growthFactor: this.growthFactor, backoffFactor: this.backoffFactor,
      growthInterval: this.growthInterval, growthTracker: this.growthTracker,
    };
  }

  /** Restores the scale and growth tracker of {@link stateDict} (the factors must match this scaler's). */
  loadStateDict(state: Partial<GradScalerState>): void {
    if (!this.enabled) throw new ArgumentError(`${OWNER}.loadStateDict: this scaler is disabled (enabled: false) and has no state to load into`);
    if (state.scale === undefined) {
      throw new ArgumentError(`${OWNER}.loadStateDict: the state has no scale (it may come from a disabled scaler, whose state is empty)`);
    }
    for (const field of ["growthFactor", "backoffFactor", "growthInterval"] as const) {
      if (state[field] !== undefined && state[field] !== this[field]) {
        throw new ArgumentError(`${OWNER}.loadStateDict: ${field} ${state[field]} differs from this scaler's ${this[field]}; construct the scaler with the saved options`);
      }
    }
    const tracker = state.growthTracker ?? 0;
    checked("growthTracker", tracker, Number.isInteger(tracker) && tracker >= 0 && tracker < this.growthInterval, `an integer in [0, ${this.growthInterval})`);
    this.currentScale = Math.fround(checked("scale", state.scale, state.scale > 0 && Number.isFinite(Math.fround(state.scale)), "a positive finite float32"));
    this.growthTracker = tracker;
    this.stages.clear();
  }

  private plainStep(optimizer: Optimizer): boolean {
    optimizer.step();
    this.lastStepSkipped = false;
    return true;
  }

  private unscaleSync(op: string, optimizer: Optimizer, asyncForm: string): void {
    const grads = this.startUnscale(op, optimizer, asyncForm);
    this.stages.set(optimizer, { stage: "unscaled", foundInf: hasNonFinite(grads) });
  }

  private checkNotStepped(op: string, optimizer: Optimizer): void {
    if (this.stages.get(optimizer)?.stage === "stepped") {
      throw new ArgumentError(`${OWNER}.${op}: step() was already called on this optimizer since the last update(); call update() once per iteration`);
    }
  }

  /** Checks the order of calls and the gradients' dtypes and device, then divides the gradients by the scale. */
  private startUnscale(op: string, optimizer: Optimizer, asyncForm: string | null): Tensor[] {
    const stage = this.stages.get(optimizer)?.stage;
    if (stage === "unscaled") throw new ArgumentError(`${OWNER}.${op}: already called on this optimizer since the last update()`);
    if (stage === "stepped") throw new ArgumentError(`${OWNER}.${op}: called after step(); unscale before stepping, once per iteration`);
    const grads: Tensor[] = [];
    optimizer.parameters.forEach((p, i) => {
      const g = p.value.grad;
      if (!g || g.isDisposed) return;
      if (g.dtype === "float16") {
        // Unscaled float16 gradients would underflow or overflow again: PyTorch refuses them too.
        throw new DTypeError(`${OWNER}.${op}: parameter ${i} ${JSON.stringify(p.shape)} has float16 gradients; keep parameters in float32 (master weights) and run the forward under autocast`);
      }
      grads.push(g);
    });
    if (asyncForm && !readableSync(grads)) {
      const device = grads.find((g) => typeof g.backend.readSync !== "function")!.device;
      throw new DeviceError(`${OWNER}.${op}: gradients on '${device}' cannot be read synchronously for the inf/NaN check; use await scaler.${asyncForm}(optimizer)`);
    }
    const inverse = 1 / this.currentScale; // exact for power-of-two scales
    noGrad(() => grads.forEach((g) => {
      const unscaled = g.mul(inverse);
      g.assign(unscaled);
      unscaled.dispose();
    }));
    return grads;
  }

  private finishStep(optimizer: Optimizer): boolean {
    const stage = this.stages.get(optimizer)!;
    stage.stage = "stepped";
    this.lastStepSkipped = stage.foundInf;
    if (stage.foundInf) {
      this.skippedSteps++;
      return false;
    }
    optimizer.step();
    return true;
  }
}
