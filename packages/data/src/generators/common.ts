/** Pieces shared by the scikit-learn-style generators. */
import type { RandomGenerator } from "../random.js";
import type { DatasetMeta } from "../types.js";

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
