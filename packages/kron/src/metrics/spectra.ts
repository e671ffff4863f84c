/**
 * Adjacency and normalized-Laplacian spectra, and the spectral gap under stated definitions.
 */
import { ArgumentError } from "@fcn/tensor";
import { type CsrMatrix, csrToDense } from "../kron/csr.js";
import { eigvalsh } from "../linalg/eigh.js";
import { type Matrix, zeros } from "../linalg/matrix.js";
import { asGraphOrMatrix } from "../linalg/asMatrix.js";

/**
 * Normalized Laplacian as networkx builds it: L = D^{-1/2}(D − A)D^{-1/2} with D = diag(A·1),
 * i.e. I − D^{-1/2}AD^{-1/2} on nodes of positive degree; an isolated node's row and column are 0.
 * @example normalizedLaplacian(completeGraph(3)) // diagonal 1, off-diagonal −1/2
 */
export function normalizedLaplacian(graph: CsrMatrix | Matrix): Matrix {
  graph = asGraphOrMatrix(graph, "normalizedLaplacian", "graph");
  const a = "rowPointer" in graph ? csrToDense(graph) : graph;
  if (a.rows !== a.cols) throw new ArgumentError(`normalizedLaplacian: adjacency must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) degree[i] += a.data[i * n + j];
  const inverseRoot = degree.map((d) => (d > 0 ? 1 / Math.sqrt(d) : 0));
  const l = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const laplacian = (i === j ? degree[i] : 0) - a.data[i * n + j]; // (D − A)_ij
      l.data[i * n + j] = inverseRoot[i] * laplacian * inverseRoot[j];
    }
  }
  return l;
}

/**
 * Eigenvalues of the (symmetric) adjacency matrix, ascending.
 * @example adjacencySpectrum(completeGraph(4)) // [-1, -1, -1, 3]
 */
export function adjacencySpectrum(graph: CsrMatrix | Matrix): Float64Array {
  graph = asGraphOrMatrix(graph, "adjacencySpectrum", "graph");
  return eigvalsh("rowPointer" in graph ? csrToDense(graph) : graph);
}

/**
 * Eigenvalues of the normalized Laplacian, ascending (the staircase of Figure 1), all in [0, 2].
 * @example laplacianSpectrum(completeGraph(4)) // [0, 4/3, 4/3, 4/3]
 */
export function laplacianSpectrum(graph: CsrMatrix | Matrix): Float64Array {
  graph = asGraphOrMatrix(graph, "laplacianSpectrum", "graph");
  return eigvalsh(normalizedLaplacian(graph));
}

/**
 * Definitions of the spectral gap (the seed names the quantity but not the formula):
 * - `"normalizedLaplacian"` (default): λ₂ of the normalized Laplacian (its second-smallest eigenvalue);
 * - `"adjacency"`: λ₁ − λ₂ of the adjacency matrix (largest minus second largest);
 * - `"randomWalk"`: 1 − max_{i≥2} |1 − λᵢ(L)|, one minus the second-largest eigenvalue modulus of D⁻¹A.
 */
export type SpectralGapDefinition = "normalizedLaplacian" | "adjacency" | "randomWalk";

/**
 * Spectral gap under one of the {@link SpectralGapDefinition}s.
 * @example spectralGap(completeGraph(128)) // 128/127
 */
export function spectralGap(graph: CsrMatrix | Matrix, definition: SpectralGapDefinition = "normalizedLaplacian"): number {
  graph = asGraphOrMatrix(graph, "spectralGap", "graph");
  if (definition === "adjacency") {
    const values = adjacencySpectrum(graph);
    return values.length < 2 ? 0 : values[values.length - 1] - values[values.length - 2];
  }
  const values = laplacianSpectrum(graph);
  if (values.length < 2) return 0;
  if (definition === "normalizedLaplacian") return values[1];
  if (definition === "randomWalk") {
    let modulus = 0;
    for (let i = 1; i < values.length; i++) modulus = Math.max(modulus, Math.abs(1 - values[i]));
    return 1 - modulus;
  }
  throw new ArgumentError(`spectralGap: unknown definition "${String(definition)}"`);
}
