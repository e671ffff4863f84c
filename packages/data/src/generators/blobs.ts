import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions, finite, integerAtLeast, invalid, positive } from "../validate.js";
import { classificationMeta, numberedFeatures } from "./common.js";

/** Options of {@link blobs}. */
export interface BlobsOptions extends GeneratorOptions {
  /** Number of features (default 2). */
  readonly features?: number;
  /** Number of centres (= classes), ≥ 2 (default 3). */
  readonly centers?: number;
  /** Standard deviation of every blob (default 1); `noise` is an alias. */
  readonly clusterStd?: number;
  /** Box the centres are drawn from, per coordinate (default [−10, 10]). */
  readonly centerBox?: readonly [number, number];
  /** Shuffle the rows (default true). */
  readonly shuffle?: boolean;
}

/** A {@link blobs} data set with its centres. */
export interface BlobsDataset extends ClassificationDataset {
  /** The centres, row-major, shape [centers, features]. */
  readonly centers: Float64Array;
}

/**
 * Isotropic Gaussian blobs, as scikit-learn's `make_blobs`: centres cₖ ~ U[box]^features;
 * class k gets ⌊n/centers⌋ samples (+1 for the first n mod centers classes), x ~ N(cₖ, clusterStd² I);
 * rows shuffled. Defaults: n = 768, features = 2, centers = 3, clusterStd = 1, box [−10, 10].
 *
 * @example
 * const { x, y, centers } = blobs({ n: 300, centers: 4, seed: 2 });
 */
export function blobs(options: BlobsOptions = {}): BlobsDataset {
  const fn = "blobs";
  const { n, seed } = commonOptions(fn, options, { n: 768, noise: 0 });
  const features = integerAtLeast(fn, "features", options.features ?? 2);
  const k = integerAtLeast(fn, "centers", options.centers ?? 3, 2);
  const clusterStd = positive(fn, "clusterStd", options.clusterStd ?? options.noise ?? 1);
  const [low, high] = options.centerBox ?? [-10, 10];
  finite(fn, "centerBox", low);
  if (!(finite(fn, "centerBox", high) > low)) invalid(fn, "centerBox", "[low, high] with low < high", [low, high]);
  const random = new RandomGenerator(seed);
  const centers = random.uniformArray(k * features, low, high);
  const x = new Float64Array(n * features);
  const y = new Int32Array(n);
  let row = 0;
  for (let c = 0; c < k; c++) {
    const count = Math.floor(n / k) + (c < n % k ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      y[row] = c;
      for (let j = 0; j < features; j++) x[row * features + j] = random.normal(centers[c * features + j], clusterStd);
    }
  }
  const shuffle = options.shuffle ?? true;
  let outX = x;
  let outY = y;
  if (shuffle) {
    const order = random.permutation(n);
    outX = new Float64Array(x.length);
    outY = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      outY[i] = y[order[i]];
      outX.set(x.subarray(order[i] * features, (order[i] + 1) * features), i * features);
    }
  }
  return {
    x: { data: outX, shape: [n, features] },
    y: { data: outY, shape: [n] },
    centers,
    meta: classificationMeta({
      name: "blobs",
      classes: k,
      featureNames: numberedFeatures(features),
      seed,
      options: { n, seed, features, centers: k, clusterStd, centerBox: [low, high], shuffle },
      source: "scikit-learn make_blobs",
    }),
  };
}
