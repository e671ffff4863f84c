import type { ClassificationDataset } from "../types.js";
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
