/** The seed's fixed-graph preparation (000 §3.4): add Gaussian noise, rescale to spectral radius 0.9. */
import { ArgumentError } from "@fcn/tensor";
import { type CsrMatrix, csrToDense } from "../kron/csr.js";
import { spectralRadius } from "../linalg/eigvals.js";
import type { Matrix } from "../linalg/matrix.js";
import { createRandom } from "../random.js";
import { asGraphOrMatrix } from "../linalg/asMatrix.js";

/** Options of {@link scaleGraph}. */
export interface ScaleGraphOptions {
  /** Target spectral radius ρ(G) (default 0.9, the seed's value). */
  spectralRadius?: number;
  /** Standard deviation σ of the added noise (default 0.01; 0 disables it). */
  noiseScale?: number;
  /** "all" adds N(0, σ²) to every entry (dense result); "nonzeros" only to stored edges (default "all"). */
  noiseOn?: "all" | "nonzeros";
  /** Seed of the noise (default 0). */
  seed?: number;
}

/**
 * G = ρ·(A + σE)/ρ(A + σE): Gaussian noise breaks exact degeneracy, then the matrix is scaled so
 * its spectral radius (max |λ|, general eigenvalues) equals the target.
 * @example spectralRadius(scaleGraph(kroneckerGraph(sierpinski(), 6))) // 0.9
 */
export function scaleGraph(graph: CsrMatrix | Matrix, options: ScaleGraphOptions = {}): Matrix {
  graph = asGraphOrMatrix(graph, "scaleGraph", "graph");
  const target = options.spectralRadius ?? 0.9;
  const sigma = options.noiseScale ?? 0.01;
  if (!(target > 0) || !Number.isFinite(target)) throw new ArgumentError(`scaleGraph: spectralRadius must be positive, got ${target}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new ArgumentError(`scaleGraph: noiseScale must be ≥ 0, got ${sigma}`);
  const dense = "rowPointer" in graph ? csrToDense(graph) : { rows: graph.rows, cols: graph.cols, data: new Float64Array(graph.data) };
  const random = createRandom(options.seed ?? 0);
  const onlyNonzeros = (options.noiseOn ?? "all") === "nonzeros";
  for (let i = 0; i < dense.data.length; i++) {
    if (onlyNonzeros && dense.data[i] === 0) continue;
    dense.data[i] += sigma * random.normal();
  }
  const radius = spectralRadius(dense);
  if (radius === 0) throw new ArgumentError("scaleGraph: spectral radius is 0 (nilpotent or empty graph); cannot rescale");
  for (let i = 0; i < dense.data.length; i++) dense.data[i] *= target / radius;
  return dense;
}
