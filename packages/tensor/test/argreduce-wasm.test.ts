import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { argReduceWasm } from "../src/backend/cpu/argreduce-wasm";
import { argReduce } from "../src/backend/cpu/reduce";
import { REDUCE_CHUNK, REDUCE_WASM_MIN, setReduceWasmTuning } from "../src/backend/cpu/reduce-wasm";
import { placed } from "./placement";
import type { Shape } from "../src/shape";
import { argmax, argmin, tensor } from "../src";

// The wasm argmax/argmin must return exactly argReduce's indices: the first extreme, or the first
// NaN; +0 and -0 tie. Small integer values make ties common.

const DTYPES = ["float32", "float64"] as const;
type FloatDType = (typeof DTYPES)[number];
const DEFAULT_CHUNK = REDUCE_CHUNK;
const DEFAULT_MIN = REDUCE_WASM_MIN;
afterEach(() => setReduceWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN));

const value = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45) },
  { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
);

const filled = (dtype: FloatDType, v: ArrayLike<number>) => (dtype === "float32" ? Float32Array.from(v) : Float64Array.from(v));

function jsArg(isMax: boolean, x: Float32Array | Float64Array, shape: Shape, axis: number): Int32Array {
  const [chunk, min] = [REDUCE_CHUNK, REDUCE_WASM_MIN];
  setReduceWasmTuning(chunk, Number.POSITIVE_INFINITY);
  try {
    return argReduce(isMax, x, shape, axis);
  } finally {
    setReduceWasmTuning(chunk, min);
  }
}

function check(isMax: boolean, dtype: FloatDType, values: ArrayLike<number>, shape: Shape, axis: number): void {
  const x0 = filled(dtype, values);
  const want = Array.from(jsArg(isMax, x0, shape, axis));
  // Copied through, and read in place from the arena (the indices are an ordinary Int32Array either way).
  for (const placement of ["typed arrays", "arena"] as const) {
    placed(placement, [x0], (x) => {
      const wasm = argReduceWasm(isMax, x, shape, axis);
      const shortRows = shape.slice(axis + 1).every((d) => d === 1) && shape[axis] < 16;
      if (shortRows) expect(wasm, "rows under 16 elements stay in JS").toBeNull();
      else {
        expect(wasm, `wasm path for ${isMax ? "argmax" : "argmin"} [${shape}] axis ${axis}`).not.toBeNull();
        expect(Array.from(wasm!), `${isMax ? "argmax" : "argmin"} ${dtype} [${shape}] axis ${axis}, ${placement}`).toEqual(want);
      }
      return [];
    });
  }
}

describe("wasm argmax/argmin equal the JS loop", () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: every axis of ranks 1–3 (dims up to 23), ties, NaN, ±0, through a 64-element chunk`, () => {
      setReduceWasmTuning(64, 1);
      fc.assert(
        fc.property(fc.boolean(), fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 1, maxLength: 3 }), fc.array(value, { minLength: 12167, maxLength: 12167 }), (isMax, shape, pool) => {
          const n = shape.reduce((a, b) => a * b, 1);
          for (let axis = 0; axis < shape.length; axis++) check(isMax, dtype, pool.slice(0, n), shape, axis);
        }),
        { numRuns: 300 },
      );
    });

    it(`${dtype}: rows and columns longer than the default chunk`, () => {
      const rnd = (n: number, nanAt = -1) => Array.from({ length: n }, (_, i) => (i === nanAt ? NaN : Math.round(Math.sin(i * 0.37) * 50) / 10));
      for (const isMax of [true, false]) {
        check(isMax, dtype, rnd(2 * DEFAULT_CHUNK + 77), [2 * DEFAULT_CHUNK + 77], 0);
        check(isMax, dtype, rnd(2 * DEFAULT_CHUNK + 77, DEFAULT_CHUNK + 3), [2 * DEFAULT_CHUNK + 77], 0);
        check(isMax, dtype, rnd(3 * (DEFAULT_CHUNK + 5)), [3, DEFAULT_CHUNK + 5], 0);
        check(isMax, dtype, rnd(3 * (DEFAULT_CHUNK + 5)), [3, DEFAULT_CHUNK + 5], 1);
        check(isMax, dtype, rnd(7 * 300), [7, 300], 0);
      }
    });
  }

  it("the public argmax/argmin dispatch to it", () => {
    const data = Float32Array.from({ length: 40 * 30 }, (_, i) => Math.round(Math.cos(i) * 4));
    const t = tensor(data, { shape: [40, 30] });
    for (const axis of [undefined, 0, 1]) {
      const wasm = [argmax(t, axis).dataSync(), argmin(t, axis).dataSync()].map((a) => Array.from(a));
      setReduceWasmTuning(DEFAULT_CHUNK, Number.POSITIVE_INFINITY);
      const js = [argmax(t, axis).dataSync(), argmin(t, axis).dataSync()].map((a) => Array.from(a));
      setReduceWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN);
      expect(wasm).toEqual(js);
    }
  });

  it("leaves int tensors and small inputs to the JS loop", () => {
    expect(argReduceWasm(true, new Int32Array(600), [600], 0)).toBeNull();
    expect(argReduceWasm(true, new Float32Array(10), [10], 0)).toBeNull();
    expect(argReduceWasm(true, new Float32Array(6400), [640, 10], 1)).toBeNull();
  });
});
