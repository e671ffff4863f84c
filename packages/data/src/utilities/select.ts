import { takeRows } from "../ndarray.js";
import type { Dataset, NumericArray } from "../types.js";

/**
 * The samples `indices` of a data set, in that order, as a new data set with the same
 * metadata (and `meta.options.rows` = number of rows taken).
 *
 * @example
 * const firstTen = selectRows(moons({ n: 100 }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export function selectRows<X extends NumericArray, Y extends NumericArray>(
  data: Dataset<X, Y>,
  indices: ArrayLike<number>,
): Dataset<X, Y> {
  return { x: takeRows(data.x, indices), y: takeRows(data.y, indices), meta: data.meta };
}
