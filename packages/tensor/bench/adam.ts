/**
 * A minimal Adam optimizer on the public @fcn/tensor API, for the training-step benchmark
 * (the nn package will own the real optimizers). The update runs under `noGrad` and writes
 * parameters with `Tensor.assign`; moments are kept tensors owned by the optimizer.
 */
import { Tensor, keep, noGrad, zeros } from "../src/index";

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
    const { beta1, beta2, epsilon } = this;
    // Bias corrections folded into the step size (as in the Adam paper, section 2).
    const stepSize = (this.learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    const epsHat = epsilon * Math.sqrt(1 - beta2 ** this.t);
    noGrad(() => {
      this.params.forEach((p, i) => {
        const g = p.grad;
        if (!g) return;
        const m = this.m[i].mul(beta1).add(g.mul(1 - beta1));
        const v = this.v[i].mul(beta2).add(g.mul(g).mul(1 - beta2));
        p.assign(p.sub(m.mul(stepSize).div(v.sqrt().add(epsHat))));
        this.m[i].assign(m);
        this.v[i].assign(v);
      });
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
