import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { check, expectClose, randomTensor, seedArbitrary, values } from "./helpers.js";

const dim = fc.integer({ min: 1, max: 3 });
const dim0 = fc.integer({ min: 0, max: 3 });

describe("kron", () => {
  it("matches the definition (A ⊗ B)[i·p + k, j·q + l] = A[i, j]·B[k, l], size-0 included", () => {
    check(fc.tuple(dim0, dim0, dim0, dim0, seedArbitrary), ([m, n, p, q, seed]) => {
      const a = randomTensor([m, n], seed);
      const b = randomTensor([p, q], seed + 1);
      const av = values(a);
      const bv = values(b);
      const expected: number[] = new Array(m * p * n * q);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let k = 0; k < p; k++) for (let l = 0; l < q; l++) {
        expected[(i * p + k) * (n * q) + j * q + l] = av[i * n + j] * bv[k * q + l];
      }
      expectClose(T.kron(a, b), expected, [m * p, n * q], 0, 0);
    }, 40);
  });

  it("mixed-product property (A ⊗ B)(C ⊗ D) = AC ⊗ BD", () => {
    check(fc.tuple(dim, dim, dim, dim, dim, dim, seedArbitrary), ([m, n, r, p, q, s, seed]) => {
      const a = randomTensor([m, n], seed);
      const b = randomTensor([p, q], seed + 1);
      const c = randomTensor([n, r], seed + 2);
      const d = randomTensor([q, s], seed + 3);
      const left = T.matmul(T.kron(a, b), T.kron(c, d));
      const right = T.kron(T.matmul(a, c), T.matmul(b, d));
      expectClose(left, values(right), [m * p, r * s], 1e-12, 1e-12);
    }, 40);
  });

  it("transpose identity (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ, and bilinearity", () => {
    check(fc.tuple(dim, dim, dim, dim, seedArbitrary), ([m, n, p, q, seed]) => {
      const a = randomTensor([m, n], seed);
      const b = randomTensor([p, q], seed + 1);
      const b2 = randomTensor([p, q], seed + 2);
      expectClose(T.transpose(T.kron(a, b)), values(T.kron(T.transpose(a), T.transpose(b))), [n * q, m * p], 0, 0);
      expectClose(T.kron(a, T.add(b, b2)), values(T.add(T.kron(a, b), T.kron(a, b2))), [m * p, n * q], 1e-12, 1e-12);
    }, 30);
  });

  it("kron with the identity is block diagonal", () => {
    const b = T.tensor([[1, 2], [3, 4]]);
    expect(T.kron(T.eye(2), b).arraySync()).toEqual([[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 1, 2], [0, 0, 3, 4]]);
  });

  it("rejects non-matrices", () => {
    expect(() => T.kron(T.zeros([2]), T.zeros([2, 2]))).toThrow(/kron: expects matrices, got \[2\] and \[2, 2\]/);
  });
});
