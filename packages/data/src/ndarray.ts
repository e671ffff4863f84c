/** Small helpers over {@link NdArray}: construction, row selection, validation. */
import { ShapeError, formatShape } from "./errors.js";
import type { NdArray, NumericArray } from "./types.js";

/** Number of elements a shape holds: the product of its dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Wraps `data` with `shape`, checking that the sizes agree. */
export function ndarray<T extends NumericArray>(data: T, shape: readonly number[]): NdArray<T> {
  if (sizeOf(shape) !== data.length) {
    throw new ShapeError(`ndarray: shape ${formatShape(shape)} holds ${sizeOf(shape)} elements, data has ${data.length}`);
  }
  return { data, shape: [...shape] };
}

/** Number of samples (the first dimension) of an array. */
export function rowsOf(array: NdArray<NumericArray>): number {
  return array.shape[0] ?? 0;
}

/** Elements per sample: the product of all dimensions after the first. */
export function rowSize(array: NdArray<NumericArray>): number {
  return sizeOf(array.shape.slice(1));
}

/**
 * The rows `indices` of `array`, in that order, as a new array of the same dtype.
 *
 * @example
 * takeRows({ data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] }, [1]); // data [3, 4], shape [1, 2]
 */
export function takeRows<T extends NumericArray>(array: NdArray<T>, indices: ArrayLike<number>): NdArray<T> {
  const width = rowSize(array);
  const rows = rowsOf(array);
  const Constructor = array.data.constructor as new (length: number) => T;
  const out = new Constructor(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!(row >= 0 && row < rows)) throw new ShapeError(`takeRows: row ${row} is outside [0, ${rows})`);
    out.set(array.data.subarray(row * width, (row + 1) * width), i * width);
  }
  return { data: out, shape: [indices.length, ...array.shape.slice(1)] };
}

/** Throws a {@link ShapeError} unless `x` and `y` have the same number of rows. */
export function assertSameRows(fn: string, x: NdArray<NumericArray>, y: NdArray<NumericArray>): void {
  if (rowsOf(x) !== rowsOf(y)) {
    throw new ShapeError(`${fn}: x has shape ${formatShape(x.shape)} but y has shape ${formatShape(y.shape)}; their first dimensions must agree`);
  }
}

/** `count` evenly spaced values from `start` to `stop` (NumPy's `linspace`). */
export function linspace(start: number, stop: number, count: number, endpoint = true): Float64Array {
  const out = new Float64Array(count);
  const divisions = endpoint ? count - 1 : count;
  const step = divisions > 0 ? (stop - start) / divisions : 0;
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  if (endpoint && count > 1) out[count - 1] = stop;
  return out;
}
