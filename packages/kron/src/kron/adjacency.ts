/**
 * From Kronecker power to graph: binarization, self-loop removal, and the two named readings of
 * the seed's construction.
 */
import { ArgumentError } from "@fcn/tensor";
import type { Matrix } from "../linalg/matrix.js";
import { type CsrMatrix, kronCsr, toCsr } from "./csr.js";
import { validateInitiator } from "./initiator.js";
import { assertPower } from "./product.js";
import { asMatrix, assertCsr } from "../linalg/asMatrix.js";

/**
 * Binarizes a sparse matrix: entries above `threshold` become 1, the rest are dropped
 * (seed 000 §3.1 "threshold at zero"; seed 001 `(graph > 0)`).
 * @example binarize(toCsr(fromRows([[2, -1], [0, 0.5]]))) // pattern [[1, 0], [0, 1]]
 */
export function binarize(s: CsrMatrix, threshold = 0): CsrMatrix {
  assertCsr(s, "binarize", "s");
  return filterEntries(s, (_, __, v) => v > threshold, true);
}

/**
 * Removes every diagonal entry (self-loop), as seed 001's `np.fill_diagonal(graph, 0)`.
 * @example removeSelfLoops(toCsr(sierpinski())) // [[0, 1], [1, 0]]
 */
export function removeSelfLoops(s: CsrMatrix): CsrMatrix {
  assertCsr(s, "removeSelfLoops", "s");
  return filterEntries(s, (i, j) => i !== j, false);
}

function filterEntries(s: CsrMatrix, keep: (i: number, j: number, v: number) => boolean, toOne: boolean): CsrMatrix {
  const rowPointer = new Int32Array(s.rows + 1);
  const kept: number[] = [];
  for (let i = 0; i < s.rows; i++) {
    for (let p = s.rowPointer[i]; p < s.rowPointer[i + 1]; p++) if (keep(i, s.colIndex[p], s.values[p])) kept.push(p);
    rowPointer[i + 1] = kept.length;
  }
  return {
    rows: s.rows, cols: s.cols, rowPointer,
    colIndex: Int32Array.from(kept, (p) => s.colIndex[p]),
    values: Float64Array.from(kept, (p) => (toOne ? 1 : s.values[p])),
  };
}

/**
 * The readings of the seed's "binarize the matrix (remove self-loops, threshold at zero)":
 * - `"binarizedPower"` (default, seed 001's code): K₀^{⊗k}, then diagonal set to 0, then entries > 0 → 1.
 * - `"loopFreeInitiator"`: remove the initiator's self-loops first, then take the power
 *   (for the Sierpinski initiator this is [[0,1],[1,0]]^{⊗k}, a perfect matching).
 */
export type KroneckerGraphVariant = "binarizedPower" | "loopFreeInitiator";

/**
 * Deterministic Kronecker graph adjacency as CSR (never dense): the seed's construction of
 * A^{(k)} from an initiator. Node indices are the base-m digits (i₁…i_k), most significant first.
 * @example kroneckerGraph(sierpinski(), 7) // 128 nodes, 2186 stored entries (1093 edges)
 */
export function kroneckerGraph(initiator: Matrix, k: number, variant: KroneckerGraphVariant = "binarizedPower"): CsrMatrix {
  initiator = asMatrix(initiator, "kroneckerGraph", "initiator");
  validateInitiator(initiator);
  assertPower(k);
  if (k === 0) throw new ArgumentError("kroneckerGraph: k must be at least 1");
  const factor = toCsr(initiator);
  if (variant === "binarizedPower") {
    const power = kronCsr(...Array.from({ length: k }, () => factor));
    return binarize(removeSelfLoops(power));
  }
  if (variant === "loopFreeInitiator") {
    const loopFree = binarize(removeSelfLoops(factor));
    return kronCsr(...Array.from({ length: k }, () => loopFree));
  }
  throw new ArgumentError(`kroneckerGraph: unknown variant "${String(variant)}"; use "binarizedPower" or "loopFreeInitiator"`);
}
