/**
 * Comparison graph families of Experiment 1 and seed 001's controls, all seeded and returned as
 * symmetric 0/1 CSR adjacency (undirected, no self-loops) unless stated otherwise.
 */
import { ArgumentError } from "@fcn/tensor";
import { type CsrMatrix, fromTriplets } from "../kron/csr.js";
import { type Matrix, zeros } from "../linalg/matrix.js";
import { createRandom } from "../random.js";

/** Builds an undirected CSR graph from an edge list (u, v), u ≠ v, storing both directions. */
export function graphFromEdges(nodes: number, edges: ReadonlyArray<readonly [number, number]>): CsrMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (const [u, v] of edges) {
    rows.push(u, v);
    cols.push(v, u);
  }
  const graph = fromTriplets(nodes, nodes, rows, cols, 1);
  return { ...graph, values: graph.values.map(() => 1) };
}

function assertNodes(n: number, operation: string): void {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${operation}: node count must be a positive integer, got ${n}`);
}

function assertProbability(p: number, operation: string): void {
  if (!(p >= 0 && p <= 1)) throw new ArgumentError(`${operation}: probability must lie in [0, 1], got ${p}`);
}

/**
 * The complete graph K_n.
 * @example completeGraph(4).values.length // 12
 */
export function completeGraph(n: number): CsrMatrix {
  assertNodes(n, "completeGraph");
  const edges: [number, number][] = [];
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) edges.push([u, v]);
  return graphFromEdges(n, edges);
}

/**
 * Erdős–Rényi G(n, p) in O(n + edges) by geometric skipping over the pairs u < v (Batagelj–Brandes).
 * @example erdosRenyi(128, 0.05, 1)
 */
export function erdosRenyi(n: number, p: number, seed: number): CsrMatrix {
  assertNodes(n, "erdosRenyi");
  assertProbability(p, "erdosRenyi");
  const random = createRandom(seed);
  const edges: [number, number][] = [];
  if (p > 0) {
    const logQ = Math.log(1 - p);
    let v = 1;
    let w = -1;
    while (v < n) {
      // Skip a geometric number of non-edges: w += 1 + floor(log(1 − r) / log(1 − p)).
      w += p === 1 ? 1 : 1 + Math.floor(Math.log(1 - random.uniform()) / logQ);
      while (w >= v && v < n) {
        w -= v;
        v++;
      }
      if (v < n) edges.push([v, w]);
    }
  }
  return graphFromEdges(n, edges);
}

/**
 * Barabási–Albert preferential attachment as networkx builds it: start from the star on m + 1
 * nodes, then each new node links to m distinct existing nodes drawn with probability ∝ degree.
 * @example barabasiAlbert(128, 1, 1) // 127 edges
 */
export function barabasiAlbert(n: number, m: number, seed: number): CsrMatrix {
  assertNodes(n, "barabasiAlbert");
  if (!Number.isInteger(m) || m < 1 || m >= n) throw new ArgumentError(`barabasiAlbert: m must satisfy 1 ≤ m < n = ${n}, got ${m}`);
  const random = createRandom(seed);
  const edges: [number, number][] = [];
  const repeated: number[] = [];
  for (let v = 1; v <= m; v++) {
    edges.push([0, v]);
    repeated.push(0, v);
  }
  for (let source = m + 1; source < n; source++) {
    const targets = new Set<number>();
    while (targets.size < m) targets.add(repeated[random.integer(repeated.length)]);
    for (const t of targets) {
      edges.push([source, t]);
      repeated.push(source, t);
    }
  }
  return graphFromEdges(n, edges);
}

/**
 * Watts–Strogatz small world: ring lattice with each node joined to its k nearest neighbours
 * (k/2 per side), then each lattice edge (u, u + j) rewired with probability p to a uniform
 * node, avoiding self-loops and duplicate edges (networkx's procedure).
 * @example wattsStrogatz(128, 4, 0.1, 1)
 */
export function wattsStrogatz(n: number, k: number, p: number, seed: number): CsrMatrix {
  assertNodes(n, "wattsStrogatz");
  assertProbability(p, "wattsStrogatz");
  if (!Number.isInteger(k) || k < 2 || k % 2 !== 0 || k >= n) {
    throw new ArgumentError(`wattsStrogatz: k must be an even integer with 2 ≤ k < n = ${n}, got ${k}`);
  }
  const random = createRandom(seed);
  const neighbours = Array.from({ length: n }, () => new Set<number>());
  const link = (u: number, v: number) => {
    neighbours[u].add(v);
    neighbours[v].add(u);
  };
  for (let u = 0; u < n; u++) for (let j = 1; j <= k / 2; j++) link(u, (u + j) % n);
  for (let j = 1; j <= k / 2; j++) {
    for (let u = 0; u < n; u++) {
      const v = (u + j) % n;
      if (random.uniform() >= p || !neighbours[u].has(v)) continue;
      if (neighbours[u].size >= n - 1) continue;
      let w = random.integer(n);
      while (w === u || neighbours[u].has(w)) w = random.integer(n);
      neighbours[u].delete(v);
      neighbours[v].delete(u);
      link(u, w);
    }
  }
  const edges: [number, number][] = [];
  neighbours.forEach((set, u) => set.forEach((v) => u < v && edges.push([u, v])));
  return graphFromEdges(n, edges);
}

/**
 * Uniformly random simple graph with exactly `edges` edges (matched-nnz control: pass the edge
 * count of the graph it controls for).
 * @example randomGraphWithEdges(128, 1093, 1)
 */
export function randomGraphWithEdges(n: number, edges: number, seed: number): CsrMatrix {
  assertNodes(n, "randomGraphWithEdges");
  const possible = (n * (n - 1)) / 2;
  if (!Number.isInteger(edges) || edges < 0 || edges > possible) {
    throw new ArgumentError(`randomGraphWithEdges: edges must be an integer in 0..${possible}, got ${edges}`);
  }
  const random = createRandom(seed);
  const chosen = new Set<number>();
  const list: [number, number][] = [];
  while (list.length < edges) {
    const u = random.integer(n);
    const v = random.integer(n);
    if (u === v) continue;
    const key = Math.min(u, v) * n + Math.max(u, v);
    if (chosen.has(key)) continue;
    chosen.add(key);
    list.push([Math.min(u, v), Math.max(u, v)]);
  }
  return graphFromEdges(n, list);
}

/**
 * Dense Gaussian weight matrix with entries N(0, 1/n) (the dense-random reservoir control);
 * `symmetric` mirrors the upper triangle.
 * @example denseRandom(64, 1)
 */
export function denseRandom(n: number, seed: number, symmetric = false): Matrix {
  assertNodes(n, "denseRandom");
  const random = createRandom(seed);
  const m = zeros(n, n);
  const scale = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    for (let j = symmetric ? i : 0; j < n; j++) {
      const v = scale * random.normal();
      m.data[i * n + j] = v;
      if (symmetric) m.data[j * n + i] = v;
    }
  }
  return m;
}
