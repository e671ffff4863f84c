/**
 * The graph families of Experiments 1 and 3 at N = 2^k nodes, with the generator parameters
 * chosen here (the seed gives none): ER p = 0.0078 (the seed's printed density), BA m = 1,
 * WS k = 2 rewired with p = 0.1, stochastic Kronecker from P = [[0.9, 0.5], [0.5, 0.1]].
 */
import {
  type CsrMatrix, barabasiAlbert, completeGraph, erdosRenyi, fromRows, kroneckerGraph, sierpinski,
  stochasticKronecker, wattsStrogatz,
} from "@fcn/kron";

/** Family names of Experiment 1 (000 §4.1), plus the seed's other binarization reading. */
export const GRAPH_FAMILIES = [
  "kronecker_deterministic",
  "kronecker_loop_free_initiator",
  "stochastic_kronecker",
  "erdos_renyi",
  "barabasi_albert",
  "watts_strogatz",
  "complete",
] as const;

export type GraphFamily = (typeof GRAPH_FAMILIES)[number];

/** Whether a family's graph depends on the seed. */
export function isRandomFamily(family: GraphFamily): boolean {
  return !["kronecker_deterministic", "kronecker_loop_free_initiator", "complete"].includes(family);
}

/** Parameters used for each family, for the report. */
export const FAMILY_PARAMETERS: Record<GraphFamily, string> = {
  kronecker_deterministic: "K₀ = [[1,1],[1,0]], K₀^{⊗k}, diagonal zeroed, > 0 → 1 (seed 001's code)",
  kronecker_loop_free_initiator: "loops removed from K₀ first: [[0,1],[1,0]]^{⊗k} (the other reading of §3.1)",
  stochastic_kronecker: "P = [[0.9,0.5],[0.5,0.1]], (ΣP)^k ball drops (chosen here)",
  erdos_renyi: "p = 0.0078 (the seed's printed density)",
  barabasi_albert: "m = 1 (the sparsest BA graph; a tree)",
  watts_strogatz: "k = 2, p = 0.1",
  complete: "all pairs",
};

/**
 * Builds a family's graph on 2^depth nodes.
 * @example buildGraph("complete", 7, 1).rows // 128
 */
export function buildGraph(family: GraphFamily, depth: number, seed: number): CsrMatrix {
  const n = 2 ** depth;
  switch (family) {
    case "kronecker_deterministic": return kroneckerGraph(sierpinski(), depth);
    case "kronecker_loop_free_initiator": return kroneckerGraph(sierpinski(), depth, "loopFreeInitiator");
    case "stochastic_kronecker": return stochasticKronecker(fromRows([[0.9, 0.5], [0.5, 0.1]]), depth, seed);
    case "erdos_renyi": return erdosRenyi(n, 0.0078, seed);
    case "barabasi_albert": return barabasiAlbert(n, 1, seed);
    case "watts_strogatz": return wattsStrogatz(n, 2, 0.1, seed);
    case "complete": return completeGraph(n);
  }
}

/** Throws an error listing the valid names when `name` is not a family. */
export function assertFamily(name: string): GraphFamily {
  if (!(GRAPH_FAMILIES as readonly string[]).includes(name)) {
    throw new Error(`unknown graph family "${name}"; valid families: ${GRAPH_FAMILIES.join(", ")}`);
  }
  return name as GraphFamily;
}
