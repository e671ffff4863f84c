import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "../../../../src/errors";
import { gemmF32, gemmF64, setGemmThreads } from "../../../../src/backend/cpu/gemm/index";
import { THREAD_FLOPS } from "../../../../src/backend/cpu/gemm/policy";
import { fillRandom, firstMismatch, referenceGemm } from "./reference.test-util";
import { gemmWorkerCount } from "../../../../src/backend/cpu/gemm/wasm-gemm";

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: [string, Ctor, number][] = [
  ["f32", Float32Array, 2 ** -23],
  ["f64", Float64Array, 2 ** -52],
];
const VARIANTS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** Runs one product (inputs placed at an element offset inside larger buffers) and checks it. */
function check(F: Ctor, eps: number, m: number, n: number, k: number, ta: boolean, tb: boolean, offset = 0, seed = 1): void {
  const a = fillRandom(new F(m * k + offset + 2), seed).subarray(offset, offset + m * k);
  const b = fillRandom(new F(k * n + offset + 3), seed + 1).subarray(offset, offset + k * n);
  const cBuf = new F(m * n + offset + 1).fill(NaN);
  const c = cBuf.subarray(offset, offset + m * n);
  if (F === Float32Array) gemmF32(a as Float32Array, b as Float32Array, c as Float32Array, m, n, k, ta, tb);
  else gemmF64(a as Float64Array, b as Float64Array, c as Float64Array, m, n, k, ta, tb);
  const bad = firstMismatch(c, referenceGemm(a, b, m, n, k, ta, tb), k, eps);
  expect(bad, `${F.name} m=${m} n=${n} k=${k} ta=${ta} tb=${tb} offset=${offset}`).toBe(-1);
  // Nothing outside C is written.
  for (let i = 0; i < offset; i++) expect(cBuf[i]).toBeNaN();
  expect(cBuf[offset + m * n]).toBeNaN();
}

afterAll(() => setGemmThreads(2));

describe.each(DTYPES)("gemm %s", (_name, F, eps) => {
  it("handles empty and degenerate sizes", () => {
    for (const [m, n, k] of [[0, 0, 0], [0, 3, 2], [3, 0, 2], [1, 1, 1], [1, 7, 1], [7, 1, 1], [1, 1, 300], [64, 1, 64], [1, 64, 64], [64, 64, 2]]) {
      for (const [ta, tb] of VARIANTS) check(F, eps, m, n, k, ta, tb);
    }
  });

  it("writes zeros when k = 0", () => {
    const c = new F(6).fill(NaN);
    if (F === Float32Array) gemmF32(new Float32Array(0), new Float32Array(0), c as Float32Array, 2, 3, 0, false, false);
    else gemmF64(new Float64Array(0), new Float64Array(0), c as Float64Array, 2, 3, 0, true, true);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("matches the reference on random odd sizes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 45 }), fc.integer({ min: 1, max: 45 }), fc.integer({ min: 1, max: 45 }),
        fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 5 }),
        (m, n, k, ta, tb, offset) => check(F, eps, m, n, k, ta, tb, offset, m * 31 + n),
      ),
      { numRuns: 120, seed: 20240611 },
    );
  });

  it("crosses the cache-blocking and micro-tile boundaries", () => {
    setGemmThreads(1);
    // k > KC (256), m > MC (120 / 64), n > NC (512 for f64, 1024 for f32), ragged micro-tile edges.
    for (const [ta, tb] of VARIANTS) check(F, eps, 131, 19, 515, ta, tb, 1);
    for (const [ta, tb] of VARIANTS) check(F, eps, 7, 1030, 9, ta, tb, 3);
    check(F, eps, 127, 67, 257, false, false);
  });

  it("splits large products across worker threads", () => {
    setGemmThreads(2);
    const cases: [number, number, number][] = [[131, 121, 269], [13, 709, 461], [170, 160, 160]];
    for (const [m, n, k] of cases) {
      expect(m * n * k).toBeGreaterThanOrEqual(THREAD_FLOPS);
      for (const [ta, tb] of VARIANTS) check(F, eps, m, n, k, ta, tb, 2);
    }
    expect(gemmWorkerCount()).toBe(1);
    // Repeated calls reuse the same workers.
    for (let s = 0; s < 3; s++) check(F, eps, 163, 161, 160, s % 2 === 1, false, 0, s);
  });
});

describe("gemm argument checks", () => {
  it("rejects arrays too short for the shape", () => {
    const z = new Float32Array(5);
    expect(() => gemmF32(z, new Float32Array(6), new Float32Array(6), 2, 3, 3, false, false)).toThrow(ShapeError);
    expect(() => gemmF64(new Float64Array(6), new Float64Array(9), new Float64Array(5), 2, 3, 3, false, false)).toThrow(ShapeError);
  });

  it("rejects sizes that are not non-negative integers", () => {
    const z = new Float32Array(16);
    expect(() => gemmF32(z, z, z, -1, 2, 2, false, false)).toThrow(ArgumentError);
    expect(() => gemmF32(z, z, z, 2, 1.5, 2, false, false)).toThrow(ArgumentError);
    expect(() => setGemmThreads(-1)).toThrow(ArgumentError);
  });
});
