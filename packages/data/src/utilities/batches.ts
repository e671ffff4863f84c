import { assertSameRows, rowsOf, takeRows } from "../ndarray.js";
import { RandomGenerator } from "../random.js";
import type { NdArray, NumericArray } from "../types.js";
import { integerAtLeast, seedValue } from "../validate.js";

/** Options of {@link batches}. */
export interface BatchesOptions {
  /** Visit the rows in a seeded random order (default false: in order). */
  readonly shuffle?: boolean;
  /** Seed of the order; pass a different seed per epoch, e.g. `deriveSeed(seed, epoch)` (default 0). */
  readonly seed?: number;
  /** Skip a last batch smaller than `size` (default false). */
  readonly dropLast?: boolean;
}

/** One mini-batch: the rows `indices` of x and y. */
export interface Batch<X extends NumericArray, Y extends NumericArray> {
  readonly x: NdArray<X>;
  readonly y: NdArray<Y>;
  readonly indices: Int32Array;
}

/**
 * Iterates over mini-batches of `size` rows of (x, y): in order, or — with `shuffle` — in
 * the order of one seeded Fisher–Yates permutation. Every row appears exactly once per
 * pass (the last batch may be smaller unless `dropLast`).
 *
 * @example
 * for (const batch of batches(train.x, train.y, 32, { shuffle: true, seed: deriveSeed(1, epoch) })) {
 *   // batch.x: [≤32, d], batch.y: [≤32]
 * }
 */
export function* batches<X extends NumericArray, Y extends NumericArray>(
  x: NdArray<X>,
  y: NdArray<Y>,
  size: number,
  options: BatchesOptions = {},
): Generator<Batch<X, Y>> {
  assertSameRows("batches", x, y);
  integerAtLeast("batches", "size", size);
  const n = rowsOf(x);
  const seed = seedValue("batches", options.seed ?? 0);
  const order = options.shuffle ? new RandomGenerator(seed).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  for (let start = 0; start < n; start += size) {
    const indices = order.slice(start, Math.min(start + size, n));
    if (options.dropLast && indices.length < size) return;
    yield { x: takeRows(x, indices), y: takeRows(y, indices), indices };
  }
}
