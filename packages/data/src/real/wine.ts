import type { ClassificationDataset } from "../types.js";
import { parseClassificationCsv } from "./parseCsv.js";
import { wineCsv } from "./embedded/wine.js";

/**
 * The UCI wine recognition data (scikit-learn's `load_wine`): 178 samples × 13 chemical
 * measurements, 3 cultivars with 59, 71 and 48 samples. Shipped with the package (see
 * datasets/PROVENANCE.md); fresh arrays on every call. Generator options are accepted and
 * ignored.
 *
 * @example
 * const { x, meta } = wine(); // x: [178, 13], meta.featureNames[0] === "alcohol"
 */
export function wine(_options: object = {}): ClassificationDataset {
  return parseClassificationCsv(wineCsv, {
    name: "wine",
    classNames: ["class_0", "class_1", "class_2"],
    source: "001 §7; scikit-learn load_wine (Forina et al., UCI Wine)",
  });
}
