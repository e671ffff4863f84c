import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toCsr } from "../../src/kron/csr.js";
import { type Matrix, fromData } from "../../src/linalg/matrix.js";
import { diameter } from "../../src/metrics/structure.js";
import { PROPERTY_PARAMETERS } from "../../src/testing.js";

/** An undirected graph on n nodes from an edge list. */
function graphOf(n: number, edges: readonly (readonly [number, number])[]): Matrix {
  const data = new Float64Array(n * n);
  for (const [i, j] of edges) data[i * n + j] = data[j * n + i] = 1;
  return fromData(n, n, data);
}

/** Sparse random graphs (edge probability ¼), so that most have several components. */
const sparseGraph = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n * n, maxLength: n * n }).map((draws) => {
    const edges: [number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (draws[i * n + j] === 0) edges.push([i, j]);
    return graphOf(n, edges);
  }));

/** Brute force: components from all-pairs reachability, diameters from Floyd–Warshall. */
function oracle(a: Matrix): { largestSize: number; ofLargest: number; max: number } {
  const n = a.rows;
  const d = Float64Array.from({ length: n * n }, (_, t) => (t % (n + 1) === 0 ? 0 : a.data[t] ? 1 : Infinity));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.min(d[i * n + j], d[i * n + k] + d[k * n + j]);
  let best: number[] = [];
  let max = 0;
  const seen = new Set<number>();
  for (let s = 0; s < n; s++) {
    if (seen.has(s)) continue;
    const members = Array.from({ length: n }, (_, j) => j).filter((j) => d[s * n + j] < Infinity);
    members.forEach((j) => seen.add(j));
    for (const i of members) for (const j of members) max = Math.max(max, d[i * n + j]);
    if (members.length > best.length) best = members; // strict: the first of equal sizes wins
  }
  let ofLargest = 0;
  for (const i of best) for (const j of best) ofLargest = Math.max(ofLargest, d[i * n + j]);
  return { largestSize: best.length, ofLargest, max };
}

describe("diameter of a disconnected graph", () => {
  it("tells the diameter of the largest component from the largest diameter over components", () => {
    // A 5-node star (diameter 2) beside a 4-node path (diameter 3).
    const g = toCsr(graphOf(9, [[0, 1], [0, 2], [0, 3], [0, 4], [5, 6], [6, 7], [7, 8]]));
    const d = diameter(g);
    expect(d.connected).toBe(false);
    expect(d.diameter).toBe(Infinity);
    expect(d.diameterOfLargestComponent).toBe(2);
    expect(d.largestComponentSize).toBe(5);
    expect(d.maxComponentDiameter).toBe(3);
    expect(d.largestComponentDiameter).toBe(d.maxComponentDiameter); // the deprecated name keeps its value
  });

  it("breaks a tie in size by the component whose lowest node comes first (networkx's max(…, key=len))", () => {
    const pathFirst = diameter(toCsr(graphOf(6, [[0, 1], [1, 2], [3, 4], [4, 5], [3, 5]])));
    expect([pathFirst.diameterOfLargestComponent, pathFirst.maxComponentDiameter]).toEqual([2, 2]);
    const triangleFirst = diameter(toCsr(graphOf(6, [[0, 1], [1, 2], [0, 2], [3, 4], [4, 5]])));
    expect([triangleFirst.diameterOfLargestComponent, triangleFirst.maxComponentDiameter]).toEqual([1, 2]);
  });

  it("equals the plain diameter on connected graphs and 0 on isolated nodes", () => {
    const path = diameter(toCsr(graphOf(4, [[0, 1], [1, 2], [2, 3]])));
    expect([path.diameter, path.diameterOfLargestComponent, path.maxComponentDiameter, path.largestComponentSize]).toEqual([3, 3, 3, 4]);
    const isolated = diameter(toCsr(graphOf(3, [])));
    expect([isolated.diameterOfLargestComponent, isolated.maxComponentDiameter, isolated.largestComponentSize]).toEqual([0, 0, 1]);
  });

  it("matches brute force on sparse random graphs", () => {
    fc.assert(fc.property(sparseGraph, (a) => {
      const d = diameter(toCsr(a));
      const expected = oracle(a);
      expect(d.largestComponentSize).toBe(expected.largestSize);
      expect(d.diameterOfLargestComponent).toBe(expected.ofLargest);
      expect(d.maxComponentDiameter).toBe(expected.max);
    }), { ...PROPERTY_PARAMETERS, numRuns: 300 });
  });
});
