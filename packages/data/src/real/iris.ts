import type { ClassificationDataset } from "../types.js";
import { irisCsv } from "./embedded/iris.js";
import { parseClassificationCsv } from "./parseCsv.js";

/**
 * Fisher's iris (scikit-learn's `load_iris`): 150 samples × 4 features (sepal and petal
 * length and width in cm), 3 classes of 50 (setosa, versicolor, virginica), in
 * scikit-learn's row order. Shipped with the package (see datasets/PROVENANCE.md); fresh
 * arrays on every call. Generator options are accepted and ignored.
 *
 * @example
 * const { x, y } = iris(); // x: [150, 4], y ∈ {0, 1, 2}
 */
export function iris(_options: object = {}): ClassificationDataset {
  return parseClassificationCsv(irisCsv, {
    name: "iris",
    classNames: ["setosa", "versicolor", "virginica"],
    source: "001 §7; scikit-learn load_iris (Fisher 1936)",
  });
}
