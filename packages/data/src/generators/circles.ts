import { linspace } from "../ndarray.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions, invalid, positive } from "../validate.js";
import { planarTwoClass } from "./common.js";

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
  const shuffle = options.shuffle ?? true;
  return planarTwoClass({
    name: "circles",
    n,
    noise,
    seed,
    shuffle,
    first: { t: linspace(0, 2 * Math.PI, Math.floor(n / 2), false), point: (t) => [Math.cos(t), Math.sin(t)] },
    second: { t: linspace(0, 2 * Math.PI, n - Math.floor(n / 2), false), point: (t) => [factor * Math.cos(t), factor * Math.sin(t)] },
    classNames: ["outer", "inner"],
    options: { n, noise, seed, factor, shuffle },
    source: "000 §7.1 (Exp 9–11), 002 §2; scikit-learn make_circles",
  });
}
