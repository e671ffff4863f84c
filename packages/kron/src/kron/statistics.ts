/**
 * Closed forms for the deterministic Kronecker graph: node and edge counts, degree distribution
 * and density, computed from the initiator alone (cost independent of N = m^k).
 */
import { ArgumentError } from "@fcn/tensor";
import { type Matrix, isSymmetric } from "../linalg/matrix.js";
import type { KroneckerGraphVariant } from "./adjacency.js";
import { validateInitiator } from "./initiator.js";
import { assertPower } from "./product.js";

/** Closed-form structure of a Kronecker graph. */
export interface KroneckerGraphStatistics {
  readonly nodes: number;
  /** Stored nonzeros of the adjacency matrix (directed arcs; each undirected edge counts twice). */
  readonly storedEntries: number;
  /** Undirected edges, storedEntries/2, when the pattern is symmetric; otherwise undefined. */
  readonly edges: number | undefined;
  /** storedEntries / (N·(N−1)) — networkx's density for both directed and undirected graphs. */
  readonly density: number;
  /** Row degrees as {value: degree, multiplicity: number of nodes}, ascending. */
  readonly degreeDistribution: { value: number; multiplicity: number }[];
}

/**
 * Closed-form statistics of `kroneckerGraph(initiator, k, variant)`: with pattern B = [K₀ > 0],
 * row sums rᵢ and diagonal dᵢ, node (i₁…i_k) has degree Π r_{iⱼ} − Π d_{iⱼ} ("binarizedPower")
 * or Π r'_{iⱼ} with r' the row sums of B without its diagonal ("loopFreeInitiator").
 * @example kroneckerGraphStatistics(sierpinski(), 7).density // (3⁷ − 1)/(128·127) ≈ 0.134
 */
export function kroneckerGraphStatistics(
  initiator: Matrix, k: number, variant: KroneckerGraphVariant = "binarizedPower",
): KroneckerGraphStatistics {
  validateInitiator(initiator);
  assertPower(k);
  if (k === 0) throw new ArgumentError("kroneckerGraphStatistics: k must be at least 1");
  if (initiator.data.some((v) => v < 0)) {
    throw new ArgumentError("kroneckerGraphStatistics: initiator has negative entries; the binarized power is then not a Kronecker product");
  }
  const m = initiator.rows;
  const row = new Float64Array(m);
  const diagonal = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (initiator.data[i * m + j] > 0 && (variant === "binarizedPower" || i !== j)) row[i]++;
    }
    diagonal[i] = variant === "binarizedPower" && initiator.data[i * m + i] > 0 ? 1 : 0;
  }
  // Distribution of (Π r, Π d) over all digit tuples, merged by key.
  let states = new Map<string, { r: number; d: number; count: number }>([["1|1", { r: 1, d: 1, count: 1 }]]);
  for (let level = 0; level < k; level++) {
    const next = new Map<string, { r: number; d: number; count: number }>();
    for (const s of states.values()) {
      for (let i = 0; i < m; i++) {
        const r = s.r * row[i];
        const d = s.d * diagonal[i];
        const key = `${r}|${d}`;
        const found = next.get(key);
        if (found) found.count += s.count;
        else next.set(key, { r, d, count: s.count });
      }
    }
    states = next;
  }
  const degrees = new Map<number, number>();
  for (const s of states.values()) degrees.set(s.r - s.d, (degrees.get(s.r - s.d) ?? 0) + s.count);
  const degreeDistribution = [...degrees.entries()].sort((a, b) => a[0] - b[0]).map(([value, multiplicity]) => ({ value, multiplicity }));
  const nodes = m ** k;
  const storedEntries = degreeDistribution.reduce((s, e) => s + e.value * e.multiplicity, 0);
  const symmetric = isSymmetric({ rows: m, cols: m, data: initiator.data.map((v) => (v > 0 ? 1 : 0)) });
  return {
    nodes,
    storedEntries,
    edges: symmetric ? storedEntries / 2 : undefined,
    density: nodes > 1 ? storedEntries / (nodes * (nodes - 1)) : 0,
    degreeDistribution,
  };
}

/**
 * The seed's density formula, eq. 4: ρ_k = 3^k / (2^k·(2^k − 1)) — the stored entries of the
 * Sierpinski power *including* node 0's self-loop, over N(N−1).
 * @example seedDensityFormula(7) // ≈ 0.1345
 */
export function seedDensityFormula(k: number): number {
  assertPower(k);
  return 3 ** k / (2 ** k * (2 ** k - 1));
}
