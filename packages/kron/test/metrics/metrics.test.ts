import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError } from "@fcn/tensor";
import { kroneckerGraph } from "../../src/kron/adjacency.js";
import { csrToDense, toCsr } from "../../src/kron/csr.js";
import { sierpinski } from "../../src/kron/initiator.js";
import { completeGraph } from "../../src/graphs/families.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { fromRows, identity, matvec, type Matrix } from "../../src/linalg/matrix.js";
import { diffuse, heatKernel } from "../../src/metrics/diffusion.js";
import { addSymmetricNoise, levelStatistics, spectralEntropy } from "../../src/metrics/levelStatistics.js";
import { laplacianSpectrum, normalizedLaplacian, spectralGap } from "../../src/metrics/spectra.js";
import { averageClustering, connectedComponents, degreeStatistics, density, diameter } from "../../src/metrics/structure.js";
import { PROPERTY_PARAMETERS, graphArbitrary } from "../../src/testing.js";
import { expectArrayClose } from "../helpers.js";

/** Floyd–Warshall distances: the brute-force oracle for BFS. */
function allPairs(a: Matrix): Float64Array {
  const n = a.rows;
  const d = new Float64Array(n * n).map((_, t) => (t % (n + 1) === 0 ? 0 : a.data[t] ? 1 : Infinity));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.min(d[i * n + j], d[i * n + k] + d[k * n + j]);
  return d;
}

describe("structural metrics vs brute force", () => {
  it("diameter, components, clustering and density", () => {
    fc.assert(fc.property(graphArbitrary(9), (a) => {
      const g = toCsr(a);
      const n = a.rows;
      const d = allPairs(a);
      expect(diameter(g).diameter).toBe(Math.max(...d));
      const reach = new Set(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (d[i * n + j] < Infinity ? 1 : 0)).join("")));
      expect(connectedComponents(g).count).toBe(reach.size);
      let clustering = 0;
      for (let v = 0; v < n; v++) {
        const nb = Array.from({ length: n }, (_, j) => j).filter((j) => a.data[v * n + j]);
        if (nb.length < 2) continue;
        let links = 0;
        for (const x of nb) for (const y of nb) if (x < y && a.data[x * n + y]) links++;
        clustering += links / ((nb.length * (nb.length - 1)) / 2);
      }
      expect(averageClustering(g)).toBeCloseTo(clustering / n, 12);
      const edges = a.data.reduce((s, v) => s + v, 0);
      expect(density(g)).toBeCloseTo(n > 1 ? edges / (n * (n - 1)) : 0, 12);
      expect(degreeStatistics(g).mean).toBeCloseTo(edges / n, 12);
    }), PROPERTY_PARAMETERS);
  });
  it("normalized-Laplacian eigenvalues lie in [0, 2]; multiplicity of 0 = components (isolated nodes included)", () => {
    fc.assert(fc.property(graphArbitrary(10), (a) => {
      const values = laplacianSpectrum(a);
      for (const v of values) {
        expect(v).toBeGreaterThanOrEqual(-1e-10);
        expect(v).toBeLessThanOrEqual(2 + 1e-10);
      }
      expect(values.filter((v) => Math.abs(v) < 1e-8).length).toBe(connectedComponents(toCsr(a)).count);
    }), PROPERTY_PARAMETERS);
  });
  it("binarized Sierpinski power: node 0 is adjacent to all, so the diameter is 2", () => {
    for (let k = 2; k <= 7; k++) expect(diameter(kroneckerGraph(sierpinski(), k)).diameter).toBe(2);
    const matching = diameter(kroneckerGraph(sierpinski(), 5, "loopFreeInitiator"));
    expect(matching.connected).toBe(false);
    expect(matching.diameter).toBe(Infinity);
    expect(() => diameter({ ...toCsr(fromRows([[1, 1]])) })).toThrow(ShapeError);
  });
});

describe("spectral metrics", () => {
  it("spectral gap definitions on K_n", () => {
    const k = completeGraph(10);
    expect(spectralGap(k)).toBeCloseTo(10 / 9, 12);
    expect(spectralGap(k, "adjacency")).toBeCloseTo(10, 10);
    expect(spectralGap(k, "randomWalk")).toBeCloseTo(1 - 1 / 9, 12);
  });
  it("isolated nodes give zero rows as in networkx", () => {
    const l = normalizedLaplacian(fromRows([[0, 1, 0], [1, 0, 0], [0, 0, 0]]));
    expect(Array.from(l.data)).toEqual([1, -1, 0, -1, 1, 0, 0, 0, 0]);
  });
  it("level statistics count degeneracies and give ⟨r⟩ on known spacings", () => {
    const stats = levelStatistics([0, 1, 1, 1, 3, 4]);
    expect(stats.degenerateSpacings).toBe(2);
    expect(stats.distinctValues).toBe(4);
    expect(stats.excludedRatioPairs).toBe(1);
    // pairs (1,0)->0, (0,0) excluded, (0,2)->0, (2,1)->0.5
    expect(stats.meanSpacingRatio).toBeCloseTo(0.5 / 3, 12);
    expect(stats.unfoldedSpacings.reduce((s, x) => s + x, 0) / 5).toBeCloseTo(1, 12);
  });
  it("the N = 128 Kronecker Laplacian has 14 distinct eigenvalues; noise lifts the degeneracy", () => {
    const l = normalizedLaplacian(kroneckerGraph(sierpinski(), 7));
    const plain = levelStatistics(eigvalsh(l));
    expect(plain.distinctValues).toBe(14);
    const noisy = levelStatistics(eigvalsh(addSymmetricNoise(l, 1e-3, 1)));
    expect(noisy.distinctValues).toBe(128);
  });
  it("spectral entropy", () => {
    expect(spectralEntropy([1, 1, 1, 1])).toBeCloseTo(Math.log(4), 14);
    expect(spectralEntropy([0, 0, 5])).toBe(0);
  });
});

describe("diffusion", () => {
  it("heat kernel matches a Taylor series of exp(−tL) and is the identity at t = 0", () => {
    fc.assert(fc.property(graphArbitrary(7), fc.double({ min: 0, max: 2, noNaN: true }), (a, t) => {
      const l = normalizedLaplacian(a);
      const x = Float64Array.from({ length: a.rows }, (_, i) => i + 1);
      const [at0, atT] = heatKernel(l, x, [0, t]);
      expectArrayClose(at0, x, 1e-10);
      let term = new Float64Array(x);
      const sum = new Float64Array(x);
      for (let p = 1; p < 60; p++) {
        term = matvec(l, term).map((v) => (-t * v) / p);
        sum.forEach((_, i) => (sum[i] += term[i]));
      }
      expectArrayClose(atT, sum, 1e-9);
    }), PROPERTY_PARAMETERS);
  });
  it("diffuse follows eq. 15 step by step and tracks entropy and variances", () => {
    const g = kroneckerGraph(sierpinski(), 4);
    const a = csrToDense(g);
    const trace = diffuse(g, { steps: 5, alpha: 0.3 });
    let h = new Float64Array(16);
    h[0] = 1;
    const degree = Array.from({ length: 16 }, (_, i) => a.data.slice(i * 16, i * 16 + 16).reduce((s, v) => s + v, 0));
    for (let t = 0; t < 5; t++) {
      const walked = matvec(a, h);
      h = h.map((v, i) => 0.7 * v + (0.3 * walked[i]) / degree[i]);
    }
    expectArrayClose(trace.state, h, 1e-14);
    expect(trace.entropy[0]).toBe(0);
    expect(trace.entropy[5]).toBeGreaterThan(0);
    expect(trace.globalVariance.length).toBe(6);
    expect(() => diffuse(g, { alpha: 0 })).toThrow(/alpha/);
    expect(() => heatKernel(identity(2), new Float64Array(3), [1])).toThrow(ShapeError);
  });
});
