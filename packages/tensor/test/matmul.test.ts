import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { broadcastPairArbitrary } from "../src/testing.js";
import { check, expectClose, randomTensor, seedArbitrary, sizeOfShape, unravel, values } from "./helpers.js";

/** The naive reference: batched triple loop with explicit transposes and NumPy vector rules. */
function naiveMatmul(a: number[], sa: number[], b: number[], sb: number[], ta: boolean, tb: boolean): { data: number[]; shape: number[] } {
  const vecA = sa.length === 1;
  const vecB = sb.length === 1;
  const sa2 = vecA ? [1, sa[0]] : sa;
  const sb2 = vecB ? [sb[0], 1] : sb;
  const [ar, ac] = sa2.slice(-2);
  const [br, bc] = sb2.slice(-2);
  const m = ta && !vecA ? ac : ar;
  const k = ta && !vecA ? ar : ac;
  const n = tb && !vecB ? br : bc;
  const batchA = sa2.slice(0, -2);
  const batchB = sb2.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch = Array.from({ length: rank }, (_, i) => {
    const da = batchA[i - (rank - batchA.length)] ?? 1;
    const db = batchB[i - (rank - batchB.length)] ?? 1;
    return da === 1 ? db : da;
  });
  const at = (data: number[], bshape: number[], idx: number[], rows: number, cols: number, r: number, c: number) => {
    let p = 0;
    for (let j = 0; j < bshape.length; j++) p = p * bshape[j] + (bshape[j] === 1 ? 0 : idx[rank - bshape.length + j]);
    return data[(p * rows + r) * cols + c];
  };
  const data: number[] = [];
  for (let t = 0; t < sizeOfShape(batch); t++) {
    const idx = unravel(t, batch);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = ta && !vecA ? at(a, batchA, idx, ar, ac, p, i) : at(a, batchA, idx, ar, ac, i, p);
          const y = tb && !vecB ? at(b, batchB, idx, br, bc, j, p) : at(b, batchB, idx, br, bc, p, j);
          s += x * y;
        }
        data.push(s);
      }
    }
  }
  const shape = [...batch, ...(vecA ? [] : [m]), ...(vecB ? [] : [n])];
  return { data, shape };
}

interface Case {
  sa: number[];
  sb: number[];
  ta: boolean;
  tb: boolean;
}

function caseArbitrary(maxBatchDim: number, dim: fc.Arbitrary<number>): fc.Arbitrary<Case> {
  return fc
    .record({ batch: broadcastPairArbitrary({ maxRank: 2, maxDim: maxBatchDim }), m: dim, k: dim, n: dim, ta: fc.boolean(), tb: fc.boolean(), va: fc.boolean(), vb: fc.boolean() })
    .map(({ batch, m, k, n, ta, tb, va, vb }) => ({
      sa: va ? [k] : [...batch[0], ...(ta ? [k, m] : [m, k])],
      sb: vb ? [k] : [...batch[1], ...(tb ? [n, k] : [k, n])],
      ta,
      tb,
    }));
}

function checkCase({ sa, sb, ta, tb }: Case, seed: number, dtype: "float32" | "float64"): void {
  const a = randomTensor(sa, seed).cast(dtype);
  const b = randomTensor(sb, seed + 1).cast(dtype);
  const expected = naiveMatmul(values(a), sa, values(b), sb, ta, tb);
  const k = sa.length === 1 ? sa[0] : ta ? sa[sa.length - 2] : sa[sa.length - 1];
  const tol = dtype === "float32" ? 1e-5 * Math.max(1, k) * 4 : 1e-12 * Math.max(1, k) * 4;
  const out = T.matmul(a, b, { transposeA: ta, transposeB: tb });
  expect(out.dtype).toBe(dtype);
  expectClose(out, expected.data, expected.shape, tol, tol);
}

describe("matmul agrees with a naive triple loop", () => {
  it("small shapes: all transposition variants, broadcast batch dims, vectors, size-0 dims (float64)", () => {
    check(fc.tuple(caseArbitrary(3, fc.integer({ min: 0, max: 5 })), seedArbitrary), ([c, seed]) => checkCase(c, seed, "float64"), 60);
  });

  it("small shapes in float32", () => {
    check(fc.tuple(caseArbitrary(3, fc.integer({ min: 0, max: 5 })), seedArbitrary), ([c, seed]) => checkCase(c, seed, "float32"), 40);
  });

  it("odd medium sizes that take the SIMD path (float32 and float64)", () => {
    const dim = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 13, max: 41 }));
    check(fc.tuple(caseArbitrary(2, dim), seedArbitrary, fc.constantFrom<"float32" | "float64">("float32", "float64")), ([c, seed, dtype]) => checkCase(c, seed, dtype), 25);
  });

  it("1×N, N×1 and outer/inner products", () => {
    for (const [sa, sb] of [
      [[1, 37], [37, 1]],
      [[37, 1], [1, 29]],
      [[1, 1], [1, 50]],
      [[50, 1], [1, 1]],
      [[37], [37]],
      [[37], [37, 5]],
      [[5, 37], [37]],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = ta && sa.length === 2 ? [sa[1], sa[0]] : sa;
          const b = tb && sb.length === 2 ? [sb[1], sb[0]] : sb;
          checkCase({ sa: a, sb: b, ta, tb }, 3, "float64");
          checkCase({ sa: a, sb: b, ta, tb }, 4, "float32");
        }
      }
    }
  });

  it("large products split across threads", () => {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const [m, k, n] = [161, 167, 163];
        checkCase({ sa: ta ? [k, m] : [m, k], sb: tb ? [n, k] : [k, n], ta, tb }, 11, "float32");
      }
    }
    checkCase({ sa: [2, 1, 65, 70], sb: [3, 70, 66], ta: false, tb: false }, 12, "float64");
  });

  it("int32 operands multiply exactly and stay int32", () => {
    const a = T.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
    const b = T.tensor([[1, 0], [0, 1], [2, -1]], { dtype: "int32" });
    const out = T.matmul(a, b);
    expect(out.dtype).toBe("int32");
    expect(out.arraySync()).toEqual([[7, -1], [16, -1]]);
    expect(T.matmul(a, a, { transposeB: true }).arraySync()).toEqual([[14, 32], [32, 77]]);
    expect(T.matmul(a, a, { transposeA: true }).arraySync()).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
  });

  it("mixed dtypes promote", () => {
    const a = T.tensor([[1, 2]], { dtype: "int32" });
    const b = T.tensor([[0.5], [0.25]], { dtype: "float64" });
    const out = T.matmul(a, b);
    expect(out.dtype).toBe("float64");
    expect(out.arraySync()).toEqual([[1]]);
  });

  it("the transposed forms equal matmul of explicit transposes", () => {
    check(seedArbitrary, (seed) => {
      const a = randomTensor([2, 5, 3], seed);
      const b = randomTensor([2, 4, 5], seed + 1);
      const viaFlag = T.matmul(a, b, { transposeA: true, transposeB: true });
      const explicit = T.matmul(T.transpose(a), T.transpose(b));
      expectClose(viaFlag, values(explicit), explicit.shape.slice(), 1e-12, 1e-12);
      expectClose(T.matmul(a, b, { transposeA: true, transposeB: true }), values(T.transpose(T.matmul(b, a))), [2, 3, 4], 1e-12, 1e-12);
    }, 10);
  });

  it("rejects mismatched inner dimensions and unbroadcastable batches", () => {
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 2]))).toThrow(/matmul: inner dimensions differ: \[2, 3\] · \[4, 2\] \(3 vs 4\)/);
    expect(() => T.matmul(T.zeros([2, 2, 3]), T.zeros([3, 3, 2]))).toThrow(T.ShapeError);
    expect(() => T.matmul(T.zeros([]), T.zeros([2]))).toThrow(/rank ≥ 1/);
  });
});
