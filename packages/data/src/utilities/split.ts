import { ArgumentError } from "../errors.js";
import { assertSameRows, rowsOf } from "../ndarray.js";
import { RandomGenerator } from "../random.js";
import type { Dataset, NumericArray } from "../types.js";
import { invalid, seedValue } from "../validate.js";
import { allocateIndices } from "./allocate.js";
import { selectRows } from "./select.js";

/** Options of {@link trainValSplit}. */
export interface TrainValSplitOptions {
  /** Validation size: a fraction in (0, 1) (⌈fraction·n⌉ rows) or a row count (default 0.25). */
  readonly validationSize?: number;
  /** Training size: a fraction or a count (default: every row not in another split). */
  readonly trainSize?: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Keep class proportions in every split (default: true for classification, false for regression). */
  readonly stratify?: boolean;
}

/** Options of {@link trainValTestSplit}. */
export interface TrainValTestSplitOptions extends TrainValSplitOptions {
  /** Test size: a fraction in (0, 1) or a row count (default 0.2). */
  readonly testSize?: number;
}

/** A data set split in two, with the row indices of each part. */
export interface TrainValSplit<X extends NumericArray, Y extends NumericArray> {
  readonly train: Dataset<X, Y>;
  readonly validation: Dataset<X, Y>;
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array;
}

/** A data set split in three, with the row indices of each part. */
export interface TrainValTestSplit<X extends NumericArray, Y extends NumericArray> extends TrainValSplit<X, Y> {
  readonly test: Dataset<X, Y>;
  readonly testIndices: Int32Array;
}

function resolveSize(fn: string, argument: string, value: number, n: number, round: (v: number) => number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    invalid(fn, argument, "a fraction in (0, 1) or a positive row count", value);
  }
  if (value < 1) return round(value * n);
  if (!Number.isInteger(value)) invalid(fn, argument, "a fraction in (0, 1) or a positive row count", value);
  return value;
}

/** Class labels to stratify on, or undefined. */
export function stratificationLabels(
  fn: string,
  data: Dataset<NumericArray, NumericArray>,
  stratify: boolean | undefined,
): Int32Array | undefined {
  const classification = data.meta.task !== "regression";
  const use = stratify ?? classification;
  if (!use) return undefined;
  if (!(data.y.data instanceof Int32Array) || data.y.shape.length !== 1) {
    throw new ArgumentError(`${fn}: stratify needs class labels (Int32Array of shape [n]), got a ${data.meta.task} target`, "stratify");
  }
  return data.y.data;
}

function split<X extends NumericArray, Y extends NumericArray>(
  fn: string,
  data: Dataset<X, Y>,
  options: TrainValTestSplitOptions,
  withTest: boolean,
): Dataset<X, Y>[] & { indices?: Int32Array[] } {
  assertSameRows(fn, data.x, data.y);
  const n = rowsOf(data.x);
  const validation = resolveSize(fn, "validationSize", options.validationSize ?? 0.25, n, Math.ceil);
  const test = withTest ? resolveSize(fn, "testSize", options.testSize ?? 0.2, n, Math.ceil) : 0;
  const train =
    options.trainSize === undefined ? n - validation - test : resolveSize(fn, "trainSize", options.trainSize, n, Math.floor);
  if (train < 1 || train + validation + test > n) {
    invalid(fn, "trainSize", `≥ 1 with train + validation + test ≤ n = ${n} (validation ${validation}, test ${test})`, train);
  }
  const random = new RandomGenerator(seedValue(fn, options.seed ?? 0));
  const labels = stratificationLabels(fn, data, options.stratify);
  const sizes = withTest ? [train, validation, test] : [train, validation];
  const buckets = allocateIndices(n, sizes, random, labels);
  return Object.assign(
    buckets.map((indices) => selectRows(data, indices)),
    { indices: buckets },
  );
}

/**
 * Seeded train/validation split, stratified by class for classification. 002's protocol is
 * `trainValSplit(data, { trainSize: 512, validationSize: 256 })` on n = 768 samples.
 * Stratified: every class's count in every split is within 1 of nₖ·size/n.
 *
 * @example
 * const { train, validation } = trainValSplit(moons({ n: 768, seed: 1 }), { trainSize: 512, validationSize: 256, seed: 1 });
 */
export function trainValSplit<X extends NumericArray, Y extends NumericArray>(
  data: Dataset<X, Y>,
  options: TrainValSplitOptions = {},
): TrainValSplit<X, Y> {
  const parts = split("trainValSplit", data, options, false);
  const [trainIndices, validationIndices] = parts.indices!;
  return { train: parts[0], validation: parts[1], trainIndices, validationIndices };
}

/**
 * Seeded train/validation/test split, stratified by class for classification (defaults:
 * validation 25 %, test 20 %, train the rest).
 *
 * @example
 * const { train, validation, test } = trainValTestSplit(iris(), { validationSize: 30, testSize: 30, seed: 7 });
 */
export function trainValTestSplit<X extends NumericArray, Y extends NumericArray>(
  data: Dataset<X, Y>,
  options: TrainValTestSplitOptions = {},
): TrainValTestSplit<X, Y> {
  const parts = split("trainValTestSplit", data, options, true);
  const [trainIndices, validationIndices, testIndices] = parts.indices!;
  return { train: parts[0], validation: parts[1], test: parts[2], trainIndices, validationIndices, testIndices };
}
