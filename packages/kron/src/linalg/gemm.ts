/**
 * Dense float64 products for the blocked eigensolver: large products go through `@fcn/tensor`'s
 * `matmul` (a WebAssembly SIMD gemm), small ones through a plain loop (no tensor round trip).
 */
import { matmul, noGrad, tensor } from "@fcn/tensor";

/** Below this many multiply-adds a plain loop beats the trip through tensors. */
const TENSOR_WORK = 48 ** 3;

/**
 * C = op(A)·op(B), row-major, C of shape m×n; op(A) is m×k (A stored k×m when `ta`), op(B) is
 * k×n (B stored n×k when `tb`). Returns a new array of m·n entries.
 */
export function gemm(a: Float64Array, b: Float64Array, m: number, n: number, k: number, ta = false, tb = false): Float64Array {
  if (m === 0 || n === 0) return new Float64Array(0);
  if (k === 0) return new Float64Array(m * n);
  if (m * n * k >= TENSOR_WORK) {
    return noGrad(() => {
      const x = tensor(a.length === m * k ? a : a.subarray(0, m * k), { shape: ta ? [k, m] : [m, k], dtype: "float64" });
      const y = tensor(b.length === k * n ? b : b.subarray(0, k * n), { shape: tb ? [n, k] : [k, n], dtype: "float64" });
      const z = matmul(x, y, { transposeA: ta, transposeB: tb });
      const out = z.dataSync() as Float64Array;
      x.dispose();
      y.dispose();
      z.dispose();
      return out;
    });
  }
  const c = new Float64Array(m * n);
  if (!ta && !tb) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const s = a[i * k + p];
        if (s === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += s * b[bp + j];
      }
    }
    return c;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
      c[i * n + j] = s;
    }
  }
  return c;
}
