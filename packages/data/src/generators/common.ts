/** Pieces shared by the scikit-learn-style generators. */
import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, DatasetMeta } from "../types.js";

/**
 * scikit-learn's `shuffle(X, y)` followed by `X += noise · N(0, 1)`: permutes the rows with
 * one Fisher–Yates permutation, then adds Gaussian noise to every coordinate (always drawn,
 * so the stream — and x for noise 0 — does not depend on `noise`).
 */
export function shuffleThenAddNoise(
  x: Float64Array,
  y: Int32Array,
  width: number,
  noise: number,
  random: RandomGenerator,
  shuffle = true,
): { x: Float64Array; y: Int32Array } {
  const n = y.length;
  let outX = x;
  let outY = y;
  if (shuffle) {
    const order = random.permutation(n);
    outX = new Float64Array(x.length);
    outY = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const from = order[i];
      outY[i] = y[from];
      for (let j = 0; j < width; j++) outX[i * width + j] = x[from * width + j];
    }
  }
  for (let i = 0; i < outX.length; i++) outX[i] += noise * random.normal();
  return { x: outX, y: outY };
}

/** Metadata of a classification data set with `classes` classes named `class_0…`. */
export function classificationMeta(fields: {
  name: string;
  classes: number;
  featureNames: readonly string[];
  seed: number | null;
  options: Record<string, unknown>;
  source: string;
  classNames?: readonly string[];
}): DatasetMeta {
  return {
    name: fields.name,
    task: fields.classes === 2 ? "binary" : "multiclass",
    classes: fields.classes,
    featureNames: fields.featureNames,
    targetNames: ["class"],
    classNames: fields.classNames ?? Array.from({ length: fields.classes }, (_, k) => `class_${k}`),
    seed: fields.seed,
    options: fields.options,
    source: fields.source,
  };
}

/** Feature names `x1 … xd`. */
export function numberedFeatures(count: number): string[] {
  return Array.from({ length: count }, (_, j) => `x${j + 1}`);
}

/** One class of a planar two-class set: its parameter values and the point each maps to. */
export interface PlanarCurve {
  readonly t: ArrayLike<number>;
  readonly point: (t: number) => readonly [number, number];
}

/**
 * A two-class set of 2-D points (make_circles, make_moons): class 0 at `first`'s points, class
 * 1 at `second`'s, in that order; then {@link shuffleThenAddNoise} with the seed's stream.
 */
export function planarTwoClass(spec: {
  name: string;
  n: number;
  noise: number;
  seed: number;
  shuffle: boolean;
  first: PlanarCurve;
  second: PlanarCurve;
  classNames: readonly [string, string];
  options: Record<string, unknown>;
  source: string;
}): ClassificationDataset {
  const { n, first, second } = spec;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  let row = 0;
  for (const [label, curve] of [[0, first], [1, second]] as const) {
    for (let i = 0; i < curve.t.length; i++, row++) {
      const [a, b] = curve.point(curve.t[i]);
      x[2 * row] = a;
      x[2 * row + 1] = b;
      y[row] = label;
    }
  }
  const out = shuffleThenAddNoise(x, y, 2, spec.noise, new RandomGenerator(spec.seed), spec.shuffle);
  return {
    x: { data: out.x, shape: [n, 2] },
    y: { data: out.y, shape: [n] },
    meta: classificationMeta({
      name: spec.name,
      classes: 2,
      featureNames: ["x1", "x2"],
      classNames: spec.classNames,
      seed: spec.seed,
      options: spec.options,
      source: spec.source,
    }),
  };
}
