import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { BLOCKED_MIN_SIZE, type EighOptions, eigh, eigvalsh } from "../../src/linalg/eigh.js";
import { kronPower } from "../../src/kron/product.js";
import { sierpinski } from "../../src/kron/initiator.js";
import { fromRows, identity, matmul, transpose, zeros } from "../../src/linalg/matrix.js";
import { PROPERTY_PARAMETERS, repeatedEigenvalueMatrixArbitrary, symmetricMatrixArbitrary } from "../../src/testing.js";
import { expectArrayClose, expectClose } from "../helpers.js";

function checkDecomposition(a: ReturnType<typeof zeros>, options: EighOptions = {}): void {
  const { values, vectors } = eigh(a, options);
  const n = a.rows;
  const lambda = zeros(n, n);
  for (let i = 0; i < n; i++) lambda.data[i * n + i] = values[i];
  expectClose(matmul(a, vectors), matmul(vectors, lambda), 1e-10); // A·V = V·Λ
  expectClose(matmul(transpose(vectors), vectors), identity(n), 1e-12); // VᵀV = I
  for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  expectArrayClose(eigvalsh(a, options), values, 1e-12);
  if (options.method === "divideAndConquer") expectArrayClose(eigvalsh(a, { method: "ql" }), values, 1e-12);
}

/** Divide and conquer with tiny panels and leaves, so that small matrices exercise every merge. */
const SMALL_BLOCKS: EighOptions = { method: "divideAndConquer", blockSize: 3, leafSize: 2 };

describe("eigh", () => {
  it("reconstructs random symmetric matrices (A·V = V·Λ, VᵀV = I)", () => {
    fc.assert(fc.property(symmetricMatrixArbitrary(1, 12), (a) => checkDecomposition(a)), PROPERTY_PARAMETERS);
  });
  it("handles repeated eigenvalues with an orthonormal basis", () => {
    fc.assert(fc.property(repeatedEigenvalueMatrixArbitrary(2, 10), (a) => checkDecomposition(a)), PROPERTY_PARAMETERS);
  });
  it("divide and conquer with blocked tridiagonalization: random symmetric matrices", () => {
    fc.assert(fc.property(symmetricMatrixArbitrary(1, 14), (a) => checkDecomposition(a, SMALL_BLOCKS)), PROPERTY_PARAMETERS);
  });
  it("divide and conquer: repeated eigenvalues (deflation) keep an orthonormal basis", () => {
    fc.assert(fc.property(repeatedEigenvalueMatrixArbitrary(2, 14), (a) => checkDecomposition(a, SMALL_BLOCKS)), PROPERTY_PARAMETERS);
  });
  it("divide and conquer on graphs with highly degenerate spectra and at the default sizes", () => {
    checkDecomposition(kronPower(sierpinski(), 7), { method: "divideAndConquer" }); // eigenvalues of multiplicity up to C(7, 3) = 35
    checkDecomposition(kronPower(sierpinski(), 6), SMALL_BLOCKS);
    const ones = zeros(70, 70);
    ones.data.fill(1); // rank one: 69 zero eigenvalues, tails that underflow in the reduction
    checkDecomposition(ones, { method: "divideAndConquer", blockSize: 8, leafSize: 4 });
    checkDecomposition(identity(40), SMALL_BLOCKS);
    const n = BLOCKED_MIN_SIZE + 37;
    const a = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = Math.cos(i * 5 + j * 11) / (1 + Math.abs(i - j));
    checkDecomposition(a); // "auto" takes the blocked path here
  });
  it("matches the trace and a known 2×2 spectrum", () => {
    expectArrayClose(eigvalsh(fromRows([[2, 1], [1, 2]])), [1, 3], 1e-14);
    expectArrayClose(eigvalsh(zeros(3, 3)), [0, 0, 0]);
  });
  it("decomposes a 200×200 matrix accurately", () => {
    const n = 200;
    const a = zeros(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = Math.sin(i * 7 + j * 3);
    checkDecomposition(a);
  });
  it("raises typed errors naming the problem", () => {
    expect(() => eigh(zeros(2, 3))).toThrow(ShapeError);
    expect(() => eigh(zeros(2, 3))).toThrow(/\[2, 3\]/);
    expect(() => eigh(fromRows([[1, 2], [0, 1]]))).toThrow(/not symmetric/);
    const bad = identity(2);
    bad.data[1] = Number.NaN;
    expect(() => eigh(bad)).toThrow(ArgumentError);
    expect(() => eigh(bad)).toThrow(/entry \(0, 1\) is NaN/);
  });
});
