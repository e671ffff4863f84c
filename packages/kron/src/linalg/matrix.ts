/**
 * Dense row-major float64 matrices: the one storage type of the linear-algebra core.
 */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import { asMatrix } from "./asMatrix.js";

/** A dense row-major matrix: entry (i, j) lives at `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Creates a zero matrix of the given shape. */
export function zeros(rows: number, cols: number): Matrix {
  assertDimension(rows, "rows");
  assertDimension(cols, "cols");
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The n×n identity matrix. */
export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Builds a matrix from nested arrays, validating that rows are equally long and entries finite.
 * @example fromRows([[1, 1], [1, 0]])
 */
export function fromRows(rows: readonly (readonly number[])[], name = "rows"): Matrix {
  if (!Array.isArray(rows) || rows.length === 0) throw new ShapeError(`${name}: expected a non-empty array of rows`);
  const cols = rows[0].length;
  if (cols === 0) throw new ShapeError(`${name}: rows must be non-empty, got shape ${formatShape([rows.length, 0])}`);
  const m = zeros(rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      throw new ShapeError(`${name}: row ${i} has ${row.length} entries, expected ${cols} (ragged rows)`);
    }
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = row[j];
  });
  assertFinite(m, name);
  return m;
}

/** Converts a matrix to nested arrays (for printing and tests). */
export function toRows(m: Matrix): number[][] {
  m = asMatrix(m, "toRows", "m");
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Wraps a Float64Array as a matrix after checking its length. */
export function fromData(rows: number, cols: number, data: Float64Array, name = "data"): Matrix {
  if (data.length !== rows * cols) {
    throw new ShapeError(`${name}: length ${data.length} does not fit shape ${formatShape([rows, cols])}`);
  }
  return { rows, cols, data };
}

/** A copy of the matrix with its own storage. */
export function clone(m: Matrix): Matrix {
  m = asMatrix(m, "clone", "m");
  return { rows: m.rows, cols: m.cols, data: new Float64Array(m.data) };
}

/** Transpose Aᵀ. */
export function transpose(a: Matrix): Matrix {
  a = asMatrix(a, "transpose", "a");
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}

/** Matrix product C = A·B (i-k-j loop order for cache-friendly row access). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  a = asMatrix(a, "matmul", "a");
  b = asMatrix(b, "matmul", "b");
  if (a.cols !== b.rows) {
    throw new ShapeError(`matmul: inner dimensions differ, ${formatShape([a.rows, a.cols])} · ${formatShape([b.rows, b.cols])}`);
  }
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) c.data[ci + j] += aik * b.data[bk + j];
    }
  }
  return c;
}

/** Matrix-vector product y = A·x. */
export function matvec(a: Matrix, x: Float64Array): Float64Array {
  a = asMatrix(a, "matvec", "a");
  if (x.length !== a.cols) {
    throw new ShapeError(`matvec: vector of length ${x.length} does not fit matrix ${formatShape([a.rows, a.cols])}`);
  }
  const y = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const r = i * a.cols;
    for (let j = 0; j < a.cols; j++) s += a.data[r + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** Entrywise αA + βB. */
export function add(a: Matrix, b: Matrix, alpha = 1, beta = 1): Matrix {
  a = asMatrix(a, "add", "a");
  b = asMatrix(b, "add", "b");
  assertSameShape(a, b, "add");
  const c = zeros(a.rows, a.cols);
  for (let i = 0; i < c.data.length; i++) c.data[i] = alpha * a.data[i] + beta * b.data[i];
  return c;
}

/** Scalar multiple αA. */
export function scale(a: Matrix, alpha: number): Matrix {
  a = asMatrix(a, "scale", "a");
  const c = clone(a);
  for (let i = 0; i < c.data.length; i++) c.data[i] *= alpha;
  return c;
}

/** Sum of the diagonal. */
export function trace(a: Matrix): number {
  a = asMatrix(a, "trace", "a");
  assertSquare(a, "trace");
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i];
  return s;
}

/** Frobenius norm ‖A‖_F = sqrt(Σ a_ij²), computed with scaling to avoid overflow. */
export function frobeniusNorm(a: Matrix): number {
  a = asMatrix(a, "frobeniusNorm", "a");
  return norm2(a.data);
}

/** Euclidean norm of a vector, scaled to avoid overflow and underflow. */
export function norm2(x: ArrayLike<number>): number {
  let scaleFactor = 0;
  for (let i = 0; i < x.length; i++) scaleFactor = Math.max(scaleFactor, Math.abs(x[i]));
  if (scaleFactor === 0 || !Number.isFinite(scaleFactor)) return scaleFactor;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] / scaleFactor;
    s += v * v;
  }
  return scaleFactor * Math.sqrt(s);
}

/** Largest absolute entrywise difference between two equally shaped matrices. */
export function maxAbsDifference(a: Matrix, b: Matrix): number {
  a = asMatrix(a, "maxAbsDifference", "a");
  b = asMatrix(b, "maxAbsDifference", "b");
  assertSameShape(a, b, "maxAbsDifference");
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** Whether A equals Aᵀ within an absolute tolerance. */
export function isSymmetric(a: Matrix, tolerance = 0): boolean {
  a = asMatrix(a, "isSymmetric", "a");
  if (a.rows !== a.cols) return false;
  const n = a.rows;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (Math.abs(a.data[i * n + j] - a.data[j * n + i]) > tolerance) return false;
  }
  return true;
}

/** Throws a ShapeError naming `operation` unless the matrix is square. */
export function assertSquare(a: Matrix, operation: string): void {
  if (a.rows !== a.cols) {
    throw new ShapeError(`${operation}: expected a square matrix, got shape ${formatShape([a.rows, a.cols])}`);
  }
}

/** Throws an ArgumentError naming the first NaN or infinite entry. */
export function assertFinite(a: Matrix, operation: string): void {
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) {
      const r = Math.floor(i / a.cols);
      throw new ArgumentError(`${operation}: entry (${r}, ${i - r * a.cols}) is ${a.data[i]}; finite values required`);
    }
  }
}

/** Throws an ArgumentError naming the first NaN or infinite vector entry. */
export function assertFiniteVector(x: ArrayLike<number>, operation: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new ArgumentError(`${operation}: entry ${i} is ${x[i]}; finite values required`);
  }
}

function assertSameShape(a: Matrix, b: Matrix, operation: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${operation}: shapes differ, ${formatShape([a.rows, a.cols])} vs ${formatShape([b.rows, b.cols])}`);
  }
}

function assertDimension(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 0) throw new ShapeError(`zeros: ${name} must be a non-negative integer, got ${String(n)}`, name);
}
