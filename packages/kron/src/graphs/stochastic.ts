/**
 * Stochastic Kronecker graphs (Leskovec et al. 2010) and the permuted-Kronecker control.
 */
import { ArgumentError } from "@fcn/tensor";
import { type CsrMatrix, fromTriplets } from "../kron/csr.js";
import { validateInitiator } from "../kron/initiator.js";
import { assertPower } from "../kron/product.js";
import { type Matrix, isSymmetric } from "../linalg/matrix.js";
import { createRandom } from "../random.js";

/** Options of {@link stochasticKronecker}. */
export interface StochasticKroneckerOptions {
  /** Number of edge draws; default round((Σ P)^k), the expected edge count. */
  draws?: number;
  /** Mirror each drawn arc so the graph is undirected (default: whether P is symmetric). */
  undirected?: boolean;
  /** Drop self-loops (default true). */
  removeSelfLoops?: boolean;
}

/**
 * Samples a stochastic Kronecker graph from a probability initiator P (entries in [0, 1]):
 * edge (u, v) has probability (P^{⊗k})_{uv}. Uses ball dropping — each draw descends the k levels
 * choosing cell (i, j) with probability P_ij / ΣP — so the cost is O(draws·k), not O(N²);
 * repeated draws of one arc collapse to one edge.
 * @example stochasticKronecker(fromRows([[0.9, 0.5], [0.5, 0.1]]), 10, 1)
 */
export function stochasticKronecker(probabilities: Matrix, k: number, seed: number, options: StochasticKroneckerOptions = {}): CsrMatrix {
  validateInitiator(probabilities, "stochasticKronecker probabilities");
  assertPower(k);
  const m = probabilities.rows;
  const p = probabilities.data;
  if (p.some((v) => v < 0 || v > 1)) throw new ArgumentError("stochasticKronecker: probabilities must lie in [0, 1]");
  const total = p.reduce((s, v) => s + v, 0);
  if (total === 0) throw new ArgumentError("stochasticKronecker: probability initiator is all zero");
  const n = m ** k;
  if (n > 2 ** 26) throw new ArgumentError(`stochasticKronecker: ${n} nodes exceed the limit 2^26`);
  const draws = options.draws ?? Math.round(total ** k);
  const undirected = options.undirected ?? isSymmetric(probabilities);
  const dropLoops = options.removeSelfLoops ?? true;
  const cumulative = new Float64Array(m * m);
  let running = 0;
  for (let c = 0; c < m * m; c++) cumulative[c] = running += p[c] / total;
  const random = createRandom(seed);
  const seen = new Set<number>();
  const rows: number[] = [];
  const cols: number[] = [];
  for (let d = 0; d < draws; d++) {
    let u = 0;
    let v = 0;
    for (let level = 0; level < k; level++) {
      const r = random.uniform();
      let c = 0;
      while (c < m * m - 1 && cumulative[c] <= r) c++;
      u = u * m + Math.floor(c / m);
      v = v * m + (c % m);
    }
    if (dropLoops && u === v) continue;
    const [a, b] = undirected && u > v ? [v, u] : [u, v];
    const key = a * n + b;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(a);
    cols.push(b);
    if (undirected && a !== b) {
      rows.push(b);
      cols.push(a);
    }
  }
  return fromTriplets(n, n, rows, cols, 1);
}

/**
 * Relabels nodes by a seeded uniform permutation π (Fisher–Yates): A'[π(i), π(j)] = A[i, j].
 * Degree sequence and spectrum are kept, the Kronecker block structure is destroyed (seed 001's
 * "permuted Kronecker" control).
 * @example permuteGraph(kroneckerGraph(sierpinski(), 4), 7).graph
 */
export function permuteGraph(graph: CsrMatrix, seed: number): { graph: CsrMatrix; permutation: Int32Array } {
  if (graph.rows !== graph.cols) throw new ArgumentError(`permuteGraph: adjacency must be square, got ${graph.rows}×${graph.cols}`);
  const n = graph.rows;
  const random = createRandom(seed);
  const permutation = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    [permutation[i], permutation[j]] = [permutation[j], permutation[i]];
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let q = graph.rowPointer[i]; q < graph.rowPointer[i + 1]; q++) {
      rows.push(permutation[i]);
      cols.push(permutation[graph.colIndex[q]]);
      values.push(graph.values[q]);
    }
  }
  return { graph: fromTriplets(n, n, rows, cols, values), permutation };
}
