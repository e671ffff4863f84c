import { RandomGenerator } from "../random.js";
import type { GeneratorOptions, NdArray, RegressionDataset } from "../types.js";
import { commonOptions, finiteList, invalid } from "../validate.js";

/** Options of {@link multiscaleTarget}. */
export interface MultiscaleTargetOptions extends GeneratorOptions {
  /** Time constants τₛ of the leaky integrators, in steps (default [2, 8, 32]). */
  readonly timescales?: readonly number[];
}

/** A multiscale-target stream with its per-timescale components. */
export interface MultiscaleTargetDataset extends RegressionDataset {
  /** Each normalized integrator m̃ₛ(t), shape [n, timescales]. */
  readonly components: NdArray<Float64Array>;
}

/**
 * Multiscale target for recurrent function approximation (000 §4.5 C, Exp 5; the seed gives
 * no formula, this is the definition). Input u(t) ~ U[−1, 1] i.i.d.; for each time constant
 * τₛ a leaky integrator mₛ(t) = (1 − αₛ) mₛ(t−1) + αₛ u(t), αₛ = 1/τₛ, normalized to unit
 * stationary variance, m̃ₛ = mₛ / √(αₛ/(3(2 − αₛ))); the target sums the S scales:
 *
 * y(t) = (1/√S) Σₛ m̃ₛ(t) + N(0, noise²).
 *
 * The integrators are run for 8·max τ steps before the first recorded step, so the stream
 * starts near stationarity. x: [n, 1] (the input), y: [n, 1]. Defaults: n = 2000,
 * timescales [2, 8, 32], noise = 0, seed = 0.
 *
 * @example
 * const { x, y, components } = multiscaleTarget({ n: 1000, seed: 3 }); // components: [1000, 3]
 */
export function multiscaleTarget(options: MultiscaleTargetOptions = {}): MultiscaleTargetDataset {
  const fn = "multiscaleTarget";
  const { n, noise, seed } = commonOptions(fn, options, { n: 2000, noise: 0 });
  const timescales = finiteList(fn, "timescales", options.timescales ?? [2, 8, 32]);
  if (timescales.some((tau) => tau < 1)) invalid(fn, "timescales", "numbers ≥ 1", timescales);
  const scales = timescales.length;
  const alphas = timescales.map((tau) => 1 / tau);
  const norms = alphas.map((alpha) => Math.sqrt(alpha / (3 * (2 - alpha))));
  const warmup = Math.ceil(8 * Math.max(...timescales));
  const random = new RandomGenerator(seed);
  const state = new Float64Array(scales);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const components = new Float64Array(n * scales);
  for (let t = -warmup; t < n; t++) {
    const u = random.uniform(-1, 1);
    let sum = 0;
    for (let s = 0; s < scales; s++) {
      state[s] = (1 - alphas[s]) * state[s] + alphas[s] * u;
      sum += state[s] / norms[s];
    }
    if (t < 0) continue;
    x[t] = u;
    y[t] = sum / Math.sqrt(scales);
    for (let s = 0; s < scales; s++) components[t * scales + s] = state[s] / norms[s];
  }
  for (let t = 0; t < n; t++) y[t] += noise * random.normal();
  return {
    x: { data: x, shape: [n, 1] },
    y: { data: y, shape: [n, 1] },
    components: { data: components, shape: [n, scales] },
    meta: {
      name: "multiscaleTarget",
      task: "regression",
      classes: 0,
      featureNames: ["u"],
      targetNames: ["y"],
      seed,
      options: { n, noise, seed, timescales: [...timescales] },
      source: "000 §4.5 C (Exp 5 function approximation); definition chosen here",
    },
  };
}
