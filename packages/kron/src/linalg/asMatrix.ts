/**
 * Runtime checks of the matrices and graphs kron's functions accept. JavaScript callers have
 * no compiler, so a hand-made Matrix, a Tensor or nested arrays must either become a Matrix
 * or fail with an error naming the function and the argument.
 */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import type { CsrMatrix } from "../kron/csr.js";
import { type Matrix, fromRows } from "./matrix.js";

/** What kron's functions accept where a Matrix is expected. */
export type MatrixLike = Matrix | readonly (readonly number[])[] | { readonly isTensor: true; readonly shape: readonly number[]; dataSync(): ArrayLike<number> };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `a ${(value as object).constructor?.name ?? "object"}`;
  return `${typeof value} ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
}

function isDimension(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

/**
 * A Matrix from a Matrix (checked: integer rows and cols, exactly rows·cols numbers in
 * `data`), a 2-D Tensor on the CPU (copied to float64), or nested number arrays (rows).
 * Anything else throws an ArgumentError or ShapeError naming `fn` and `argument`.
 * @example eigvalsh(asMatrix(tensor([[2, 1], [1, 2]])))
 */
export function asMatrix(value: unknown, fn = "asMatrix", argument = "a"): Matrix {
  const details = { functionName: fn, argument };
  if (Array.isArray(value)) {
    if (!value.every(Array.isArray)) throw new ArgumentError(`${fn}: ${argument} must be an array of rows (number[][]), got an array with a non-array entry`, details);
    return fromRows(value as number[][], `${fn}: ${argument}`);
  }
  if (typeof value === "object" && value !== null && (value as { isTensor?: unknown }).isTensor === true) {
    const t = value as { shape: readonly number[]; dataSync(): ArrayLike<number> };
    if (t.shape.length !== 2) throw new ShapeError(`${fn}: ${argument} must be a 2-D tensor, got shape ${formatShape(t.shape)}`, details);
    return { rows: t.shape[0], cols: t.shape[1], data: Float64Array.from(t.dataSync()) };
  }
  if (typeof value !== "object" || value === null || !("rows" in value) || !("cols" in value) || !("data" in value)) {
    throw new ArgumentError(`${fn}: ${argument} must be a Matrix ({ rows, cols, data }), a 2-D Tensor or number[][], got ${describe(value)}`, details);
  }
  const { rows, cols, data } = value as { rows: unknown; cols: unknown; data: unknown };
  if (!isDimension(rows) || !isDimension(cols)) {
    throw new ShapeError(`${fn}: ${argument} has rows ${String(rows)} and cols ${String(cols)}; both must be non-negative integers`, details);
  }
  const isNumbers = data instanceof Float64Array || (ArrayBuffer.isView(data) && !(data instanceof DataView)) || Array.isArray(data);
  if (!isNumbers) throw new ArgumentError(`${fn}: ${argument}.data must be a Float64Array, got ${describe(data)}`, details);
  const length = (data as ArrayLike<number>).length;
  if (length !== rows * cols) {
    throw new ShapeError(`${fn}: ${argument}.data holds ${length} numbers, but shape ${formatShape([rows, cols])} needs ${rows * cols}`, details);
  }
  if (data instanceof Float64Array) return value as Matrix;
  return { rows, cols, data: Float64Array.from(data as ArrayLike<number>) };
}

/** Throws unless `value` is a CSR graph ({ rows, cols, rowPointer, colIndex, values }) of consistent lengths. */
export function assertCsr(value: unknown, fn: string, argument = "graph"): asserts value is CsrMatrix {
  const details = { functionName: fn, argument };
  const g = value as Partial<CsrMatrix> | null;
  if (typeof value !== "object" || g === null || !(g.rowPointer instanceof Int32Array) || !(g.colIndex instanceof Int32Array) || !(g.values instanceof Float64Array)) {
    throw new ArgumentError(`${fn}: ${argument} must be a CsrMatrix (toCsr(matrix) makes one), got ${describe(value)}`, details);
  }
  if (!isDimension(g.rows) || !isDimension(g.cols) || g.rowPointer.length !== g.rows + 1 || g.colIndex.length !== g.values.length || g.rowPointer[g.rows] !== g.values.length) {
    throw new ShapeError(`${fn}: ${argument} is not a consistent CsrMatrix (rows ${String(g.rows)}, ${g.rowPointer.length} row pointers, ${g.values.length} values)`, details);
  }
}

/** A CsrMatrix as is, or anything asMatrix accepts as a dense Matrix. */
export function asGraphOrMatrix(value: unknown, fn: string, argument = "graph"): CsrMatrix | Matrix {
  if (typeof value === "object" && value !== null && "rowPointer" in value) {
    assertCsr(value, fn, argument);
    return value;
  }
  return asMatrix(value, fn, argument);
}
