import type { GeneratorOptions } from "../types.js";
import { commonOptions, inRange } from "../validate.js";
import { makeClassification, type MakeClassificationDataset, type MakeClassificationOptions } from "./makeClassification.js";

/** Options of the named make_classification sets: `noise` is the label-flip fraction `flipY`. */
export type NamedClassificationOptions = GeneratorOptions & Omit<MakeClassificationOptions, "n" | "seed">;

function named(
  name: string,
  source: string,
  defaults: MakeClassificationOptions,
  options: NamedClassificationOptions,
): MakeClassificationDataset {
  const { n, seed } = commonOptions(name, options, { n: 768, noise: 0 });
  const flipY = inRange(name, "noise", options.noise ?? options.flipY ?? defaults.flipY ?? 0.01, 0, 1);
  const data = makeClassification({ ...defaults, ...options, n, seed, flipY });
  return { ...data, meta: { ...data.meta, name, source } };
}

/**
 * `classification_20d` (001 §6): scikit-learn's `make_classification` with its defaults —
 * 20 features of which 2 informative, 2 redundant, 0 repeated, 16 useless; 2 classes of
 * 2 clusters each on the hypercube vertices; class separation 1; `noise` = flipY = 0.01.
 * Defaults: n = 768, seed = 0. Every make_classification option can be overridden.
 *
 * @example
 * const { x, y } = classification20d({ n: 768, seed: 101 }); // x: [768, 20]
 */
export function classification20d(options: NamedClassificationOptions = {}): MakeClassificationDataset {
  return named(
    "classification20d",
    "001 §6 (classification_20d); scikit-learn make_classification defaults",
    { features: 20, informative: 2, redundant: 2, repeated: 0, classes: 2, clustersPerClass: 2, flipY: 0.01 },
    options,
  );
}

const MULTICLASS_DEFAULTS: MakeClassificationOptions = {
  features: 10,
  informative: 5,
  redundant: 2,
  repeated: 0,
  clustersPerClass: 1,
  classSeparation: 1,
  flipY: 0.01,
};

/**
 * `synthetic_3class` (001 §7): make_classification-style, 10 features (5 informative,
 * 2 redundant, 3 useless), 3 classes of one cluster each, class separation 1,
 * `noise` = flipY = 0.01. Defaults: n = 768, seed = 0.
 *
 * @example
 * const { y } = synthetic3class({ seed: 1 }); // labels 0..2
 */
export function synthetic3class(options: NamedClassificationOptions = {}): MakeClassificationDataset {
  return named("synthetic3class", "001 §7 (synthetic_3class); scikit-learn make_classification", { ...MULTICLASS_DEFAULTS, classes: 3 }, options);
}

/**
 * `synthetic_5class` (001 §7): as {@link synthetic3class} with 5 classes.
 *
 * @example
 * const { y } = synthetic5class({ seed: 1 }); // labels 0..4
 */
export function synthetic5class(options: NamedClassificationOptions = {}): MakeClassificationDataset {
  return named("synthetic5class", "001 §7 (synthetic_5class); scikit-learn make_classification", { ...MULTICLASS_DEFAULTS, classes: 5 }, options);
}
