import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { softmax } from "../src/backend/cpu/softmax";
import { SOFTMAX_CHUNK, SOFTMAX_WASM_MIN, setSoftmaxWasmTuning, softmaxWasm } from "../src/backend/cpu/softmax-wasm";
import { PLACEMENTS, placed } from "./placement";
import { logSoftmax, softmax as softmaxOp, tensor } from "../src";

// The wasm softmax / log-softmax must give exactly what the JS loop gives: same maximum, Math.exp
// bit for bit, the sum in element order, the same final scaling. Compared with Object.is.

const DEFAULTS = [SOFTMAX_CHUNK, SOFTMAX_WASM_MIN] as const;
afterEach(() => setSoftmaxWasmTuning(...DEFAULTS));

type FloatArray = Float32Array | Float64Array;

/** The JavaScript loop: the kernel with the wasm path switched off. */
function jsSoftmax(x: FloatArray, rows: number, n: number, log: boolean): FloatArray {
  const [chunk, min] = [SOFTMAX_CHUNK, SOFTMAX_WASM_MIN];
  setSoftmaxWasmTuning(chunk, Infinity);
  try {
    return softmax(x, [rows, n], 1, x instanceof Float64Array ? "float64" : "float32", log) as FloatArray;
  } finally {
    setSoftmaxWasmTuning(chunk, min);
  }
}

/** Compares wasm with the JS loop with the operands in each placement (copied through, or in place). */
function check(x: FloatArray, rows: number, n: number, log: boolean): void {
  const want = jsSoftmax(x, rows, n, log);
  for (const placement of PLACEMENTS) {
    placed(placement, [x], (y) => {
      const got = softmaxWasm(y, rows, n, x instanceof Float64Array ? "float64" : "float32", log);
      expect(got, "wasm path taken").not.toBeNull();
      for (let i = 0; i < want.length; i++) {
        if (!Object.is(got![i], want[i])) {
          expect.fail(`${log ? "logSoftmax" : "softmax"} ${x.constructor.name} [${rows}, ${n}] element ${i} (x = ${x[i]}), ${placement}: wasm ${got![i]}, JS ${want[i]}`);
        }
      }
      return [got];
    });
  }
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 745, -745, 709.8, -709.8, 1e-40, 3.4e38, -3.4e38, 88.7, -103];

const value = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 4, arbitrary: fc.double({ min: -20, max: 20, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.float() },
);

describe("softmax / logSoftmax in wasm equal the JS loop bit for bit", () => {
  it("property: rows × n of any values (±∞, NaN, masks, huge spreads), both dtypes, small chunks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 70 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        fc.array(value, { minLength: 420, maxLength: 420 }),
        (rows, n, f32, log, chunk, values) => {
          setSoftmaxWasmTuning(chunk, 1);
          const data = values.slice(0, rows * n);
          check(f32 ? Float32Array.from(data) : Float64Array.from(data), rows, n, log);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("on [256, 1000] float32 logits at several scales, and rows of −∞ (fully masked) or all equal", () => {
    let s = 99;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const scale of [1, 30, 300]) {
      const x = Float32Array.from({ length: 256 * 1000 }, () => (rnd() - 0.5) * scale);
      for (let j = 0; j < 1000; j += 3) x[5 * 1000 + j] = -Infinity; // a causal-style mask
      x.fill(-Infinity, 7 * 1000, 8 * 1000);
      x.fill(2.5, 9 * 1000, 10 * 1000);
      for (const log of [false, true]) {
        check(x, 256, 1000, log);
        check(Float64Array.from(x), 256, 1000, log);
      }
    }
  });

  it("float32 rows on the bounded path and its fallbacks: lengths 4–2051, confident rows, near-ties, tiny spreads", () => {
    // The float32 path sums reordered, with a bound; rows where a float32 result could differ are
    // redone in order. Confident rows (one logit far above the rest) make log-softmax outputs near 0
    // on a fine float32 grid, where the redo runs most; all rows must still equal the JS loop.
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const n of [4, 5, 31, 64, 257, 1024, 2051]) {
      const rows = Math.max(8, Math.floor(40000 / n));
      const x = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) {
        const kind = r % 5;
        for (let j = 0; j < n; j++) {
          const u = rnd() - 0.5;
          x[r * n + j] = kind === 0 ? u * 8 : kind === 1 ? u * 8 - (j === r % n ? -30 : 0) : kind === 2 ? u * 1e-6 : kind === 3 ? u * 200 : Math.round(u * 4) * 0.5;
        }
      }
      for (const log of [false, true]) check(x, rows, n, log);
    }
  });

  it("through the public ops, along the last axis", () => {
    const x = tensor(Float32Array.from({ length: 64 * 33 }, (_, i) => Math.sin(i) * 9), { shape: [64, 33] });
    const want = jsSoftmax(x.dataSync() as Float32Array, 64, 33, false);
    expect(Array.from(softmaxOp(x, -1).dataSync())).toEqual(Array.from(want));
    const wantLog = jsSoftmax(x.dataSync() as Float32Array, 64, 33, true);
    expect(Array.from(logSoftmax(x, -1).dataSync())).toEqual(Array.from(wantLog));
  });

  it("leaves int inputs, mismatched arrays and small inputs to JavaScript", () => {
    expect(softmaxWasm(new Int32Array(1024), 4, 256, "int32", false)).toBeNull();
    expect(softmaxWasm(new Float64Array(1024), 4, 256, "float32", false)).toBeNull();
    expect(softmaxWasm(new Float32Array(SOFTMAX_WASM_MIN - 1), 1, SOFTMAX_WASM_MIN - 1, "float32", false)).toBeNull();
  });
});
