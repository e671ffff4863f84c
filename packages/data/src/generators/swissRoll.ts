import { RandomGenerator } from "../random.js";
import type { ClassificationDataset, GeneratorOptions } from "../types.js";
import { commonOptions, oneOf } from "../validate.js";
import { classificationMeta, shuffleThenAddNoise } from "./common.js";

/** How {@link swissRoll} labels the spiral. */
export type SwissRollLabelling = "arms" | "halves";

/** Options of {@link swissRoll}. */
export interface SwissRollOptions extends GeneratorOptions {
  /** `"arms"` (default): two interleaved arms; `"halves"`: inner vs outer half of one arm. */
  readonly labelling?: SwissRollLabelling;
  /** Shuffle the rows (default true). */
  readonly shuffle?: boolean;
}

const T_LOW = 1.5 * Math.PI;
const T_SPAN = 3 * Math.PI;

/**
 * Binary Swiss roll on the 2-D spiral manifold (000 §7.1, Exp 9). Points lie on the
 * spiral of scikit-learn's `make_swiss_roll` seen along its depth axis, (t cos t, t sin t),
 * with t ~ U[1.5π, 4.5π] (one and a half turns, radius r = t). The seed names the task but
 * not its labelling; two are offered:
 *
 * - `"arms"` (default): class 0 is the arm (t cos t, t sin t), class 1 the same arm turned by π,
 *   (−t cos t, −t sin t): two interleaved spirals, radially π apart.
 * - `"halves"`: one arm; class 0 has t ∈ [1.5π, 3π), class 1 has t ∈ [3π, 4.5π).
 *
 * ⌊n/2⌋ points of class 0, ⌈n/2⌉ of class 1; rows shuffled, then x += N(0, noise²).
 * Defaults: n = 768, noise = 0.5, labelling "arms", seed = 0.
 *
 * @example
 * const { x, y } = swissRoll({ n: 400, noise: 0, seed: 5 }); // |x_i| = t_i ∈ [1.5π, 4.5π]
 */
export function swissRoll(options: SwissRollOptions = {}): ClassificationDataset {
  const { n, noise, seed } = commonOptions("swissRoll", options, { n: 768, noise: 0.5 });
  const labelling = oneOf("swissRoll", "labelling", options.labelling ?? "arms", ["arms", "halves"] as const);
  const random = new RandomGenerator(seed);
  const nFirst = Math.floor(n / 2);
  const x = new Float64Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i < nFirst ? 0 : 1;
    const u = random.float();
    let t: number;
    let sign = 1;
    if (labelling === "arms") {
      t = T_LOW + T_SPAN * u;
      sign = label === 0 ? 1 : -1;
    } else {
      t = T_LOW + (T_SPAN / 2) * (label + u);
    }
    x[2 * i] = sign * t * Math.cos(t);
    x[2 * i + 1] = sign * t * Math.sin(t);
    y[i] = label;
  }
  const shuffle = options.shuffle ?? true;
  const out = shuffleThenAddNoise(x, y, 2, noise, random, shuffle);
  return {
    x: { data: out.x, shape: [n, 2] },
    y: { data: out.y, shape: [n] },
    meta: classificationMeta({
      name: "swissRoll",
      classes: 2,
      featureNames: ["x1", "x2"],
      seed,
      options: { n, noise, seed, labelling, shuffle },
      source: "000 §7.1 (Exp 9–11), 002 §2; spiral of scikit-learn make_swiss_roll, labelling chosen here",
    }),
  };
}
