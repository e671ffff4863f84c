import type { ClassificationDataset, Dataset } from "../types.js";
import { digitsCsv } from "./embedded/digits.js";
import { parseClassificationCsv } from "./parseCsv.js";

/**
 * Handwritten digits (scikit-learn's `load_digits`, the UCI optdigits test set): 1797
 * samples × 64 features — an 8×8 image, row-major, integer intensities 0..16 — and 10
 * classes (digits 0–9). Shipped with the package (see datasets/PROVENANCE.md); fresh arrays
 * on every call. Generator options are accepted and ignored.
 *
 * @example
 * const { x, y } = digits(); // x: [1797, 64], y ∈ 0..9
 */
export function digits(_options: object = {}): ClassificationDataset {
  return parseClassificationCsv(digitsCsv, {
    name: "digits",
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
    source: "001 §7; scikit-learn load_digits (UCI optdigits test set)",
  });
}

/**
 * The same digits as images for a CNN: x is Float32Array [1797, 1, 8, 8] (NCHW, one grey
 * channel), intensities divided by 16 so pixels lie in [0, 1]; y and the row order are
 * {@link digits}'s. Fresh arrays on every call.
 *
 * @example
 * const { x, y } = digitsImages(); // x: [1797, 1, 8, 8], y ∈ 0..9
 */
export function digitsImages(): Dataset<Float32Array, Int32Array> {
  const table = digits();
  const n = table.x.shape[0];
  return {
    x: { data: Float32Array.from(table.x.data, (v) => v / 16), shape: [n, 1, 8, 8] },
    y: table.y,
    meta: { ...table.meta, featureNames: ["grey"] },
  };
}
