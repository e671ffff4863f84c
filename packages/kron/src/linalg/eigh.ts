/**
 * Symmetric eigendecomposition. Small matrices: Householder tridiagonalization followed by the
 * implicit QL algorithm with shifts (EISPACK tred2/tql2, the algorithm behind LAPACK's dsytrd +
 * dsteqr). From {@link BLOCKED_MIN_SIZE} rows: blocked tridiagonalization (dsytrd/dlatrd), divide
 * and conquer for the tridiagonal eigenvectors (dstedc) and the blocked back-transformation
 * (dormtr), as LAPACK's dsyevd, with the matrices in `@fcn/tensor`'s WebAssembly memory and the
 * symv, rank-2k and gemm kernels running on them in place (eighWasm.ts; docs/eigh.md).
 */
import { ArgumentError } from "@fcn/tensor";
import { type Matrix, assertFinite, assertSquare } from "./matrix.js";
import { implicitQl } from "./ql.js";
import { asMatrix } from "./asMatrix.js";
import { eighBlockedJs } from "./eighBlockedJs.js";
import { eighInWorkspace, workspaceEighFits } from "./eighWasm.js";

/** Matrices with at least this many rows take the blocked / divide-and-conquer path. */
export const BLOCKED_MIN_SIZE = 96;

/** Eigenvalues in ascending order and, when requested, orthonormal eigenvectors as columns. */
export interface SymmetricEigen {
  /** Eigenvalues λ₀ ≤ λ₁ ≤ … */
  readonly values: Float64Array;
  /** V with A·V = V·diag(values) and VᵀV = I; column j belongs to values[j]. */
  readonly vectors: Matrix;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Largest asymmetry |a_ij − a_ji| accepted, relative to max|a_ij| (default 1e-10). */
  symmetryTolerance?: number;
  /** QL sweeps allowed per eigenvalue before a ConvergenceError (default 60). */
  maxIterationsPerValue?: number;
  /**
   * "auto" (default): QL below {@link BLOCKED_MIN_SIZE} rows, else blocked tridiagonalization and
   * divide and conquer; "ql" or "divideAndConquer" force one.
   */
  method?: "auto" | "ql" | "divideAndConquer";
  /** Panel width of the blocked tridiagonalization (default 32). */
  blockSize?: number;
  /** Tridiagonal blocks of at most this many rows are solved by QL inside divide and conquer (default 32). */
  leafSize?: number;
}

/**
 * Eigendecomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ.
 * Only the lower triangle is used once symmetry has been checked.
 * @example const { values, vectors } = eigh(fromRows([[2, 1], [1, 2]])); // values = [1, 3]
 */
export function eigh(a: Matrix, options: EighOptions = {}): SymmetricEigen {
  a = asMatrix(a, "eigh", "a");
  checkEighOptions(options, "eigh");
  const result = decompose(a, true, options);
  const { values, rowsOfVectors } = result;
  const n = a.rows;
  if ("columns" in result) return { values, vectors: { rows: n, cols: n, data: rowsOfVectors } };
  const vectors = { rows: n, cols: n, data: new Float64Array(n * n) };
  // rowsOfVectors holds eigenvector j in row j; transpose into columns.
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors.data[i * n + j] = rowsOfVectors[j * n + i];
  return { values, vectors };
}

/**
 * Eigenvalues only of a real symmetric matrix, ascending (skips the eigenvector rotations).
 * @example eigvalsh(fromRows([[0, 1], [1, 0]])) // Float64Array [-1, 1]
 */
export function eigvalsh(a: Matrix, options: EighOptions = {}): Float64Array {
  a = asMatrix(a, "eigvalsh", "a");
  checkEighOptions(options, "eigvalsh");
  return decompose(a, false, options).values;
}

/** The methods eigh accepts. */
const EIGH_METHODS = ["auto", "ql", "divideAndConquer"] as const;

/** Rejects options a JavaScript caller may misspell or mistype (an unknown method was once ignored). */
function checkEighOptions(options: EighOptions, fn: string): void {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${String(options)}`, "options");
  if (options.method !== undefined && !EIGH_METHODS.includes(options.method)) {
    throw new ArgumentError(`${fn}: unknown method ${JSON.stringify(options.method)}; expected one of ${EIGH_METHODS.map((m) => `"${m}"`).join(", ")}`, "method");
  }
  for (const name of ["maxIterationsPerValue", "blockSize", "leafSize"] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new ArgumentError(`${fn}: ${name} must be a positive integer, got ${String(v)}`, name);
  }
  const tol = options.symmetryTolerance;
  if (tol !== undefined && !(typeof tol === "number" && tol >= 0)) throw new ArgumentError(`${fn}: symmetryTolerance must be a non-negative number, got ${String(tol)}`, "symmetryTolerance");
}

function decompose(a: Matrix, wantVectors: boolean, options: EighOptions) {
  assertSquare(a, "eigh");
  assertFinite(a, "eigh");
  checkSymmetry(a, options.symmetryTolerance ?? 1e-10);
  const n = a.rows;
  const method = options.method ?? "auto";
  if (method === "divideAndConquer" || (method === "auto" && n >= BLOCKED_MIN_SIZE)) return decomposeBlocked(a, wantVectors, options);
  // W = Vᵀ is stored row-major so that every inner loop of tred2/tql2 walks contiguous memory.
  const w = new Float64Array(a.data);
  // Scale to max|a_ij| = 1 so that tiny or huge inputs neither underflow nor overflow.
  let largest = 0;
  for (const v of w) largest = Math.max(largest, Math.abs(v));
  if (largest > 0) for (let i = 0; i < w.length; i++) w[i] /= largest;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, rowsOfVectors: w };
  tridiagonalize(w, d, e, n);
  implicitQlAfterTred2(w, d, e, n, wantVectors, options.maxIterationsPerValue ?? 60);
  if (largest > 0) for (let i = 0; i < n; i++) d[i] *= largest;
  return sortAscending(d, w, n, wantVectors);
}

/** dsyevd's path: in wasm memory when it fits there (n up to about 7000), else on JS arrays. */
function decomposeBlocked(a: Matrix, wantVectors: boolean, options: EighOptions) {
  const settings = { blockSize: options.blockSize ?? 32, leafSize: options.leafSize ?? 32, maxIterations: options.maxIterationsPerValue ?? 60 };
  const solve = workspaceEighFits(a.rows, wantVectors, settings.blockSize) ? eighInWorkspace : eighBlockedJs;
  const { values, columns } = solve(a, wantVectors, settings);
  return { values, rowsOfVectors: columns, columns: true };
}

function checkSymmetry(a: Matrix, tolerance: number): void {
  const n = a.rows;
  let largest = 0;
  for (let i = 0; i < a.data.length; i++) largest = Math.max(largest, Math.abs(a.data[i]));
  if (symmetricByTiles(a, tolerance * largest)) return;
  // Some pair is off: find the first in row order for the message.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs(a.data[i * n + j] - a.data[j * n + i]);
      if (gap > tolerance * largest) {
        throw new ArgumentError(`eigh: matrix is not symmetric, |a[${i},${j}] − a[${j},${i}]| = ${gap}; use eigvals for general matrices`);
      }
    }
  }
}

/** Tiles of the symmetry check: the column-wise reads of aⱼᵢ stay in cache (3× faster at n = 1024). */
const SYMMETRY_TILE = 16;

/** True when |aᵢⱼ − aⱼᵢ| ≤ limit for every pair, compared tile by tile. */
function symmetricByTiles(a: Matrix, limit: number): boolean {
  const n = a.rows;
  const x = a.data;
  for (let i0 = 0; i0 < n; i0 += SYMMETRY_TILE) {
    const ie = Math.min(i0 + SYMMETRY_TILE, n);
    for (let j0 = i0; j0 < n; j0 += SYMMETRY_TILE) {
      const je = Math.min(j0 + SYMMETRY_TILE, n);
      for (let i = i0; i < ie; i++) {
        for (let j = Math.max(j0, i + 1); j < je; j++) if (!(Math.abs(x[i * n + j] - x[j * n + i]) <= limit)) return false;
      }
    }
  }
  return true;
}

/** Householder reduction to tridiagonal form T = QᵀAQ (tred2); on exit W = Qᵀ, d = diag(T), e = offdiag(T). */
function tridiagonalize(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  // V[r][c] is w[c * n + r].
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        w[i * n + j] = f;
        const row = j * n;
        g = e[j] + w[row + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += w[row + k] * d[k];
          e[k] += w[row + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) w[row + k] -= f * e[k] + g * d[k];
        d[j] = w[row + i - 1];
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the Householder reflectors into Q.
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[next + k] / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[next + k] * w[row + k];
        for (let k = 0; k <= i; k++) w[row + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2 on tred2's output, whose off-diagonal is e[i] = T[i−1, i]: shift it to e[i] = T[i, i+1]. */
function implicitQlAfterTred2(
  w: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean, maxIterations: number,
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  implicitQl(w, d, e, n, wantVectors, maxIterations);
}

function sortAscending(d: Float64Array, w: Float64Array, n: number, wantVectors: boolean) {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const rowsOfVectors = new Float64Array(wantVectors ? n * n : 0);
  order.forEach((source, target) => {
    values[target] = d[source];
    if (wantVectors) rowsOfVectors.set(w.subarray(source * n, source * n + n), target * n);
  });
  return { values, rowsOfVectors };
}

/** sqrt(a² + b²) without overflow. */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}
