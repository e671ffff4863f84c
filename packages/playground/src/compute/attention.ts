/**
 * Fractal attention: the row softmax of a Kronecker product of small score matrices,
 * softmax(A₁ ⊗ … ⊗ A_k), beside @fcn/nn's factored path softmax(A₁) ⊗ … ⊗ softmax(A_k), and
 * how far apart they are. The factored form is exact only when the scores add across factors
 * (A₁ ⊕ A₂); for a product of scores it is an approximation whose error the page shows.
 */
import { Generator, kron, randn, softmax, tensor, tidy } from "@fcn/tensor";
import type { Progress } from "./protocol.js";

export type FactorKind = "random" | "sierpinski" | "banded";

export interface AttentionRequest {
  /** Side of each factor, m₁ … m_k. */
  readonly sizes: number[];
  readonly kind: FactorKind;
  /** Scores are multiplied by this (an inverse temperature). */
  readonly scale: number;
  readonly seed: number;
}

export interface AttentionResult {
  readonly n: number;
  readonly exact: Float32Array;
  readonly factored: Float32Array;
  /** ‖S − F‖_F / ‖S‖_F and max |S − F|. */
  readonly relativeError: number;
  readonly maxError: number;
  readonly factors: number[][][];
}

/** Largest N = Π mᵢ drawn (the heatmaps are N × N). */
export const ATTENTION_NODE_LIMIT = 512;

function factor(m: number, kind: FactorKind, gen: Generator): number[][] {
  if (kind === "random") {
    const values = randn([m, m], gen).dataSync();
    return Array.from({ length: m }, (_, i) => Array.from(values.subarray(i * m, i * m + m)));
  }
  if (kind === "sierpinski") return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => ((i & j) === 0 ? 1 : 0)));
  return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => 1 - Math.abs(i - j) / Math.max(1, m - 1)));
}

export function attention(request: AttentionRequest, progress: Progress): AttentionResult {
  const n = request.sizes.reduce((p, m) => p * m, 1);
  if (n > ATTENTION_NODE_LIMIT) throw new Error(`N = Π mᵢ = ${n} exceeds ${ATTENTION_NODE_LIMIT}; choose fewer or smaller factors`);
  const gen = new Generator(request.seed);
  const factors = request.sizes.map((m) => factor(m, request.kind, gen).map((row) => row.map((v) => v * request.scale)));
  progress(0.2, "softmax of the full Kronecker product");
  return tidy(() => {
    const mats = factors.map((f) => tensor(f, { dtype: "float64" }));
    const full = mats.reduce((a, b) => kron(a, b));
    const exact = softmax(full, -1).dataSync();
    progress(0.6, "factored softmax");
    const factored = mats.map((a) => softmax(a, -1)).reduce((a, b) => kron(a, b)).dataSync();
    let diff = 0, norm = 0, maxError = 0;
    for (let i = 0; i < exact.length; i++) {
      const d = exact[i] - factored[i];
      diff += d * d;
      norm += exact[i] * exact[i];
      maxError = Math.max(maxError, Math.abs(d));
    }
    return { n, exact: Float32Array.from(exact), factored: Float32Array.from(factored), relativeError: Math.sqrt(diff / norm), maxError, factors };
  });
}
