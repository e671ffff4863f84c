import { linspace } from "../ndarray.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions } from "../validate.js";
import { planarTwoClass } from "./common.js";

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
  const shuffle = options.shuffle ?? true;
  return planarTwoClass({
    name: "moons",
    n,
    noise,
    seed,
    shuffle,
    first: { t: linspace(0, Math.PI, Math.floor(n / 2)), point: (t) => [Math.cos(t), Math.sin(t)] },
    second: { t: linspace(0, Math.PI, n - Math.floor(n / 2)), point: (t) => [1 - Math.cos(t), 1 - Math.sin(t) - 0.5] },
    classNames: ["upper", "lower"],
    options: { n, noise, seed, shuffle },
    source: "000 §7.1 (Exp 9–11), 002 §2; scikit-learn make_moons",
  });
}
