import type { FloatArray } from "../../../../src/backend/cpu/gemm/validate";

/** Naive float64 triple loop: the reference result and, per element, Σ|aᵢₚ·bₚⱼ| for an error bound. */
export function referenceGemm(
  a: FloatArray, b: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean,
): { c: Float64Array; mag: Float64Array } {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[transA ? p * m + i : i * k + p] * b[transB ? j * k + p : p * n + j];
        s += x;
        t += Math.abs(x);
      }
      c[i * n + j] = s;
      mag[i * n + j] = t;
    }
  }
  return { c, mag };
}

/** Deterministic uniform(-1, 1) values (LCG). */
export function fillRandom<T extends FloatArray>(arr: T, seed: number): T {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2147483648 - 1;
  }
  return arr;
}

/**
 * Index of the first element of `got` off the reference by more than the rounding bound
 * 2·k·ε·Σ|aᵢₚbₚⱼ| (plus a tiny absolute slack), or -1.
 */
export function firstMismatch(got: FloatArray, ref: { c: Float64Array; mag: Float64Array }, k: number, eps: number): number {
  for (let i = 0; i < ref.c.length; i++) {
    const tol = 2 * (k + 1) * eps * ref.mag[i] + 1e-30;
    if (!(Math.abs(got[i] - ref.c[i]) <= tol)) return i;
  }
  return -1;
}
