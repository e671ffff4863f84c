import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions, finite, integerAtLeast, positive } from "../validate.js";
import { classificationMeta, numberedFeatures } from "./common.js";

/** Options of {@link gaussianQuantiles}. */
export interface GaussianQuantilesOptions extends GeneratorOptions {
  /** Number of features (default 2). */
  readonly features?: number;
  /** Number of classes, ≥ 2 (default 2). */
  readonly classes?: number;
  /** Centre of the Gaussian, the same in every coordinate (default 0). */
  readonly mean?: number;
  /** Variance of every coordinate: the covariance is `covariance · I` (default 1). */
  readonly covariance?: number;
  /** Shuffle the rows (default true). */
  readonly shuffle?: boolean;
}

/**
 * Gaussian quantiles, as scikit-learn's `make_gaussian_quantiles`: x ~ N(mean, covariance·I);
 * the samples sorted by ‖x − mean‖² and cut into `classes` nested shells of ⌊n/classes⌋
 * samples (class 0 innermost; the remainder joins the last class), so the class boundaries
 * are the χ²(features) quantiles k/classes of ‖x − mean‖²/covariance. `noise` is not
 * used (the classes are defined by the draw); it is accepted for a uniform signature.
 *
 * Defaults: n = 768, features = 2, classes = 2, mean = 0, covariance = 1, seed = 0.
 *
 * @example
 * const { x, y } = gaussianQuantiles({ n: 300, classes: 3, seed: 1 }); // 100 per class
 */
export function gaussianQuantiles(options: GaussianQuantilesOptions = {}): ClassificationDataset {
  const fn = "gaussianQuantiles";
  const { n, noise, seed } = commonOptions(fn, options, { n: 768, noise: 0 });
  const features = integerAtLeast(fn, "features", options.features ?? 2);
  const classes = integerAtLeast(fn, "classes", options.classes ?? 2, 2);
  const mean = finite(fn, "mean", options.mean ?? 0);
  const covariance = positive(fn, "covariance", options.covariance ?? 1);
  if (n < classes) integerAtLeast(fn, "n", n, classes);
  const random = new RandomGenerator(seed);
  const std = Math.sqrt(covariance);
  const raw = random.normalArray(n * features, mean, std);
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < features; j++) sum += (raw[i * features + j] - mean) ** 2;
    distance[i] = sum;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => distance[a] - distance[b] || a - b);
  const step = Math.floor(n / classes);
  const shuffle = options.shuffle ?? true;
  const rows = shuffle ? random.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const x = new Float64Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const rank = rows[i];
    const from = order[rank];
    x.set(raw.subarray(from * features, (from + 1) * features), i * features);
    y[i] = Math.min(Math.floor(rank / step), classes - 1);
  }
  return {
    x: { data: x, shape: [n, features] },
    y: { data: y, shape: [n] },
    meta: classificationMeta({
      name: "gaussianQuantiles",
      classes,
      featureNames: numberedFeatures(features),
      seed,
      options: { n, noise, seed, features, classes, mean, covariance, shuffle },
      source: "001 §6 (gaussian_quantiles); scikit-learn make_gaussian_quantiles",
    }),
  };
}
