import { RandomGenerator } from "../random.js";
import type { Dataset, GeneratorOptions, NdArray } from "../types.js";
import { commonOptions, inRange, integerAtLeast, invalid } from "../validate.js";

/** Options of {@link hierarchicalParity}. */
export interface HierarchicalParityOptions extends GeneratorOptions {
  /** Branching factor m: each block holds m blocks of the next finer scale (default 4). */
  readonly branching?: number;
  /** Number of scales k; sequences have N = m^k positions (default 3, N = 64). */
  readonly depth?: number;
}

/** A hierarchical-parity data set with its per-scale labels. */
export interface HierarchicalParityDataset extends Dataset<Float64Array, Int32Array> {
  /** The queried position of each sequence, shape [n]. */
  readonly query: Int32Array;
  /**
   * Block labels per scale, coarsest first: scale s (block size m^(k−1−s)) has shape
   * [n, m^(s+1)]; the last scale is the bits themselves.
   */
  readonly scaleLabels: readonly NdArray<Int32Array>[];
}

/**
 * Hierarchical parity (000 §5.1, Exp 6–7). Each sample is a sequence of N = m^k random bits
 * bᵢ ∈ {0, 1}. Scales nest: a fine block is one bit; a block of size m^j is made of m blocks
 * of size m^(j−1), and its label is the parity (XOR) of their labels — so the label of a
 * block is the XOR of all its bits. With m = 4, k = 3: coarse blocks of 16, mid of 4, fine of 1.
 * A query position q ~ U{0…N−1} is drawn per sequence; the target is the coarse-scale label
 * (block size m^(k−1)) of the block containing q. A fraction `noise` of targets is flipped
 * (default 0).
 *
 * x has shape [n, N, 2]: channel 0 is the bit, channel 1 marks the query (1 at q, else 0).
 * Defaults: n = 768, branching 4, depth 3, noise 0, seed 0.
 *
 * @example
 * const { x, y, query } = hierarchicalParity({ n: 100, seed: 1 }); // x: [100, 64, 2]
 */
export function hierarchicalParity(options: HierarchicalParityOptions = {}): HierarchicalParityDataset {
  const fn = "hierarchicalParity";
  const { n, noise, seed } = commonOptions(fn, options, { n: 768, noise: 0 });
  inRange(fn, "noise", noise, 0, 1);
  const m = integerAtLeast(fn, "branching", options.branching ?? 4, 2);
  const k = integerAtLeast(fn, "depth", options.depth ?? 3);
  const length = m ** k;
  if (length > 1 << 20) invalid(fn, "depth", `such that branching^depth ≤ 2^20`, k);
  const random = new RandomGenerator(seed);
  const x = new Float64Array(n * length * 2);
  const y = new Int32Array(n);
  const query = new Int32Array(n);
  const scaleLabels = Array.from({ length: k }, (_, s) => new Int32Array(n * m ** (s + 1)));
  const bits = new Int32Array(length);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < length; p++) {
      bits[p] = random.integer(2);
      x[(i * length + p) * 2] = bits[p];
    }
    query[i] = random.integer(length);
    x[(i * length + query[i]) * 2 + 1] = 1;
    // finest scale: the bits; each coarser scale: XOR of m children
    scaleLabels[k - 1].set(bits, i * length);
    for (let s = k - 2; s >= 0; s--) {
      const blocks = m ** (s + 1);
      const child = scaleLabels[s + 1];
      for (let b = 0; b < blocks; b++) {
        let parity = 0;
        for (let c = 0; c < m; c++) parity ^= child[i * blocks * m + b * m + c];
        scaleLabels[s][i * blocks + b] = parity;
      }
    }
    const coarseBlock = Math.floor(query[i] / m ** (k - 1));
    y[i] = scaleLabels[0][i * m + coarseBlock];
  }
  for (let i = 0; i < n; i++) if (random.float() < noise) y[i] ^= 1;
  return {
    x: { data: x, shape: [n, length, 2] },
    y: { data: y, shape: [n] },
    query,
    scaleLabels: scaleLabels.map((data, s) => ({ data, shape: [n, m ** (s + 1)] })),
    meta: {
      name: "hierarchicalParity",
      task: "binary",
      classes: 2,
      featureNames: ["bit", "query"],
      targetNames: ["coarse parity at query"],
      classNames: ["even", "odd"],
      seed,
      options: { n, noise, seed, branching: m, depth: k, length },
      source: "000 §5.1 (Exp 6), §5.2 (Exp 7); definition of the parity labels chosen here",
    },
  };
}
