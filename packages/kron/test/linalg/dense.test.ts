import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { cholesky, choleskySolve } from "../../src/linalg/cholesky.js";
import { eigvals, spectralRadius } from "../../src/linalg/eigvals.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { det, inverse, logdet, lu, solve } from "../../src/linalg/lu.js";
import { add, fromRows, identity, matmul, matvec, transpose, zeros } from "../../src/linalg/matrix.js";
import { qr } from "../../src/linalg/qr.js";
import { lstsq, svd } from "../../src/linalg/svd.js";
import { PROPERTY_PARAMETERS, matrixArbitrary, squareMatrixArbitrary, symmetricMatrixArbitrary } from "../../src/testing.js";
import { expectArrayClose, expectClose } from "../helpers.js";

/** Well-conditioned square matrices: A + (n·4 + 1)·I is diagonally dominant. */
const wellConditioned = squareMatrixArbitrary(1, 7).map((a) => add(a, identity(a.rows), 1, 4 * a.rows + 1));

/** Permutation-expansion determinant: the brute-force oracle for small n. */
function leibnizDet(a: ReturnType<typeof zeros>): number {
  const n = a.rows;
  const perm = Array.from({ length: n }, (_, i) => i);
  let total = 0;
  const recurse = (k: number, sign: number, product: number): void => {
    if (k === n) {
      total += sign * product;
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      recurse(k + 1, i === k ? sign : -sign, product * a.data[k * n + perm[k]]);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  recurse(0, 1, 1);
  return total;
}

describe("lu, solve, det, inverse", () => {
  it("solve satisfies A·x = b", () => {
    fc.assert(fc.property(wellConditioned, (a) => {
      const b = Float64Array.from({ length: a.rows }, (_, i) => i - 1.5);
      expectArrayClose(matvec(a, solve(a, b)), b, 1e-10);
    }), PROPERTY_PARAMETERS);
  });
  it("det matches the Leibniz expansion and logdet matches log|det|", () => {
    fc.assert(fc.property(squareMatrixArbitrary(1, 5), (a) => {
      const expected = leibnizDet(a);
      expect(det(a)).toBeCloseTo(expected, 6);
      const { sign, logAbsDet } = logdet(a);
      if (Math.abs(expected) > 1e-6) {
        expect(sign).toBe(Math.sign(expected));
        expect(logAbsDet).toBeCloseTo(Math.log(Math.abs(expected)), 6);
      }
    }), PROPERTY_PARAMETERS);
  });
  it("inverse gives A·A⁻¹ = I", () => {
    fc.assert(fc.property(wellConditioned, (a) => expectClose(matmul(a, inverse(a)), identity(a.rows), 1e-10)), PROPERTY_PARAMETERS);
  });
  it("reports singular matrices with a typed error", () => {
    const singular = fromRows([[1, 2], [2, 4]]);
    expect(lu(singular).singular).toBe(true);
    expect(det(singular)).toBe(0);
    expect(logdet(singular)).toEqual({ sign: 0, logAbsDet: -Infinity });
    expect(() => solve(singular, new Float64Array(2))).toThrow(ArgumentError);
    expect(() => solve(singular, new Float64Array(2))).toThrow(/singular/);
    expect(() => solve(identity(2), new Float64Array(3))).toThrow(/length|rows/);
    expect(() => lu(zeros(2, 3))).toThrow(ShapeError);
  });
});

describe("cholesky", () => {
  it("factors SPD matrices and solves with them", () => {
    fc.assert(fc.property(matrixArbitrary(4, 4), (b) => {
      const a = add(matmul(b, transpose(b)), identity(4)); // BBᵀ + I is SPD
      const l = cholesky(a);
      expectClose(matmul(l, transpose(l)), a, 1e-12);
      const rhs = new Float64Array([1, 2, 3, 4]);
      expectArrayClose(matvec(a, choleskySolve(l, rhs)), rhs, 1e-9);
    }), PROPERTY_PARAMETERS);
  });
  it("names the failing pivot for indefinite input", () => {
    expect(() => cholesky(fromRows([[1, 2], [2, 1]]))).toThrow(/not positive definite \(pivot 1/);
  });
});

describe("qr, svd, lstsq", () => {
  it("qr reconstructs A with orthonormal Q and upper-triangular R", () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([m, n]) => matrixArbitrary(m, n)), (a) => {
      const { q, r } = qr(a);
      expectClose(matmul(q, r), a, 1e-12);
      expectClose(matmul(transpose(q), q), identity(q.cols), 1e-12);
      for (let i = 0; i < r.rows; i++) for (let j = 0; j < Math.min(i, r.cols); j++) expect(r.data[i * r.cols + j]).toBe(0);
    }), PROPERTY_PARAMETERS);
  });
  it("svd reconstructs A, with σ² = eig(AᵀA)", () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([m, n]) => matrixArbitrary(m, n)), (a) => {
      const { u, singularValues, v } = svd(a);
      const p = singularValues.length;
      const s = zeros(p, p);
      for (let i = 0; i < p; i++) s.data[i * p + i] = singularValues[i];
      expectClose(matmul(matmul(u, s), transpose(v)), a, 1e-11);
      expectClose(matmul(transpose(u), u), identity(p), 1e-10);
      expectClose(matmul(transpose(v), v), identity(p), 1e-10);
      const gram = a.rows >= a.cols ? matmul(transpose(a), a) : matmul(a, transpose(a));
      const squares = Array.from(singularValues, (x) => x * x).reverse();
      expectArrayClose(squares, eigvalsh(gram), 1e-9);
    }), PROPERTY_PARAMETERS);
  });
  it("lstsq solves consistent systems and returns the minimum-norm solution", () => {
    const a = fromRows([[1, 1], [1, 1]]);
    const { solution, rank } = lstsq(a, new Float64Array([2, 2]));
    expect(rank).toBe(1);
    expectArrayClose(solution, [1, 1], 1e-12);
    fc.assert(fc.property(wellConditioned, (m) => {
      const b = Float64Array.from({ length: m.rows }, (_, i) => 1 + i);
      expectArrayClose(lstsq(m, b).solution, solve(m, b), 1e-8);
    }), PROPERTY_PARAMETERS);
  });
});

describe("eigvals (general real)", () => {
  it("agrees with eigvalsh on symmetric input", () => {
    fc.assert(fc.property(symmetricMatrixArbitrary(1, 8), (a) => {
      const { real, imaginary } = eigvals(a);
      for (const v of imaginary) expect(Math.abs(v)).toBeLessThan(1e-8);
      expectArrayClose(Float64Array.from(real).sort(), eigvalsh(a), 1e-8);
    }), PROPERTY_PARAMETERS);
  });
  it("preserves trace and determinant on general matrices", () => {
    fc.assert(fc.property(squareMatrixArbitrary(1, 7), (a) => {
      const { real, imaginary } = eigvals(a);
      let sum = 0;
      let productRe = 1;
      let productIm = 0;
      for (let i = 0; i < real.length; i++) {
        sum += real[i];
        [productRe, productIm] = [productRe * real[i] - productIm * imaginary[i], productRe * imaginary[i] + productIm * real[i]];
      }
      let traceValue = 0;
      for (let i = 0; i < a.rows; i++) traceValue += a.data[i * a.rows + i];
      expect(sum).toBeCloseTo(traceValue, 7);
      const d = det(a);
      expect(Math.abs(productRe - d)).toBeLessThan(1e-6 * Math.max(1, Math.abs(d)));
    }), PROPERTY_PARAMETERS);
  });
  it("finds complex pairs and the spectral radius", () => {
    const { real, imaginary } = eigvals(fromRows([[0, -1], [1, 0]]));
    expectArrayClose(real, [0, 0]);
    expectArrayClose(Float64Array.from(imaginary).sort(), [-1, 1]);
    expect(spectralRadius(fromRows([[1, 1], [1, 0]]))).toBeCloseTo((1 + Math.sqrt(5)) / 2, 12);
    expect(() => eigvals(fromRows([[Infinity]]))).toThrow(ArgumentError);
  });
});
