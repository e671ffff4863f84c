import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions } from "../validate.js";
import { classificationMeta } from "./common.js";

/** A binary S-curve data set, with the manifold coordinate t of every sample. */
export interface SCurveDataset extends ClassificationDataset {
  /** The manifold coordinate t ∈ (−1.5π, 1.5π) of each sample, shape [n]. */
  readonly manifold: Float64Array;
}

/**
 * Binary S-curve (001 §6, `s_curve_binary`), scikit-learn's `make_s_curve` with a label
 * from its manifold coordinate:
 *
 * t = 3π(u − ½), u ~ U[0, 1); x = (sin t, 2v, sign(t)(cos t − 1)) + N(0, noise² I₃), v ~ U[0, 1);
 * y = 1 if t > 0 else 0 (the two halves of the S).
 *
 * Class balance is Binomial(n, ½), as in the scikit-learn sampling. Defaults: n = 768,
 * noise = 0.1, seed = 0.
 *
 * @example
 * const { x, y, manifold } = sCurveBinary({ n: 500, seed: 1 }); // x: [500, 3]
 */
export function sCurveBinary(options: GeneratorOptions = {}): SCurveDataset {
  const { n, noise, seed } = commonOptions("sCurveBinary", options, { n: 768, noise: 0.1 });
  const random = new RandomGenerator(seed);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = 3 * Math.PI * (random.float() - 0.5);
  const depth = new Float64Array(n);
  for (let i = 0; i < n; i++) depth[i] = 2 * random.float();
  const x = new Float64Array(3 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[3 * i] = Math.sin(t[i]);
    x[3 * i + 1] = depth[i];
    x[3 * i + 2] = Math.sign(t[i]) * (Math.cos(t[i]) - 1);
    y[i] = t[i] > 0 ? 1 : 0;
  }
  for (let i = 0; i < x.length; i++) x[i] += noise * random.normal();
  return {
    x: { data: x, shape: [n, 3] },
    y: { data: y, shape: [n] },
    manifold: t,
    meta: classificationMeta({
      name: "sCurveBinary",
      classes: 2,
      featureNames: ["x1", "x2", "x3"],
      seed,
      options: { n, noise, seed },
      source: "001 §6 (s_curve_binary); scikit-learn make_s_curve, label t > 0 chosen here",
    }),
  };
}
