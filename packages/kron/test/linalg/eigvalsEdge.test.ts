import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "@fcn/tensor";
import { scaleGraph } from "../../src/graphs/scaling.js";
import { eigvals, spectralRadius } from "../../src/linalg/eigvals.js";
import { type Matrix, fromData, fromRows, scale, trace, zeros } from "../../src/linalg/matrix.js";
import { PROPERTY_PARAMETERS, squareMatrixArbitrary } from "../../src/testing.js";

const sortedPairs = ({ real, imaginary }: { real: Float64Array; imaginary: Float64Array }) =>
  Array.from(real, (re, i) => [re, imaginary[i]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);

/** The spectrum of a triangular matrix is its diagonal: QR has nothing left to do. */
function upperTriangular(a: Matrix): Matrix {
  const n = a.rows;
  return fromData(n, n, a.data.map((v, k) => (k % n >= Math.floor(k / n) ? v : 0)));
}

describe("eigvals on zero and already-converged matrices", () => {
  it("gives zeros for the zero matrix of every size, as NumPy", () => {
    for (const n of [1, 2, 3, 4, 8, 40]) {
      const { real, imaginary } = eigvals(zeros(n, n));
      expect(Array.from(real)).toEqual(new Array(n).fill(0));
      expect(Array.from(imaginary)).toEqual(new Array(n).fill(0));
    }
    expect(spectralRadius(zeros(4, 4))).toBe(0);
  });

  it("deflates zero blocks: nilpotent, diagonal with zeros, a zero block beside a rotation", () => {
    expect(sortedPairs(eigvals(fromRows([[0, 1, 2], [0, 0, 3], [0, 0, 0]])))).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(sortedPairs(eigvals(fromRows([[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 0, 0], [0, 0, 0, -2]]))))
      .toEqual([[-2, 0], [0, 0], [0, 0], [5, 0]]);
    const rotation = eigvals(fromRows([[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]));
    expect(sortedPairs(rotation).map(([re, im]) => [Math.abs(re) < 1e-15 ? 0 : re, im])).toEqual([[0, -1], [0, 0], [0, 0], [0, 1]]);
  });

  it("returns the diagonal of a random triangular matrix", () => {
    fc.assert(fc.property(squareMatrixArbitrary(1, 7), (a) => {
      const t = upperTriangular(a);
      const diagonal = Array.from({ length: t.rows }, (_, i) => t.data[i * t.rows + i]).sort((x, y) => x - y);
      const { real, imaginary } = eigvals(t);
      expect(Array.from(imaginary).every((v) => v === 0)).toBe(true);
      expect(Float64Array.from(real).sort()).toEqual(Float64Array.from(diagonal));
    }), PROPERTY_PARAMETERS);
  });
});

describe("eigvals of tiny and huge matrices", () => {
  const factors = [1e-320, 1e-310, 1e-300, 1e-200, 1e-150, 1e150, 1e200, 1e300];

  it("converges on random matrices scaled by tiny or huge factors; the eigenvalues sum to the trace", () => {
    fc.assert(fc.property(squareMatrixArbitrary(1, 7), fc.constantFrom(...factors), (a, factor) => {
      const b = scale(a, factor);
      let largest = 0;
      for (const v of b.data) largest = Math.max(largest, Math.abs(v));
      const { real, imaginary } = eigvals(b);
      expect(real.length).toBe(a.rows);
      expect([...real, ...imaginary].every(Number.isFinite)).toBe(true);
      const sum = real.reduce((s, v) => s + v, 0);
      // Subnormal eigenvalues are rounded to multiples of 2⁻¹⁰⁷⁴, hence the absolute term.
      expect(Math.abs(sum - trace(b))).toBeLessThanOrEqual(1e-12 * a.rows * a.rows * largest + a.rows * 2 ** -1074);
    }), PROPERTY_PARAMETERS);
  });

  it("scales with the matrix: eigvals(2ᵏA) = 2ᵏ·eigvals(A)", () => {
    fc.assert(fc.property(squareMatrixArbitrary(1, 7), fc.integer({ min: -900, max: 900 }), (a, k) => {
      // Only where 2ᵏA is exact: no entry lost to underflow.
      fc.pre(a.data.every((v) => v === 0 || Math.abs(v) * 2 ** k >= 2 ** -1022));
      const expected = sortedPairs(eigvals(a));
      const actual = sortedPairs(eigvals(scale(a, 2 ** k)));
      let radius = 0;
      for (const [re, im] of expected) radius = Math.max(radius, Math.hypot(re, im));
      actual.forEach(([re, im], i) => {
        expect(Math.abs(re * 2 ** -k - expected[i][0])).toBeLessThanOrEqual(1e-6 * radius);
        expect(Math.abs(im * 2 ** -k - expected[i][1])).toBeLessThanOrEqual(1e-6 * radius);
      });
    }), PROPERTY_PARAMETERS);
  });

  it("finds the spectral radius of a 4×4 matrix scaled to 1e-300 and to 1e300", () => {
    const a = fromRows([[1, 2, 3, 0.5], [4, -5, 6, 1], [7, 8, -9, 2], [0.3, 1, 2, 3]]);
    const radius = spectralRadius(a);
    expect(spectralRadius(scale(a, 1e-300)) / 1e-300).toBeCloseTo(radius, 10);
    expect(spectralRadius(scale(a, 1e300)) / 1e300).toBeCloseTo(radius, 10);
  });
});

describe("a spectral radius of 0 downstream", () => {
  it("scaleGraph on an edgeless graph without noise gives its own error, not a ConvergenceError", () => {
    for (const noise of [{ noiseScale: 0 }, { noiseOn: "nonzeros" as const }]) {
      expect(() => scaleGraph(zeros(5, 5), noise)).toThrow(ArgumentError);
      expect(() => scaleGraph(zeros(5, 5), noise)).toThrow(/scaleGraph: spectral radius is 0/);
    }
  });
});
