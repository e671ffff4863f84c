/**
 * Structural metrics of an undirected graph given as a symmetric CSR adjacency (networkx conventions).
 */
import { ShapeError, formatShape } from "@fcn/tensor";
import type { CsrMatrix } from "../kron/csr.js";
import { assertCsr } from "../linalg/asMatrix.js";

function assertSquareGraph(graph: CsrMatrix, operation: string): number {
  if (graph.rows !== graph.cols) throw new ShapeError(`${operation}: adjacency must be square, got ${formatShape([graph.rows, graph.cols])}`);
  return graph.rows;
}

/**
 * Density: stored off-diagonal entries / (N(N−1)) — networkx's 2|E|/(N(N−1)) for undirected graphs.
 * @example density(completeGraph(5)) // 1
 */
export function density(graph: CsrMatrix): number {
  assertCsr(graph, "density", "graph");
  const n = assertSquareGraph(graph, "density");
  if (n < 2) return 0;
  let offDiagonal = 0;
  for (let i = 0; i < n; i++) for (let q = graph.rowPointer[i]; q < graph.rowPointer[i + 1]; q++) if (graph.colIndex[q] !== i) offDiagonal++;
  return offDiagonal / (n * (n - 1));
}

/** Degree summary. */
export interface DegreeStatistics {
  readonly minimum: number;
  readonly maximum: number;
  readonly mean: number;
  readonly standardDeviation: number;
  /** Row degrees (stored entries per row). */
  readonly degrees: Float64Array;
}

/**
 * Row degrees (number of stored entries per row) with min, max, mean and population standard deviation.
 * @example degreeStatistics(completeGraph(4)).mean // 3
 */
export function degreeStatistics(graph: CsrMatrix): DegreeStatistics {
  assertCsr(graph, "degreeStatistics", "graph");
  const n = assertSquareGraph(graph, "degreeStatistics");
  const degrees = Float64Array.from({ length: n }, (_, i) => graph.rowPointer[i + 1] - graph.rowPointer[i]);
  const mean = degrees.reduce((s, d) => s + d, 0) / n;
  const variance = degrees.reduce((s, d) => s + (d - mean) ** 2, 0) / n;
  return { minimum: Math.min(...degrees), maximum: Math.max(...degrees), mean, standardDeviation: Math.sqrt(variance), degrees };
}

/**
 * Breadth-first distances (edge counts) from `source`; unreachable nodes get Infinity.
 * @example bfsDistances(graph, 0)
 */
export function bfsDistances(graph: CsrMatrix, source: number): Float64Array {
  assertCsr(graph, "bfsDistances", "graph");
  const n = assertSquareGraph(graph, "bfsDistances");
  if (!Number.isInteger(source) || source < 0 || source >= n) throw new ShapeError(`bfsDistances: source ${source} is outside 0..${n - 1}`);
  const distance = new Float64Array(n).fill(Infinity);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  distance[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const u = queue[head++];
    for (let q = graph.rowPointer[u]; q < graph.rowPointer[u + 1]; q++) {
      const v = graph.colIndex[q];
      if (distance[v] === Infinity) {
        distance[v] = distance[u] + 1;
        queue[tail++] = v;
      }
    }
  }
  return distance;
}

/** Eccentricities, diameter and connectivity. */
export interface DiameterResult {
  /** Largest eccentricity; Infinity when the graph is disconnected. */
  readonly diameter: number;
  readonly connected: boolean;
  /**
   * Diameter of the component with the most nodes (networkx: `nx.diameter` of
   * `max(nx.connected_components(G), key=len)`); among equally large components, the one whose
   * lowest-numbered node comes first, as networkx's `max` picks the first.
   */
  readonly diameterOfLargestComponent: number;
  /** Nodes in that component. */
  readonly largestComponentSize: number;
  /** Largest finite distance in the graph: the largest diameter over all components. */
  readonly maxComponentDiameter: number;
  /** @deprecated The largest diameter over all components, not the diameter of the largest one: use `maxComponentDiameter` (same value) or `diameterOfLargestComponent`. */
  readonly largestComponentDiameter: number;
  /** Per-node eccentricity (Infinity for every node of a disconnected graph). */
  readonly eccentricities: Float64Array;
}

/**
 * Eccentricity of every node and the diameter, by one BFS per node (O(N·E)).
 * A disconnected graph has diameter Infinity and `connected: false` (networkx raises instead);
 * `diameterOfLargestComponent` is then networkx's usual reading.
 * @example diameter(kroneckerGraph(sierpinski(), 7)).diameter // 2
 */
export function diameter(graph: CsrMatrix): DiameterResult {
  assertCsr(graph, "diameter", "graph");
  const n = assertSquareGraph(graph, "diameter");
  const eccentricities = new Float64Array(n);
  // Largest finite distance from each node: its eccentricity within its own component.
  const withinComponent = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const d = bfsDistances(graph, s);
    let e = 0;
    let finite = 0;
    for (const x of d) {
      e = Math.max(e, x);
      if (x !== Infinity) finite = Math.max(finite, x);
    }
    eccentricities[s] = e;
    withinComponent[s] = finite;
  }
  const largest = n === 0 ? 0 : Math.max(...eccentricities);
  const { count, labels } = connectedComponents(graph);
  const sizes = new Int32Array(count);
  for (const label of labels) sizes[label]++;
  // Labels follow the first node of each component, so the first maximum is networkx's pick.
  let chosen = 0;
  for (let c = 1; c < count; c++) if (sizes[c] > sizes[chosen]) chosen = c;
  let diameterOfLargestComponent = 0;
  let maxComponentDiameter = 0;
  for (let s = 0; s < n; s++) {
    maxComponentDiameter = Math.max(maxComponentDiameter, withinComponent[s]);
    if (labels[s] === chosen) diameterOfLargestComponent = Math.max(diameterOfLargestComponent, withinComponent[s]);
  }
  return {
    diameter: largest,
    connected: largest !== Infinity,
    diameterOfLargestComponent,
    largestComponentSize: count === 0 ? 0 : sizes[chosen],
    maxComponentDiameter,
    largestComponentDiameter: maxComponentDiameter,
    eccentricities,
  };
}

/** Connected components: count and a component label per node (labels in order of first node). */
export interface Components {
  readonly count: number;
  readonly labels: Int32Array;
}

/**
 * Connected components by BFS.
 * @example connectedComponents(kroneckerGraph(sierpinski(), 7, "loopFreeInitiator")).count // 64
 */
export function connectedComponents(graph: CsrMatrix): Components {
  assertCsr(graph, "connectedComponents", "graph");
  const n = assertSquareGraph(graph, "connectedComponents");
  const labels = new Int32Array(n).fill(-1);
  let count = 0;
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (labels[s] !== -1) continue;
    labels[s] = count;
    stack.push(s);
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let q = graph.rowPointer[u]; q < graph.rowPointer[u + 1]; q++) {
        const v = graph.colIndex[q];
        if (labels[v] === -1) {
          labels[v] = count;
          stack.push(v);
        }
      }
    }
    count++;
  }
  return { count, labels };
}

/**
 * Average clustering coefficient as networkx's average_clustering: the mean over all nodes of
 * c_v = triangles(v) / (deg(v)(deg(v) − 1)/2), with c_v = 0 when deg(v) < 2; self-loops ignored.
 * @example averageClustering(completeGraph(5)) // 1
 */
export function averageClustering(graph: CsrMatrix): number {
  assertCsr(graph, "averageClustering", "graph");
  const n = assertSquareGraph(graph, "averageClustering");
  if (n === 0) return 0;
  const neighbours = Array.from({ length: n }, (_, u) => {
    const set = new Set<number>();
    for (let q = graph.rowPointer[u]; q < graph.rowPointer[u + 1]; q++) if (graph.colIndex[q] !== u) set.add(graph.colIndex[q]);
    return set;
  });
  let total = 0;
  for (let u = 0; u < n; u++) {
    const list = [...neighbours[u]];
    const d = list.length;
    if (d < 2) continue;
    let links = 0;
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) if (neighbours[list[a]].has(list[b])) links++;
    total += links / ((d * (d - 1)) / 2);
  }
  return total / n;
}
