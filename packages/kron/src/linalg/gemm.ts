/**
 * Dense float64 products for the blocked eigensolver, through `@fcn/tensor`'s CPU gemm on
 * plain arrays (WebAssembly SIMD, worker threads for large products, a plain loop for small
 * ones): no tensors and no copies of the operands.
 */
import { gemmF64 } from "@fcn/tensor/gemm";

/**
 * C = op(A)·op(B), row-major, C of shape m×n; op(A) is m×k (A stored k×m when `ta`), op(B) is
 * k×n (B stored n×k when `tb`). Returns a new array of m·n entries.
 */
export function gemm(a: Float64Array, b: Float64Array, m: number, n: number, k: number, ta = false, tb = false): Float64Array {
  const c = new Float64Array(m * n);
  gemmF64(a, b, c, m, n, k, ta, tb);
  return c;
}
