import { RandomGenerator } from "../random.js";
import type { GeneratorOptions, RegressionDataset } from "../types.js";
import { commonOptions, finiteList, invalid } from "../validate.js";

/** Options of {@link multiscaleFourierRegression}. */
export interface MultiscaleFourierOptions extends GeneratorOptions {
  /** Frequencies fⱼ in cycles per unit interval (default [1, 4, 16]). */
  readonly frequencies?: readonly number[];
  /** Amplitudes aⱼ, one per frequency (default [1, 0.5, 0.25]). */
  readonly amplitudes?: readonly number[];
}

/**
 * Multiscale Fourier regression (001 §5; the seed gives no formula, this is the definition):
 *
 * x ~ U[−1, 1], y = Σⱼ aⱼ sin(2π fⱼ x) + N(0, noise²),
 *
 * with well-separated frequencies f = (1, 4, 16) — a factor m = 4 apart, the branching of the
 * hierarchical tasks — and amplitudes a = (1, ½, ¼). The target variance is Σ aⱼ²/2 ≈ 0.656,
 * of which the finest scale holds 0.03. Defaults: n = 768, noise = 0.1, seed = 0.
 *
 * @example
 * const { x, y } = multiscaleFourierRegression({ n: 512, seed: 2 }); // x: [512, 1]
 */
export function multiscaleFourierRegression(options: MultiscaleFourierOptions = {}): RegressionDataset {
  const fn = "multiscaleFourierRegression";
  const { n, noise, seed } = commonOptions(fn, options, { n: 768, noise: 0.1 });
  const frequencies = finiteList(fn, "frequencies", options.frequencies ?? [1, 4, 16]);
  const amplitudes = finiteList(fn, "amplitudes", options.amplitudes ?? [1, 0.5, 0.25]);
  if (amplitudes.length !== frequencies.length) {
    invalid(fn, "amplitudes", `an array of ${frequencies.length} numbers (one per frequency)`, amplitudes);
  }
  const random = new RandomGenerator(seed);
  const x = random.uniformArray(n, -1, 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < frequencies.length; j++) sum += amplitudes[j] * Math.sin(2 * Math.PI * frequencies[j] * x[i]);
    y[i] = sum;
  }
  for (let i = 0; i < n; i++) y[i] += noise * random.normal();
  return {
    x: { data: x, shape: [n, 1] },
    y: { data: y, shape: [n] },
    meta: {
      name: "multiscaleFourierRegression",
      task: "regression",
      classes: 0,
      featureNames: ["x"],
      targetNames: ["y"],
      seed,
      options: { n, noise, seed, frequencies: [...frequencies], amplitudes: [...amplitudes] },
      source: "001 §5 (multiscale_fourier_regression); definition chosen here",
    },
  };
}
