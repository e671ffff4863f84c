/**
 * The Kronecker graph explorer's computation: for an initiator K₀ and a power k, the exact
 * spectrum of K₀⊗ᵏ from the factors, the graph of the chosen reading (its exact spectrum where
 * the factors give one), dense eigenvalues for small graphs, the closed-form degree counts of both
 * readings, the diameter and a block-density image of the adjacency. Large k stays lazy: only the
 * factored spectra and the degree counts, which never touch N = m^k nodes.
 */
import {
  type CsrMatrix, type KroneckerGraphVariant, type Spectrum, diameter, eigvalsh, fromRows, kronPower, kronPowerSpectrum,
  kroneckerGraph, kroneckerGraphStatistics, csrToDense, selfLoopRemovedSpectrum,
} from "@fcn/kron";
import type { Progress } from "./protocol.js";

export interface ExploreRequest {
  readonly initiator: number[][];
  readonly k: number;
  readonly variant: KroneckerGraphVariant;
}

/** A value, or why there is none. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface ReadingStats {
  readonly nodes: number;
  readonly storedEntries: number;
  readonly edges: number | null;
  readonly density: number;
  readonly degreeDistribution: readonly { value: number; multiplicity: number }[];
}

export interface ExploreResult {
  readonly m: number;
  readonly k: number;
  readonly nodes: number;
  readonly variant: KroneckerGraphVariant;
  /** Exact spectrum of K₀⊗ᵏ from the factors (eq. 5–6). */
  readonly powerSpectrum: Outcome<Spectrum>;
  /** Sorted dense eigenvalues of K₀⊗ᵏ (small N only). */
  readonly powerDense: Outcome<number[]>;
  /** Exact spectrum of the chosen reading's graph from the factors (secular equation for one removed loop). */
  readonly graphSpectrum: Outcome<Spectrum>;
  /** Sorted dense eigenvalues of the chosen reading's adjacency (small N only). */
  readonly graphDense: Outcome<number[]>;
  readonly stats: Readonly<Record<KroneckerGraphVariant, Outcome<ReadingStats>>>;
  readonly diameter: Outcome<{ diameter: number; connected: boolean; largestComponent: number; largestComponentSize: number }>;
  /** Block densities of the adjacency, size × size, row-major (N ≤ PATTERN_NODE_LIMIT). */
  readonly pattern: Outcome<{ size: number; cells: Float32Array }>;
  readonly ms: number;
}

/** Largest graph drawn as an adjacency pattern (2¹²). */
export const PATTERN_NODE_LIMIT = 4096;
/** Dense eigenvalues are computed for k ≤ 8 and at most this many nodes. */
export const DENSE_NODE_LIMIT = 1024;
export const DENSE_K_LIMIT = 8;
/** The diameter takes one BFS per node: computed while N · stored entries stays below this. */
export const DIAMETER_WORK_LIMIT = 1e8;
/** Largest side of the adjacency image (a pixel is a block of nodes when N is larger). */
const IMAGE_LIMIT = 512;

function attempt<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

const skip = (reason: string): Outcome<never> => ({ ok: false, reason });

/** Entries above 0 become 1, the rest 0 (the graph's reading of a weighted initiator). */
function binarized(rows: number[][]): number[][] {
  return rows.map((r) => r.map((v) => (v > 0 ? 1 : 0)));
}

/** The chosen reading's graph spectrum from the factors, or why the factors do not give it. */
function graphSpectrumFromFactors(rows: number[][], k: number, variant: KroneckerGraphVariant): Spectrum {
  if (rows.some((r) => r.some((v) => v < 0))) throw new Error("the initiator has negative entries: the binarized power is then not a Kronecker product");
  const b = binarized(rows);
  const m = b.length;
  if (variant === "loopFreeInitiator") return kronPowerSpectrum(fromRows(b.map((r, i) => r.map((v, j) => (i === j ? 0 : v)))), k);
  const loops = b.map((r, i) => r[i]).flatMap((v, i) => (v ? [i] : []));
  if (loops.length === 0) return kronPowerSpectrum(fromRows(b), k);
  if (loops.length > 1) {
    throw new Error(`K₀ has ${loops.length} self-loops, so the power has ${loops.length}^k on its diagonal: removing them is not a rank-one update of the factored spectrum`);
  }
  // One loop at digit d: the power's only loop is at node d·(m^k − 1)/(m − 1) (every digit d).
  const d = loops[0];
  const node = m === 1 ? 0 : (d * (m ** k - 1)) / (m - 1);
  return selfLoopRemovedSpectrum(fromRows(b), k, node);
}

function readingStats(rows: number[][], k: number, variant: KroneckerGraphVariant): ReadingStats {
  const s = kroneckerGraphStatistics(fromRows(rows), k, variant);
  return { nodes: s.nodes, storedEntries: s.storedEntries, edges: s.edges ?? null, density: s.density, degreeDistribution: s.degreeDistribution };
}

function blockDensities(graph: CsrMatrix): { size: number; cells: Float32Array } {
  const n = graph.rows;
  const size = Math.min(n, IMAGE_LIMIT);
  const block = n / size;
  const counts = new Float32Array(size * size);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / block);
    for (let p = graph.rowPointer[i]; p < graph.rowPointer[i + 1]; p++) counts[r * size + Math.floor(graph.colIndex[p] / block)]++;
  }
  const area = block * block;
  for (let c = 0; c < counts.length; c++) counts[c] /= area;
  return { size, cells: counts };
}

function sortedEigenvalues(values: ArrayLike<number>): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

export function explore(request: ExploreRequest, progress: Progress): ExploreResult {
  const started = performance.now();
  const { initiator: rows, k, variant } = request;
  const m = rows.length;
  const nodes = m ** k;
  const k0 = fromRows(rows);
  progress(0.05, "spectrum from the factors");
  const powerSpectrum = attempt(() => kronPowerSpectrum(k0, k));
  const graphSpectrum = attempt(() => graphSpectrumFromFactors(rows, k, variant));
  const stats = {
    binarizedPower: attempt(() => readingStats(rows, k, "binarizedPower")),
    loopFreeInitiator: attempt(() => readingStats(rows, k, "loopFreeInitiator")),
  };
  const small = nodes <= DENSE_NODE_LIMIT && k <= DENSE_K_LIMIT;
  const denseWhy = `dense eigenvalues are computed for k ≤ ${DENSE_K_LIMIT} and N ≤ ${DENSE_NODE_LIMIT} (here N = ${nodes.toLocaleString("en")})`;
  progress(0.15, "dense eigenvalues of K₀⊗ᵏ");
  const powerDense = small ? attempt(() => sortedEigenvalues(eigvalsh(kronPower(k0, k)))) : skip(denseWhy);
  let graph: Outcome<CsrMatrix> = skip(`the graph is built for N ≤ ${PATTERN_NODE_LIMIT} (here N = ${nodes.toLocaleString("en")}); larger powers stay lazy`);
  if (nodes <= PATTERN_NODE_LIMIT) {
    progress(0.4, "building the graph");
    graph = attempt(() => kroneckerGraph(k0, k, variant));
  }
  const pattern = graph.ok ? attempt(() => blockDensities(graph.value)) : graph;
  progress(0.5, "dense eigenvalues of the graph");
  const graphDense = !small ? skip(denseWhy) : graph.ok ? attempt(() => sortedEigenvalues(eigvalsh(csrToDense(graph.value)))) : graph;
  let diameterOutcome: ExploreResult["diameter"] = graph.ok ? skip("") : graph;
  if (graph.ok) {
    const work = nodes * Math.max(1, graph.value.rowPointer[nodes]);
    if (work > DIAMETER_WORK_LIMIT) {
      diameterOutcome = skip(`one BFS per node would visit ${work.toExponential(1)} entries (limit ${DIAMETER_WORK_LIMIT.toExponential(0)})`);
    } else {
      progress(0.75, "diameter (one BFS per node)");
      diameterOutcome = attempt(() => {
        const d = diameter(graph.value);
        return { diameter: d.diameter, connected: d.connected, largestComponent: d.diameterOfLargestComponent, largestComponentSize: d.largestComponentSize };
      });
    }
  }
  progress(1, "done");
  return {
    m, k, nodes, variant, powerSpectrum, powerDense, graphSpectrum, graphDense, stats,
    diameter: diameterOutcome, pattern, ms: performance.now() - started,
  };
}
