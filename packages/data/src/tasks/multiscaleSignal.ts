import { RandomGenerator } from "../random.js";
import type { Dataset, GeneratorOptions, NdArray } from "../types.js";
import { commonOptions, finiteList, integerAtLeast, invalid } from "../validate.js";

/** Options of {@link multiscaleSignal}. */
export interface MultiscaleSignalOptions extends GeneratorOptions {
  /** Branching factor m (default 4). */
  readonly branching?: number;
  /** Number of scales k; signals have N = m^k samples (default 3, N = 64). */
  readonly depth?: number;
  /** Standard deviation of the block values at each scale, coarsest first (default all 1). */
  readonly amplitudes?: readonly number[];
}

/** A multiscale signal data set with its per-scale ground truth. */
export interface MultiscaleSignalDataset extends Dataset<Float64Array, Float64Array> {
  /** The clean component at each scale, coarsest first, each of shape [n, N]. */
  readonly components: readonly NdArray<Float64Array>[];
  /** Names of the scales: `coarse, mid, fine` for three scales, else `scale_0…`. */
  readonly scaleNames: readonly string[];
  /** The additive noise, shape [n, N]. */
  readonly noiseComponent: NdArray<Float64Array>;
}

/**
 * Noisy multiscale block signal (000 §4.4, eq. 16, Exp 4):
 *
 * x = x_coarse + x_mid + x_fine + ε, ε ~ N(0, noise² I).
 *
 * A signal has N = m^k samples; scale s (coarsest s = 0) is piecewise constant on blocks of
 * m^(k−1−s) samples, each block value drawn from N(0, amplitudes[s]²). With m = 4, k = 3:
 * blocks of 16, 4 and 1. `y` is the clean sum; `components` hold each scale, so an operator's
 * SNR can be measured per scale ({@link signalToNoiseDb}). Defaults: n = 256, branching 4,
 * depth 3, amplitudes all 1, noise = 1, seed = 0.
 *
 * @example
 * const { x, y, components } = multiscaleSignal({ n: 10, seed: 1 }); // x, y: [10, 64]
 */
export function multiscaleSignal(options: MultiscaleSignalOptions = {}): MultiscaleSignalDataset {
  const fn = "multiscaleSignal";
  const { n, noise, seed } = commonOptions(fn, options, { n: 256, noise: 1 });
  const m = integerAtLeast(fn, "branching", options.branching ?? 4, 2);
  const k = integerAtLeast(fn, "depth", options.depth ?? 3);
  const length = m ** k;
  if (length > 1 << 20) invalid(fn, "depth", "such that branching^depth ≤ 2^20", k);
  const amplitudes = finiteList(fn, "amplitudes", options.amplitudes ?? Array<number>(k).fill(1));
  if (amplitudes.length !== k || amplitudes.some((a) => a < 0)) {
    invalid(fn, "amplitudes", `${k} non-negative numbers (one per scale)`, amplitudes);
  }
  const random = new RandomGenerator(seed);
  const components = Array.from({ length: k }, () => new Float64Array(n * length));
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const block = m ** (k - 1 - s);
      for (let b = 0; b < length / block; b++) {
        const value = random.normal(0, amplitudes[s]);
        components[s].fill(value, i * length + b * block, i * length + (b + 1) * block);
      }
    }
  }
  const clean = new Float64Array(n * length);
  for (const component of components) for (let j = 0; j < clean.length; j++) clean[j] += component[j];
  const noiseComponent = random.normalArray(n * length, 0, 1);
  const x = new Float64Array(n * length);
  for (let j = 0; j < x.length; j++) {
    noiseComponent[j] *= noise;
    x[j] = clean[j] + noiseComponent[j];
  }
  const scaleNames = k === 3 ? ["coarse", "mid", "fine"] : Array.from({ length: k }, (_, s) => `scale_${s}`);
  const names = Array.from({ length }, (_, j) => `t${j}`);
  return {
    x: { data: x, shape: [n, length] },
    y: { data: clean, shape: [n, length] },
    components: components.map((data) => ({ data, shape: [n, length] })),
    scaleNames,
    noiseComponent: { data: noiseComponent, shape: [n, length] },
    meta: {
      name: "multiscaleSignal",
      task: "regression",
      classes: 0,
      featureNames: names,
      targetNames: names,
      seed,
      options: { n, noise, seed, branching: m, depth: k, amplitudes: [...amplitudes], length },
      source: "000 §4.4 (Exp 4, eq. 16); block amplitudes chosen here",
    },
  };
}

/**
 * Signal-to-noise ratio in decibels of `estimate` against `reference`:
 * SNR = 10 log₁₀(Σ reference² / Σ (estimate − reference)²).
 *
 * @example
 * signalToNoiseDb(Float64Array.of(1, 1), Float64Array.of(1.1, 0.9)); // 20
 */
export function signalToNoiseDb(reference: ArrayLike<number>, estimate: ArrayLike<number>): number {
  if (reference.length !== estimate.length) {
    invalid("signalToNoiseDb", "estimate", `of length ${reference.length} like reference`, estimate.length);
  }
  let signal = 0;
  let error = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] ** 2;
    error += (estimate[i] - reference[i]) ** 2;
  }
  return 10 * Math.log10(signal / error);
}
