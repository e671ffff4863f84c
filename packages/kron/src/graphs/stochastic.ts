/**
 * Stochastic Kronecker graphs (Leskovec et al. 2010) and the permuted-Kronecker control.
 */
import { ArgumentError } from "@fcn/tensor";
import { type CsrMatrix, fromTriplets } from "../kron/csr.js";
import { validateInitiator } from "../kron/initiator.js";
import { assertPower } from "../kron/product.js";
import { type Matrix, isSymmetric } from "../linalg/matrix.js";
import { createRandom } from "../random.js";
import { asMatrix, assertCsr } from "../linalg/asMatrix.js";

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
  probabilities = asMatrix(probabilities, "stochasticKronecker", "probabilities");
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
  const cells = m * m;
  // Drawn arcs, canonical (a ≤ b) when undirected; duplicates are removed while building CSR.
  const from = new Int32Array(draws);
  const to = new Int32Array(draws);
  let count = 0;
  for (let d = 0; d < draws; d++) {
    let u = 0;
    let v = 0;
    for (let level = 0; level < k; level++) {
      const r = random.uniform();
      let c = 0;
      while (c < cells - 1 && cumulative[c] <= r) c++;
      const i = (c / m) | 0;
      u = u * m + i;
      v = v * m + (c - i * m);
    }
    if (dropLoops && u === v) continue;
    if (undirected && u > v) {
      from[count] = v;
      to[count++] = u;
    } else {
      from[count] = u;
      to[count++] = v;
    }
  }
  return arcsToCsr(n, from, to, count, undirected);
}

/**
 * CSR of the distinct arcs (from[t], to[t]), t < count (and their mirrors when `mirror`), all of
 * value 1: counting sort by row, then a typed sort and de-duplication within each row.
 */
function arcsToCsr(n: number, from: Int32Array, to: Int32Array, count: number, mirror: boolean): CsrMatrix {
  const rowPointer = new Int32Array(n + 1);
  for (let t = 0; t < count; t++) {
    rowPointer[from[t] + 1]++;
    if (mirror && from[t] !== to[t]) rowPointer[to[t] + 1]++;
  }
  for (let i = 0; i < n; i++) rowPointer[i + 1] += rowPointer[i];
  const fill = rowPointer.slice(0, n);
  const cols = new Int32Array(rowPointer[n]);
  for (let t = 0; t < count; t++) {
    const a = from[t];
    const b = to[t];
    cols[fill[a]++] = b;
    if (mirror && a !== b) cols[fill[b]++] = a;
  }
  // Sort each row and drop repeated columns, compacting in place.
  let write = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = rowPointer[i + 1];
    const length = end - start;
    if (length > 1) {
      if (length > 16) cols.subarray(start, end).sort();
      else {
        for (let q = start + 1; q < end; q++) {
          const x = cols[q];
          let r = q - 1;
          while (r >= start && cols[r] > x) {
            cols[r + 1] = cols[r];
            r--;
          }
          cols[r + 1] = x;
        }
      }
    }
    let last = -1;
    for (let q = start; q < end; q++) {
      const c = cols[q];
      if (c !== last) cols[write++] = c;
      last = c;
    }
    start = end;
    rowPointer[i + 1] = write;
  }
  const colIndex = cols.slice(0, write);
  return { rows: n, cols: n, rowPointer, colIndex, values: new Float64Array(write).fill(1) };
}

/**
 * Relabels nodes by a seeded uniform permutation π (Fisher–Yates): A'[π(i), π(j)] = A[i, j].
 * Degree sequence and spectrum are kept, the Kronecker block structure is destroyed (seed 001's
 * "permuted Kronecker" control).
 * @example permuteGraph(kroneckerGraph(sierpinski(), 4), 7).graph
 */
export function permuteGraph(graph: CsrMatrix, seed: number): { graph: CsrMatrix; permutation: Int32Array } {
  assertCsr(graph, "permuteGraph", "graph");
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
