import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { UNARY_SNIPPETS, elementwise } from "../src/backend/cpu/elementwise";
import { UNARY_CHUNK, WASM_UNARY_MIN_MATH, WASM_UNARY_MIN_SIMPLE, WASM_UNARY_OPS, setUnaryWasmTuning, unaryWasm } from "../src/backend/cpu/unary-wasm";
import { PLACEMENTS, placed } from "./placement";
import type { UnaryPrimitive } from "../src/ops/primitives";
import { tensor } from "../src";

// The wasm unary kernels must give exactly what the generated JS loops give (Math.exp, Math.log,
// Math.tanh in float64, rounded to the array type): compared bit for bit, NaN equal to any NaN.

const OPS = Object.keys(WASM_UNARY_OPS) as UnaryPrimitive[];
const MATH: UnaryPrimitive[] = ["exp", "log", "tanh", "sigmoid"];
const DEFAULTS = [UNARY_CHUNK, WASM_UNARY_MIN_MATH, WASM_UNARY_MIN_SIMPLE] as const;
afterEach(() => setUnaryWasmTuning(...DEFAULTS));

type FloatArray = Float32Array | Float64Array;

function jsLoop(p: UnaryPrimitive, x: FloatArray): FloatArray {
  const dtype = x instanceof Float64Array ? "float64" : "float32";
  return elementwise(UNARY_SNIPPETS[p], [{ data: x, shape: [x.length] }], [x.length], dtype) as FloatArray;
}

function wasm(p: UnaryPrimitive, x: FloatArray): FloatArray {
  const out = unaryWasm(p, x, x instanceof Float64Array ? "float64" : "float32");
  expect(out, `wasm path taken for ${p}`).not.toBeNull();
  return out as FloatArray;
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

/** Fails on the first element whose bits differ (any NaN matches any NaN). */
function expectBits(p: UnaryPrimitive, x: FloatArray, got: FloatArray, want: FloatArray): void {
  const wide = x instanceof Float64Array;
  const g = wide ? new BigUint64Array(got.buffer, got.byteOffset, got.length) : new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = wide ? new BigUint64Array(want.buffer, want.byteOffset, want.length) : new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < x.length; i++) {
    if (g[i] !== w[i] && !(got[i] !== got[i] && want[i] !== want[i])) {
      expect.fail(`${p} ${wide ? "float64" : "float32"}(${show(x[i])}) = ${show(got[i])} in wasm, ${show(want[i])} in JS`);
    }
  }
}

/** Compares wasm with the JS loop with the operands in each placement (copied through, or in place). */
function check(p: UnaryPrimitive, x: FloatArray): void {
  const want = jsLoop(p, x);
  for (const placement of PLACEMENTS) {
    placed(placement, [x], (y) => {
      const got = wasm(p, y);
      expectBits(p, x, got, want);
      return [got];
    });
  }
}

/** Every `step`-th float32 bit pattern from `start`: the whole range, ±, subnormals, ∞ and NaN. */
function float32Sweep(step: number, start: number): Float32Array {
  const n = Math.floor((2 ** 32 - 1 - start) / step) + 1;
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) bits[i] = start + i * step;
  return new Float32Array(bits.buffer);
}

const f64Bits = (hi: number, lo: number) => new Float64Array(new Uint32Array([lo, hi]).buffer)[0];

/** x and its neighbours up to k ulps away on each side (float64). */
function around(x: number, k = 3): number[] {
  const a = new Float64Array([x]);
  const b = new BigInt64Array(a.buffer);
  const out: number[] = [];
  for (let d = -k; d <= k; d++) {
    const c = new BigInt64Array([b[0] + BigInt(d)]);
    out.push(new Float64Array(c.buffer)[0]);
  }
  return out;
}

/** The thresholds of fdlibm's branches, and ±0, ±∞, NaN, subnormals, extremes. */
const EDGES = [
  0, -0, NaN, -NaN, Infinity, -Infinity, 1, -1, 2, 0.5, -0.5, 22, -22, 708, -708, 1e-300, 5e-324, -5e-324, 1e-310, -1e-310,
  2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, 3.4028234663852886e38, -3.4028234663852886e38,
  1.401298464324817e-45, 1.1754943508222875e-38, 88.72283935546875, -87.33654022216797, -103.97208404541016, 89, -104,
  ...[
    7.09782712893383973096e2, -745.1332191019411 /* fdlibm: -7.45133219101941108420e2 */, 709.436138978, -708.39641853226408, -709.0895657128241, 1, -1, 22, -22,
    0.34657359027997264, -0.34657359027997264, 1.0397207708399179, -1.0397207708399179, 2 ** -28, -(2 ** -28), 2 ** -54, 2 ** -20,
    Math.SQRT2, Math.SQRT1_2, 0.25, 56 * Math.LN2, 20 * Math.LN2, -2, 2, 44,
    f64Bits(0x3fd62e43, 0), f64Bits(0x3fd62e42, 0xffffffff), f64Bits(0x3ff0a2b2, 0), f64Bits(0x40862e42, 0), f64Bits(0x3e300000, 0),
    f64Bits(0x3fe6a09e, 0x667f3bcd), f64Bits(0x3ff6a09e, 0), 1 + 2 ** -20, 1 - 2 ** -21, 0.5 - 2 ** -22,
  ].flatMap((v) => [...around(v), ...around(-v)]),
];

describe("unary wasm kernels equal the JS loops bit for bit", () => {
  it("over a sweep of 4.3 million float32 bit patterns (every 997th, all signs, subnormals, ∞, NaN)", () => {
    const x = float32Sweep(997, 123);
    for (const p of OPS) check(p, x);
  }, 120_000);

  it("over dense float32 sweeps where the math is not trivial (2^-30 ≤ |x| ≤ 128: 10 million values)", () => {
    // Every 61st float32 value between 2^-30 and 128 in magnitude, both signs.
    const lo = new Uint32Array(new Float32Array([2 ** -30]).buffer)[0];
    const hi = new Uint32Array(new Float32Array([128]).buffer)[0];
    const n = Math.floor((hi - lo) / 61);
    const bits = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) {
      bits[2 * i] = lo + 61 * i;
      bits[2 * i + 1] = (lo + 61 * i) | 0x80000000;
    }
    const x = new Float32Array(bits.buffer);
    for (const p of MATH) check(p, x);
  }, 120_000);

  it("float32 exp where Math.exp lands within 4e-14 of a float32 rounding midpoint (the bounded path must fall back)", () => {
    // Found by scanning float32 inputs near 0.02–0.05; each is checked to be such a case here.
    const bits = Uint32Array.from([0x3c8e1619, 0x3c96e1f8, 0x3c971aaa, 0x3ca477e1, 0x3ca834ff, 0x3caffe2e, 0x3cb8389b, 0x3cd85a43, 0x3d1a274e, 0x3d22355d, 0x3d4c032a, 0x3d601b10]);
    const hard = new Float32Array(bits.buffer);
    for (const v of hard) {
      const y = Math.exp(v);
      const r = Math.fround(y);
      const next = new Float32Array([r]);
      new Uint32Array(next.buffer)[0] += y > r ? 1 : -1;
      expect(Math.abs(y - (r + next[0]) / 2) / y, `exp(${v}) near a midpoint`).toBeLessThan(4e-14);
    }
    // Spread over blocks of 64 among ordinary values, and alone.
    const x = Float32Array.from({ length: 64 * hard.length }, (_, i) => (i % 64 === 7 ? hard[i >> 6] : (i % 13) / 7 - 0.9));
    check("exp", x);
    check("exp", Float32Array.from({ length: 32 }, (_, i) => hard[i % hard.length]));
  });

  it("float32 sigmoid where the JS value lands within 4e-14 of a float32 rounding midpoint (the bounded path must fall back)", () => {
    const bits = Uint32Array.from([0xbc4672df, 0xbc63022e, 0x3c8094ed, 0xbc84e51f, 0x3cf8521e, 0xbd228405, 0x3d331bae, 0x3de673dc, 0xbe104170, 0x3e11c52c, 0x3e1420e5, 0xbe4d2d5b]);
    const hard = new Float32Array(bits.buffer);
    for (const v of hard) {
      const y = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      const r = Math.fround(y);
      const next = new Float32Array([r]);
      new Uint32Array(next.buffer)[0] += y > r ? 1 : -1;
      expect(Math.abs(y - (r + next[0]) / 2) / y, `sigmoid(${v}) near a midpoint`).toBeLessThan(4e-14);
    }
    check("sigmoid", Float32Array.from({ length: 64 * hard.length }, (_, i) => (i % 64 === 9 ? hard[i >> 6] : (i % 17) / 5 - 1.7)));
    check("sigmoid", Float32Array.from({ length: 32 }, (_, i) => hard[i % hard.length]));
  });

  it("over float64 edges of fdlibm's branches and overflow/underflow thresholds", () => {
    const x = Float64Array.from(EDGES);
    for (const p of OPS) check(p, x);
    for (const p of OPS) check(p, Float32Array.from(EDGES));
  });

  it("over a million float64 values: random bit patterns and values at every scale", () => {
    let s = 20261206;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const x = new Float64Array(1 << 20);
    const w = new Uint32Array(x.buffer);
    for (let i = 0; i < x.length; i++) {
      if (i % 4 === 0) {
        w[2 * i] = rnd() * 2 ** 32;
        w[2 * i + 1] = rnd() * 2 ** 32;
      } else x[i] = (rnd() - 0.5) * 2 ** (rnd() * 24 - 12) * (i % 4 === 3 ? 1000 : 4);
    }
    for (const p of OPS) check(p, x);
  }, 60_000);

  it("for the float64 results: Math.exp, Math.log, Math.tanh themselves", () => {
    const x = Float64Array.from({ length: 4096 }, (_, i) => (i - 2048) / 37.3);
    const direct: Record<string, (v: number) => number> = { exp: Math.exp, log: Math.log, tanh: Math.tanh };
    for (const p of ["exp", "log", "tanh"] as UnaryPrimitive[]) {
      const got = wasm(p, x);
      for (let i = 0; i < x.length; i++) if (!Object.is(got[i], direct[p](x[i]))) expect.fail(`${p}(${x[i]}) = ${got[i]}, Math gives ${direct[p](x[i])}`);
    }
  });

  it("property: any values, lengths and chunk sizes, through the tensor API", () => {
    const value = (f32: boolean) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...EDGES) },
        { weight: 3, arbitrary: f32 ? fc.float() : fc.double() },
        { weight: 2, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
      );
    fc.assert(
      fc.property(
        fc.constantFrom(...OPS),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(value(true), { minLength: 1, maxLength: 150 }),
        (p, f32, chunkQuarter, extra, values) => {
          setUnaryWasmTuning(4 * chunkQuarter, 1, 1);
          const x = f32 ? Float32Array.from(values) : Float64Array.from(values);
          check(p, x);
          // The same through the public op, which dispatches to the kernel.
          const padded = Array.from(x).concat(new Array(extra).fill(0.5));
          const t = tensor(padded, { shape: [padded.length], dtype: f32 ? "float32" : "float64" });
          const y = (t[p as "exp"] as () => typeof t).call(t).dataSync() as FloatArray;
          const want = jsLoop(p, f32 ? Float32Array.from(padded) : Float64Array.from(padded));
          expectBits(p, want, y, want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("leaves int, bool and small inputs to the JavaScript loop", () => {
    expect(unaryWasm("exp", new Int32Array(1024), "float32")).toBeNull();
    expect(unaryWasm("neg", new Int32Array(1024), "int32")).toBeNull();
    expect(unaryWasm("sin", new Float32Array(1024), "float32")).toBeNull();
    expect(unaryWasm("exp", new Float32Array(WASM_UNARY_MIN_MATH - 1), "float32")).toBeNull();
    expect(unaryWasm("abs", new Float64Array(WASM_UNARY_MIN_SIMPLE - 1), "float64")).toBeNull();
    expect(unaryWasm("exp", new Float64Array(1024), "float32")).toBeNull();
  });
});
