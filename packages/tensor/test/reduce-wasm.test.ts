import fc from "fast-check";
import { ArgumentError } from "../src/errors";
import { afterEach, describe, expect, it } from "vitest";
import { reduce } from "../src/backend/cpu/reduce";
import { REDUCE_CHUNK, REDUCE_WASM_MIN, reduceWasm, reduceWasmStats, setReduceWasmTuning } from "../src/backend/cpu/reduce-wasm";
import { PLACEMENTS, placed } from "./placement";
import type { ReducePrimitive } from "../src/ops/primitives";
import type { Shape } from "../src/shape";
import { max, mean, min, prod, sum, tensor } from "../src";

// The wasm SIMD reductions must give exactly what the JS loops give: compared element by element
// with Object.is (±0 distinct; NaN equal to NaN whatever its payload).

const DTYPES = ["float32", "float64"] as const;
type FloatDType = (typeof DTYPES)[number];
const PRIMS: ReducePrimitive[] = ["sum", "prod", "max", "min"];

const DEFAULT_CHUNK = REDUCE_CHUNK;
const DEFAULT_MIN = REDUCE_WASM_MIN;
afterEach(() => setReduceWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN));

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 3, -3, 1e-45, -1e-45, 1.1754944e-38, 3.4028235e38, -3.4028235e38, 1e-40, 5e-324, 1e300, -1e300];

const value = (dtype: FloatDType, specials: boolean) =>
  fc.oneof(
    { weight: specials ? 1 : 0, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 3, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }).map((v) => (dtype === "float32" ? Math.fround(v) : v)) },
    { weight: 1, arbitrary: fc.integer({ min: -4, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0) },
  );

function filled(dtype: FloatDType, values: ArrayLike<number>): Float32Array | Float64Array {
  return dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: element ${i} is ${show(actual[i])}, JS gives ${show(expected[i])}`);
  }
}

/** The JS loop's result (wasm switched off). */
function jsReduce(p: ReducePrimitive, x: Float32Array | Float64Array, shape: Shape, axes: number[], dtype: FloatDType) {
  const [chunk, min] = [REDUCE_CHUNK, REDUCE_WASM_MIN];
  setReduceWasmTuning(chunk, Number.POSITIVE_INFINITY);
  try {
    return reduce(p, x, shape, axes, dtype);
  } finally {
    setReduceWasmTuning(chunk, min);
  }
}

/** Whether the wasm kernels cover this reduction (the patterns reduce-wasm.ts documents). */
function supported(p: ReducePrimitive, shape: Shape, axes: number[], dtype: FloatDType): boolean {
  const runs: string[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i) ? "R" : "K";
    if (runs[runs.length - 1] !== r) runs.push(r);
  });
  const pattern = runs.join("");
  if (pattern === "RK" || pattern === "KRK") return true;
  if (pattern === "R" || pattern === "KR") {
    // float64 row sums: each row in one lane, so only several rows that fit in a chunk.
    const rowLength = shape.reduce((a, d, i) => (axes.includes(i) ? a * d : a), 1);
    return p === "max" || p === "min" || (p === "sum" && (dtype === "float32" || (pattern === "KR" && rowLength <= REDUCE_CHUNK)));
  }
  return false;
}

/** Runs both paths; where wasm applies, it must have run and matched the JS loop bit for bit. */
function check(p: ReducePrimitive, dtype: FloatDType, values: ArrayLike<number>, shape: Shape, axes: number[]): void {
  const x = filled(dtype, values);
  const js = jsReduce(p, x, shape, axes, dtype);
  const size = x.length;
  for (const placement of PLACEMENTS) {
    placed(placement, [x], (y) => {
      const wasm = reduceWasm(p, y, shape, axes, dtype);
      if (size >= REDUCE_WASM_MIN && size > 0 && supported(p, shape, axes, dtype)) {
        expect(wasm, `wasm path for ${p} ${dtype} [${shape}] axes [${axes}]`).not.toBeNull();
      }
      if (wasm !== null) expectSame(wasm, js, `${p} ${dtype} [${shape}] axes [${axes}], ${placement}`);
      return [wasm];
    });
  }
  // The dispatching entry point agrees too.
  expectSame(reduce(p, x, shape, axes, dtype), js, `reduce ${p} ${dtype} [${shape}] axes [${axes}]`);
}

/** Every non-empty subset of the axes of a rank-r shape. */
function axisSets(rank: number): number[][] {
  const out: number[][] = [];
  for (let m = 1; m < 1 << rank; m++) out.push([...Array(rank).keys()].filter((i) => (m >> i) & 1));
  return out;
}

const dims = fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 1, maxLength: 3 });

describe("wasm reductions equal the JS loops bit for bit", () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: every primitive and axis subset, through a 64-element chunk`, () => {
      // Small chunks split rows across chunks and columns into blocks; min 1 sends everything to wasm.
      setReduceWasmTuning(64, 1);
      fc.assert(
        fc.property(fc.constantFrom(...PRIMS), dims, fc.boolean(), fc.array(value(dtype, true), { minLength: 2197, maxLength: 2197 }), (p, shape, specials, pool) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const values = specials ? pool.slice(0, n) : pool.slice(0, n).map((v) => (Number.isFinite(v) ? v : 1));
          for (const axes of axisSets(shape.length)) check(p, dtype, values, shape, axes);
        }),
        { numRuns: 300 },
      );
    });

    it(`${dtype}: long rows and columns with the default chunk, odd lengths and SIMD tails`, () => {
      const rnd = (n: number) => Array.from({ length: n }, (_, i) => (i % 97 === 0 ? -0 : Math.sin(i * 1.3) * 7));
      for (const p of PRIMS) {
        for (const shape of [[DEFAULT_CHUNK * 2 + 77], [3, DEFAULT_CHUNK + 5], [DEFAULT_CHUNK + 3, 2], [5, 300, 7], [2, 61, 513], [1, 257], [259, 1]]) {
          const n = shape.reduce((a, b) => a * b, 1);
          const v = p === "prod" ? rnd(n).map((t) => 1 + t / 1e3) : rnd(n);
          for (const axes of axisSets(shape.length)) check(p, dtype, v, shape, axes);
        }
      }
    });

    it(`${dtype}: max/min follow the JS NaN and ±0 rules (first zero wins, NaN anywhere wins)`, () => {
      setReduceWasmTuning(64, 1);
      for (const p of ["max", "min"] as const) {
        for (const n of [1, 3, 4, 15, 16, 17, 63, 64, 65, 200]) {
          for (const pattern of ["negzero-first", "poszero-first", "negzero-lane1", "nan-last", "nan-first", "inf", "all-neginf"]) {
            const v = Array.from({ length: n }, (_, i) => (p === "max" ? -1 - i : 1 + i));
            if (pattern === "negzero-first") v.forEach((_, i) => (v[i] = i % 3 === 0 ? (i === 0 ? -0 : 0) : v[i]));
            if (pattern === "poszero-first") v.forEach((_, i) => (v[i] = i % 3 === 0 ? (i === 0 ? 0 : -0) : v[i]));
            // The first zero sits in SIMD lane 1, later +0s in lane 0: lane order alone would give +0.
            if (pattern === "negzero-lane1") v.forEach((_, i) => (v[i] = i === 5 ? -0 : i >= 8 && i % 4 === 0 ? 0 : v[i]));
            if (pattern === "nan-last") v[n - 1] = NaN;
            if (pattern === "nan-first") v[0] = NaN;
            if (pattern === "inf") v[n >> 1] = p === "max" ? Infinity : -Infinity;
            if (pattern === "all-neginf") v.fill(p === "max" ? -Infinity : Infinity);
            check(p, dtype, v, [n], [0]);
            check(p, dtype, [...v, ...v], [2, n], [1]);
            check(p, dtype, [...v, ...v], [n, 2], [0]);
          }
        }
      }
    });
  }

  it("float32 row sums that the bound cannot settle are redone sequentially", () => {
    setReduceWasmTuning(64, 1);
    // Sequentially 2^30 + 2^-24 rounds back to 2^30 (float64), so the JS sum is 0; reordered into
    // lanes, 2^30 − 2^30 cancels first and 2^-24 survives. Only the sequential redo matches.
    const v = new Array(70).fill(0);
    v[0] = 2 ** 30;
    v[1] = 2 ** -24;
    v[2] = -(2 ** 30);
    const before = reduceWasmStats.sequentialRedos;
    check("sum", "float32", v, [70], [0]);
    expect(jsReduce("sum", Float32Array.from(v), [70], [0], "float32")[0]).toBe(0);
    expect(reduceWasmStats.sequentialRedos).toBeGreaterThan(before);
  });

  it("float32 sums of random data: wasm = JS on every row, with the redo rate recorded", () => {
    let s = 12345;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2147483648 - 1);
    const x = Float32Array.from({ length: 1 << 18 }, () => next() * 10);
    for (const [shape, axes] of [[[1 << 18], [0]], [[256, 1024], [1]], [[1024, 256], [1]], [[4096, 64], [1]]] as [Shape, number[]][]) {
      expectSame(reduce("sum", x, shape, axes, "float32"), jsReduce("sum", x, shape, axes, "float32"), `sum [${shape}]`);
    }
  });

  it("falls back to JS for int types, float16, a single or over-long float64 row sum, row products and mixed patterns", () => {
    const f = new Float32Array(600);
    expect(reduceWasm("sum", new Int32Array(600), [600], [0], "int32")).toBeNull();
    expect(reduceWasm("sum", f, [600], [0], "float16")).toBeNull();
    expect(reduceWasm("sum", new Float64Array(600), [600], [0], "float64")).toBeNull();
    expect(reduceWasm("sum", new Float64Array(2 * (REDUCE_CHUNK + 1)), [2, REDUCE_CHUNK + 1], [1], "float64")).toBeNull();
    expect(reduceWasm("prod", f, [600], [0], "float32")).toBeNull();
    expect(reduceWasm("sum", f, [6, 10, 10], [0, 2], "float32")).toBeNull();
    expect(reduceWasm("sum", new Float32Array(10), [10], [0], "float32")).toBeNull();
  });

  it("the public ops (keepDims, mean, every axis) dispatch to it and agree with the JS loop", () => {
    const a = Float32Array.from({ length: 4 * 30 * 50 }, (_, i) => Math.cos(i) * 10);
    const t = tensor(a, { shape: [4, 30, 50] });
    for (const keep of [false, true]) {
      for (const axis of [undefined, 0, 1, 2, -1, [0, 1], [1, 2]] as (number | number[] | undefined)[]) {
        for (const op of [sum, max, min, prod, mean]) {
          const wasm = op(t, axis, keep).dataSync();
          setReduceWasmTuning(DEFAULT_CHUNK, Number.POSITIVE_INFINITY);
          const js = op(t, axis, keep).dataSync();
          setReduceWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN);
          expectSame(wasm, js, `${op.name} axis ${axis} keepDims ${keep}`);
        }
      }
    }
    expect(sum(t, 2, true).shape).toEqual([4, 30, 1]);
  });

  it("empty tensors and single elements", () => {
    setReduceWasmTuning(64, 0);
    for (const dtype of DTYPES) {
      for (const p of PRIMS) {
        check(p, dtype, [5], [1], [0]);
        check(p, dtype, [-0], [1, 1], [1]);
        if (p === "sum" || p === "prod") {
          check(p, dtype, [], [0], [0]);
          check(p, dtype, [], [3, 0], [1]);
          check(p, dtype, [], [0, 3], [0]);
        }
      }
    }
  });

  it("rejects a chunk size the kernels cannot run in whole vectors", () => {
    expect(() => setReduceWasmTuning(100, 1)).toThrow(ArgumentError);
  });
});
