import { describe, expect, it } from "vitest";
import { erf } from "../src/backend/cpu/erf";
import { UNARY_SNIPPETS, elementwise } from "../src/backend/cpu/elementwise";
import { WASM_ERF_OP, unaryWasmInto } from "../src/backend/cpu/unary-wasm";

// The module's erf must give exactly the JS erf (erf.ts): float64 results equal erf(x) bit for bit,
// float32 results equal the generated JS loop (erf in float64, rounded on the store). NaN matches NaN.

type FloatArray = Float32Array | Float64Array;

function wasmErf(x: FloatArray): FloatArray {
  const out = x instanceof Float64Array ? new Float64Array(x.length) : new Float32Array(x.length);
  unaryWasmInto(WASM_ERF_OP, x, out);
  return out;
}

function jsErf(x: FloatArray): FloatArray {
  const dtype = x instanceof Float64Array ? "float64" : "float32";
  return elementwise(UNARY_SNIPPETS.erf, [{ data: x, shape: [x.length] }], [x.length], dtype) as FloatArray;
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

function expectSame(x: FloatArray, got: FloatArray, want: FloatArray): void {
  const wide = x instanceof Float64Array;
  const g = wide ? new BigUint64Array(got.buffer, got.byteOffset, got.length) : new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = wide ? new BigUint64Array(want.buffer, want.byteOffset, want.length) : new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < x.length; i++) {
    if (g[i] !== w[i] && !(got[i] !== got[i] && want[i] !== want[i])) {
      expect.fail(`erf ${wide ? "float64" : "float32"}(${show(x[i])}) = ${show(got[i])} in wasm, ${show(want[i])} in JS`);
    }
  }
}

const check = (x: FloatArray) => expectSame(x, wasmErf(x), jsErf(x));

/** Every `step`-th float32 bit pattern from `start`. */
function float32Sweep(step: number, start: number): Float32Array {
  const n = Math.floor((2 ** 32 - 1 - start) / step) + 1;
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) bits[i] = start + i * step;
  return new Float32Array(bits.buffer);
}

/** x and its float64 neighbours up to k ulps away on each side. */
function around(x: number, k = 3): number[] {
  const b = new BigInt64Array(new Float64Array([x]).buffer);
  const out: number[] = [];
  for (let d = -k; d <= k; d++) out.push(new Float64Array(new BigInt64Array([b[0] + BigInt(d)]).buffer)[0]);
  return out;
}

describe("erf in wasm equals the JavaScript erf bit for bit", () => {
  it("every 997th float32 bit pattern (both signs, subnormals, ±0, ±∞, NaN)", () => {
    check(float32Sweep(997, 5));
  });

  it("every 61st float32 value with |x| in [2^-30, 8], both signs, where the series and the fraction run", () => {
    const lo = new Uint32Array(new Float32Array([2 ** -30]).buffer)[0];
    const hi = new Uint32Array(new Float32Array([8]).buffer)[0];
    const n = Math.floor((hi - lo) / 61) + 1;
    const bits = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) {
      bits[2 * i] = lo + i * 61;
      bits[2 * i + 1] = (lo + i * 61) | 0x80000000;
    }
    check(new Float32Array(bits.buffer));
  });

  it("float64: random bit patterns, every scale, the branch thresholds ±2.5 and ±6, odd lengths", () => {
    let s = 12345;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const bits = new Uint32Array(2 * 65536);
    for (let i = 0; i < bits.length; i++) bits[i] = rnd();
    const random = new Float64Array(bits.buffer);
    const scaled = Float64Array.from({ length: 65536 }, (_, i) => ((rnd() / 2 ** 32) - 0.5) * 2 ** ((i % 40) - 30));
    const edges = [2.5, 6, 0, 1e-300, 5e-324, 2 ** -1022, 1, 3.5, 5.9, 1e300, Infinity, NaN].flatMap((v) => [...around(v), ...around(-v)]);
    for (const x of [random, scaled, Float64Array.from(edges), Float64Array.from(edges.slice(0, 7))]) {
      check(x);
      // and against erf itself, which the float64 loop calls
      const got = wasmErf(x);
      for (let i = 0; i < x.length; i++) {
        const want = erf(x[i]);
        if (!Object.is(got[i], want) && !(got[i] !== got[i] && want !== want)) expect.fail(`erf(${show(x[i])}) = ${show(got[i])} in wasm, ${show(want)}`);
      }
    }
  });

  it("a lane that converges early keeps its own value while the other lane goes on", () => {
    // pairs mixing few and many iterations, and the series with the continued fraction
    const pairs = [0.001, 2.4, 2.4, 0.001, 0.001, 4, 4, 0.001, 2.6, 5.9, -0, 2.49, 7, -3, NaN, 1];
    check(Float64Array.from(pairs));
    check(Float32Array.from(pairs));
  });
});
