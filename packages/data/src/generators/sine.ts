import { RandomGenerator } from "../random.js";
import type { GeneratorOptions, RegressionDataset } from "../types.js";
import { commonOptions, finite, invalid } from "../validate.js";

/** Options of {@link sine}. */
export interface SineOptions extends GeneratorOptions {
  /** Lower end of the input interval (default 0). */
  readonly low?: number;
  /** Upper end of the input interval (default 4π). */
  readonly high?: number;
}

/**
 * Sine regression (seed 000 §7.1, Exp 9): x ~ U[low, high], y = sin x + N(0, noise²).
 *
 * Defaults: n = 768, interval [0, 4π], noise = 0.1, seed = 0. x has shape [n, 1].
 *
 * @example
 * const { x, y } = sine({ n: 256, noise: 0.1, seed: 3 }); // x: [256, 1], y: [256]
 */
export function sine(options: SineOptions = {}): RegressionDataset {
  const { n, noise, seed } = commonOptions("sine", options, { n: 768, noise: 0.1 });
  const low = finite("sine", "low", options.low ?? 0);
  const high = finite("sine", "high", options.high ?? 4 * Math.PI);
  if (!(high > low)) invalid("sine", "high", `greater than low (${low})`, high);
  const random = new RandomGenerator(seed);
  const x = random.uniformArray(n, low, high);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]);
  for (let i = 0; i < n; i++) y[i] += noise * random.normal();
  return {
    x: { data: x, shape: [n, 1] },
    y: { data: y, shape: [n] },
    meta: {
      name: "sine",
      task: "regression",
      classes: 0,
      featureNames: ["x"],
      targetNames: ["y"],
      seed,
      options: { n, noise, seed, low, high },
      source: "000 §7.1 (Exp 9–11), 002 §2, 001 §5",
    },
  };
}
