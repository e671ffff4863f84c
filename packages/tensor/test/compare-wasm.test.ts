import fc from "fast-check";
import { ArgumentError } from "../src/errors";
import { afterEach, describe, expect, it } from "vitest";
import { COMPARE_CHUNK, COMPARE_WASM_MIN, compareWasm, setCompareWasmTuning, whereWasm } from "../src/backend/cpu/compare-wasm";
import { COMPARE_SNIPPETS, WHERE_SNIPPET, elementwise } from "../src/backend/cpu/elementwise";
import { PLACEMENTS, placed } from "./placement";
import type { ComparePrimitive } from "../src/ops/primitives";
import type { Shape } from "../src/shape";
import { greater, relu, tensor, where } from "../src";

// The wasm comparisons and `where` must give exactly what the generated JS loops give (Object.is
// per element: ±0 distinct, NaN equal to NaN).

const OPS: ComparePrimitive[] = ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"];
const DTYPES = ["float32", "float64"] as const;
type FloatDType = (typeof DTYPES)[number];

const DEFAULT_CHUNK = COMPARE_CHUNK;
const DEFAULT_MIN = COMPARE_WASM_MIN;
afterEach(() => setCompareWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN));

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1, -1, 1e-45, -1e-45, 3.4028235e38, 5e-324, 1e-40];
const value = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 2, arbitrary: fc.double() },
);

const filled = (dtype: FloatDType, v: number[]) => (dtype === "float32" ? Float32Array.from(v) : Float64Array.from(v));
const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: element ${i} is ${show(actual[i])}, JS gives ${show(expected[i])}`);
  }
}

describe("wasm comparisons and where equal the JS loops bit for bit", () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: every comparison, full/full, full/value and value/full, through small chunks`, () => {
      setCompareWasmTuning(32, 1);
      fc.assert(
        fc.property(
          fc.constantFrom(...OPS),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 23 }),
          fc.integer({ min: 0, max: 2 }),
          fc.array(value, { minLength: 161, maxLength: 161 }),
          fc.array(value, { minLength: 161, maxLength: 161 }),
          (p, rows, cols, layout, va, vb) => {
          const out: Shape = [rows, cols];
          const n = rows * cols;
          const shapes: [Shape, Shape][] = [[out, out], [out, []], [[1, 1], out]];
          const [aShape, bShape] = shapes[layout];
          const a = filled(dtype, va.slice(0, layout === 2 ? 1 : n));
          const b = filled(dtype, vb.slice(0, layout === 1 ? 1 : n));
          const js = elementwise(COMPARE_SNIPPETS[p], [{ data: a, shape: aShape }, { data: b, shape: bShape }], out, "bool");
          for (const placement of PLACEMENTS) {
            placed(placement, [a, b], (x, y) => {
              const wasm = compareWasm(p, x, aShape, y, bShape, out);
              expect(wasm, `wasm path for ${p}`).not.toBeNull();
              expectSame(wasm!, js, `${p} ${dtype} [${aShape}] vs [${bShape}], ${placement}`);
              return [wasm];
            });
          }
        }),
        { numRuns: 400 },
      );
    });

    it(`${dtype}: where with full or single-value operands and any nonzero condition byte`, () => {
      setCompareWasmTuning(32, 1);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 150 }),
          fc.boolean(),
          fc.boolean(),
          fc.array(fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 255 })), { minLength: 150, maxLength: 150 }),
          fc.array(value, { minLength: 150, maxLength: 150 }),
          fc.array(value, { minLength: 150, maxLength: 150 }),
          (n, aOne, bOne, vc, va, vb) => {
          const out: Shape = [n];
          const c = Uint8Array.from(vc.slice(0, n));
          const [aShape, bShape]: Shape[] = [aOne ? [] : out, bOne ? [] : out];
          const a = filled(dtype, va.slice(0, aOne ? 1 : n));
          const b = filled(dtype, vb.slice(0, bOne ? 1 : n));
          const js = elementwise(WHERE_SNIPPET, [{ data: c, shape: out }, { data: a, shape: aShape }, { data: b, shape: bShape }], out, dtype);
          for (const placement of PLACEMENTS) {
            placed(placement, [c, a, b], (cc, x, y) => {
              const wasm = whereWasm(cc, out, x, aShape, y, bShape, out, dtype);
              expect(wasm, "wasm path for where").not.toBeNull();
              expectSame(wasm!, js, `where ${dtype} n=${n} ${aOne ? "value" : "full"}/${bOne ? "value" : "full"}, ${placement}`);
              return [wasm];
            });
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it("falls back to JS for int operands, mixed types, row broadcasts and small outputs", () => {
    const f = new Float32Array(600);
    expect(compareWasm("less", new Int32Array(600), [600], new Int32Array(600), [600], [600])).toBeNull();
    expect(compareWasm("less", f, [600], new Float64Array(600), [600], [600])).toBeNull();
    expect(compareWasm("less", new Float32Array(6000), [10, 600], f, [600], [10, 600])).toBeNull();
    expect(compareWasm("less", new Float32Array(10), [10], new Float32Array(10), [10], [10])).toBeNull();
    expect(whereWasm(new Uint8Array(1), [], f, [600], f, [600], [600], "float32")).toBeNull();
    expect(whereWasm(new Uint8Array(600), [600], new Int32Array(600), [600], new Int32Array(1), [], [600], "int32")).toBeNull();
    expect(whereWasm(new Uint8Array(600), [600], new Float64Array(600), [600], new Float64Array(1), [], [600], "float32")).toBeNull();
    expect(whereWasm(new Uint8Array(600), [600], f, [600], f, [600], [600], "float16")).toBeNull();
  });

  it("a ReLU's gradient through the public ops equals the JS loops at the default chunk", () => {
    const n = 3 * DEFAULT_CHUNK + 77;
    const x = tensor(Float32Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -0 : Math.sin(i))), { shape: [n] }).requireGrad();
    relu(x).sum().backward();
    const wasm = x.grad!.dataSync();
    const mask = greater(x.detach(), 0);
    setCompareWasmTuning(DEFAULT_CHUNK, Number.POSITIVE_INFINITY);
    const jsMask = greater(x.detach(), 0);
    expectSame(mask.dataSync(), jsMask.dataSync(), "greater(x, 0)");
    const ones = tensor(new Float32Array(n).fill(1), { shape: [n] });
    expectSame(wasm, where(jsMask, ones, 0).dataSync(), "relu gradient");
  });

  it("rejects a chunk size the kernels cannot run in whole vectors", () => {
    expect(() => setCompareWasmTuning(40, 1)).toThrow(ArgumentError);
  });
});
