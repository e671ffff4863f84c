import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { det, inverse, logdet, solve } from "../../src/linalg/lu.js";
import { add, frobeniusNorm, identity, matmul, matvec, trace, transpose, zeros } from "../../src/linalg/matrix.js";
import { kron } from "../../src/kron/product.js";
import { sierpinski } from "../../src/kron/initiator.js";
import { expandSpectrum } from "../../src/kron/spectrum.js";
import { KronOperator } from "../../src/operator/kronOperator.js";
import { PROPERTY_PARAMETERS, factorListArbitrary, matrixArbitrary } from "../../src/testing.js";
import { expectArrayClose, expectClose } from "../helpers.js";

const rectangularFactors = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([r, c]) => matrixArbitrary(r, c)),
  { minLength: 1, maxLength: 3 },
);
/** Square factors shifted to be well conditioned. */
const invertibleFactors = factorListArbitrary().map((fs) => fs.map((f) => add(f, identity(f.rows), 1, 4 * f.rows + 1)));
const vectorFor = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));

describe("KronOperator", () => {
  it("apply and applyT equal the dense product, for vectors and matrices", () => {
    fc.assert(fc.property(rectangularFactors, fc.integer({ min: 1, max: 3 }), (factors, p) => {
      const op = new KronOperator(factors);
      const dense = kron(...factors);
      expectArrayClose(op.apply(vectorFor(op.cols)), matvec(dense, vectorFor(op.cols)), 1e-12);
      expectArrayClose(op.applyT(vectorFor(op.rows)), matvec(transpose(dense), vectorFor(op.rows)), 1e-12);
      const x = { rows: op.cols, cols: p, data: vectorFor(op.cols * p) };
      expectClose(op.apply(x), matmul(dense, x), 1e-12);
      expectClose(op.transpose().toDense(), transpose(dense), 0);
    }), PROPERTY_PARAMETERS);
  });
  it("trace, Frobenius norm, det and logdet match the dense matrix", () => {
    fc.assert(fc.property(factorListArbitrary(), (factors) => {
      const op = new KronOperator(factors);
      const dense = op.toDense();
      expect(op.trace()).toBeCloseTo(trace(dense), 8);
      expect(op.frobeniusNorm()).toBeCloseTo(frobeniusNorm(dense), 8);
      const expected = det(dense);
      expect(Math.abs(op.det() - expected)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
      const d = logdet(dense);
      const l = op.logdet();
      // Exactly-zero pivots depend on rounding, so compare signs only away from singularity.
      if (Math.abs(expected) > 1e-6) {
        expect(l.sign).toBe(d.sign);
        expect(l.logAbsDet).toBeCloseTo(d.logAbsDet, 6);
      }
    }), PROPERTY_PARAMETERS);
  });
  it("solve and inverse agree with LU on the dense matrix", () => {
    fc.assert(fc.property(invertibleFactors, (factors) => {
      const op = new KronOperator(factors);
      const dense = op.toDense();
      const b = vectorFor(op.rows);
      expectArrayClose(op.solve(b), solve(dense, b), 1e-9);
      expectClose(op.inverse().toDense(), inverse(dense), 1e-9);
    }), PROPERTY_PARAMETERS);
  });
  it("pow and compose follow the mixed-product rule", () => {
    fc.assert(fc.property(invertibleFactors, fc.integer({ min: -2, max: 3 }), (factors, p) => {
      const op = new KronOperator(factors);
      const dense = op.toDense();
      let expected = identity(dense.rows);
      const base = p < 0 ? inverse(dense) : dense;
      for (let i = 0; i < Math.abs(p); i++) expected = matmul(expected, base);
      expectClose(op.pow(p).toDense(), expected, 1e-8);
      expectClose(op.compose(op).toDense(), matmul(dense, dense), 1e-10);
    }), PROPERTY_PARAMETERS);
  });
  it("eig from factors: spectrum matches dense eigvalsh and Q·Λ·Qᵀ reconstructs", () => {
    fc.assert(fc.property(factorListArbitrary(true), (factors) => {
      const op = new KronOperator(factors);
      const dense = op.toDense();
      const e = op.eig();
      expectArrayClose(expandSpectrum(e.spectrum), eigvalsh(dense), 1e-8);
      const q = e.eigenvectors.toDense();
      const lambda = zeros(op.rows, op.rows);
      e.eigenvalues().forEach((v, i) => (lambda.data[i * op.rows + i] = v));
      expectClose(matmul(matmul(q, lambda), transpose(q)), dense, 1e-9);
    }), PROPERTY_PARAMETERS);
  });
  it("applies K₀^{⊗20} (10⁶ nodes) without materializing it", () => {
    const op = new KronOperator(Array.from({ length: 20 }, () => sierpinski()));
    const degrees = op.apply(new Float64Array(op.cols).fill(1));
    // Row i of the Sierpinski power has 2^(number of zero bits of i) ones.
    for (const i of [0, 1, 5, 2 ** 20 - 1, 123456]) {
      const zeroBits = 20 - i.toString(2).split("").filter((c) => c === "1").length;
      expect(degrees[i]).toBe(2 ** zeroBits);
    }
  });
  it("float32 vectors are applied in float32 and agree with the float64 result", () => {
    fc.assert(fc.property(rectangularFactors, (factors) => {
      const op = new KronOperator(factors);
      const x64 = vectorFor(op.cols);
      const y32 = op.apply(Float32Array.from(x64));
      expect(y32).toBeInstanceOf(Float32Array);
      const y64 = op.apply(Float64Array.from(Float32Array.from(x64)));
      expectArrayClose(y32, y64, 1e-5);
      const t32 = op.applyT(Float32Array.from(vectorFor(op.rows)));
      expect(t32).toBeInstanceOf(Float32Array);
      expectArrayClose(t32, op.applyT(Float64Array.from(Float32Array.from(vectorFor(op.rows)))), 1e-5);
    }), PROPERTY_PARAMETERS);
  });
  it("raises typed errors naming shapes and sizes", () => {
    const op = new KronOperator([sierpinski(), sierpinski()]);
    expect(() => op.apply(new Float64Array(3))).toThrow(ShapeError);
    expect(() => op.apply(new Float64Array(3))).toThrow(/3 rows does not fit operator \[4, 4\]/);
    expect(() => new KronOperator([])).toThrow(ArgumentError);
    expect(() => new KronOperator(Array.from({ length: 13 }, () => sierpinski())).toDense()).toThrow(/over the limit/);
    expect(() => new KronOperator([zeros(2, 3)]).trace()).toThrow(/factor 0 is not square, shape \[2, 3\]/);
    expect(() => op.pow(0.5)).toThrow(/integer, got 0.5/);
    expect(() => new KronOperator([zeros(2, 2)]).solve(new Float64Array(2))).toThrow(/singular/);
    expect(() => op.apply(new Float64Array([1, NaN, 0, 0]))).toThrow(/entry 1 is NaN/);
  });
});
