import { RandomGenerator } from "../random.js";
import type { ClassificationDataset } from "../types.js";
import {
  commonOptions,
  finiteList,
  inRange,
  integerAtLeast,
  invalid,
  nonNegative,
  positive,
  finite,
} from "../validate.js";
import { classificationMeta, numberedFeatures } from "./common.js";
import { hypercubeVertices } from "./hypercube.js";

/** The role of a column of {@link makeClassification}'s output. */
export type FeatureRole = "informative" | "redundant" | "repeated" | "useless";

/** Options of {@link makeClassification}; names follow scikit-learn's in full words. */
export interface MakeClassificationOptions {
  readonly n?: number;
  readonly seed?: number;
  /** Total number of features (default 20). */
  readonly features?: number;
  /** Informative features, on the hypercube (default 2). */
  readonly informative?: number;
  /** Random linear combinations of the informative features (default 2). */
  readonly redundant?: number;
  /** Copies of informative or redundant features (default 0). */
  readonly repeated?: number;
  /** Number of classes, ≥ 2 (default 2). */
  readonly classes?: number;
  /** Gaussian clusters per class (default 2). */
  readonly clustersPerClass?: number;
  /** Class proportions, `classes` or `classes − 1` numbers (default equal). */
  readonly weights?: readonly number[];
  /** Fraction of labels replaced by a uniformly random class (default 0.01). */
  readonly flipY?: number;
  /** Half the hypercube side: centroids at ±classSeparation (default 1). */
  readonly classSeparation?: number;
  /** Centroids on the hypercube vertices (true) or on a random polytope (default true). */
  readonly hypercube?: boolean;
  /** Added to every feature; `null` draws U[−classSeparation, classSeparation] per feature (default 0). */
  readonly shift?: number | null;
  /** Multiplies every feature; `null` draws U[1, 101) per feature (default 1). */
  readonly scale?: number | null;
  /** Shuffle rows and columns (default true). */
  readonly shuffle?: boolean;
}

/** A {@link makeClassification} data set, with the role of each column. */
export interface MakeClassificationDataset extends ClassificationDataset {
  /** What each column of x is (after the column shuffle). */
  readonly featureRoles: readonly FeatureRole[];
}

/**
 * scikit-learn's `make_classification`, step for step: 2·classSeparation-sided hypercube
 * vertices as cluster centroids (one cluster per class × clustersPerClass); informative
 * features x ~ N(0, I)·A + centroid with A ~ U[−1, 1]^{i×i} per cluster; redundant = informative·B,
 * B ~ U[−1, 1]; repeated = copies of random earlier columns; useless ~ N(0, 1); a fraction
 * `flipY` of labels replaced by random classes; x ← (x + shift)·scale; rows and columns shuffled.
 *
 * @example
 * const data = makeClassification({ n: 500, features: 20, informative: 4, seed: 1 });
 * data.featureRoles.filter((role) => role === "informative").length; // 4
 */
export function makeClassification(options: MakeClassificationOptions = {}): MakeClassificationDataset {
  const fn = "makeClassification";
  const { n, seed } = commonOptions(fn, { n: options.n, seed: options.seed }, { n: 100, noise: 0 });
  const features = integerAtLeast(fn, "features", options.features ?? 20);
  const informative = integerAtLeast(fn, "informative", options.informative ?? 2);
  const redundant = integerAtLeast(fn, "redundant", options.redundant ?? 2, 0);
  const repeated = integerAtLeast(fn, "repeated", options.repeated ?? 0, 0);
  const classes = integerAtLeast(fn, "classes", options.classes ?? 2, 2);
  const clustersPerClass = integerAtLeast(fn, "clustersPerClass", options.clustersPerClass ?? 2);
  const flipY = inRange(fn, "flipY", options.flipY ?? 0.01, 0, 1);
  const classSeparation = nonNegative(fn, "classSeparation", options.classSeparation ?? 1);
  const hypercube = options.hypercube ?? true;
  const shuffle = options.shuffle ?? true;
  const useless = features - informative - redundant - repeated;
  if (useless < 0) {
    invalid(fn, "features", `≥ informative + redundant + repeated = ${informative + redundant + repeated}`, features);
  }
  const clusters = classes * clustersPerClass;
  if (2 ** informative < clusters) {
    invalid(fn, "informative", `≥ log2(classes · clustersPerClass) = ${Math.log2(clusters).toFixed(3)}`, informative);
  }
  const weights = classWeights(fn, options.weights, classes);
  const random = new RandomGenerator(seed);

  const perCluster = Array.from({ length: clusters }, (_, k) => Math.floor((n * weights[k % classes]) / clustersPerClass));
  const missing = n - perCluster.reduce((a, b) => a + b, 0);
  for (let i = 0; i < missing; i++) perCluster[i % clusters] += 1;

  const centroids = hypercubeVertices(clusters, informative, random);
  for (let i = 0; i < centroids.length; i++) centroids[i] = centroids[i] * 2 * classSeparation - classSeparation;
  if (!hypercube) {
    const rowScale = random.uniformArray(clusters);
    const columnScale = random.uniformArray(informative);
    for (let k = 0; k < clusters; k++) {
      for (let j = 0; j < informative; j++) centroids[k * informative + j] *= rowScale[k] * columnScale[j];
    }
  }

  const x = new Float64Array(n * features);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < informative; j++) x[i * features + j] = random.normal();
  }
  let start = 0;
  const row = new Float64Array(informative);
  for (let k = 0; k < clusters; k++) {
    const stop = start + perCluster[k];
    const mixing = random.uniformArray(informative * informative, -1, 1); // A, row-major
    for (let i = start; i < stop; i++) {
      y[i] = k % classes;
      for (let j = 0; j < informative; j++) row[j] = x[i * features + j];
      for (let j = 0; j < informative; j++) {
        let sum = 0;
        for (let l = 0; l < informative; l++) sum += row[l] * mixing[l * informative + j];
        x[i * features + j] = sum + centroids[k * informative + j];
      }
    }
    start = stop;
  }

  if (redundant > 0) {
    const combination = random.uniformArray(informative * redundant, -1, 1); // B, row-major
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < redundant; r++) {
        let sum = 0;
        for (let l = 0; l < informative; l++) sum += x[i * features + l] * combination[l * redundant + r];
        x[i * features + informative + r] = sum;
      }
    }
  }
  const roles: FeatureRole[] = [
    ...Array<FeatureRole>(informative).fill("informative"),
    ...Array<FeatureRole>(redundant).fill("redundant"),
    ...Array<FeatureRole>(repeated).fill("repeated"),
    ...Array<FeatureRole>(useless).fill("useless"),
  ];
  if (repeated > 0) {
    const base = informative + redundant;
    const sources = Array.from({ length: repeated }, () => Math.floor((base - 1) * random.float() + 0.5));
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < repeated; r++) x[i * features + base + r] = x[i * features + sources[r]];
    }
  }
  if (useless > 0) {
    const first = features - useless;
    for (let i = 0; i < n; i++) {
      for (let j = first; j < features; j++) x[i * features + j] = random.normal();
    }
  }

  const flip = Array.from({ length: n }, () => random.float() < flipY);
  for (let i = 0; i < n; i++) if (flip[i]) y[i] = random.integer(classes);

  const shift =
    options.shift === null
      ? Array.from({ length: features }, () => (2 * random.float() - 1) * classSeparation)
      : Array<number>(features).fill(finite(fn, "shift", options.shift ?? 0));
  const scale =
    options.scale === null
      ? Array.from({ length: features }, () => 1 + 100 * random.float())
      : Array<number>(features).fill(positive(fn, "scale", options.scale ?? 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < features; j++) x[i * features + j] = (x[i * features + j] + shift[j]) * scale[j];
  }

  let outX = x;
  let outY = y;
  let outRoles = roles;
  if (shuffle) {
    const rows = random.permutation(n);
    const columns = random.permutation(features);
    outX = new Float64Array(n * features);
    outY = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      outY[i] = y[rows[i]];
      for (let j = 0; j < features; j++) outX[i * features + j] = x[rows[i] * features + columns[j]];
    }
    outRoles = Array.from(columns, (c) => roles[c]);
  }
  return {
    x: { data: outX, shape: [n, features] },
    y: { data: outY, shape: [n] },
    featureRoles: outRoles,
    meta: classificationMeta({
      name: "makeClassification",
      classes,
      featureNames: numberedFeatures(features),
      seed,
      options: {
        n, seed, features, informative, redundant, repeated, classes, clustersPerClass,
        weights, flipY, classSeparation, hypercube, shift: options.shift ?? 0, scale: options.scale ?? 1, shuffle,
      },
      source: "scikit-learn make_classification",
    }),
  };
}

function classWeights(fn: string, weights: readonly number[] | undefined, classes: number): number[] {
  if (weights === undefined) return Array<number>(classes).fill(1 / classes);
  const list = finiteList(fn, "weights", weights);
  if (list.some((w) => w < 0)) invalid(fn, "weights", "non-negative", list);
  if (list.length === classes - 1) return [...list, 1 - list.reduce((a, b) => a + b, 0)];
  if (list.length !== classes) invalid(fn, "weights", `an array of ${classes} or ${classes - 1} numbers`, list);
  return [...list];
}
