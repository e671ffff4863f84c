/**
 * Optimizers over Parameters, built on @fcn/tensor's fused in-place updates (adamUpdate,
 * sgdUpdate). Gradients are read from `parameter.value.grad`; `zeroGrad()` disposes them.
 */
import { ArgumentError, type Tensor, adamUpdate, keep, noGrad, sgdUpdate, zeros } from "@fcn/tensor";
import type { Parameter } from "../module.js";

export abstract class Optimizer {
  readonly parameters: Parameter[];
  /** Current learning rate (schedules write it). */
  lr: number;
  /** Calls to `step()` (each parameter's own count, which Adam's bias correction uses, may be lower). */
  stepCount = 0;

  constructor(parameters: readonly Parameter[], lr: number) {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new ArgumentError(`${this.constructor.name}: lr must be a positive number, got ${lr}`);
    this.parameters = parameters.filter((p) => p.trainable);
    this.lr = lr;
  }

  /** Applies one update to every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    for (const p of this.parameters) {
      const g = p.value.grad;
      if (g && !g.isDisposed) this.update(p, g);
    }
  }

  protected abstract update(p: Parameter, grad: Tensor): void;

  /** Disposes every gradient (the next backward starts from zero). */
  zeroGrad(): void {
    for (const p of this.parameters) {
      const g = p.value.grad;
      if (g) {
        g.dispose();
        p.value.grad = null;
      }
    }
  }

  /** Frees the optimizer's state tensors. */
  dispose(): void {
    this.disposeState();
  }

  protected abstract disposeState(): void;
}

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba): L2 weight decay added to the gradient. Defaults lr 1e-3, β (0.9, 0.999), ε 1e-8.
 * As in PyTorch, each parameter counts its own steps for the bias correction: a step in which a
 * parameter has no gradient neither moves it nor advances its count.
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;
  private readonly state = new Map<Parameter, { m: Tensor; v: Tensor; step: number }>();

  constructor(parameters: readonly Parameter[], options: AdamOptions = {}) {
    super(parameters, options.lr ?? 1e-3);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? this.defaultDecay();
    if (!(this.beta1 >= 0 && this.beta1 < 1)) throw new ArgumentError(`${this.constructor.name}: beta1 must be in [0, 1), got ${this.beta1}`);
    if (!(this.beta2 >= 0 && this.beta2 < 1)) throw new ArgumentError(`${this.constructor.name}: beta2 must be in [0, 1), got ${this.beta2}`);
    if (!(this.weightDecay >= 0)) throw new ArgumentError(`${this.constructor.name}: weightDecay must be ≥ 0, got ${this.weightDecay}`);
  }

  protected defaultDecay(): number {
    return 0;
  }

  protected update(p: Parameter, grad: Tensor): void {
    let s = this.state.get(p);
    if (!s) {
      s = { m: keep(zeros(p.shape, { dtype: p.value.dtype })), v: keep(zeros(p.shape, { dtype: p.value.dtype })), step: 0 };
      this.state.set(p, s);
    }
    s.step++;
    adamUpdate(p.value, grad, s.m, s.v, {
      lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps,
      weightDecay: this.weightDecay, decoupled: this.decoupled, step: s.step,
    });
  }

  /** Steps that `parameter` has taken (PyTorch's `state[p]["step"]`); 0 before its first gradient. */
  stepOf(parameter: Parameter): number {
    return this.state.get(parameter)?.step ?? 0;
  }

  protected disposeState(): void {
    for (const s of this.state.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.state.clear();
  }
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay p ← p(1 − lr·λ). Default λ = 0.01. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;
  protected override defaultDecay(): number {
    return 0.01;
  }
}

export interface SgdOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** SGD with optional momentum, dampening, Nesterov momentum and L2 weight decay (PyTorch semantics). */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly buffers = new Map<Parameter, Tensor>();

  constructor(parameters: readonly Parameter[], options: SgdOptions = {}) {
    super(parameters, options.lr ?? 1e-2);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.momentum >= 0)) throw new ArgumentError(`SGD: momentum must be ≥ 0, got ${this.momentum}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ArgumentError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${this.momentum}, dampening ${this.dampening}`);
    }
  }

  protected update(p: Parameter, grad: Tensor): void {
    let buffer = this.buffers.get(p);
    const firstStep = !buffer;
    if (!buffer) {
      buffer = keep(zeros(p.shape, { dtype: p.value.dtype }));
      this.buffers.set(p, buffer);
    }
    sgdUpdate(p.value, grad, buffer, {
      lr: this.lr, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov,
      weightDecay: this.weightDecay, firstStep,
    });
  }

  protected disposeState(): void {
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
  }
}

/**
 * Scales all gradients by maxNorm / (‖g‖₂ + 1e-6) when that is below 1, where ‖g‖₂ is the norm
 * of all gradients together (PyTorch's `clip_grad_norm_`); returns the norm before clipping.
 * Reads the gradients synchronously (CPU); {@link clipGradNormAsync} works on every device.
 */
export function clipGradNorm(parameters: readonly Parameter[], maxNorm: number): number {
  const grads = clippedGradients("clipGradNorm", parameters, maxNorm);
  return clipToNorm(grads, grads.map((g) => g.dataSync()), maxNorm);
}

/** {@link clipGradNorm} with asynchronous reads of the gradients: works on every device. */
export async function clipGradNormAsync(parameters: readonly Parameter[], maxNorm: number): Promise<number> {
  const grads = clippedGradients("clipGradNormAsync", parameters, maxNorm);
  return clipToNorm(grads, await Promise.all(grads.map((g) => g.data())), maxNorm);
}

function clippedGradients(op: string, parameters: readonly Parameter[], maxNorm: number): Tensor[] {
  if (!(maxNorm > 0)) throw new ArgumentError(`${op}: maxNorm must be positive, got ${maxNorm}`);
  return parameters.map((p) => p.value.grad).filter((g): g is Tensor => g !== null && !g.isDisposed);
}

function clipToNorm(grads: readonly Tensor[], values: readonly ArrayLike<number>[], maxNorm: number): number {
  let total = 0;
  for (const host of values) for (let i = 0; i < host.length; i++) total += host[i] * host[i];
  const norm = Math.sqrt(total);
  // PyTorch's clip_grad_norm_: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1; a NaN
  // norm gives a NaN coefficient, so the gradients become NaN as in PyTorch (error_if_nonfinite off).
  const scale = maxNorm / (norm + 1e-6);
  if (!(scale >= 1)) noGrad(() => grads.forEach((g) => { const scaled = g.mul(scale); g.assign(scaled); scaled.dispose(); }));
  return norm;
}

/** Clamps every gradient entry to [−value, value]. */
export function clipGradValue(parameters: readonly Parameter[], value: number): void {
  if (!(value > 0)) throw new ArgumentError(`clipGradValue: value must be positive, got ${value}`);
  noGrad(() => {
    for (const p of parameters) {
      const g = p.value.grad;
      if (g && !g.isDisposed) { const c = g.clamp(-value, value); g.assign(c); c.dispose(); }
    }
  });
}
