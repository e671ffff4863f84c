import fc from "fast-check";
import { ArgumentError } from "../src/errors";
import { afterEach, describe, expect, it } from "vitest";
import type { AdamHyper, SgdHyper, Storage } from "../src/backend/backend";
import { cpuFused } from "../src/backend/cpu/fused";
import { OPTIM_CHUNK, OPTIM_WASM_MIN, adamWasm, setOptimWasmTuning, sgdWasm } from "../src/backend/cpu/optim-wasm";
import { placed } from "./placement";
import type { CpuStorage } from "../src/backend/cpu/storage";

// The wasm SIMD optimizer updates must write exactly what the JS loops in fused.ts write, into
// the parameter and every state array: compared element by element with Object.is.

const DEFAULT_CHUNK = OPTIM_CHUNK;
const DEFAULT_MIN = OPTIM_WASM_MIN;
afterEach(() => setOptimWasmTuning(DEFAULT_CHUNK, DEFAULT_MIN));

type Float = Float32Array | Float64Array;
const DTYPES = ["float32", "float64"] as const;

const storage = (data: Float, dtype: string): Storage => ({ dtype, size: data.length, refCount: 1, data }) as unknown as CpuStorage;

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}: element ${i} is ${show(actual[i])}, JS gives ${show(expected[i])}`);
  }
}

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, 1e-40, 3.4028235e38, -1, 1e-8, 1e8];
const value = (specials: boolean) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
    { weight: specials ? 1 : 0, arbitrary: fc.constantFrom(...SPECIAL) },
  );
const positive = fc.double({ min: 0, max: 10, noNaN: true });

/** Runs the update through JS (wasm off) and through wasm on copies; compares every array. */
function compare(dtype: (typeof DTYPES)[number], arrays: number[][], run: (s: Storage[]) => void, wasmRan: (a: Float[]) => boolean, what: string) {
  const make = () => arrays.map((a) => (dtype === "float32" ? Float32Array.from(a) : Float64Array.from(a)));
  const js = make();
  setOptimWasmTuning(OPTIM_CHUNK, Number.POSITIVE_INFINITY);
  run(js.map((a) => storage(a, dtype)));
  setOptimWasmTuning(OPTIM_CHUNK, 0);
  // Copied through, and in place with every array resident in the arena.
  for (const placement of ["typed arrays", "arena"] as const) {
    placed(placement, make(), (...wasm) => {
      expect(wasmRan(wasm), `wasm path for ${what}`).toBe(true);
      js.forEach((a, i) => expectSame(wasm[i], a, `${what}, array ${i}, ${placement}`));
      return [];
    });
  }
}

const adamHyper = fc.record({
  lr: fc.constantFrom(1e-3, 0.1, 0.37),
  beta1: fc.constantFrom(0.9, 0, 0.5),
  beta2: fc.constantFrom(0.999, 0.9),
  eps: fc.constantFrom(1e-8, 1e-3, 0),
  weightDecay: fc.constantFrom(0, 0.01, 0.5),
  decoupled: fc.boolean(),
  step: fc.integer({ min: 1, max: 2000 }),
});

const sgdHyper = fc.record({
  lr: fc.constantFrom(1e-3, 0.1, 0.37),
  momentum: fc.constantFrom(0, 0.9, 0.5, -0),
  dampening: fc.constantFrom(0, 0.1),
  nesterov: fc.boolean(),
  weightDecay: fc.constantFrom(0, 1e-4, 0.5),
  firstStep: fc.boolean(),
});

describe("wasm optimizer updates equal the JS loops bit for bit", () => {
  for (const dtype of DTYPES) {
    it(`${dtype}: Adam and AdamW, lengths around the vector width, small chunks, specials`, () => {
      setOptimWasmTuning(8, 0);
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 37 }),
          fc.boolean(),
          fc.array(value(true), { minLength: 3 * 37, maxLength: 3 * 37 }),
          fc.array(positive, { minLength: 37, maxLength: 37 }),
          adamHyper,
          (n, specials, pgm, v, h: AdamHyper) => {
          const pick = (k: number) => pgm.slice(k * 37, k * 37 + n).map((t) => (specials || Number.isFinite(t) ? t : 0.5));
          const arrays = [pick(0), pick(1), pick(2), v.slice(0, n)];
          compare(dtype, arrays, ([p, g, m, vv]) => cpuFused.adam(p, g, m, vv, h), ([p, g, m, vv]) => adamWasm(p, g, m, vv, h), `adam n=${n}`);
        }),
        { numRuns: 300 },
      );
    });

    it(`${dtype}: SGD with every momentum/Nesterov/first-step combination`, () => {
      setOptimWasmTuning(8, 0);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 37 }), fc.array(value(true), { minLength: 3 * 37, maxLength: 3 * 37 }), sgdHyper, (n, pgb, h: SgdHyper) => {
          const arrays = [0, 1, 2].map((k) => pgb.slice(k * 37, k * 37 + n));
          compare(dtype, arrays, ([p, g, b]) => cpuFused.sgd(p, g, b, h), ([p, g, b]) => sgdWasm(p, g, b, h), `sgd n=${n}`);
        }),
        { numRuns: 300 },
      );
    });

    it(`${dtype}: several Adam steps on a layer-sized parameter with the default chunk`, () => {
      const n = 64 * 64 + 3;
      let s = 7;
      const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2147483648 - 1);
      const p0 = Array.from({ length: n }, rnd);
      const grads = [0, 1, 2].map(() => Array.from({ length: n }, rnd));
      const Ctor = dtype === "float32" ? Float32Array : Float64Array;
      const run = (wasm: boolean) => {
        setOptimWasmTuning(DEFAULT_CHUNK, wasm ? DEFAULT_MIN : Number.POSITIVE_INFINITY);
        const [p, m, v] = [Ctor.from(p0), new Ctor(n), new Ctor(n)].map((a) => storage(a, dtype));
        grads.forEach((g, t) => cpuFused.adam(p, storage(Ctor.from(g), dtype), m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true, step: t + 1 }));
        return [p, m, v].map((x) => (x as CpuStorage).data);
      };
      const js = run(false);
      run(true).forEach((a, i) => expectSame(a, js[i], `step 3, array ${i}`));
    });
  }

  it("leaves small parameters, mixed types and int arrays to the JS loop", () => {
    const h: AdamHyper = { lr: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
    const f = (n: number) => new Float32Array(n);
    expect(adamWasm(f(DEFAULT_MIN - 1), f(DEFAULT_MIN - 1), f(DEFAULT_MIN - 1), f(DEFAULT_MIN - 1), h)).toBe(false);
    expect(adamWasm(f(100), new Float64Array(100), f(100), f(100), h)).toBe(false);
    expect(sgdWasm(new Int32Array(100), new Int32Array(100), new Int32Array(100), { lr: 1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true })).toBe(false);
  });

  it("rejects a chunk size the kernels cannot run in whole vectors", () => {
    expect(() => setOptimWasmTuning(6, 1)).toThrow(ArgumentError);
  });
});
