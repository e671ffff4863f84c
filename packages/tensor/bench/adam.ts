/**
 * A minimal Adam optimizer on the public @fcn/tensor API, for the training-step benchmark
 * (`@fcn/nn`'s `Adam` does the same): each parameter is updated in place by the fused
 * `adamUpdate`, one pass over memory; moments are kept tensors owned by the optimizer.
 */
import { Tensor, adamUpdate, keep, zeros } from "../src/index";

export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private t = 0;

  constructor(readonly params: readonly Tensor[], options: AdamOptions = {}) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.m = params.map((p) => keep(zeros(p.shape, { dtype: p.dtype })));
    this.v = params.map((p) => keep(zeros(p.shape, { dtype: p.dtype })));
  }

  /**
   * One update from the parameters' `.grad` (parameters without a gradient are skipped), then
   * the gradients are released (zeroed). Call inside `tidy` so the temporaries are freed.
   */
  step(): void {
    this.t++;
    const hyper = {
      lr: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.epsilon,
      weightDecay: 0,
      decoupled: false,
      step: this.t,
    };
    this.params.forEach((p, i) => {
      if (p.grad) adamUpdate(p, p.grad, this.m[i], this.v[i], hyper);
    });
    this.zeroGrad();
  }

  /** Frees and clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) {
      if (p.grad) {
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
