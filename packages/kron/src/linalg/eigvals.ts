/**
 * Eigenvalues of a general real matrix: Householder reduction to upper Hessenberg form
 * (EISPACK orthes) followed by the Francis double-shift QR iteration (EISPACK hqr).
 */
import { ConvergenceError } from "./convergence.js";
import { type Matrix, assertFinite, assertSquare } from "./matrix.js";
import { binaryExponent, timesPowerOfTwo } from "./powerOfTwo.js";
import { asMatrix } from "./asMatrix.js";

/** Complex eigenvalues as parallel arrays of real and imaginary parts (conjugate pairs adjacent). */
export interface ComplexValues {
  readonly real: Float64Array;
  readonly imaginary: Float64Array;
}

/**
 * Eigenvalues of a general (non-symmetric) real square matrix, in the order QR deflates them.
 * @example eigvals(fromRows([[0, -1], [1, 0]])) // real [0, 0], imaginary [1, -1]
 */
export function eigvals(a: Matrix, maxIterationsPerValue = 60): ComplexValues {
  a = asMatrix(a, "eigvals", "a");
  assertSquare(a, "eigvals");
  assertFinite(a, "eigvals");
  const n = a.rows;
  const h = new Float64Array(a.data);
  let largest = 0;
  for (const x of h) largest = Math.max(largest, Math.abs(x));
  // All eigenvalues of the zero matrix are 0 (as NumPy); QR has nothing to iterate on.
  if (largest === 0) return { real: new Float64Array(n), imaginary: new Float64Array(n) };
  // Outside [2⁻⁴⁵⁰, 2⁴⁵⁰] the products in the shifts underflow or overflow and stall the
  // iteration: scale by a power of two to max|aᵢⱼ| ∈ [1, 2), as LAPACK's dgeev scales.
  const exponent = largest < 2 ** -450 || largest > 2 ** 450 ? binaryExponent(largest) : 0;
  for (let i = 0; i < h.length; i++) h[i] = timesPowerOfTwo(h[i], -exponent);
  toHessenberg(h, n);
  const values = hessenbergQr(h, n, maxIterationsPerValue);
  for (let i = 0; i < n; i++) {
    values.real[i] = timesPowerOfTwo(values.real[i], exponent);
    values.imaginary[i] = timesPowerOfTwo(values.imaginary[i], exponent);
  }
  return values;
}

/**
 * Spectral radius max|λᵢ| of a general real square matrix.
 * @example spectralRadius(fromRows([[1, 1], [1, 0]])) // φ ≈ 1.618
 */
export function spectralRadius(a: Matrix): number {
  a = asMatrix(a, "spectralRadius", "a");
  const { real, imaginary } = eigvals(a);
  let radius = 0;
  for (let i = 0; i < real.length; i++) radius = Math.max(radius, Math.hypot(real[i], imaginary[i]));
  return radius;
}

/** In-place Householder reduction H = QᵀAQ to upper Hessenberg form (orthes). */
function toHessenberg(h: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const high = n - 1;
  for (let m = 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(h[i * n + m - 1]);
    if (scale === 0) continue;
    let hh = 0;
    for (let i = high; i >= m; i--) {
      ort[i] = h[i * n + m - 1] / scale;
      hh += ort[i] * ort[i];
    }
    let g = Math.sqrt(hh);
    if (ort[m] > 0) g = -g;
    hh -= ort[m] * g;
    ort[m] -= g;
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = high; i >= m; i--) f += ort[i] * h[i * n + j];
      f /= hh;
      for (let i = m; i <= high; i++) h[i * n + j] -= f * ort[i];
    }
    for (let i = 0; i <= high; i++) {
      let f = 0;
      const row = i * n;
      for (let j = high; j >= m; j--) f += ort[j] * h[row + j];
      f /= hh;
      for (let j = m; j <= high; j++) h[row + j] -= f * ort[j];
    }
    ort[m] *= scale;
    h[m * n + m - 1] = scale * g;
  }
}

/** Francis double-shift QR on an upper Hessenberg matrix (hqr), eigenvalues only. */
function hessenbergQr(hm: Float64Array, nn: number, maxIterations: number): ComplexValues {
  const d = new Float64Array(nn);
  const e = new Float64Array(nn);
  const H = (i: number, j: number) => hm[i * nn + j];
  const set = (i: number, j: number, v: number) => {
    hm[i * nn + j] = v;
  };
  const eps = 2 ** -52;
  let n = nn - 1;
  let exshift = 0;
  let p = 0, q = 0, r = 0;
  // No initial values: every path assigns these before reading them (the compiler checks it).
  let s: number, z: number, w: number, x: number, y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H(i, j));
  let iteration = 0;
  while (n >= 0) {
    let l = n;
    while (l > 0) {
      s = Math.abs(H(l - 1, l - 1)) + Math.abs(H(l, l));
      if (s === 0) s = norm;
      // ≤, not <: a zero subdiagonal entry of a zero block (s = norm = 0) must still deflate.
      if (Math.abs(H(l, l - 1)) <= eps * s) break;
      l--;
    }
    if (l === n) {
      d[n] = H(n, n) + exshift;
      e[n] = 0;
      n--;
      iteration = 0;
    } else if (l === n - 1) {
      // 2×2 block: roots of its characteristic polynomial.
      w = H(n, n - 1) * H(n - 1, n);
      p = (H(n - 1, n - 1) - H(n, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x = H(n, n) + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        d[n - 1] = x + z;
        d[n] = z !== 0 ? x - w / z : x + z;
        e[n - 1] = 0;
        e[n] = 0;
      } else {
        d[n - 1] = x + p;
        d[n] = x + p;
        e[n - 1] = z;
        e[n] = -z;
      }
      n -= 2;
      iteration = 0;
    } else {
      x = H(n, n);
      y = H(n - 1, n - 1);
      w = H(n, n - 1) * H(n - 1, n);
      if (iteration === 10) {
        // Wilkinson's exceptional shift.
        exshift += x;
        for (let i = 0; i <= n; i++) set(i, i, H(i, i) - x);
        s = Math.abs(H(n, n - 1)) + Math.abs(H(n - 1, n - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iteration === 30) {
        // MATLAB's exceptional shift.
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = 0; i <= n; i++) set(i, i, H(i, i) - s);
          exshift += s;
          x = y = w = 0.964;
        }
      }
      if (++iteration > maxIterations) {
        throw new ConvergenceError(`eigvals: Francis QR did not converge for eigenvalue ${n} of ${nn} within ${maxIterations} iterations`);
      }
      let m = n - 2;
      while (m >= l) {
        z = H(m, m);
        r = x - z;
        s = y - z;
        p = (r * s - w) / H(m + 1, m) + H(m, m + 1);
        q = H(m + 1, m + 1) - z - r - s;
        r = H(m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (Math.abs(H(m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(H(m - 1, m - 1)) + Math.abs(z) + Math.abs(H(m + 1, m + 1))))) break;
        m--;
      }
      for (let i = m + 2; i <= n; i++) {
        set(i, i - 2, 0);
        if (i > m + 2) set(i, i - 3, 0);
      }
      // Double QR step on rows l..n, columns m..n.
      for (let k = m; k <= n - 1; k++) {
        const notLast = k !== n - 1;
        if (k !== m) {
          p = H(k, k - 1);
          q = H(k + 1, k - 1);
          r = notLast ? H(k + 2, k - 1) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s === 0) continue;
        if (k !== m) set(k, k - 1, -s * x);
        else if (l !== m) set(k, k - 1, -H(k, k - 1));
        p += s;
        x = p / s;
        y = q / s;
        z = r / s;
        q /= p;
        r /= p;
        for (let j = k; j < nn; j++) {
          p = H(k, j) + q * H(k + 1, j);
          if (notLast) {
            p += r * H(k + 2, j);
            set(k + 2, j, H(k + 2, j) - p * z);
          }
          set(k, j, H(k, j) - p * x);
          set(k + 1, j, H(k + 1, j) - p * y);
        }
        for (let i = 0; i <= Math.min(n, k + 3); i++) {
          p = x * H(i, k) + y * H(i, k + 1);
          if (notLast) {
            p += z * H(i, k + 2);
            set(i, k + 2, H(i, k + 2) - p * r);
          }
          set(i, k, H(i, k) - p);
          set(i, k + 1, H(i, k + 1) - p * q);
        }
      }
    }
  }
  return { real: d, imaginary: e };
}
