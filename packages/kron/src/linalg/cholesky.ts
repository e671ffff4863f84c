/** Cholesky factorization A = L·Lᵀ of a symmetric positive-definite matrix, and solves with it. */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import { type Matrix, assertFinite, assertSquare, zeros } from "./matrix.js";
import { asMatrix } from "./asMatrix.js";

/**
 * Lower-triangular L with A = L·Lᵀ (l_jj = sqrt(a_jj − Σ_k l_jk²)).
 * @throws ArgumentError naming the failing pivot when A is not positive definite.
 * @example cholesky(fromRows([[4, 2], [2, 2]])) // [[2, 0], [1, 1]]
 */
export function cholesky(a: Matrix): Matrix {
  a = asMatrix(a, "cholesky", "a");
  assertSquare(a, "cholesky");
  assertFinite(a, "cholesky");
  const n = a.rows;
  const l = zeros(n, n);
  const L = l.data;
  for (let j = 0; j < n; j++) {
    let s = a.data[j * n + j];
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) {
      throw new ArgumentError(`cholesky: matrix is not positive definite (pivot ${j} is ${s})`);
    }
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a.data[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / ljj;
    }
  }
  return l;
}

/**
 * Solves A·x = b given the Cholesky factor L of A (forward then backward substitution).
 * @example choleskySolve(cholesky(a), b)
 */
export function choleskySolve(l: Matrix, b: Float64Array): Float64Array {
  l = asMatrix(l, "choleskySolve", "l");
  const n = l.rows;
  if (b.length !== n) throw new ShapeError(`choleskySolve: vector of length ${b.length} does not fit factor ${formatShape([n, n])}`);
  const x = new Float64Array(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l.data[i * n + k] * x[k];
    x[i] = s / l.data[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l.data[k * n + i] * x[k];
    x[i] = s / l.data[i * n + i];
  }
  return x;
}
