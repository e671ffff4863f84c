import { createHash } from "node:crypto";
import type { NumericArray } from "../src/types.js";

/** sha256 of the raw bytes of a typed array. */
export function bytesHash(array: NumericArray): string {
  return createHash("sha256").update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength)).digest("hex");
}

/** Count of each label 0..classes-1. */
export function labelCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]] += 1;
  return counts;
}

/** Column j of a row-major [n, d] array. */
export function column(data: ArrayLike<number>, width: number, j: number): number[] {
  const out: number[] = [];
  for (let i = j; i < data.length; i += width) out.push(data[i]);
  return out;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - m) ** 2;
  return sum / values.length;
}

/** Numerical rank of a row-major [rows, cols] matrix by Gaussian elimination with partial pivoting. */
export function rank(matrix: ArrayLike<number>, rows: number, cols: number, tolerance = 1e-9): number {
  const a = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => matrix[i * cols + j]));
  const scale = Math.max(1, ...a.flat().map(Math.abs));
  let r = 0;
  for (let c = 0; c < cols && r < rows; c++) {
    let pivot = r;
    for (let i = r + 1; i < rows; i++) if (Math.abs(a[i][c]) > Math.abs(a[pivot][c])) pivot = i;
    if (Math.abs(a[pivot][c]) <= tolerance * scale) continue;
    [a[r], a[pivot]] = [a[pivot], a[r]];
    for (let i = r + 1; i < rows; i++) {
      const f = a[i][c] / a[r][c];
      for (let j = c; j < cols; j++) a[i][j] -= f * a[r][j];
    }
    r += 1;
  }
  return r;
}
