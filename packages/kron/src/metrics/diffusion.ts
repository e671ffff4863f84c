/**
 * Diffusion on graphs (Experiment 3): the heat kernel exp(−tL) and the seed's lazy random-walk
 * iteration h ← (1 − α)h + α·D⁻¹A·h (eq. 15), with entropy and local-vs-global variance over time.
 */
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { type CsrMatrix, csrMatvec } from "../kron/csr.js";
import { eigh } from "../linalg/eigh.js";
import type { Matrix } from "../linalg/matrix.js";
import { asMatrix, assertCsr } from "../linalg/asMatrix.js";

/**
 * exp(−tL)·x for each time t, through the eigendecomposition L = VΛVᵀ: V·exp(−tΛ)·Vᵀx.
 * @example heatKernel(normalizedLaplacian(g), delta, [0, 1, 10])
 */
export function heatKernel(laplacian: Matrix, signal: Float64Array, times: readonly number[]): Float64Array[] {
  laplacian = asMatrix(laplacian, "heatKernel", "laplacian");
  if (signal.length !== laplacian.rows) throw new ShapeError(`heatKernel: signal of length ${signal.length} does not fit a ${laplacian.rows}-node Laplacian`);
  const { values, vectors } = eigh(laplacian);
  const n = laplacian.rows;
  const coefficients = new Float64Array(n); // Vᵀx
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) coefficients[j] += vectors.data[i * n + j] * signal[i];
  return times.map((t) => {
    if (!Number.isFinite(t)) throw new ArgumentError(`heatKernel: time ${t} is not finite`);
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const c = coefficients[j] * Math.exp(-t * values[j]);
      if (c === 0) continue;
      for (let i = 0; i < n; i++) out[i] += vectors.data[i * n + j] * c;
    }
    return out;
  });
}

/** Per-step observables of a diffusion run. */
export interface DiffusionTrace {
  /** Shannon entropy of |h|/Σ|h| at each step (step 0 is the initial state). */
  readonly entropy: Float64Array;
  /** Population variance of h over the first `localNodes` nodes at each step. */
  readonly localVariance: Float64Array;
  /** Population variance of h over all nodes at each step. */
  readonly globalVariance: Float64Array;
  /** The final state. */
  readonly state: Float64Array;
}

/** Options of {@link diffuse}. */
export interface DiffusionOptions {
  /** Mixing rate α in (0, 1] (default 0.5). */
  alpha?: number;
  /** Number of steps (default 100). */
  steps?: number;
  /** Node carrying the initial delta (default 0); ignored when `initial` is given. */
  source?: number;
  /** Initial state (default the delta on `source`). */
  initial?: Float64Array;
  /** Size of the "local" block of nodes 0..localNodes−1 (default 8, as in Figure 5). */
  localNodes?: number;
}

/**
 * Iterates eq. 15, h⁽ᵗ⁺¹⁾ = (1 − α)h⁽ᵗ⁾ + α·Ŵh⁽ᵗ⁾ with Ŵ = D⁻¹A (rows of isolated nodes are zero),
 * recording entropy and local/global variance at every step.
 * @example diffuse(kroneckerGraph(sierpinski(), 7), { steps: 80 }).entropy
 */
export function diffuse(graph: CsrMatrix, options: DiffusionOptions = {}): DiffusionTrace {
  assertCsr(graph, "diffuse", "graph");
  const n = graph.rows;
  const alpha = options.alpha ?? 0.5;
  const steps = options.steps ?? 100;
  const local = Math.min(n, options.localNodes ?? 8);
  if (!(alpha > 0 && alpha <= 1)) throw new ArgumentError(`diffuse: alpha must lie in (0, 1], got ${alpha}`);
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError(`diffuse: steps must be a non-negative integer, got ${steps}`);
  let h = options.initial ? new Float64Array(options.initial) : new Float64Array(n);
  if (h.length !== n) throw new ShapeError(`diffuse: initial state of length ${h.length} does not fit ${n} nodes`);
  if (!options.initial) {
    const source = options.source ?? 0;
    if (!(source >= 0 && source < n)) throw new ArgumentError(`diffuse: source ${source} is outside 0..${n - 1}`);
    h[source] = 1;
  }
  const degree = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let q = graph.rowPointer[i]; q < graph.rowPointer[i + 1]; q++) s += graph.values[q];
    return s;
  });
  const entropy = new Float64Array(steps + 1);
  const localVariance = new Float64Array(steps + 1);
  const globalVariance = new Float64Array(steps + 1);
  const record = (t: number) => {
    entropy[t] = shannonEntropy(h);
    localVariance[t] = variance(h, local);
    globalVariance[t] = variance(h, n);
  };
  record(0);
  for (let t = 1; t <= steps; t++) {
    const walked = csrMatvec(graph, h);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (1 - alpha) * h[i] + (degree[i] > 0 ? (alpha * walked[i]) / degree[i] : 0);
    h = next;
    record(t);
  }
  return { entropy, localVariance, globalVariance, state: h };
}

function shannonEntropy(h: Float64Array): number {
  let total = 0;
  for (const v of h) total += Math.abs(v);
  if (total === 0) return 0;
  let s = 0;
  for (const v of h) {
    const p = Math.abs(v) / total;
    if (p > 0) s -= p * Math.log(p);
  }
  return s;
}

function variance(h: Float64Array, count: number): number {
  if (count === 0) return 0;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += h[i];
  mean /= count;
  let s = 0;
  for (let i = 0; i < count; i++) s += (h[i] - mean) ** 2;
  return s / count;
}
