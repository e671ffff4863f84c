/**
 * The one data convention of `@fcn/data`: plain row-major typed arrays with a shape.
 * Nothing here depends on `@fcn/tensor`; a tensor is made from `{data, shape}` in one call.
 */

/** The typed arrays a data set may hold. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * A dense row-major array: `data[i0 * s0 + i1 * s1 + …]` with C-order strides derived
 * from `shape`. The first axis is always the sample axis.
 */
export interface NdArray<T extends NumericArray = Float64Array> {
  readonly data: T;
  readonly shape: readonly number[];
}

/** What a data set asks of a model. */
export type TaskKind = "regression" | "binary" | "multiclass";

/** Everything a benchmark runner needs to know about a data set besides its numbers. */
export interface DatasetMeta {
  /** Registry name, e.g. `"moons"`. */
  readonly name: string;
  readonly task: TaskKind;
  /** Number of classes; 0 for regression. */
  readonly classes: number;
  /** One name per feature column (the last axis of `x` for tabular data). */
  readonly featureNames: readonly string[];
  /** One name per target column (`["target"]` for a single target). */
  readonly targetNames: readonly string[];
  /** One name per class, for classification. */
  readonly classNames?: readonly string[];
  /** The seed the data were generated from; `null` for shipped real data. */
  readonly seed: number | null;
  /** The resolved options (defaults filled in) the data were generated with. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Where the data set comes from: the seed section and, if any, the scikit-learn function. */
  readonly source: string;
}

/**
 * A data set: inputs `x` (shape `[n, …]`), targets `y` (shape `[n]` or `[n, k]`), metadata.
 * Classification targets are `Int32Array` class indices `0..classes-1`; regression targets
 * are `Float64Array`.
 */
export interface Dataset<
  X extends NumericArray = Float64Array,
  Y extends NumericArray = Float64Array | Int32Array,
> {
  readonly x: NdArray<X>;
  readonly y: NdArray<Y>;
  readonly meta: DatasetMeta;
}

/** A data set with class-index targets. */
export type ClassificationDataset = Dataset<Float64Array, Int32Array>;

/** A data set with real-valued targets. */
export type RegressionDataset = Dataset<Float64Array, Float64Array>;

/** The options every generator takes. */
export interface GeneratorOptions {
  /** Number of samples (a positive integer). */
  readonly n?: number;
  /** Standard deviation of the additive Gaussian noise (≥ 0). */
  readonly noise?: number;
  /** Seed of the random stream (a safe integer); the same seed gives the same bytes. */
  readonly seed?: number;
}
