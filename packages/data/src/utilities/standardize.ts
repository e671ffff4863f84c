import { ShapeError, formatShape } from "../errors.js";
import { rowSize, rowsOf } from "../ndarray.js";
import type { Dataset, NdArray, NumericArray } from "../types.js";

/**
 * Per-feature affine scaling z = (x − mean)/std, fitted once (on training data) and applied
 * to any array with the same row shape. Features are the elements of a row (for [n, d]
 * data, the d columns). std is the population standard deviation (ddof = 0, like
 * scikit-learn's StandardScaler); a constant feature gets std = 1.
 */
export class Standardizer {
  constructor(
    /** Mean of each feature on the fitted data. */
    readonly mean: Float64Array,
    /** Standard deviation of each feature on the fitted data (1 where it was 0). */
    readonly std: Float64Array,
  ) {}

  /** z = (x − mean)/std, as a new Float64Array. */
  transform(x: NdArray<NumericArray>): NdArray<Float64Array> {
    const width = this.check(x);
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = (x.data[i] - this.mean[i % width]) / this.std[i % width];
    return { data: out, shape: [...x.shape] };
  }

  /** x = z·std + mean, the inverse of {@link Standardizer.transform}. */
  inverseTransform(z: NdArray<NumericArray>): NdArray<Float64Array> {
    const width = this.check(z);
    const out = new Float64Array(z.data.length);
    for (let i = 0; i < out.length; i++) out[i] = z.data[i] * this.std[i % width] + this.mean[i % width];
    return { data: out, shape: [...z.shape] };
  }

  private check(x: NdArray<NumericArray>): number {
    const width = rowSize(x);
    if (width !== this.mean.length) {
      throw new ShapeError(`Standardizer: fitted on ${this.mean.length} features per row, got shape ${formatShape(x.shape)}`);
    }
    return width;
  }
}

/**
 * Fits a {@link Standardizer} on `x`: meanⱼ = (1/n) Σᵢ xᵢⱼ, stdⱼ = √((1/n) Σᵢ (xᵢⱼ − meanⱼ)²).
 *
 * @example
 * const scaler = fitStandardizer(train.x);
 * const validationX = scaler.transform(validation.x); // uses the training statistics
 */
export function fitStandardizer(x: NdArray<NumericArray>): Standardizer {
  const n = rowsOf(x);
  const width = rowSize(x);
  if (n < 1) throw new ShapeError(`fitStandardizer: needs at least one row, got shape ${formatShape(x.shape)}`);
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) mean[j] += x.data[i * width + j];
  for (let j = 0; j < width; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) std[j] += (x.data[i * width + j] - mean[j]) ** 2;
  for (let j = 0; j < width; j++) {
    std[j] = Math.sqrt(std[j] / n);
    if (!(std[j] > 0)) std[j] = 1;
  }
  return new Standardizer(mean, std);
}

/** Splits to standardize: `train` plus any of `validation`, `test`. */
export interface SplitsToStandardize<D extends Dataset<NumericArray, NumericArray>> {
  readonly train: D;
  readonly validation?: D;
  readonly test?: D;
}

/** Standardized splits, with the scalers fitted on the training split. */
export interface StandardizedSplits<Y extends NumericArray> {
  readonly train: Dataset<Float64Array, Y | Float64Array>;
  readonly validation?: Dataset<Float64Array, Y | Float64Array>;
  readonly test?: Dataset<Float64Array, Y | Float64Array>;
  /** Fitted on `train.x`. */
  readonly standardizer: Standardizer;
  /** Fitted on `train.y` when `targets` was set (regression only). */
  readonly targetStandardizer?: Standardizer;
}

/**
 * Standardizes the inputs of every split with the mean and std of the **training split
 * only**, so no statistic leaks from validation or test data: z = (x − mean_train)/std_train.
 * With `{ targets: true }` regression targets are standardized the same way.
 *
 * @example
 * const { train, validation } = standardize(trainValSplit(friedman1({ seed: 1 }), { seed: 1 }), { targets: true });
 */
export function standardize<X extends NumericArray, Y extends NumericArray>(
  splits: SplitsToStandardize<Dataset<X, Y>>,
  options: { targets?: boolean } = {},
): StandardizedSplits<Y> {
  const standardizer = fitStandardizer(splits.train.x);
  const scaleTargets = options.targets === true && splits.train.meta.task === "regression";
  const targetStandardizer = scaleTargets ? fitStandardizer(splits.train.y) : undefined;
  const apply = (data: Dataset<X, Y> | undefined) =>
    data && {
      x: standardizer.transform(data.x),
      y: targetStandardizer ? targetStandardizer.transform(data.y) : data.y,
      meta: data.meta,
    };
  return {
    train: apply(splits.train)!,
    ...(splits.validation ? { validation: apply(splits.validation) } : {}),
    ...(splits.test ? { test: apply(splits.test) } : {}),
    standardizer,
    ...(targetStandardizer ? { targetStandardizer } : {}),
  };
}
