/**
 * dsyevd's path with the matrix in `@fcn/tensor`'s WebAssembly memory: blocked
 * tridiagonalization with SIMD symv / rank-2k kernels in place, divide and conquer for the
 * tridiagonal eigenvectors, and the blocked back-transformation applied in place to them.
 */
import { f64WorkspaceFits, withF64Workspace } from "@fcn/tensor/gemm";
import type { Matrix } from "./matrix.js";
import { divideConquerScratch, tridiagonalEigenInWorkspace } from "./divideConquerWasm.js";
import { implicitQl } from "./ql.js";
import { applyQTransposedRight, backTransformScratch, tridiagonalizeInWorkspace, tridiagonalScratch } from "./tridiagonalWasm.js";

/**
 * Reflectors applied per block of the back-transformation. Larger blocks mean fewer products but
 * more work forming and applying T (m·g² per block); 32 and 64 ran alike at n = 512 and 1024 and
 * 128 was 10–25% slower (2.4× at n = 128), so 32, as LAPACK's dormtr.
 */
const BACK_TRANSFORM_GROUP = 32;

/** Tiles of the transposing copies (16×16 measured 2.3× faster than 32×32 at n = 1024). */
const TILE = 16;

/** Options the workspace path takes from eigh's. */
export interface WorkspaceEighOptions {
  blockSize: number;
  leafSize: number;
  maxIterations: number;
}

/** Eigenvalues ascending and, when wanted, eigenvectors as columns (row-major n×n). */
export interface WorkspaceEigen {
  values: Float64Array;
  columns: Float64Array;
}

/** Layout: A (n×n, then the reflectors), Z (n×n, eigenvector rows), then scratch shared by the stages. */
function workspaceElements(n: number, wantVectors: boolean, nb: number): number {
  if (!wantVectors) return n * n + tridiagonalScratch(n, nb);
  return 2 * n * n + Math.max(tridiagonalScratch(n, nb), divideConquerScratch(n), backTransformScratch(n, n, backTransformGroup(n)));
}

function backTransformGroup(n: number): number {
  return Math.min(BACK_TRANSFORM_GROUP, Math.max(n - 1, 1));
}

/** True when the n×n problem fits in the WebAssembly memory. */
export function workspaceEighFits(n: number, wantVectors: boolean, nb: number): boolean {
  return f64WorkspaceFits(workspaceElements(n, wantVectors, nb));
}

/**
 * Symmetric eigendecomposition of `a` (lower triangle read, symmetry already checked) with the
 * work in wasm memory; the matrix is scaled to max|aᵢⱼ| = 1 first so that nothing under- or
 * overflows, and the eigenvalues scaled back.
 */
export function eighInWorkspace(a: Matrix, wantVectors: boolean, options: WorkspaceEighOptions): WorkspaceEigen {
  const n = a.rows;
  const nb = Math.max(1, Math.min(options.blockSize, n));
  return withF64Workspace(workspaceElements(n, wantVectors, nb), (ws) => {
    const x = ws.data;
    let largest = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) largest = Math.max(largest, Math.abs(a.data[i * n + j]));
    const scale = largest > 0 ? largest : 1;
    // Upper triangle of the workspace matrix ← lower triangle of a, transposed tile by tile.
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const je = Math.min(j0 + TILE, n);
      for (let i0 = j0; i0 < n; i0 += TILE) {
        const ie = Math.min(i0 + TILE, n);
        for (let j = j0; j < je; j++) {
          const dst = j * n;
          for (let i = Math.max(i0, j); i < ie; i++) x[dst + i] = a.data[i * n + j] / scale;
        }
      }
    }
    const zt = n * n;
    const scratch = wantVectors ? 2 * n * n : n * n;
    if (wantVectors) x.fill(0, zt, zt + n * n); // divide and conquer writes only each block's own columns
    const { d, e, tau } = tridiagonalizeInWorkspace(ws, 0, n, nb, scratch);
    if (!wantVectors) {
      const ee = new Float64Array(n); // e[i] = T[i, i+1], with e[n−1] = 0
      ee.set(e);
      implicitQl(new Float64Array(0), d, ee, n, false, options.maxIterations);
      d.sort();
      for (let i = 0; i < n; i++) d[i] *= scale;
      return { values: d, columns: new Float64Array(0) };
    }
    const unsorted = tridiagonalEigenInWorkspace(ws, d, e, options.leafSize, options.maxIterations, zt, scratch);
    applyQTransposedRight(ws, 0, tau, n, zt, n, backTransformGroup(n), scratch);
    // Row r of Z is the eigenvector of unsorted[r]: sort, and transpose into columns.
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => unsorted[p] - unsorted[q]);
    const values = new Float64Array(n);
    for (let j = 0; j < n; j++) values[j] = unsorted[order[j]];
    const columns = new Float64Array(n * n);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const je = Math.min(j0 + TILE, n);
      for (let i0 = 0; i0 < n; i0 += TILE) {
        const ie = Math.min(i0 + TILE, n);
        for (let j = j0; j < je; j++) {
          const src = zt + order[j] * n;
          for (let i = i0; i < ie; i++) columns[i * n + j] = x[src + i];
        }
      }
    }
    for (let i = 0; i < n; i++) values[i] *= scale;
    return { values, columns };
  }, { zero: false });
}
