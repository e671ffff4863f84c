import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized, allocZeroed } from "./storage.js";
import type { CsrStructure } from "../../ops/csr.js";

/** Y[r, :] = Σ_{k in row r} values[k] · X[col_k, :]. */
export function spmm(s: CsrStructure, values: TypedArray, x: TypedArray, n: number, dtype: DType): TypedArray {
  const out = allocZeroed(dtype, s.rows * n);
  const { rowPointer, colIndex } = s;
  for (let r = 0; r < s.rows; r++) {
    const o = r * n;
    for (let k = rowPointer[r]; k < rowPointer[r + 1]; k++) {
      const v = values[k];
      const xo = colIndex[k] * n;
      for (let j = 0; j < n; j++) out[o + j] += v * x[xo + j];
    }
  }
  return out;
}

/** out[k] = Σ_j G[row_k, j] · X[col_k, j]. */
export function sddmm(s: CsrStructure, g: TypedArray, x: TypedArray, n: number, dtype: DType): TypedArray {
  const nnz = s.colIndex.length;
  const out = allocUninitialized(dtype, nnz);
  for (let k = 0; k < nnz; k++) {
    const go = s.rowIndex[k] * n;
    const xo = s.colIndex[k] * n;
    let acc = 0;
    for (let j = 0; j < n; j++) acc += g[go + j] * x[xo + j];
    out[k] = acc;
  }
  return out;
}
