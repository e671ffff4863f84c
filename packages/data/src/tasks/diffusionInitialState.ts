import { RandomGenerator } from "../random.js";
import type { NdArray } from "../types.js";
import { integerAtLeast, oneOf, positive, seedValue, invalid } from "../validate.js";

/** Options of {@link diffusionInitialState}. */
export interface DiffusionInitialStateOptions {
  /** Number of graph nodes (default 128, Exp 3). */
  readonly nodes?: number;
  /** `"impulse"` (default): unit mass on one node; `"localized"`: a Gaussian bump of unit mass. */
  readonly kind?: "impulse" | "localized";
  /** Node holding the mass (default 0, or a random node when only `seed` is given). */
  readonly center?: number;
  /** Width σ of the localized bump, in node indices (default 2). */
  readonly width?: number;
  /** Seed choosing a random centre when `center` is not given. */
  readonly seed?: number;
}

/**
 * Initial condition of heat diffusion (000 §4.3, Exp 3, eq. 15): a state h⁽⁰⁾ ∈ ℝ^nodes of
 * unit total mass. `"impulse"`: h⁽⁰⁾ = e_center (the seed's delta function). `"localized"`:
 * hᵢ⁽⁰⁾ ∝ exp(−(i − center)²/(2 width²)) over node indices, normalized to Σ hᵢ = 1 — in a
 * Kronecker graph's node order, nearby indices share their coarse blocks.
 *
 * @example
 * const { data } = diffusionInitialState({ nodes: 128 }); // data[0] === 1, all else 0
 */
export function diffusionInitialState(options: DiffusionInitialStateOptions = {}): NdArray<Float64Array> {
  const fn = "diffusionInitialState";
  const nodes = integerAtLeast(fn, "nodes", options.nodes ?? 128);
  const kind = oneOf(fn, "kind", options.kind ?? "impulse", ["impulse", "localized"] as const);
  let center = 0;
  if (options.center !== undefined) {
    center = integerAtLeast(fn, "center", options.center, 0);
    if (center >= nodes) invalid(fn, "center", `a node index below nodes (${nodes})`, center);
  } else if (options.seed !== undefined) {
    center = new RandomGenerator(seedValue(fn, options.seed)).integer(nodes);
  }
  const state = new Float64Array(nodes);
  if (kind === "impulse") {
    state[center] = 1;
  } else {
    const width = positive(fn, "width", options.width ?? 2);
    let total = 0;
    for (let i = 0; i < nodes; i++) {
      state[i] = Math.exp(-((i - center) ** 2) / (2 * width * width));
      total += state[i];
    }
    for (let i = 0; i < nodes; i++) state[i] /= total;
  }
  return { data: state, shape: [nodes] };
}
