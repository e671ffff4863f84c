/** Householder QR factorization A = Q·R (thin form). */
import { type Matrix, assertFinite, zeros } from "./matrix.js";
import { asMatrix } from "./asMatrix.js";

/** Thin QR: Q is m×min(m,n) with orthonormal columns, R is min(m,n)×n upper triangular. */
export interface QrFactorization {
  readonly q: Matrix;
  readonly r: Matrix;
}

/**
 * Householder QR of an m×n matrix (reflector H = I − 2vvᵀ/vᵀv per column).
 * @example const { q, r } = qr(a); // matmul(q, r) ≈ a
 */
export function qr(a: Matrix): QrFactorization {
  a = asMatrix(a, "qr", "a");
  assertFinite(a, "qr");
  const m = a.rows;
  const n = a.cols;
  const p = Math.min(m, n);
  const work = new Float64Array(a.data);
  const reflectors: Float64Array[] = [];
  for (let k = 0; k < p; k++) {
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = work[i * n + k];
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm = Math.hypot(norm, v[i]);
    const alpha = v[0] > 0 ? -norm : norm;
    v[0] -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    reflectors.push(v);
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * work[i * n + j];
      s = (2 * s) / vv;
      for (let i = k; i < m; i++) work[i * n + j] -= s * v[i - k];
    }
  }
  const r = zeros(p, n);
  for (let i = 0; i < p; i++) for (let j = i; j < n; j++) r.data[i * n + j] = work[i * n + j];
  // Q = H₀H₁…H_{p−1} applied to the first p columns of I.
  const q = zeros(m, p);
  for (let i = 0; i < p; i++) q.data[i * p + i] = 1;
  for (let k = p - 1; k >= 0; k--) {
    const v = reflectors[k];
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * q.data[i * p + j];
      s = (2 * s) / vv;
      for (let i = k; i < m; i++) q.data[i * p + j] -= s * v[i - k];
    }
  }
  return { q, r };
}
