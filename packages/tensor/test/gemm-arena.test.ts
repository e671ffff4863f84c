import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { gemmF32, gemmF64 } from "../src/backend/cpu/gemm/index";
import { ARENA_MIN_BYTES, arenaArray, freeArenaArray, residentOffset, setArenaCanaries, setArenaMinBytes } from "../src/backend/cpu/arena";
import { dataOf } from "../src/backend/cpu/storage";
import { Generator, matmul, randn } from "../src";

// Single-thread products of operands resident in the CPU arena run there in place, through the
// gemm's unshared build; they must give exactly the bits of the copying path (the shared build).

afterEach(() => {
  setArenaMinBytes(ARENA_MIN_BYTES);
  setArenaCanaries(0);
});

type Float = Float32Array | Float64Array;

function inArena<T extends Float>(x: T): T {
  const copy = arenaArray(x instanceof Float64Array ? "float64" : "float32", x.length) as T;
  copy.set(x);
  return copy;
}

function expectSame(got: Float, want: Float, what: string): void {
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect.fail(`${what}: element ${i} is ${got[i]}, copying path gives ${want[i]}`);
}

describe("gemm on resident operands", () => {
  it("equals the copying path bit for bit: shapes across the micro-tile, k-block and m-block edges, both transposes, both precisions", () => {
    setArenaMinBytes(0);
    setArenaCanaries(64); // and writes nothing past C's block
    const dim = fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(6, 8, 64, 119, 121, 255, 257));
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), (m, n, k, ta, tb, f64, seed) => {
        const Ctor = f64 ? Float64Array : Float32Array;
        let s = seed >>> 0;
        const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), (s / 2 ** 32 - 0.5) * 4);
        const a = Ctor.from(Array.from({ length: m * k }, next));
        const b = Ctor.from(Array.from({ length: k * n }, next));
        if (m > 0) a[0] = -0; // signed zeros and a zero product take the same path in both
        const want = new Ctor(m * n);
        const gemm = (x: Float, y: Float, z: Float) => (f64 ? gemmF64(x as Float64Array, y as Float64Array, z as Float64Array, m, n, k, ta, tb)
          : gemmF32(x as Float32Array, y as Float32Array, z as Float32Array, m, n, k, ta, tb));
        gemm(a, b, want);
        const ra = inArena(a);
        const rb = inArena(b);
        const rc = arenaArray(f64 ? "float64" : "float32", m * n) as Float;
        expect(residentOffset(rc)).toBeGreaterThanOrEqual(0);
        if (m * n * k >= 256) rc.fill(Number.NaN); // the kernel must write every element
        gemm(ra, rb, rc);
        expectSame(rc, want, `${f64 ? "dgemm" : "sgemm"} ${m}×${n}×${k}${ta ? " Aᵀ" : ""}${tb ? " Bᵀ" : ""}`);
        for (const x of [ra, rb, rc]) freeArenaArray(x);
      }),
      { numRuns: 150 },
    );
  });

  it("batched matmul of resident tensors (subarray views of blocks) equals the copying path", () => {
    const g = new Generator(7);
    const x = randn([3, 40, 24], g);
    const w = randn([3, 24, 33], g);
    expect(residentOffset(dataOf(x))).toBeGreaterThanOrEqual(0);
    const got = matmul(x, w).dataSync();
    const want = new Float32Array(3 * 40 * 33);
    const xs = x.dataSync() as Float32Array;
    const ws = w.dataSync() as Float32Array;
    for (let t = 0; t < 3; t++) gemmF32(xs.subarray(t * 960, (t + 1) * 960), ws.subarray(t * 792, (t + 1) * 792), want.subarray(t * 1320, (t + 1) * 1320), 40, 33, 24, false, false);
    expectSame(got as Float32Array, want, "batched matmul");
  });
});
