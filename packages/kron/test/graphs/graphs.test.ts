import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "@fcn/tensor";
import { kroneckerGraph } from "../../src/kron/adjacency.js";
import { csrToDense, toCsr } from "../../src/kron/csr.js";
import { sierpinski } from "../../src/kron/initiator.js";
import { kronPower } from "../../src/kron/product.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { spectralRadius } from "../../src/linalg/eigvals.js";
import { fromRows, isSymmetric } from "../../src/linalg/matrix.js";
import { degreeStatistics, density } from "../../src/metrics/structure.js";
import { barabasiAlbert, completeGraph, denseRandom, erdosRenyi, randomGraphWithEdges, wattsStrogatz } from "../../src/graphs/families.js";
import { scaleGraph } from "../../src/graphs/scaling.js";
import { permuteGraph, stochasticKronecker } from "../../src/graphs/stochastic.js";
import { PROPERTY_PARAMETERS } from "../../src/testing.js";
import { expectArrayClose } from "../helpers.js";

const isSimpleUndirected = (g: ReturnType<typeof completeGraph>) => {
  const d = csrToDense(g);
  for (let i = 0; i < d.rows; i++) if (d.data[i * d.rows + i] !== 0) return false;
  return isSymmetric(d) && d.data.every((v) => v === 0 || v === 1);
};
const seeds = fc.integer({ min: 0, max: 1_000_000 });
const FEW = { ...PROPERTY_PARAMETERS, numRuns: 30 };

describe("graph families", () => {
  it("complete graph has density 1", () => {
    expect(density(completeGraph(9))).toBe(1);
    expect(isSimpleUndirected(completeGraph(9))).toBe(true);
  });
  it("Erdős–Rényi is simple, reproducible, and has mean density ≈ p", () => {
    fc.assert(fc.property(seeds, (seed) => {
      const g = erdosRenyi(60, 0.1, seed);
      expect(isSimpleUndirected(g)).toBe(true);
      expect(erdosRenyi(60, 0.1, seed)).toEqual(g);
    }), FEW);
    let total = 0;
    for (let s = 0; s < 20; s++) total += density(erdosRenyi(200, 0.05, s));
    expect(total / 20).toBeGreaterThan(0.045);
    expect(total / 20).toBeLessThan(0.055);
    expect(density(erdosRenyi(10, 1, 0))).toBe(1);
    expect(density(erdosRenyi(10, 0, 0))).toBe(0);
  });
  it("Barabási–Albert has (n − m)·m edges, Watts–Strogatz n·k/2, matched-nnz exactly the count", () => {
    fc.assert(fc.property(seeds, fc.integer({ min: 1, max: 4 }), (seed, m) => {
      const ba = barabasiAlbert(50, m, seed);
      expect(isSimpleUndirected(ba)).toBe(true);
      expect(ba.values.length / 2).toBe((50 - m) * m);
      const ws = wattsStrogatz(50, 2 * m, 0.3, seed);
      expect(isSimpleUndirected(ws)).toBe(true);
      expect(ws.values.length / 2).toBe(50 * m);
      const random = randomGraphWithEdges(50, 77, seed);
      expect(isSimpleUndirected(random)).toBe(true);
      expect(random.values.length / 2).toBe(77);
    }), FEW);
  });
  it("Watts–Strogatz with p = 0 is the ring lattice", () => {
    expect(degreeStatistics(wattsStrogatz(20, 4, 0, 1)).degrees.every((d) => d === 4)).toBe(true);
  });
  it("dense random has N(0, 1/n) entries", () => {
    const m = denseRandom(200, 3);
    const variance = m.data.reduce((s, v) => s + v * v, 0) / m.data.length;
    expect(variance * 200).toBeGreaterThan(0.9);
    expect(variance * 200).toBeLessThan(1.1);
    expect(isSymmetric(denseRandom(20, 3, true))).toBe(true);
  });
  it("rejects invalid parameters with messages naming the value", () => {
    expect(() => erdosRenyi(10, 1.5, 0)).toThrow(/\[0, 1\], got 1.5/);
    expect(() => barabasiAlbert(5, 5, 0)).toThrow(ArgumentError);
    expect(() => wattsStrogatz(10, 3, 0.1, 0)).toThrow(/even integer.*got 3/);
    expect(() => randomGraphWithEdges(4, 7, 0)).toThrow(/0\.\.6, got 7/);
    expect(() => erdosRenyi(10, 0.1, Number.NaN)).toThrow(/seed/);
  });
});

describe("stochastic Kronecker and permutation control", () => {
  it("edge frequencies follow (P^{⊗k})_{uv}", () => {
    const p = fromRows([[0.9, 0.5], [0.5, 0.2]]);
    const probabilities = kronPower(p, 3);
    const counts = new Float64Array(64);
    const trials = 400;
    for (let s = 0; s < trials; s++) {
      const g = csrToDense(stochasticKronecker(p, 3, s, { draws: 4000, removeSelfLoops: false, undirected: false }));
      g.data.forEach((v, i) => (counts[i] += v));
    }
    // With many draws every cell with positive probability is hit; frequency rises with probability.
    const order = Array.from({ length: 64 }, (_, i) => i).sort((a, b) => probabilities.data[a] - probabilities.data[b]);
    expect(counts[order[63]]).toBe(trials);
    const sample = csrToDense(stochasticKronecker(p, 6, 1));
    expect(isSymmetric(sample)).toBe(true);
  });
  it("samples 10⁵ edges quickly", () => {
    const start = performance.now();
    const g = stochasticKronecker(fromRows([[0.99, 0.7], [0.7, 0.3]]), 17, 1, { draws: 100_000 });
    expect(g.values.length).toBeGreaterThan(150_000);
    expect(performance.now() - start).toBeLessThan(3000);
  });
  it("permutation keeps spectrum and degrees, and is a relabeling", () => {
    fc.assert(fc.property(seeds, (seed) => {
      const g = kroneckerGraph(sierpinski(), 4);
      const { graph, permutation } = permuteGraph(g, seed);
      const a = csrToDense(g);
      const b = csrToDense(graph);
      for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) expect(b.data[permutation[i] * 16 + permutation[j]]).toBe(a.data[i * 16 + j]);
      expectArrayClose(eigvalsh(b), eigvalsh(a), 1e-10);
    }), FEW);
  });
});

describe("scaleGraph", () => {
  it("rescales to the requested spectral radius, with and without noise", () => {
    fc.assert(fc.property(seeds, fc.double({ min: 0.1, max: 2, noNaN: true }), (seed, radius) => {
      const g = kroneckerGraph(sierpinski(), 4);
      expect(spectralRadius(scaleGraph(g, { seed, spectralRadius: radius }))).toBeCloseTo(radius, 9);
      const sparse = scaleGraph(g, { seed, noiseOn: "nonzeros" });
      const pattern = csrToDense(g);
      sparse.data.forEach((v, i) => pattern.data[i] === 0 && expect(v).toBe(0));
    }), FEW);
    expect(spectralRadius(scaleGraph(toCsr(sierpinski()), { noiseScale: 0 }))).toBeCloseTo(0.9, 12);
    expect(() => scaleGraph(toCsr(fromRows([[0, 1], [0, 0]])), { noiseScale: 0 })).toThrow(/spectral radius is 0/);
  });
});
