import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError } from "@fcn/tensor";
import { add, frobeniusNorm, zeros } from "../../src/linalg/matrix.js";
import { nearestKroneckerProduct } from "../../src/kron/nearestKronecker.js";
import { kron } from "../../src/kron/product.js";
import { PROPERTY_PARAMETERS, matrixArbitrary } from "../../src/testing.js";
import { expectClose } from "../helpers.js";

describe("nearestKroneckerProduct", () => {
  it("recovers an exact Kronecker product with zero error", () => {
    fc.assert(fc.property(matrixArbitrary(2, 3), matrixArbitrary(3, 2), (b, c) => {
      const a = kron(b, c);
      const { terms, relativeError } = nearestKroneckerProduct(a, [2, 3], [3, 2]);
      expect(relativeError).toBeLessThan(1e-7);
      expectClose(kron(terms[0].left, terms[0].right), a, 1e-7);
    }), PROPERTY_PARAMETERS);
  });
  it("reported error equals the measured Frobenius error, and falls with rank", () => {
    fc.assert(fc.property(matrixArbitrary(4, 4), (a) => {
      let previous = Infinity;
      for (let rank = 1; rank <= 4; rank++) {
        const { terms, relativeError } = nearestKroneckerProduct(a, [2, 2], [2, 2], rank);
        let approximation = zeros(4, 4);
        for (const t of terms) approximation = add(approximation, kron(t.left, t.right));
        const measured = frobeniusNorm(a) === 0 ? 0 : frobeniusNorm(add(a, approximation, 1, -1)) / frobeniusNorm(a);
        expect(relativeError).toBeCloseTo(measured, 8);
        expect(relativeError).toBeLessThanOrEqual(previous + 1e-12);
        previous = relativeError;
      }
      expect(previous).toBeLessThan(1e-8);
    }), PROPERTY_PARAMETERS);
  });
  it("rejects shapes that do not tile", () => {
    expect(() => nearestKroneckerProduct(zeros(4, 4), [2, 2], [3, 2])).toThrow(ShapeError);
    expect(() => nearestKroneckerProduct(zeros(4, 4), [2, 2], [3, 2])).toThrow(/\[2, 2\] ⊗ \[3, 2\] does not tile a matrix of shape \[4, 4\]/);
  });
});
