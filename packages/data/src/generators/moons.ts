import { linspace } from "../ndarray.js";
import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions } from "../validate.js";
import { classificationMeta, shuffleThenAddNoise } from "./common.js";

/** Options of {@link moons}. */
export interface MoonsOptions extends GeneratorOptions {
  /** Shuffle the rows (default true). */
  readonly shuffle?: boolean;
}

/**
 * Two interleaved half moons, as scikit-learn's `make_moons`: ⌊n/2⌋ points of class 0 at
 * (cos t, sin t) and ⌈n/2⌉ points of class 1 at (1 − cos t, ½ − sin t), each with t evenly
 * spaced on [0, π] (end points included); rows shuffled, then x += N(0, noise²).
 *
 * Defaults: n = 768, noise = 0.2, seed = 0 ("noisy moons", 000 §7.1 Exp 9). The seed gives no
 * noise level; 0.2 is our choice, recorded in `meta.options` of every result.
 *
 * @example
 * const { x, y } = moons({ n: 300, noise: 0.1, seed: 4 }); // x: [300, 2], y ∈ {0, 1}
 */
export function moons(options: MoonsOptions = {}): ClassificationDataset {
  const { n, noise, seed } = commonOptions("moons", options, { n: 768, noise: 0.2 });
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  const outer = linspace(0, Math.PI, nOuter);
  const inner = linspace(0, Math.PI, nInner);
  for (let i = 0; i < nOuter; i++) {
    x[2 * i] = Math.cos(outer[i]);
    x[2 * i + 1] = Math.sin(outer[i]);
  }
  for (let i = 0; i < nInner; i++) {
    const row = nOuter + i;
    x[2 * row] = 1 - Math.cos(inner[i]);
    x[2 * row + 1] = 1 - Math.sin(inner[i]) - 0.5;
    y[row] = 1;
  }
  const shuffle = options.shuffle ?? true;
  const out = shuffleThenAddNoise(x, y, 2, noise, new RandomGenerator(seed), shuffle);
  return {
    x: { data: out.x, shape: [n, 2] },
    y: { data: out.y, shape: [n] },
    meta: classificationMeta({
      name: "moons",
      classes: 2,
      featureNames: ["x1", "x2"],
      classNames: ["upper", "lower"],
      seed,
      options: { n, noise, seed, shuffle },
      source: "000 §7.1 (Exp 9–11), 002 §2; scikit-learn make_moons",
    }),
  };
}
