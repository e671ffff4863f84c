import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { det, logdet } from "../../src/linalg/lu.js";
import { type Matrix, fromRows, scale } from "../../src/linalg/matrix.js";
import { binaryExponent, timesPowerOfTwo } from "../../src/linalg/powerOfTwo.js";
import { PROPERTY_PARAMETERS, squareMatrixArbitrary } from "../../src/testing.js";

const diag = (...values: number[]): Matrix => fromRows(values.map((v, i) => values.map((_, j) => (i === j ? v : 0))));

describe("det keeps its running product inside float64's range", () => {
  it("det(diag(1e200, 1e200, 1e-200)) = 1e200 (NumPy), in every order and under a permutation", () => {
    expect(det(diag(1e200, 1e200, 1e-200))).toBeCloseTo(1e200, -186);
    expect(det(diag(1e200, 1e200, 1e-200)) / 1e200).toBeCloseTo(1, 14);
    expect(det(diag(1e-200, 1e-200, 1e200)) / 1e-200).toBeCloseTo(1, 14);
    expect(det(fromRows([[0, 1e200, 0], [1e200, 0, 0], [0, 0, -1e-200]])) / 1e200).toBeCloseTo(1, 14);
  });

  it("overflows and underflows only when the determinant does", () => {
    expect(det(diag(1e200, 1e200))).toBe(Infinity);
    expect(det(diag(-1e200, 1e200))).toBe(-Infinity);
    expect(det(diag(1e-200, 1e-200))).toBe(0);
    expect(Math.abs(det(diag(1e-300, 1e-20)) - 1e-320)).toBeLessThanOrEqual(5e-324); // a subnormal result
  });

  it("agrees with sign·exp(logdet) wherever that is representable, over matrices scaled by 10^±150", () => {
    const scaled = fc.tuple(squareMatrixArbitrary(1, 6), fc.integer({ min: -150, max: 150 })).map(([a, k]) => scale(a, 10 ** k));
    fc.assert(fc.property(scaled, (a) => {
      const { sign, logAbsDet } = logdet(a);
      const d = det(a);
      if (sign === 0 || logAbsDet < -745.2) expect(Math.abs(d)).toBe(0); // ±0, as an underflowing product
      else if (logAbsDet > 709.8) expect(d).toBe(sign * Infinity);
      else if (logAbsDet > -700) {
        expect(Math.sign(d)).toBe(sign);
        expect(Math.abs(Math.log(Math.abs(d)) - logAbsDet)).toBeLessThan(1e-9 * Math.max(1, Math.abs(logAbsDet)));
      }
    }), { ...PROPERTY_PARAMETERS, numRuns: 500 });
  });
});

describe("powers of two", () => {
  it("binaryExponent gives |x|·2⁻ᵉ ∈ [1, 2) from subnormals to the largest double", () => {
    for (const x of [5e-324, 1e-310, 2 ** -1022, 0.75, 1, 2 - 2 ** -52, 2, 3, 1e200, -1e-200, Number.MAX_VALUE]) {
      const m = Math.abs(timesPowerOfTwo(x, -binaryExponent(x)));
      expect(m).toBeGreaterThanOrEqual(1);
      expect(m).toBeLessThan(2);
    }
    expect(binaryExponent(5e-324)).toBe(-1074);
    expect(binaryExponent(Number.MAX_VALUE)).toBe(1023);
    expect(timesPowerOfTwo(1.5, 2000)).toBe(Infinity);
    expect(timesPowerOfTwo(1, -1074)).toBe(5e-324);
  });
});
