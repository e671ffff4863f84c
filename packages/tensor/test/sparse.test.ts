import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { checkGrads } from "../src/testing.js";
import { check, expectClose, randomTensor, seedArbitrary, values } from "./helpers.js";

/** A random COO pattern (duplicates allowed) with its dense equivalent. */
const cooArbitrary = fc
  .record({ rows: fc.integer({ min: 0, max: 6 }), cols: fc.integer({ min: 0, max: 6 }), n: fc.integer({ min: 0, max: 4 }), seed: seedArbitrary })
  .chain((r) =>
    fc
      .array(fc.tuple(fc.nat({ max: Math.max(r.rows - 1, 0) }), fc.nat({ max: Math.max(r.cols - 1, 0) })), { maxLength: r.rows * r.cols === 0 ? 0 : 12 })
      .map((entries) => ({ ...r, entries })),
  );

function denseOf(rows: number, cols: number, entries: [number, number][], v: number[]): number[] {
  const d = new Array<number>(rows * cols).fill(0);
  entries.forEach(([r, c], k) => (d[r * cols + c] += v[k]));
  return d;
}

describe("sparse CSR matrices", () => {
  it("spmm equals dense matmul (duplicates summed), for matrices and vectors", () => {
    check(cooArbitrary, ({ rows, cols, n, seed, entries }) => {
      const v = randomTensor([entries.length], seed);
      const a = T.SparseMatrix.fromCOO(entries.map((e) => e[0]), entries.map((e) => e[1]), v, [rows, cols]);
      const dense = denseOf(rows, cols, entries, values(v));
      expect(a.shape).toEqual([rows, cols]);
      expect(a.nnz).toBe(new Set(entries.map(([r, c]) => r * cols + c)).size);
      expectClose(a.toDense(), dense, [rows, cols], 1e-12, 1e-12);
      const x = randomTensor([cols, n], seed + 1);
      const expected = T.matmul(T.tensor(Float64Array.from(dense), { shape: [rows, cols] }), x);
      expectClose(T.spmm(a, x), values(expected), [rows, n], 1e-12, 1e-12);
      const vec = randomTensor([cols], seed + 2);
      const expectedVec = T.matmul(T.tensor(Float64Array.from(dense), { shape: [rows, cols] }), vec);
      expectClose(T.spmm(a, vec), values(expectedVec), [rows], 1e-12, 1e-12);
      // The transpose is the dense transpose.
      expectClose(a.transpose().toDense(), values(T.transpose(T.tensor(Float64Array.from(dense), { shape: [rows, cols] }))), [cols, rows], 1e-12, 1e-12);
    }, 40);
  });

  it("spmm gradients with respect to the dense operand and the values match the dense gradients", () => {
    check(cooArbitrary, ({ rows, cols, n, seed, entries }) => {
      const rowIndex = entries.map((e) => e[0]);
      const colIndex = entries.map((e) => e[1]);
      const v = randomTensor([entries.length], seed);
      const x = randomTensor([cols, n], seed + 1);
      const result = checkGrads((vs, xs) => T.spmm(T.SparseMatrix.fromCOO(rowIndex, colIndex, vs, [rows, cols]), xs), [v, x]);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      // Same gradients as going through the dense matrix.
      const w = randomTensor([rows, n], seed + 2);
      const viaSparse = T.grad((vs, xs) => T.sum(T.mul(T.spmm(T.SparseMatrix.fromCOO(rowIndex, colIndex, vs, [rows, cols]), xs), w)))(v, x);
      const viaDense = T.grad((vs, xs) => T.sum(T.mul(T.matmul(T.SparseMatrix.fromCOO(rowIndex, colIndex, vs, [rows, cols]).toDense(), xs), w)))(v, x);
      viaSparse.forEach((g, i) => expectClose(g, values(viaDense[i]), viaDense[i].shape.slice(), 1e-12, 1e-12));
    }, 25);
  });

  it("fromCSR builds the same matrix as fromCOO", () => {
    const values64 = T.tensor(new Float64Array([1, 2, 3]));
    const a = T.SparseMatrix.fromCSR([0, 2, 2, 3], [0, 2, 1], values64, [3, 3]);
    expect(a.toDense().arraySync()).toEqual([[1, 0, 2], [0, 0, 0], [0, 3, 0]]);
    expect(T.SparseMatrix.fromCOO([0, 0, 2], [0, 2, 1], values64, [3, 3]).toDense().arraySync()).toEqual(a.toDense().arraySync());
  });

  it("sddmm samples the dense product G·Xᵀ on the pattern", () => {
    const a = T.SparseMatrix.fromCOO([0, 1, 1], [1, 0, 2], T.ones([3], { dtype: "float64" }), [2, 3]);
    const g = randomTensor([2, 4], 1);
    const x = randomTensor([3, 4], 2);
    const full = values(T.matmul(g, x, { transposeB: true }));
    expectClose(T.sddmm(a.structure, g, x), [full[1], full[3], full[5]], [3], 1e-12, 1e-12);
  });

  it("names the row offsets rowPointer, as @fcn/kron's CsrMatrix does, with rowPtr a deprecated alias", () => {
    const a = T.SparseMatrix.fromCOO([2, 0, 2, 1], [1, 2, 0, 0], T.ones([4]), [3, 3]);
    expect(Array.from(a.structure.rowPointer)).toEqual([0, 1, 2, 4]);
    expect(Array.from(a.structure.transpose().structure.rowPointer)).toEqual([0, 2, 3, 4]);
    expect(a.structure.rowPtr).toBe(a.structure.rowPointer);
    const b = T.SparseMatrix.fromCSR(a.structure.rowPointer, a.structure.colIndex, T.ones([4]), [3, 3]);
    expect(Array.from(b.structure.rowPointer)).toEqual([0, 1, 2, 4]);
  });

  it("rejects bad coordinates, shapes and CSR arrays", () => {
    const v = T.ones([2]);
    expect(() => T.SparseMatrix.fromCOO([0, 2], [0, 0], v, [2, 2])).toThrow(/fromCOO: entry 1 at \(2, 0\) is outside shape \[2, 2\]/);
    expect(() => T.SparseMatrix.fromCOO([0], [0, 1], v, [2, 2])).toThrow(T.ShapeError);
    expect(() => T.SparseMatrix.fromCOO([0, 1], [0, 1], v, [2.5, 2])).toThrow(/invalid shape \[2.5, 2\]/);
    expect(() => T.SparseMatrix.fromCSR([0, 1, 2], [1, 0], v, [2, 2]).toDense()).not.toThrow();
    expect(() => T.SparseMatrix.fromCSR([0, 2, 2], [1, 0], v, [2, 2])).toThrow(/must be sorted, unique and in \[0, 2\)/);
    expect(() => T.SparseMatrix.fromCSR([0, 1], [1, 0], v, [2, 2])).toThrow(/rowPointer must have 3 entries/);
    const a = T.SparseMatrix.fromCOO([0, 1], [0, 1], v, [2, 2]);
    expect(() => T.spmm(a, T.zeros([3, 1]))).toThrow(/spmm: sparse \[2, 2\] cannot multiply dense \[3, 1\]/);
  });
});
