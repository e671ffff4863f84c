import type { DType } from "../../dtype.js";
import { wgslType } from "./buffers.js";
import { ENTRY_1D, FLAT_INDEX } from "./elementwise.js";
import type { NamedProgram } from "./program.js";

/**
 * Y[r, j] = Σ_{k in row r} values[k] · X[col_k, j], one invocation per output element.
 * Uniforms: [rows·n, n].
 */
export function spmmProgram(dtype: DType): NamedProgram {
  const T = wgslType(dtype);
  return {
    name: "spmm",
    key: `spmm|${T}`,
    bindings: ["read", "read", "read", "read", "rw"],
    uniforms: 2,
    names: ["values", "x", "rowPtr", "colIndex", "y"],
    types: [T, T, "i32", "i32", T],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let r = i / n;
  let j = i % n;
  var acc = ${T}(0);
  for (var k = rowPtr[r]; k < rowPtr[r + 1u]; k = k + 1) {
    acc = acc + values[k] * x[u32(colIndex[k]) * n + j];
  }
  y[i] = acc;
}`,
  };
}

/** out[k] = Σ_j G[row_k, j] · X[col_k, j], one invocation per stored entry. Uniforms: [nnz, n]. */
export function sddmmProgram(dtype: DType): NamedProgram {
  const T = wgslType(dtype);
  return {
    name: "sddmm",
    key: `sddmm|${T}`,
    bindings: ["read", "read", "read", "read", "rw"],
    uniforms: 2,
    names: ["g", "x", "rowIndex", "colIndex", "y"],
    types: [T, T, "i32", "i32", T],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let go = u32(rowIndex[i]) * n;
  let xo = u32(colIndex[i]) * n;
  var acc = ${T}(0);
  for (var j = 0u; j < n; j = j + 1u) {
    acc = acc + g[go + j] * x[xo + j];
  }
  y[i] = acc;
}`,
  };
}
