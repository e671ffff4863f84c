/**
 * Data sets by name, for benchmark runners: `dataset("moons", { n, noise, seed })`.
 * Names are camelCase; 001's snake_case names (`swiss_roll`, `classification_20d`, …) are
 * accepted as aliases.
 */
import { ArgumentError } from "./errors.js";
import { blobs } from "./generators/blobs.js";
import { circles } from "./generators/circles.js";
import { friedman1 } from "./generators/friedman1.js";
import { gaussianQuantiles } from "./generators/gaussianQuantiles.js";
import { moons } from "./generators/moons.js";
import { multiscaleFourierRegression } from "./generators/multiscaleFourier.js";
import { sCurveBinary } from "./generators/sCurve.js";
import { sine } from "./generators/sine.js";
import { swissRoll } from "./generators/swissRoll.js";
import { classification20d, synthetic3class, synthetic5class } from "./generators/syntheticClassification.js";
import { syntheticImages } from "./images/syntheticImages.js";
import { digits } from "./real/digits.js";
import { iris } from "./real/iris.js";
import { wine } from "./real/wine.js";
import { delayedInput } from "./tasks/delayedInput.js";
import { hierarchicalParity } from "./tasks/hierarchicalParity.js";
import { multiscaleSignal } from "./tasks/multiscaleSignal.js";
import { multiscaleTarget } from "./tasks/multiscaleTarget.js";
import type { Dataset, NumericArray, TaskKind } from "./types.js";

/** What the registry knows about a data set without generating it. */
export interface DatasetInfo {
  readonly name: string;
  readonly task: TaskKind;
  /** Classes (0 for regression); for `gaussianQuantiles` and `syntheticImages` the default. */
  readonly classes: number;
  /** Where the seeds use it. */
  readonly seedSection: string;
  /** The scikit-learn function it follows, if any. */
  readonly sklearn: string | null;
  /** 001's snake_case name, if the frontier sweep uses it. */
  readonly alias: string | null;
}

/** Options every registry generator accepts; each accepts its own extra options too. */
export type DatasetOptions = { n?: number; noise?: number; seed?: number } & Record<string, unknown>;

type Builder = (options: DatasetOptions) => Dataset<NumericArray, NumericArray>;

const entries: readonly (DatasetInfo & { build: Builder })[] = [
  { name: "friedman1", task: "regression", classes: 0, seedSection: "001 §5", sklearn: "make_friedman1", alias: null, build: friedman1 },
  { name: "sine", task: "regression", classes: 0, seedSection: "000 §7.1, 001 §5, 002 §2", sklearn: null, alias: null, build: sine },
  { name: "multiscaleFourierRegression", task: "regression", classes: 0, seedSection: "001 §5", sklearn: null, alias: "multiscale_fourier_regression", build: multiscaleFourierRegression },
  { name: "swissRoll", task: "binary", classes: 2, seedSection: "000 §7.1, 001 §6, 002 §2", sklearn: "make_swiss_roll (spiral)", alias: "swiss_roll", build: swissRoll },
  { name: "circles", task: "binary", classes: 2, seedSection: "000 §7.1, 001 §6, 002 §2", sklearn: "make_circles", alias: null, build: circles },
  { name: "moons", task: "binary", classes: 2, seedSection: "000 §7.1, 001 §6, 002 §2", sklearn: "make_moons", alias: null, build: moons },
  { name: "sCurveBinary", task: "binary", classes: 2, seedSection: "001 §6", sklearn: "make_s_curve", alias: "s_curve_binary", build: sCurveBinary },
  { name: "gaussianQuantiles", task: "binary", classes: 2, seedSection: "001 §6", sklearn: "make_gaussian_quantiles", alias: "gaussian_quantiles", build: gaussianQuantiles },
  { name: "classification20d", task: "binary", classes: 2, seedSection: "001 §6", sklearn: "make_classification", alias: "classification_20d", build: classification20d },
  { name: "iris", task: "multiclass", classes: 3, seedSection: "001 §7", sklearn: "load_iris", alias: null, build: iris },
  { name: "wine", task: "multiclass", classes: 3, seedSection: "001 §7", sklearn: "load_wine", alias: null, build: wine },
  { name: "digits", task: "multiclass", classes: 10, seedSection: "001 §7", sklearn: "load_digits", alias: null, build: digits },
  { name: "synthetic3class", task: "multiclass", classes: 3, seedSection: "001 §7", sklearn: "make_classification", alias: "synthetic_3class", build: synthetic3class },
  { name: "synthetic5class", task: "multiclass", classes: 5, seedSection: "001 §7", sklearn: "make_classification", alias: "synthetic_5class", build: synthetic5class },
  { name: "blobs", task: "multiclass", classes: 3, seedSection: "—", sklearn: "make_blobs", alias: null, build: blobs },
  { name: "hierarchicalParity", task: "binary", classes: 2, seedSection: "000 §5.1–5.2 (Exp 6–7)", sklearn: null, alias: null, build: hierarchicalParity },
  { name: "multiscaleSignal", task: "regression", classes: 0, seedSection: "000 §4.4 (Exp 4)", sklearn: null, alias: null, build: multiscaleSignal },
  { name: "delayedInput", task: "regression", classes: 0, seedSection: "000 §4.5 B (Exp 5)", sklearn: null, alias: null, build: delayedInput },
  { name: "multiscaleTarget", task: "regression", classes: 0, seedSection: "000 §4.5 C (Exp 5)", sklearn: null, alias: null, build: multiscaleTarget },
  { name: "syntheticImages", task: "multiclass", classes: 10, seedSection: "003/004 (CIFAR-10 stand-in)", sklearn: null, alias: null, build: syntheticImages as Builder },
];

/** The 14 data sets of 001's frontier sweep, in its order (regression, binary, multiclass). */
export const frontierDatasets: readonly string[] = [
  "friedman1", "sine", "multiscaleFourierRegression",
  "swissRoll", "circles", "moons", "sCurveBinary", "gaussianQuantiles", "classification20d",
  "iris", "wine", "digits", "synthetic3class", "synthetic5class",
];

/** The four benchmarks of 000 Exp 9–11 and 002. */
export const benchmarkDatasets: readonly string[] = ["swissRoll", "circles", "moons", "sine"];

function find(name: string) {
  const entry = entries.find((e) => e.name === name || e.alias === name);
  if (!entry) {
    throw new ArgumentError(
      `dataset: name must be one of ${entries.map((e) => e.name).join(", ")} (or a snake_case alias), got ${JSON.stringify(name)}`,
      "name",
    );
  }
  return entry;
}

/** Every registered name, in table order. */
export function datasetNames(): string[] {
  return entries.map((e) => e.name);
}

/**
 * Facts about a data set (task, classes, seed section, scikit-learn counterpart) without
 * generating it. Unknown names throw an {@link ArgumentError} listing the valid ones.
 *
 * @example
 * datasetInfo("swiss_roll").name; // "swissRoll"
 */
export function datasetInfo(name: string): DatasetInfo {
  const { build: _build, ...info } = find(name);
  return info;
}

/**
 * Generates (or loads) a data set by name with `{n, noise, seed, …}`; the same call always
 * returns the same bytes. Real data sets (iris, wine, digits) ignore the options.
 *
 * @example
 * const data = dataset("moons", { n: 768, noise: 0.2, seed: 101 });
 * data.x.shape; // [768, 2]
 */
export function dataset(name: string, options: DatasetOptions = {}): Dataset<NumericArray, NumericArray> {
  return find(name).build(options);
}
