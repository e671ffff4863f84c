/**
 * dsyevd's path on JS arrays (tridiagonal.ts, divideConquer.ts): what eigh runs when the
 * problem does not fit in the WebAssembly memory of the in-place path (eighWasm.ts).
 */
import type { Matrix } from "./matrix.js";
import { tridiagonalEigen } from "./divideConquer.js";
import { implicitQl } from "./ql.js";
import { applyQ, tridiagonalizeBlocked } from "./tridiagonal.js";
import type { WorkspaceEigen, WorkspaceEighOptions } from "./eighWasm.js";

/** Eigenvalues ascending and, when wanted, eigenvectors as columns (lower triangle of `a` read). */
export function eighBlockedJs(a: Matrix, wantVectors: boolean, options: WorkspaceEighOptions): WorkspaceEigen {
  const n = a.rows;
  const w = new Float64Array(n * n);
  let largest = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = a.data[i * n + j];
      w[i * n + j] = w[j * n + i] = v;
      largest = Math.max(largest, Math.abs(v));
    }
  }
  if (largest > 0) for (let i = 0; i < w.length; i++) w[i] /= largest;
  const maxIterations = options.maxIterations;
  const { d, e, blocks } = tridiagonalizeBlocked(w, n, options.blockSize);
  if (!wantVectors) {
    const ee = new Float64Array(n); // e[i] = T[i, i+1], with e[n−1] = 0
    ee.set(e);
    implicitQl(w, d, ee, n, false, maxIterations);
    d.sort();
    if (largest > 0) for (let i = 0; i < n; i++) d[i] *= largest;
    return { values: d, columns: new Float64Array(0) };
  }
  const { values, vectorRows } = tridiagonalEigen(d, e, options.leafSize, maxIterations);
  // Z = (vector rows)ᵀ, then Z ← Q·Z.
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) z[j * n + i] = vectorRows[i * n + j];
  applyQ(blocks, z, n, n);
  if (largest > 0) for (let i = 0; i < n; i++) values[i] *= largest;
  return { values, columns: z };
}
