import { ArgumentError } from "../errors.js";
import { noGrad } from "./mode.js";
import { tensor } from "../ops/creation.js";
import { cast, mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { Generator } from "../random.js";
import type { Tensor } from "../tensor.js";
import { valueAndGrad } from "./grad.js";

export interface CheckGradsOptions {
  /** Finite-difference step. */
  eps?: number;
  /** Absolute tolerance. */
  atol?: number;
  /** Relative tolerance. */
  rtol?: number;
  /** Seed of the random projection that turns a tensor output into a scalar. */
  seed?: number;
}

export interface CheckGradsResult {
  ok: boolean;
  /** Largest |analytic − numeric| − rtol·|numeric| over all checked entries. */
  worstExcess: number;
  /** Where the worst entry is and its two values. */
  worst?: { input: number; index: number; analytic: number; numeric: number };
}

/**
 * Compares autograd gradients with float64 central differences,
 * (f(x + ε) − f(x − ε)) / 2ε, of the scalar Σ w ⊙ f(x) for a fixed random w. Inputs
 * are cast to float64 first. Returns the comparison; `ok` is true when every entry is
 * within atol + rtol·|numeric|.
 */
export function checkGrads(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: CheckGradsOptions = {}): CheckGradsResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-6;
  const rtol = options.rtol ?? 1e-5;
  if (!(eps > 0)) throw new ArgumentError(`checkGrads: eps must be positive, got ${eps}`);
  const xs = inputs.map((x) => cast(x, "float64").detach());
  const probe = noGrad(() => f(...xs));
  const gen = new Generator(options.seed ?? 0);
  const weights = tensor(Float64Array.from({ length: probe.size }, () => gen.uniform() * 2 - 1), { shape: probe.shape.slice() });
  const scalar = (...ys: Tensor[]) => sum(mul(cast(f(...ys), "float64"), weights));
  const { grads } = valueAndGrad(scalar)(...xs);
  let worstExcess = -Infinity;
  let worst: CheckGradsResult["worst"];
  xs.forEach((x, i) => {
    const base = x.dataSync() as Float64Array;
    const analytic = grads[i].dataSync();
    for (let k = 0; k < base.length; k++) {
      const at = (delta: number) => {
        const shifted = base.slice();
        shifted[k] += delta;
        const args = xs.map((y, j) => (j === i ? tensor(shifted, { shape: x.shape.slice() }) : y));
        return noGrad(() => scalar(...args).item());
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const excess = Math.abs(analytic[k] - numeric) - rtol * Math.abs(numeric);
      const bad = Number.isNaN(analytic[k]) || Number.isNaN(numeric);
      if (bad || excess > worstExcess) {
        worstExcess = bad ? Infinity : excess;
        worst = { input: i, index: k, analytic: analytic[k], numeric };
      }
    }
  });
  if (worst === undefined) worstExcess = 0;
  return { ok: worstExcess <= atol, worstExcess, worst };
}
