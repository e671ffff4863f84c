/**
 * Which of the seed's constructions could give the nonzero count its Exp 5 table prints for the
 * Kronecker reservoir at N = 128 (000 §4.5 B: 7,056)? Every count is computed, none assumed.
 */
import { kroneckerGraph, sierpinski, seedDensityFormula } from "@fcn/kron";

/** One construction and its nonzero count at N = 2^depth. */
export interface NnzCandidate {
  readonly construction: string;
  readonly nonzeros: number;
}

/** 2×2 factors a Kronecker construction on N = 2^depth nodes can be built from: nnz and diagonal nonzeros. */
const FACTORS = [
  { name: "K₀", nnz: 3, diagonal: 1 },
  { name: "J₂ (all ones)", nnz: 4, diagonal: 2 },
  { name: "I₂", nnz: 2, diagonal: 2 },
];

/** The constructions of the seed at N = 2^depth with their nonzero counts. */
export function seedNnzCandidates(depth: number): NnzCandidate[] {
  const n = 2 ** depth;
  const graph = kroneckerGraph(sierpinski(), depth);
  const candidates: NnzCandidate[] = [
    { construction: `K₀^{⊗${depth}} (eq. 2)`, nonzeros: 3 ** depth },
    { construction: "binarized, self-loops removed (§3.1)", nonzeros: graph.values.length },
    { construction: "eq. 4 density × N(N − 1)", nonzeros: Math.round(seedDensityFormula(depth) * n * (n - 1)) },
    { construction: "§3.4 learnable graph, \"at most 3^k nonzero entries\"", nonzeros: 3 ** depth },
    { construction: "§3.4 Sierpinski + Gaussian noise (every entry nonzero)", nonzeros: n * n },
  ];
  return candidates;
}

/**
 * Every nonzero count a Kronecker product of `depth` factors from {K₀, J₂, I₂} reaches on
 * N = 2^depth nodes, with and without its diagonal (Kronecker products multiply nnz and diagonal counts).
 */
export function kroneckerProductCounts(depth: number): Set<number> {
  let states = new Set<string>(["1,1"]);
  for (let level = 0; level < depth; level++) {
    const next = new Set<string>();
    for (const state of states) {
      const [nnz, diagonal] = state.split(",").map(Number);
      for (const f of FACTORS) next.add(`${nnz * f.nnz},${diagonal * f.diagonal}`);
    }
    states = next;
  }
  const counts = new Set<number>();
  for (const state of states) {
    const [nnz, diagonal] = state.split(",").map(Number);
    counts.add(nnz);
    counts.add(nnz - diagonal);
  }
  return counts;
}

/** The evidence sentence: whether `claimed` is reached by any construction, with the nearest counts. */
export function nnzEvidence(claimed: number, depth: number): { matches: boolean; text: string } {
  const candidates = seedNnzCandidates(depth);
  const products = kroneckerProductCounts(depth);
  const matches = candidates.some((c) => c.nonzeros === claimed) || products.has(claimed);
  const sorted = [...products].sort((a, b) => Math.abs(a - claimed) - Math.abs(b - claimed));
  const listed = candidates.map((c) => `${c.construction}: ${c.nonzeros.toLocaleString("en-US")}`).join("; ");
  const powers = Array.from({ length: 12 }, (_, k) => 3 ** (k + 1));
  const nearestPower = powers.reduce((a, b) => (Math.abs(b - claimed) < Math.abs(a - claimed) ? b : a));
  return {
    matches,
    text: `at N = ${2 ** depth} the seed's constructions give ${listed}; the ${products.size} counts reachable by Kronecker ` +
      `products of ${depth} factors from {${FACTORS.map((f) => f.name).join(", ")}} (with or without the diagonal) do ` +
      `${products.has(claimed) ? "" : "not "}include ${claimed.toLocaleString("en-US")} (nearest ${sorted.slice(0, 2).map((v) => v.toLocaleString("en-US")).join(", ")}), ` +
      `and no Sierpinski power 3^k does (nearest ${nearestPower.toLocaleString("en-US")})`,
  };
}
