// The wasm-resident storage prototype (bench/resident-arena.ts) must compute exactly what the public
// ops compute, so that bench/resident.ts times the same computation with and without the copies.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, exp, sum, tensor } from "../src/index";
import { ResidentArena } from "../bench/resident-arena";

/** Bits of a float32 value, so NaN compares equal to NaN and +0 differs from −0. */
function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function sameFloat32(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`element ${i}: resident ${actual[i]} (0x${bitsOf(actual)[i].toString(16)}), public op ${expected[i]}`);
    }
  }
}

/** Deterministic float32 data with a sprinkling of the special values. */
function values(n: number, seed: number, specials = true): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  const extra = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-40, 3.4e38, 88.7, -103.9];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = specials && s % 97 === 0 ? extra[(s >>> 8) % extra.length] : (s / 2147483648 - 1) * 20;
  }
  return out;
}

const arena = new ResidentArena({ initialBytes: 1 << 16 });

function residentAdd(a: Float32Array, b: Float32Array): Float32Array {
  const pa = arena.fromFloat32(a);
  const pb = arena.fromFloat32(b);
  const out = arena.add(pa, pb, a.length);
  const result = arena.toFloat32(out, a.length);
  for (const p of [pa, pb, out]) arena.free(p);
  return result;
}

describe("wasm-resident prototype against the public ops", () => {
  it("add, broadcast add, exp and sum agree bit for bit at 1M float32 elements", () => {
    const rows = 1024;
    const n = 1024;
    const a = values(rows * n, 1);
    const b = values(rows * n, 2);
    const row = values(n, 3);
    const ta = tensor(a, { shape: [rows, n] });
    const tb = tensor(b, { shape: [rows, n] });
    const trow = tensor(row, { shape: [n] });
    const pa = arena.fromFloat32(a);
    const pb = arena.fromFloat32(b);
    const prow = arena.fromFloat32(row);
    const size = rows * n;
    const sumOut = arena.add(pa, pb, size);
    sameFloat32(arena.toFloat32(sumOut, size), add(ta, tb).dataSync() as Float32Array);
    const rowOut = arena.addRow(pa, prow, rows, n);
    sameFloat32(arena.toFloat32(rowOut, size), add(ta, trow).dataSync() as Float32Array);
    const expOut = arena.exp(pa, size);
    sameFloat32(arena.toFloat32(expOut, size), exp(ta).dataSync() as Float32Array);
    // Finite data for the sum (a NaN or ∞ anywhere would decide it alone).
    const finite = values(size, 4, false);
    const pf = arena.fromFloat32(finite);
    expect(Object.is(arena.sum(pf, size), sum(tensor(finite)).item())).toBe(true);
    expect(Object.is(arena.sum(pa, size), sum(ta).item())).toBe(true);
    for (const p of [pa, pb, prow, sumOut, rowOut, expOut, pf]) arena.free(p);
  });

  it("agrees for any length, including odd lengths and vector tails", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 0, max: 1 << 30 }), (n, seed) => {
        const a = values(n, seed);
        const b = values(n, seed + 1);
        const ta = tensor(a);
        sameFloat32(residentAdd(a, b), add(ta, tensor(b)).dataSync() as Float32Array);
        const pa = arena.fromFloat32(a);
        const out = arena.exp(pa, n);
        sameFloat32(arena.toFloat32(out, n), exp(ta).dataSync() as Float32Array);
        const finite = values(n, seed + 2, false);
        const pf = arena.fromFloat32(finite);
        expect(Object.is(arena.sum(pf, n), sum(tensor(finite)).item())).toBe(true);
        for (const p of [pa, out, pf]) arena.free(p);
      }),
      { numRuns: 40 },
    );
  });

  it("reuses freed blocks of the same size and keeps results correct after the memory grew", () => {
    const small = new ResidentArena({ initialBytes: 1 << 16 });
    const first = small.alloc(1000);
    small.free(first);
    expect(small.alloc(1000)).toBe(first);
    // Growing an unshared memory detaches its old views; the arena must read through new ones.
    const big = values(200_000, 9);
    const p = small.fromFloat32(big);
    expect(small.memory.buffer.byteLength).toBeGreaterThan(1 << 16);
    sameFloat32(small.toFloat32(p, big.length), big);
    expect(() => small.free(p + 64)).toThrow(/no live block/);
  });
});
