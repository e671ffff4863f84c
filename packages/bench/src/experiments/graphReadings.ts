/**
 * Readings of Experiment 1 (000 §4.1): the choices the seed leaves open that move its published
 * table — how K₀^{⊗k} is binarized, the Barabási–Albert m, and which spectral gap is meant.
 */
import type { SpectralGapDefinition } from "@fcn/kron";
import { readingOf } from "../framework/readings.js";
import type { Config, Reading } from "../framework/types.js";
import type { GraphChoices, KroneckerBinarization } from "./graphs.js";

export const KRONECKER_BINARIZATION: Reading = {
  id: "kroneckerBinarization",
  values: {
    powerDiagonal: "binarize K₀^{⊗k}: zero its diagonal, > 0 → 1 (seed 001's code; 3^k − 1 stored entries)",
    initiatorLoops: "remove the loop from K₀ first, then take the power: [[0,1],[1,0]]^{⊗k}, a perfect matching",
  },
  default: "powerDiagonal",
  basis: "\"We binarize the matrix (remove self-loops, threshold at zero) to obtain the adjacency matrix A^{(k)}\" — the " +
    "matrix binarized is K^{(k)} = K₀^{⊗k}, and only then does it have the \"approximately 3^k edges\" of eq. 4 (000 " +
    "§3.1)",
  appliesTo: (config) => config.family === "kronecker_deterministic",
};

export const BA_EDGES_PER_NODE: Reading = {
  id: "baEdgesPerNode",
  values: {
    "1": "m = 1: each new node attaches one edge (a tree, density 2/N)",
    "2": "m = 2 (density ≈ 4/N)",
    "3": "m = 3 (density ≈ 6/N)",
  },
  default: "1",
  basis: "\"Random graphs share the sparse density\" (000 §4.1): the seed names no m, and m = 1 is the sparsest Barabási–Albert graph, the nearest to its printed density",
  appliesTo: (config) => config.family === "barabasi_albert",
};

export const SPECTRAL_GAP: Reading = {
  id: "spectralGap",
  values: {
    normalizedLaplacian: "λ₂ of the normalized Laplacian L = I − D^{−1/2} A D^{−1/2}",
    randomWalk: "1 − max_{i≥2} |μᵢ|, μ the eigenvalues of D⁻¹A",
    adjacency: "λ₁ − λ₂ of the adjacency matrix A",
  },
  default: "normalizedLaplacian",
  basis: "\"The normalized graph Laplacian is L = I − D^{−1/2} A D^{−1/2}\" (000 §3.1) is the only graph operator the seed " +
    "defines, and its Figures 1–2 are of \"normalized-Laplacian eigenvalues\" (000 §4.1); \"the spectral gap\" itself " +
    "is not defined",
};

export const DENSITY_DEFINITION: Reading = {
  id: "densityDefinition",
  values: {
    pairs: "stored off-diagonal entries / (N(N − 1)), i.e. 2|E|/(N(N − 1)) (eq. 4's normalization, networkx's density)",
    entries: "stored entries / N², i.e. the mean of the adjacency matrix (NumPy's A.mean())",
  },
  default: "pairs",
  basis: "eq. 4 normalizes the edge count by 2^k(2^k − 1) = N(N − 1): \"ρ_k = 3^k / (2^k(2^k − 1))\" (000 §3.1)",
};

export const EXP1_READINGS: readonly Reading[] = [KRONECKER_BINARIZATION, BA_EDGES_PER_NODE, SPECTRAL_GAP, DENSITY_DEFINITION];

/** The density of a graph with `stored` adjacency entries on n nodes under a density reading. */
export function densityUnder(definition: string, stored: number, n: number): number {
  return definition === "entries" ? stored / (n * n) : stored / (n * (n - 1));
}

/** The generator choices of a configuration's readings. */
export function graphChoices(config: Config): GraphChoices {
  return {
    kroneckerBinarization: readingOf(config, KRONECKER_BINARIZATION) as KroneckerBinarization,
    baEdgesPerNode: Number(readingOf(config, BA_EDGES_PER_NODE)),
  };
}

/** The spectral-gap definition of a configuration's reading. */
export function gapDefinition(config: Config): SpectralGapDefinition {
  return readingOf(config, SPECTRAL_GAP) as SpectralGapDefinition;
}
