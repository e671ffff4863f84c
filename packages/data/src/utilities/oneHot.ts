import { ArgumentError } from "../errors.js";
import type { NdArray } from "../types.js";
import { integerAtLeast } from "../validate.js";

/**
 * One-hot encoding: out[i, k] = 1 if labels[i] = k else 0, shape [n, classes].
 * Throws an {@link ArgumentError} for a label outside 0..classes−1.
 *
 * @example
 * oneHot(Int32Array.of(2, 0), 3).data; // [0, 0, 1, 1, 0, 0]
 */
export function oneHot(labels: NdArray<Int32Array> | ArrayLike<number>, classes: number): NdArray<Float64Array> {
  integerAtLeast("oneHot", "classes", classes);
  const values: ArrayLike<number> = "data" in labels && "shape" in labels ? labels.data : labels;
  const n = values.length;
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    const label = values[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ArgumentError(`oneHot: labels[${i}] must be an integer in 0..${classes - 1}, got ${label}`, "labels");
    }
    out[i * classes + label] = 1;
  }
  return { data: out, shape: [n, classes] };
}
