import { assertSameRows, rowsOf } from "../ndarray.js";
import { RandomGenerator } from "../random.js";
import type { Dataset, NumericArray } from "../types.js";
import { integerAtLeast, invalid, seedValue } from "../validate.js";
import { allocateIndices } from "./allocate.js";
import { selectRows } from "./select.js";
import { stratificationLabels, type TrainValSplit } from "./split.js";

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Number of folds k ≥ 2 (default 5). */
  readonly folds?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Keep class proportions in every fold (default: true for classification). */
  readonly stratify?: boolean;
}

/**
 * Seeded k-fold cross-validation: the rows are shuffled and cut into k folds of ⌊n/k⌋ or
 * ⌊n/k⌋ + 1 rows (the first n mod k folds are larger); fold j is the validation set of split
 * j and the other folds its training set. Every row is validated exactly once.
 *
 * @example
 * for (const { train, validation } of kFold(wine(), { folds: 5, seed: 3 })) { ... }
 */
export function kFold<X extends NumericArray, Y extends NumericArray>(
  data: Dataset<X, Y>,
  options: KFoldOptions = {},
): TrainValSplit<X, Y>[] {
  const fn = "kFold";
  assertSameRows(fn, data.x, data.y);
  const n = rowsOf(data.x);
  const folds = integerAtLeast(fn, "folds", options.folds ?? 5, 2);
  if (folds > n) invalid(fn, "folds", `at most the number of rows (${n})`, folds);
  const sizes = Array.from({ length: folds }, (_, j) => Math.floor(n / folds) + (j < n % folds ? 1 : 0));
  const random = new RandomGenerator(seedValue(fn, options.seed ?? 0));
  const buckets = allocateIndices(n, sizes, random, stratificationLabels(fn, data, options.stratify));
  return buckets.map((validationIndices, j) => {
    const trainIndices = new Int32Array(n - validationIndices.length);
    let offset = 0;
    buckets.forEach((bucket, other) => {
      if (other === j) return;
      trainIndices.set(bucket, offset);
      offset += bucket.length;
    });
    return {
      train: selectRows(data, trainIndices),
      validation: selectRows(data, validationIndices),
      trainIndices,
      validationIndices,
    };
  });
}
