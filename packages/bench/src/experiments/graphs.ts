/**
 * The graph families of Experiments 1 and 3 at N = 2^k nodes, with the generator parameters
 * chosen here (the seed gives none): ER p = 0.0078 (the seed's printed density), BA m from the
 * `baEdgesPerNode` reading (default 1), WS k = 2 rewired with p = 0.1, stochastic Kronecker from
 * P = [[0.9, 0.5], [0.5, 0.1]]; the deterministic Kronecker graph's binarization is the
 * `kroneckerBinarization` reading (see graphReadings.ts).
 */
import { ArgumentError } from "@fcn/tensor";
import {
  type CsrMatrix, barabasiAlbert, completeGraph, erdosRenyi, fromRows, kroneckerGraph, sierpinski,
  stochasticKronecker, wattsStrogatz,
} from "@fcn/kron";

/** Family names of Experiment 1 (000 §4.1). */
export const GRAPH_FAMILIES = [
  "kronecker_deterministic",
  "stochastic_kronecker",
  "erdos_renyi",
  "barabasi_albert",
  "watts_strogatz",
  "complete",
] as const;

export type GraphFamily = (typeof GRAPH_FAMILIES)[number];

/** How K₀^{⊗k} becomes a simple graph: the two readings of §3.1's "remove self-loops". */
export type KroneckerBinarization = "powerDiagonal" | "initiatorLoops";

/** Generator choices the seed leaves open (each one a reading of Experiment 1). */
export interface GraphChoices {
  readonly kroneckerBinarization?: KroneckerBinarization;
  /** Barabási–Albert edges per new node, m. */
  readonly baEdgesPerNode?: number;
}

/** Erdős–Rényi edge probability: the seed's printed density (000 §4.1). */
export const ER_PROBABILITY = 0.0078;
/** Watts–Strogatz ring degree and rewiring probability (the seed gives neither). */
export const WS_DEGREE = 2;
export const WS_REWIRING = 0.1;

/** Whether a family's graph depends on the seed. */
export function isRandomFamily(family: GraphFamily): boolean {
  return !["kronecker_deterministic", "complete"].includes(family);
}

/** Parameters used for each family, for the report. */
export const FAMILY_PARAMETERS: Record<GraphFamily, string> = {
  kronecker_deterministic: "K₀ = [[1,1],[1,0]], K₀^{⊗k} binarized as the reading kroneckerBinarization says (default: diagonal zeroed, > 0 → 1, seed 001's code)",
  stochastic_kronecker: "P = [[0.9,0.5],[0.5,0.1]], (ΣP)^k ball drops (chosen here)",
  erdos_renyi: `p = ${ER_PROBABILITY} (the seed's printed density)`,
  barabasi_albert: "m from the reading baEdgesPerNode (default 1, the sparsest BA graph: a tree)",
  watts_strogatz: `k = ${WS_DEGREE} (the only k near the printed density), p = ${WS_REWIRING}`,
  complete: "all pairs",
};

/**
 * Builds a family's graph on 2^depth nodes.
 * @example buildGraph("complete", 7, 1).rows // 128
 */
export function buildGraph(family: GraphFamily, depth: number, seed: number, choices: GraphChoices = {}): CsrMatrix {
  const n = 2 ** depth;
  switch (family) {
    case "kronecker_deterministic":
      return kroneckerGraph(sierpinski(), depth, choices.kroneckerBinarization === "initiatorLoops" ? "loopFreeInitiator" : "binarizedPower");
    case "stochastic_kronecker": return stochasticKronecker(fromRows([[0.9, 0.5], [0.5, 0.1]]), depth, seed);
    case "erdos_renyi": return erdosRenyi(n, ER_PROBABILITY, seed);
    case "barabasi_albert": return barabasiAlbert(n, choices.baEdgesPerNode ?? 1, seed);
    case "watts_strogatz": return wattsStrogatz(n, WS_DEGREE, WS_REWIRING, seed);
    case "complete": return completeGraph(n);
  }
}

/** Throws an error listing the valid names when `name` is not a family. */
export function assertFamily(name: string): GraphFamily {
  if (!(GRAPH_FAMILIES as readonly string[]).includes(name)) {
    throw new ArgumentError(`unknown graph family "${name}"; valid families: ${GRAPH_FAMILIES.join(", ")}`);
  }
  return name as GraphFamily;
}
