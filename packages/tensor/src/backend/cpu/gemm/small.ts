import type { FloatArray } from "./validate";

/**
 * Plain-JS C = op(A)·op(B) for products too small to pay for the copy into wasm memory.
 * Loop orders keep the innermost loop on contiguous memory for the common layouts.
 */
export function gemmJs(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  if (!transB) {
    // Row i of C accumulates aᵢₚ · (row p of B): unit stride over B and C.
    const as = transA ? 1 : k; // stride between rows i of op(A)
    const ap = transA ? m : 1; // stride between columns p of op(A)
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      c.fill(0, ci, ci + n);
      for (let p = 0; p < k; p++) {
        const aip = a[i * as + p * ap];
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else if (!transA) {
    // Rows of A and B (columns of op(B)) are both contiguous in k: dot products.
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[i * n + j] = s;
      }
    }
  } else {
    // Aᵀ·Bᵀ: row i of C accumulates aₚᵢ · (column p of op(B)) = aₚᵢ · B[:, p].
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      c.fill(0, ci, ci + n);
      for (let p = 0; p < k; p++) {
        const aip = a[p * m + i];
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[j * k + p];
      }
    }
  }
}
