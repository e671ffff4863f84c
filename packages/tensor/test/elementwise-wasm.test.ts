import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { CHUNK, WASM_BINARY_MIN, binaryWasm, setBinaryWasmTuning } from "../src/backend/cpu/binary-wasm";
import { BINARY_SNIPPETS, elementwise } from "../src/backend/cpu/elementwise";
import { PLACEMENTS, placed } from "./placement";
import type { BinaryPrimitive } from "../src/ops/primitives";
import type { Shape } from "../src/shape";
import { tensor } from "../src";

// The wasm SIMD binary kernels must give exactly what the generated JS loops give: compared
// element by element with Object.is (±0 distinct; NaN equal to NaN whatever its payload).

const OPS: BinaryPrimitive[] = ["add", "sub", "mul", "div", "maximum", "minimum"];
const DTYPES = ["float32", "float64"] as const;
type FloatDType = (typeof DTYPES)[number];

const DEFAULT_CHUNK = CHUNK;
const DEFAULT_MIN = WASM_BINARY_MIN;
afterEach(() => setBinaryWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN));

/** float32 / float64 specials: ±0, ±∞, NaN, subnormals, the extremes, values near 1. */
const SPECIAL = [
  0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 3, -3,
  1e-45, -1e-45, 1.1754942e-38, 1.1754944e-38, -1.1754944e-38, 3.4028235e38, -3.4028235e38, 1e-40, 5e-324, -5e-324,
  2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 1e-310,
];

const value = (dtype: FloatDType) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
    { weight: 3, arbitrary: dtype === "float32" ? fc.float() : fc.double() },
    { weight: 1, arbitrary: fc.integer({ min: -4, max: 4 }) },
  );

function filled(dtype: FloatDType, values: number[]): Float32Array | Float64Array {
  return dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values);
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what}: element ${i} is ${Object.is(actual[i], -0) ? "-0" : actual[i]}, JS gives ${Object.is(expected[i], -0) ? "-0" : expected[i]}`);
    }
  }
}

/** Runs both paths; fails unless wasm ran and matched JS bit for bit. */
function check(p: BinaryPrimitive, dtype: FloatDType, a: number[], aShape: Shape, b: number[], bShape: Shape, outShape: Shape): void {
  const x = { data: filled(dtype, a), shape: aShape };
  const y = { data: filled(dtype, b), shape: bShape };
  const js = elementwise(BINARY_SNIPPETS[p], [x, y], outShape, dtype);
  for (const placement of PLACEMENTS) {
    placed(placement, [x.data, y.data], (xd, yd) => {
      const wasm = binaryWasm(p, xd, aShape, yd, bShape, outShape, dtype);
      expect(wasm, `wasm path taken for ${p} ${dtype} ${aShape} ${bShape}`).not.toBeNull();
      expectSame(wasm!, js, `${p} ${dtype} [${aShape}] op [${bShape}], ${placement}`);
      return [wasm];
    });
  }
}

/** The supported layouts of a rows×cols output: [a shape, b shape]. */
function layouts(rows: number, cols: number): [Shape, Shape][] {
  return [
    [[rows, cols], [rows, cols]], // same shape
    [[rows, cols], []], // scalar second
    [[1], [rows, cols]], // scalar first
    [[rows, cols], [cols]], // row second
    [[1, cols], [rows, cols]], // row first
    [[rows, cols], [rows, 1]], // column second
    [[rows, 1], [rows, cols]], // column first
  ];
}

const sizeOf = (s: Shape) => s.reduce((p, d) => p * d, 1);

function layoutProperty(dtype: FloatDType, rowsMax: number, colsMax: number) {
  return fc.property(
    fc.constantFrom(...OPS),
    fc.integer({ min: 1, max: rowsMax }),
    fc.integer({ min: 1, max: colsMax }),
    fc.integer({ min: 0, max: 6 }),
    fc.array(value(dtype), { minLength: rowsMax * colsMax, maxLength: rowsMax * colsMax }),
    fc.array(value(dtype), { minLength: rowsMax * colsMax, maxLength: rowsMax * colsMax }),
    (p, rows, cols, which, va, vb) => {
      const [aShape, bShape] = layouts(rows, cols)[which];
      check(p, dtype, va.slice(0, sizeOf(aShape)), aShape, vb.slice(0, sizeOf(bShape)), bShape, [rows, cols]);
    },
  );
}

describe("wasm binary kernels equal the JS loops bit for bit", () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: every op and layout, chunked through a small scratch buffer`, () => {
      // A 16-element chunk exercises rows split over chunks, rows longer than a chunk and SIMD remainders.
      setBinaryWasmTuning(16, 1);
      fc.assert(layoutProperty(dtype, 9, 45), { numRuns: 400 });
    });

    it(`${dtype}: sizes around the dispatch threshold with the default chunk`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...OPS),
          fc.integer({ min: DEFAULT_MIN - 9, max: DEFAULT_MIN + 41 }),
          fc.integer({ min: 0, max: 6 }),
          fc.array(value(dtype), { minLength: 2 * DEFAULT_MIN, maxLength: 2 * DEFAULT_MIN }),
          fc.array(value(dtype), { minLength: 2 * DEFAULT_MIN, maxLength: 2 * DEFAULT_MIN }),
          (p, size, which, va, vb) => {
            // size = rows × cols with an odd column count where possible.
            const cols = size % 2 === 1 ? size : size / 2;
            const rows = size / cols;
            const [aShape, bShape] = layouts(rows, cols)[which];
            const outShape = [rows, cols];
            const x = { data: filled(dtype, va.slice(0, sizeOf(aShape))), shape: aShape };
            const y = { data: filled(dtype, vb.slice(0, sizeOf(bShape))), shape: bShape };
            const js = elementwise(BINARY_SNIPPETS[p], [x, y], outShape, dtype);
            const wasm = binaryWasm(p, x.data, aShape, y.data, bShape, outShape, dtype);
            if (size < DEFAULT_MIN) expect(wasm).toBeNull();
            else expectSame(wasm!, js, `${p} ${dtype} size ${size}`);
          },
        ),
        { numRuns: 200 },
      );
    });

    it(`${dtype}: maximum/minimum keep the JS NaN and ±0 rules in both operand orders`, () => {
      setBinaryWasmTuning(16, 1);
      const specials = [0, -0, NaN, Infinity, -Infinity, 1, -1, 1e-45];
      const a: number[] = [];
      const b: number[] = [];
      for (const u of specials) {
        for (const v of specials) {
          a.push(u);
          b.push(v);
        }
      }
      const n = a.length;
      for (const p of OPS) {
        check(p, dtype, a, [n], b, [n], [n]);
        check(p, dtype, b, [n], a, [n], [n]);
        for (const s of specials) {
          check(p, dtype, a, [n], [s], [1], [n]);
          check(p, dtype, [s], [1], a, [n], [n]);
        }
      }
    });

    it(`${dtype}: long rows, rows split across chunks, and a 3-d row broadcast at default sizes`, () => {
      const rnd = (n: number) => Array.from({ length: n }, (_, i) => (i % 97 === 0 ? -0 : Math.sin(i) * 1e3));
      for (const p of OPS) {
        check(p, dtype, rnd(3 * (DEFAULT_CHUNK + 5)), [3, DEFAULT_CHUNK + 5], rnd(DEFAULT_CHUNK + 5), [DEFAULT_CHUNK + 5], [3, DEFAULT_CHUNK + 5]);
        check(p, dtype, rnd(3), [3, 1], rnd(3 * (DEFAULT_CHUNK + 5)), [3, DEFAULT_CHUNK + 5], [3, DEFAULT_CHUNK + 5]);
        check(p, dtype, rnd(2 * DEFAULT_CHUNK + 7), [2 * DEFAULT_CHUNK + 7], [0.3], [], [2 * DEFAULT_CHUNK + 7]);
        check(p, dtype, rnd(4 * 5 * 33), [4, 5, 33], rnd(5 * 33), [1, 5, 33], [4, 5, 33]);
        check(p, dtype, rnd(4 * 5), [4, 5, 1], rnd(4 * 5 * 33), [4, 5, 33], [4, 5, 33]);
      }
    });
  }

  it("falls back to JS for other dtypes, mixed array types, and general broadcasting", () => {
    const f = new Float32Array(600);
    expect(binaryWasm("add", new Int32Array(600), [600], new Int32Array(600), [600], [600], "int32")).toBeNull();
    expect(binaryWasm("add", f, [600], f, [600], [600], "float16")).toBeNull();
    expect(binaryWasm("add", f, [600], new Float64Array(600), [600], [600], "float64")).toBeNull();
    expect(binaryWasm("pow", f, [600], f, [600], [600], "float32")).toBeNull();
    expect(binaryWasm("add", new Float32Array(30), [30, 1], new Float32Array(20), [1, 20], [30, 20], "float32")).toBeNull();
    expect(binaryWasm("add", new Float32Array(600), [2, 30, 10], new Float32Array(20), [2, 1, 10], [2, 30, 10], "float32")).toBeNull();
  });

  it("the public ops dispatch to it and agree with the JS loop", () => {
    const n = 1000;
    const a = Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 10);
    const b = Float32Array.from({ length: 10 }, (_, i) => i - 4.5);
    const x = tensor(a, { shape: [100, 10] });
    const y = tensor(b, { shape: [10] });
    const got = x.add(y).dataSync();
    const js = elementwise(BINARY_SNIPPETS.add, [{ data: a, shape: [100, 10] }, { data: b, shape: [10] }], [100, 10], "float32");
    expectSame(got, js, "x.add(row)");
  });
});
