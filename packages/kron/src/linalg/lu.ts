/**
 * LU factorization with partial pivoting, PA = LU, and what it gives: solve, det, logdet, inverse.
 */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import { type Matrix, assertFinite, assertSquare, identity, zeros } from "./matrix.js";
import { binaryExponent, timesPowerOfTwo } from "./powerOfTwo.js";
import { asMatrix } from "./asMatrix.js";

/** Packed LU factors: unit-lower L below the diagonal, U on and above; row i of PA is row pivots[i] of A. */
export interface LuFactorization {
  readonly lu: Matrix;
  readonly pivots: Int32Array;
  /** +1 or −1: the sign of the permutation. */
  readonly permutationSign: number;
  /** Whether some pivot is exactly zero (the matrix is singular). */
  readonly singular: boolean;
}

/**
 * Factors a square matrix as PA = LU with partial (row) pivoting.
 * @example lu(fromRows([[0, 1], [1, 0]])).permutationSign // -1
 */
export function lu(a: Matrix): LuFactorization {
  a = asMatrix(a, "lu", "a");
  assertSquare(a, "lu");
  assertFinite(a, "lu");
  const n = a.rows;
  const m = new Float64Array(a.data);
  const pivots = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(m[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(m[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j];
        m[k * n + j] = m[p * n + j];
        m[p * n + j] = t;
      }
      const t = pivots[k];
      pivots[k] = pivots[p];
      pivots[p] = t;
      sign = -sign;
    }
    const pivot = m[k * n + k];
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const factor = (m[i * n + k] /= pivot); // l_ik = a_ik / u_kk
      if (factor === 0) continue;
      for (let j = k + 1; j < n; j++) m[i * n + j] -= factor * m[k * n + j];
    }
  }
  return { lu: { rows: n, cols: n, data: m }, pivots, permutationSign: sign, singular };
}

/**
 * Solves A·X = B from an LU factorization; B is a vector or a matrix with A.rows rows.
 * @throws ArgumentError when A is singular.
 */
export function luSolve(f: LuFactorization, b: Float64Array): Float64Array;
export function luSolve(f: LuFactorization, b: Matrix): Matrix;
export function luSolve(f: LuFactorization, b: Float64Array | Matrix): Float64Array | Matrix {
  const n = f.lu.rows;
  const isVector = b instanceof Float64Array;
  const rows = isVector ? b.length : b.rows;
  const cols = isVector ? 1 : b.cols;
  if (rows !== n) {
    throw new ShapeError(`solve: right-hand side with ${rows} rows does not fit matrix ${formatShape([n, n])}`);
  }
  if (f.singular) throw new ArgumentError(`solve: matrix ${formatShape([n, n])} is singular (a zero pivot in LU)`);
  const source = isVector ? b : b.data;
  const x = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) for (let c = 0; c < cols; c++) x[i * cols + c] = source[f.pivots[i] * cols + c];
  const m = f.lu.data;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = m[i * n + k];
      if (l !== 0) for (let c = 0; c < cols; c++) x[i * cols + c] -= l * x[k * cols + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = m[i * n + k];
      if (u !== 0) for (let c = 0; c < cols; c++) x[i * cols + c] -= u * x[k * cols + c];
    }
    const pivot = m[i * n + i];
    for (let c = 0; c < cols; c++) x[i * cols + c] /= pivot;
  }
  return isVector ? x : { rows: n, cols, data: x };
}

/**
 * Solves the square system A·X = B by LU with partial pivoting.
 * @example solve(fromRows([[2, 0], [0, 4]]), new Float64Array([2, 4])) // [1, 1]
 */
export function solve(a: Matrix, b: Float64Array): Float64Array;
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: Float64Array | Matrix): Float64Array | Matrix {
  a = asMatrix(a, "solve", "a");
  return luSolve(lu(a), b as Matrix);
}

/**
 * Determinant det A = sign(P)·Π u_ii. The product is kept as mantissa·2^exponent, so it
 * overflows or underflows only when det A itself does: det(diag(1e200, 1e200, 1e-200)) = 1e200.
 */
export function det(a: Matrix): number {
  a = asMatrix(a, "det", "a");
  const f = lu(a);
  if (f.singular) return 0;
  let mantissa = f.permutationSign;
  let exponent = 0;
  for (let i = 0; i < a.rows; i++) {
    const u = f.lu.data[i * a.rows + i];
    const e = binaryExponent(u);
    mantissa *= timesPowerOfTwo(u, -e); // |factor| ∈ [1, 2): |mantissa| stays in [1, 4)
    const renormalize = binaryExponent(mantissa);
    mantissa = timesPowerOfTwo(mantissa, -renormalize);
    exponent += e + renormalize;
  }
  return timesPowerOfTwo(mantissa, exponent);
}

/** Sign and log-magnitude of the determinant: det A = sign·exp(logAbsDet); sign 0 when singular. */
export interface LogDeterminant {
  readonly sign: number;
  readonly logAbsDet: number;
}

/**
 * log|det A| = Σ log|u_ii| with the sign tracked separately, so it neither overflows nor underflows.
 * @example logdet(scale(identity(1000), 10)).logAbsDet // 1000·ln 10
 */
export function logdet(a: Matrix): LogDeterminant {
  a = asMatrix(a, "logdet", "a");
  const f = lu(a);
  if (f.singular) return { sign: 0, logAbsDet: -Infinity };
  let sign = f.permutationSign;
  let logAbsDet = 0;
  for (let i = 0; i < a.rows; i++) {
    const u = f.lu.data[i * a.rows + i];
    if (u < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(u));
  }
  return { sign, logAbsDet };
}

/**
 * Inverse A⁻¹ by solving A·X = I.
 * @throws ArgumentError when A is singular.
 */
export function inverse(a: Matrix): Matrix {
  a = asMatrix(a, "inverse", "a");
  if (a.rows === 0) return zeros(0, 0);
  return luSolve(lu(a), identity(a.rows));
}
