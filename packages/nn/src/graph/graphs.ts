/**
 * The recurrent graphs G of the fractal models and the graph controls of seed 001, as dense
 * H×H tensors built with @fcn/kron: Sierpinski Kronecker power (binarized, self-loops removed),
 * Gaussian noise, and rescaling to spectral radius ρ(G) = 0.9 (seed 000 §3.4).
 */
import {
  type CsrMatrix, type Matrix, csrToDense, denseRandom, fromRows, kroneckerGraph, permuteGraph, randomGraphWithEdges, scaleGraph,
} from "@fcn/kron";
import { ArgumentError, type Tensor, tensor } from "@fcn/tensor";
import { powerOf } from "../config.js";

/** The recurrent graph kinds: the Kronecker graph and seed 001's controls. */
export type GraphKind = "kronecker" | "randomSparse" | "permutedKronecker" | "denseRandom" | "noRecurrence";
export const GRAPH_KINDS: readonly GraphKind[] = ["kronecker", "randomSparse", "permutedKronecker", "denseRandom", "noRecurrence"];

export interface GraphOptions {
  /** Target spectral radius (default 0.9). */
  spectralRadius?: number;
  /** Standard deviation of the Gaussian noise added before rescaling (default 0.01). */
  noiseScale?: number;
  /** "nonzeros" (default) keeps the sparsity pattern; "all" adds noise to every entry (dense G). */
  noiseOn?: "all" | "nonzeros";
  /** Seed of the noise and of random controls (default 0). */
  seed?: number;
  /** The initiator (default Sierpinski [[1,1],[1,0]]). */
  initiator?: readonly (readonly number[])[];
}

export interface RecurrentGraph {
  kind: GraphKind;
  /** G as a dense [H, H] float32 tensor. */
  weight: Tensor;
  /** 0/1 support of the unscaled graph (the Kronecker pattern for "kronecker"). */
  support: Tensor;
  /** Nonzero entries of `support` (counted on the host, so no device tensor is read). */
  supportNonzeros: number;
  /** Nonzero entries of G (what a fixed graph contributes to fixedParams). */
  nonzeros: number;
}

/** The seed's binarized Kronecker graph A^{(k)} on H = m^k nodes (CSR); ArgumentError if H is not a power of m. */
export function kroneckerSupport(hidden: number, initiator: readonly (readonly number[])[] = [[1, 1], [1, 0]], owner = "kroneckerSupport"): CsrMatrix {
  const k = powerOf(owner, "hidden", hidden, initiator.length);
  return kroneckerGraph(fromRows(initiator), k);
}

function toTensor(m: Matrix): Tensor {
  return tensor(Float32Array.from(m.data), { shape: [m.rows, m.cols] });
}

function countNonzeros(m: Matrix): number {
  let n = 0;
  for (const v of m.data) if (v !== 0) n++;
  return n;
}

/**
 * Builds G of the given kind on `hidden` nodes. Controls keep what the seed holds fixed:
 * "randomSparse" has as many edges as the Kronecker graph, "permutedKronecker" its degree
 * sequence and spectrum, "denseRandom" is N(0, 1/H) everywhere, "noRecurrence" is G = 0.
 */
export function recurrentGraph(kind: GraphKind, hidden: number, options: GraphOptions = {}, owner = "recurrentGraph"): RecurrentGraph {
  if (!GRAPH_KINDS.includes(kind)) throw new ArgumentError(`${owner}: graph must be one of ${GRAPH_KINDS.join(", ")}, got ${String(kind)}`);
  const seed = options.seed ?? 0;
  const scale = { spectralRadius: options.spectralRadius ?? 0.9, noiseScale: options.noiseScale ?? 0.01, noiseOn: options.noiseOn ?? "nonzeros", seed } as const;
  const base = kroneckerSupport(hidden, options.initiator, owner);
  let pattern: CsrMatrix | Matrix;
  if (kind === "kronecker") pattern = base;
  else if (kind === "permutedKronecker") pattern = permuteGraph(base, seed + 1).graph;
  else if (kind === "randomSparse") pattern = randomGraphWithEdges(hidden, base.colIndex.length / 2, seed + 1);
  else if (kind === "denseRandom") pattern = denseRandom(hidden, seed + 1);
  else {
    const zero = tensor(new Float32Array(hidden * hidden), { shape: [hidden, hidden] });
    return { kind, weight: zero, support: zero, supportNonzeros: 0, nonzeros: 0 };
  }
  const dense = "rowPointer" in pattern ? csrToDense(pattern) : pattern;
  const supportMatrix = { rows: hidden, cols: hidden, data: dense.data.map((v) => (v !== 0 ? 1 : 0)) };
  const scaled = scaleGraph(pattern, scale);
  return { kind, weight: toTensor(scaled), support: toTensor(supportMatrix), supportNonzeros: countNonzeros(supportMatrix), nonzeros: countNonzeros(scaled) };
}
