import fc from "fast-check";
import { expect } from "vitest";
import { Generator, type Tensor, tensor } from "../src/index.js";

/**
 * fast-check settings for every property in this suite: a fixed seed (printed by fast-check
 * on failure, so a failure replays) and a run count. `FCN_PROPERTY_RUNS=N` raises every
 * property to at least N runs for a deeper search; the defaults keep the suite fast.
 */
export const PROPERTY_SEED = 20240611;
const deep = Number(process.env.FCN_PROPERTY_RUNS ?? "");
export function propertyOptions(numRuns: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  return { numRuns: Number.isFinite(deep) && deep > 0 ? Math.max(numRuns, deep) : numRuns, seed: PROPERTY_SEED, endOnFailure: true };
}

/** Runs a fast-check property with the suite's seed and run count. */
export function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, numRuns = 25): void {
  fc.assert(
    fc.property(arbitrary, (v) => {
      predicate(v);
    }),
    propertyOptions(numRuns),
  );
}

export const sizeOfShape = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

/** Multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat position of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let d = 0; d < shape.length; d++) p = p * shape[d] + idx[d];
  return p;
}

/** A float64 tensor of `shape` with uniform values in [low, high) from a seeded generator. */
export function randomTensor(shape: readonly number[], seed: number, low = -2, high = 2): Tensor {
  const gen = new Generator(seed);
  const values = Float64Array.from({ length: sizeOfShape(shape) }, () => low + (high - low) * gen.uniform());
  return tensor(values, { shape: shape.slice() });
}

/** Values as a plain number array (booleans as 0/1). */
export const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** Asserts equal shapes and elementwise |a − e| ≤ atol + rtol·|e| (NaN only matches NaN). */
export function expectClose(actual: Tensor, expected: ArrayLike<number>, expectedShape: readonly number[], atol = 1e-9, rtol = 1e-9): void {
  expect(actual.shape).toEqual(expectedShape);
  const a = actual.dataSync();
  expect(a.length).toBe(expected.length);
  for (let i = 0; i < a.length; i++) {
    const e = expected[i];
    if (a[i] === e || (Number.isNaN(e) && Number.isNaN(a[i]))) continue;
    if (!(Math.abs(a[i] - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i} of ${JSON.stringify(expectedShape)}: got ${a[i]}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** Arbitrary integer seed for building tensors inside a property. */
export const seedArbitrary = fc.integer({ min: 0, max: 2 ** 31 - 1 });
