import type { DType } from "../../dtype.js";
import { elementFormat, wgslType } from "./elements.js";
import { ENTRY_1D, FLAT_INDEX } from "./elementwise.js";
import type { NamedProgram } from "./program.js";

/**
 * Y[r, j] = Σ_{k in row r} values[k] · X[col_k, j], one invocation per output element.
 * Uniforms: [rows·n, n].
 */
export function spmmProgram(dtype: DType): NamedProgram {
  const T = wgslType(dtype);
  const F = elementFormat(dtype);
  return {
    name: "spmm",
    key: "spmm",
    bindings: ["read", "read", "read", "read", "rw"],
    uniforms: 2,
    names: ["values", "x", "rowPointer", "colIndex", "y"],
    types: [F, F, "i32", "i32", F],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let r = i / n;
  let j = i % n;
  var acc = ${T}(0);
  let end = load_rowPointer(r + 1u);
  for (var k = load_rowPointer(r); k < end; k = k + 1) {
    acc = acc + load_values(u32(k)) * load_x(u32(load_colIndex(u32(k))) * n + j);
  }
  store_y(i, acc);
}`,
  };
}

/** out[k] = Σ_j G[row_k, j] · X[col_k, j], one invocation per stored entry. Uniforms: [nnz, n]. */
export function sddmmProgram(dtype: DType): NamedProgram {
  const T = wgslType(dtype);
  const F = elementFormat(dtype);
  return {
    name: "sddmm",
    key: "sddmm",
    bindings: ["read", "read", "read", "read", "rw"],
    uniforms: 2,
    names: ["g", "x", "rowIndex", "colIndex", "y"],
    types: [F, F, "i32", "i32", F],
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let go = u32(load_rowIndex(i)) * n;
  let xo = u32(load_colIndex(i)) * n;
  var acc = ${T}(0);
  for (var j = 0u; j < n; j = j + 1u) {
    acc = acc + load_g(go + j) * load_x(xo + j);
  }
  store_y(i, acc);
}`,
  };
}
