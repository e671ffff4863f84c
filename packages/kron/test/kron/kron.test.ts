import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { det } from "../../src/linalg/lu.js";
import { fromData, fromRows, matmul, trace, transpose, zeros } from "../../src/linalg/matrix.js";
import { rankOneUpdate } from "../../src/linalg/secular.js";
import { binarize, kroneckerGraph, removeSelfLoops } from "../../src/kron/adjacency.js";
import { csrToDense, kronCsr, toCsr } from "../../src/kron/csr.js";
import { sierpinski, validateInitiator } from "../../src/kron/initiator.js";
import { kron, kronPower } from "../../src/kron/product.js";
import { selfLoopRemovedSpectrum } from "../../src/kron/selfLoop.js";
import { expandSpectrum, kronPowerSpectrum, kronSpectrum, sierpinskiSpectrum, spectrumSize, symmetricSpectrum } from "../../src/kron/spectrum.js";
import { kroneckerGraphStatistics, seedDensityFormula } from "../../src/kron/statistics.js";
import {
  PROPERTY_PARAMETERS, factorListArbitrary, initiatorArbitrary, matrixArbitrary, symmetricMatrixArbitrary,
} from "../../src/testing.js";
import { expectArrayClose, expectClose } from "../helpers.js";

const pair = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(matrixArbitrary(n, n), matrixArbitrary(n, n)));

describe("Kronecker product identities", () => {
  it("mixed product (A⊗B)(C⊗D) = AC ⊗ BD", () => {
    fc.assert(fc.property(pair, pair, ([a, c], [b, d]) => {
      expectClose(matmul(kron(a, b), kron(c, d)), kron(matmul(a, c), matmul(b, d)), 1e-12);
    }), PROPERTY_PARAMETERS);
  });
  it("transpose (A⊗B)ᵀ = Aᵀ⊗Bᵀ and vec(AXB) = (Bᵀ⊗A)vec(X)", () => {
    fc.assert(fc.property(pair, matrixArbitrary(3, 3), ([a, b], x3) => {
      expectClose(transpose(kron(a, b)), kron(transpose(a), transpose(b)));
      const n = a.rows;
      const x = fromData(n, n, x3.data.slice(0, n * n));
      const vec = (m: typeof x) => Float64Array.from({ length: n * n }, (_, t) => m.data[(t % n) * n + Math.floor(t / n)]); // column-stacking
      const lhs = vec(matmul(matmul(a, x), b));
      const k = kron(transpose(b), a);
      const v = vec(x);
      const rhs = Float64Array.from({ length: n * n }, (_, i) => k.data.slice(i * n * n, (i + 1) * n * n).reduce((s, kij, j) => s + kij * v[j], 0));
      expectArrayClose(lhs, rhs, 1e-11);
    }), PROPERTY_PARAMETERS);
  });
  it("trace and determinant of A⊗B", () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([p, q]) => fc.tuple(matrixArbitrary(p, p), matrixArbitrary(q, q))), ([a, b]) => {
      expect(trace(kron(a, b))).toBeCloseTo(trace(a) * trace(b), 9);
      const expected = det(a) ** b.rows * det(b) ** a.rows;
      expect(Math.abs(det(kron(a, b)) - expected)).toBeLessThan(1e-7 * Math.max(1, Math.abs(expected)));
    }), PROPERTY_PARAMETERS);
  });
  it("sparse kronCsr equals dense kron", () => {
    fc.assert(fc.property(factorListArbitrary(), (factors) => {
      expectClose(csrToDense(kronCsr(...factors.map(toCsr))), kron(...factors), 0);
    }), PROPERTY_PARAMETERS);
  });
  it("raises typed errors", () => {
    expect(() => kron()).toThrow(ArgumentError);
    expect(() => kronPower(zeros(2, 3), 2)).toThrow(/\[2, 3\]/);
    expect(() => kronPower(sierpinski(), -1)).toThrow(/non-negative integer, got -1/);
    expect(() => validateInitiator(fromData(1, 1, new Float64Array([NaN])))).toThrow(/NaN/);
    expect(() => kron(...Array.from({ length: 14 }, () => sierpinski()))).toThrow(ShapeError);
  });
});

describe("exact spectra from factors", () => {
  it("eig(A⊗B) = pairwise products (eq. 5), checked against dense eigvalsh", () => {
    fc.assert(fc.property(factorListArbitrary(true), (factors) => {
      const expected = eigvalsh(kron(...factors));
      expectArrayClose(expandSpectrum(kronSpectrum(factors.map(symmetricSpectrum))), expected, 1e-8);
    }), PROPERTY_PARAMETERS);
  });
  it("Sierpinski closed form φ^{k−a}(−1/φ)^a with C(k,a) matches brute force for k ≤ 9", () => {
    for (let k = 1; k <= 9; k++) {
      const exact = sierpinskiSpectrum(k);
      expectArrayClose(expandSpectrum(exact), eigvalsh(kronPower(sierpinski(), k)), 1e-9);
      expectArrayClose(expandSpectrum(kronPowerSpectrum(sierpinski(), k)), expandSpectrum(exact), 1e-12);
    }
  });
  it("K₀^{⊗30} (2³⁰ nodes) is exact and fast", () => {
    const start = performance.now();
    const spectrum = kronPowerSpectrum(sierpinski(), 30);
    expect(performance.now() - start).toBeLessThan(50);
    expect(spectrum.length).toBe(31);
    expect(spectrumSize(spectrum)).toBe(2 ** 30);
    expect(spectrum[spectrum.length - 1].value).toBeCloseTo(((1 + Math.sqrt(5)) / 2) ** 30, -1);
  });
});

describe("self-loop removal as a rank-1 update", () => {
  it("secular-equation spectrum equals dense eig of the loop-free matrix", () => {
    for (let k = 1; k <= 8; k++) {
      const dense = csrToDense(kroneckerGraph(sierpinski(), k));
      expectArrayClose(expandSpectrum(selfLoopRemovedSpectrum(sierpinski(), k)), eigvalsh(dense), 1e-9);
    }
  });
  it("holds for random symmetric initiators and any node", () => {
    fc.assert(fc.property(symmetricMatrixArbitrary(2, 3), fc.integer({ min: 1, max: 3 }), fc.nat(), (initiator, k, seed) => {
      const power = kronPower(initiator, k);
      const node = seed % power.rows;
      const updated = fromData(power.rows, power.cols, new Float64Array(power.data));
      updated.data[node * power.rows + node] = 0;
      expectArrayClose(expandSpectrum(selfLoopRemovedSpectrum(initiator, k, node)), eigvalsh(updated), 1e-7);
    }), PROPERTY_PARAMETERS);
  });
  it("interlaces: a rank-1 negative update moves each eigenvalue down by at most one slot", () => {
    fc.assert(fc.property(symmetricMatrixArbitrary(2, 8), (a) => {
      const before = eigvalsh(a);
      const after = expandSpectrum(rankOneUpdate(Array.from(before, (value) => ({ value, multiplicity: 1, weight: 1 / before.length })), -1.5));
      for (let i = 0; i < before.length; i++) {
        expect(after[i]).toBeLessThanOrEqual(before[i] + 1e-9);
        if (i > 0) expect(after[i]).toBeGreaterThanOrEqual(before[i - 1] - 1e-9);
      }
    }), PROPERTY_PARAMETERS);
  });
});

describe("graph construction and closed-form statistics", () => {
  it("seed 001's construction: power, fill diagonal with 0, binarize", () => {
    const dense = kronPower(sierpinski(), 3);
    dense.data.forEach((_, i) => {
      if (i % 9 === 0) dense.data[i] = 0;
    });
    expectClose(csrToDense(kroneckerGraph(sierpinski(), 3)), dense, 0);
    expectClose(csrToDense(binarize(removeSelfLoops(toCsr(fromRows([[2, -1], [3, 4]]))))), fromRows([[0, 0], [1, 0]]), 0);
  });
  it("edge count, degrees and density match brute force for both variants", () => {
    fc.assert(fc.property(initiatorArbitrary(), fc.integer({ min: 1, max: 4 }), fc.constantFrom("binarizedPower" as const, "loopFreeInitiator" as const), (initiator, k, variant) => {
      const graph = csrToDense(kroneckerGraph(initiator, k, variant));
      const stats = kroneckerGraphStatistics(initiator, k, variant);
      const n = graph.rows;
      const degrees = Array.from({ length: n }, (_, i) => graph.data.slice(i * n, (i + 1) * n).reduce((s, v) => s + v, 0));
      const nnz = degrees.reduce((s, d) => s + d, 0);
      expect(stats.nodes).toBe(n);
      expect(stats.storedEntries).toBe(nnz);
      expect(stats.density).toBeCloseTo(n > 1 ? nnz / (n * (n - 1)) : 0, 14);
      const histogram = new Map<number, number>();
      for (const d of degrees) histogram.set(d, (histogram.get(d) ?? 0) + 1);
      expect(stats.degreeDistribution).toEqual([...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([value, multiplicity]) => ({ value, multiplicity })));
    }), PROPERTY_PARAMETERS);
  });
  it("eq. 4 counts node 0's self-loop; the loop-free graph has 3^k − 1 stored entries", () => {
    const stats = kroneckerGraphStatistics(sierpinski(), 7);
    expect(stats.storedEntries).toBe(3 ** 7 - 1);
    expect(seedDensityFormula(7) * 128 * 127).toBeCloseTo(3 ** 7, 9);
  });
});
