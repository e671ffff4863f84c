import { linspace } from "../ndarray.js";
import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions, invalid, positive } from "../validate.js";
import { classificationMeta, shuffleThenAddNoise } from "./common.js";

/** Options of {@link circles}. */
export interface CirclesOptions extends GeneratorOptions {
  /** Radius of the inner circle, in (0, 1) (default 0.5). */
  readonly factor?: number;
  /** Shuffle the rows (default true). */
  readonly shuffle?: boolean;
}

/**
 * Concentric circles, as scikit-learn's `make_circles`: ⌊n/2⌋ points of class 0 at angles
 * θᵢ = 2πi/⌊n/2⌋ on the unit circle, the other ⌈n/2⌉ points of class 1 at 2πi/⌈n/2⌉ on the
 * circle of radius `factor`; rows shuffled, then x += N(0, noise²) per coordinate.
 *
 * Defaults: n = 768, factor = 0.5, noise = 0.1, seed = 0. 000 §7.1 (Exp 9) gives no values;
 * factor 0.5 is scikit-learn's example value and the noise level is our choice, recorded in
 * `meta.options` of every result.
 *
 * @example
 * const { x, y } = circles({ n: 200, factor: 0.5, noise: 0, seed: 1 }); // radii exactly 1 and 0.5
 */
export function circles(options: CirclesOptions = {}): ClassificationDataset {
  const { n, noise, seed } = commonOptions("circles", options, { n: 768, noise: 0.1 });
  const factor = positive("circles", "factor", options.factor ?? 0.5);
  if (factor >= 1) invalid("circles", "factor", "in (0, 1)", factor);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const outer = linspace(0, 2 * Math.PI, nOuter, false);
  const inner = linspace(0, 2 * Math.PI, nInner, false);
  for (let i = 0; i < nOuter; i++) {
    x[2 * i] = Math.cos(outer[i]);
    x[2 * i + 1] = Math.sin(outer[i]);
  }
  for (let i = 0; i < nInner; i++) {
    const row = nOuter + i;
    x[2 * row] = factor * Math.cos(inner[i]);
    x[2 * row + 1] = factor * Math.sin(inner[i]);
    y[row] = 1;
  }
  const shuffle = options.shuffle ?? true;
  const out = shuffleThenAddNoise(x, y, 2, noise, new RandomGenerator(seed), shuffle);
  return {
    x: { data: out.x, shape: [n, 2] },
    y: { data: out.y, shape: [n] },
    meta: classificationMeta({
      name: "circles",
      classes: 2,
      featureNames: ["x1", "x2"],
      classNames: ["outer", "inner"],
      seed,
      options: { n, noise, seed, factor, shuffle },
      source: "000 §7.1 (Exp 9–11), 002 §2; scikit-learn make_circles",
    }),
  };
}
