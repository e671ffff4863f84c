import { RandomGenerator } from "../random.js";
import type { GeneratorOptions, RegressionDataset } from "../types.js";
import { commonOptions, integerAtLeast } from "../validate.js";

/** Options of {@link friedman1}. */
export interface Friedman1Options extends GeneratorOptions {
  /** Number of features, ≥ 5 (default 10); only the first five enter the target. */
  readonly features?: number;
}

/**
 * Friedman #1 regression, as scikit-learn's `make_friedman1`:
 *
 * x ~ U[0, 1]^features, y = 10 sin(π x₁x₂) + 20 (x₃ − ½)² + 10 x₄ + 5 x₅ + N(0, noise²).
 *
 * Defaults: n = 768 (002's 512 train + 256 validation), features = 10, noise = 1, seed = 0.
 * All of x is drawn first, then the noise, so x does not depend on `noise`.
 *
 * @example
 * const { x, y } = friedman1({ n: 100, noise: 0, seed: 1 }); // x: [100, 10], y: [100]
 */
export function friedman1(options: Friedman1Options = {}): RegressionDataset {
  const { n, noise, seed } = commonOptions("friedman1", options, { n: 768, noise: 1 });
  const features = integerAtLeast("friedman1", "features", options.features ?? 10, 5);
  const random = new RandomGenerator(seed);
  const x = random.uniformArray(n * features);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * features;
    const [x1, x2, x3, x4, x5] = [x[r], x[r + 1], x[r + 2], x[r + 3], x[r + 4]];
    y[i] = 10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5;
  }
  for (let i = 0; i < n; i++) y[i] += noise * random.normal();
  return {
    x: { data: x, shape: [n, features] },
    y: { data: y, shape: [n] },
    meta: {
      name: "friedman1",
      task: "regression",
      classes: 0,
      featureNames: Array.from({ length: features }, (_, j) => `x${j + 1}`),
      targetNames: ["y"],
      seed,
      options: { n, noise, seed, features },
      source: "001 §4 (frontier sweep); scikit-learn make_friedman1",
    },
  };
}
