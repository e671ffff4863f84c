import { RandomGenerator } from "../random.js";
import type { GeneratorOptions, RegressionDataset } from "../types.js";
import { commonOptions, finite, integerAtLeast, invalid } from "../validate.js";

/** Options of {@link delayedInput}. */
export interface DelayedInputOptions extends GeneratorOptions {
  /** Largest delay K; targets are u(t−1) … u(t−K) (default 256 = 2 × 128 units, Exp 5). */
  readonly maxDelay?: number;
  /** Lower end of the input distribution (default −0.8). */
  readonly low?: number;
  /** Upper end of the input distribution (default 0.8). */
  readonly high?: number;
}

/**
 * Memory-capacity stream (000 §4.5 B, Exp 5): an i.i.d. input u(t) ~ U[low, high] and its
 * delayed copies. The stream has n + K samples; row t (0 ≤ t < n) holds
 *
 * x[t] = u(t + K) + N(0, noise²), y[t, k−1] = u(t + K − k), k = 1…K,
 *
 * so every target is defined (no warm-up rows with missing history). The input range
 * [−0.8, 0.8] and K = 2 × units follow ReservoirPy's memory-capacity convention; memory
 * capacity is then Σₖ corr(ŷₖ, yₖ)². Defaults: n = 2000, maxDelay = 256, noise = 0, seed = 0.
 *
 * @example
 * const { x, y } = delayedInput({ n: 500, maxDelay: 20, seed: 1 }); // x: [500, 1], y: [500, 20]
 */
export function delayedInput(options: DelayedInputOptions = {}): RegressionDataset {
  const fn = "delayedInput";
  const { n, noise, seed } = commonOptions(fn, options, { n: 2000, noise: 0 });
  const maxDelay = integerAtLeast(fn, "maxDelay", options.maxDelay ?? 256);
  const low = finite(fn, "low", options.low ?? -0.8);
  const high = finite(fn, "high", options.high ?? 0.8);
  if (!(high > low)) invalid(fn, "high", `greater than low (${low})`, high);
  const random = new RandomGenerator(seed);
  const stream = random.uniformArray(n + maxDelay, low, high);
  const x = new Float64Array(n);
  const y = new Float64Array(n * maxDelay);
  for (let t = 0; t < n; t++) {
    x[t] = stream[t + maxDelay];
    for (let k = 1; k <= maxDelay; k++) y[t * maxDelay + k - 1] = stream[t + maxDelay - k];
  }
  for (let t = 0; t < n; t++) x[t] += noise * random.normal();
  return {
    x: { data: x, shape: [n, 1] },
    y: { data: y, shape: [n, maxDelay] },
    meta: {
      name: "delayedInput",
      task: "regression",
      classes: 0,
      featureNames: ["u"],
      targetNames: Array.from({ length: maxDelay }, (_, k) => `u(t-${k + 1})`),
      seed,
      options: { n, noise, seed, maxDelay, low, high },
      source: "000 §4.5 B (Exp 5 memory capacity); ReservoirPy's input convention",
    },
  };
}
