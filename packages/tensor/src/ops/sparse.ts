import { arithmeticType } from "../dtype.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { type CsrStructure, csrStructure } from "./csr.js";
import { fromHost, apply } from "./dispatch.js";
import { cast } from "./elementwise.js";
import { gather, scatterAdd } from "./indexing.js";
import { expandDims, squeeze } from "./movement.js";
import { assertTensor, describeValue } from "./validate.js";

/**
 * A CSR sparse matrix: a fixed index structure and a values tensor (which may require
 * gradients, so sparse weights can be learned).
 *
 * @example
 * const a = SparseMatrix.fromCOO([0, 1], [1, 0], tensor([2, 3]), [2, 2]);
 * spmm(a, eye(2)).arraySync(); // [[0, 2], [3, 0]]
 */
export class SparseMatrix {
  private constructor(
    readonly structure: CsrStructure,
    readonly values: Tensor,
  ) {}

  get shape(): [number, number] {
    return [this.structure.rows, this.structure.cols];
  }

  /** Stored entries. */
  get nnz(): number {
    return this.structure.colIndex.length;
  }

  /**
   * From coordinates. Duplicate (row, col) pairs are summed (their values' gradients
   * follow); entries are sorted into CSR order.
   */
  static fromCOO(rowIndex: ArrayLike<number>, colIndex: ArrayLike<number>, values: Tensor, shape: readonly [number, number]): SparseMatrix {
    const [rows, cols] = shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`SparseMatrix.fromCOO: invalid shape ${formatShape(shape)}`);
    }
    const n = rowIndex.length;
    if (colIndex.length !== n || values.rank !== 1 || values.shape[0] !== n) {
      throw new ShapeError(`SparseMatrix.fromCOO: rowIndex (${n}), colIndex (${colIndex.length}) and values ${formatShape(values.shape)} must have one entry each`);
    }
    for (let k = 0; k < n; k++) {
      const r = rowIndex[k];
      const c = colIndex[k];
      if (!Number.isInteger(r) || r < 0 || r >= rows || !Number.isInteger(c) || c < 0 || c >= cols) {
        throw new ArgumentError(`SparseMatrix.fromCOO: entry ${k} at (${r}, ${c}) is outside shape ${formatShape(shape)}`);
      }
    }
    // Sort by (row, col) and merge duplicates: slot[k] is where entry k lands.
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => rowIndex[a] - rowIndex[b] || colIndex[a] - colIndex[b]);
    const slot = new Int32Array(n);
    const rowPointer = new Int32Array(rows + 1);
    const cIdx: number[] = [];
    let last = -1;
    for (const k of order) {
      const key = rowIndex[k] * cols + colIndex[k];
      if (key !== last) {
        cIdx.push(colIndex[k]);
        rowPointer[rowIndex[k] + 1]++;
        last = key;
      }
      slot[k] = cIdx.length - 1;
    }
    for (let r = 0; r < rows; r++) rowPointer[r + 1] += rowPointer[r];
    const structure = csrStructure(rows, cols, rowPointer, Int32Array.from(cIdx));
    const merged = scatterAdd(fromHost(new Float32Array(cIdx.length), [cIdx.length], values.dtype, values), fromHost(slot, [n], "int32", values), values, 0);
    return new SparseMatrix(structure, merged);
  }

  /** From CSR arrays (row pointers, column indices sorted within each row) and values. */
  static fromCSR(rowPointer: ArrayLike<number>, colIndex: ArrayLike<number>, values: Tensor, shape: readonly [number, number]): SparseMatrix {
    const [rows, cols] = shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`SparseMatrix.fromCSR: invalid shape ${formatShape(shape)}`);
    }
    if (rowPointer.length !== rows + 1 || rowPointer[0] !== 0 || rowPointer[rows] !== colIndex.length) {
      throw new ShapeError(`SparseMatrix.fromCSR: rowPointer must have ${rows + 1} entries from 0 to nnz=${colIndex.length}`);
    }
    for (let r = 0; r < rows; r++) {
      if (!Number.isInteger(rowPointer[r + 1]) || rowPointer[r + 1] < rowPointer[r]) {
        throw new ArgumentError(`SparseMatrix.fromCSR: rowPointer must be non-decreasing integers, got rowPointer[${r}] = ${rowPointer[r]}, rowPointer[${r + 1}] = ${rowPointer[r + 1]}`);
      }
      for (let k = rowPointer[r]; k < rowPointer[r + 1]; k++) {
        if (!Number.isInteger(colIndex[k]) || colIndex[k] < 0 || colIndex[k] >= cols || (k > rowPointer[r] && colIndex[k] <= colIndex[k - 1])) {
          throw new ArgumentError(`SparseMatrix.fromCSR: column indices of row ${r} must be sorted, unique and in [0, ${cols})`);
        }
      }
    }
    if (values.rank !== 1 || values.shape[0] !== colIndex.length) {
      throw new ShapeError(`SparseMatrix.fromCSR: values ${formatShape(values.shape)} must be [${colIndex.length}]`);
    }
    return new SparseMatrix(csrStructure(rows, cols, Int32Array.from(rowPointer), Int32Array.from(colIndex)), values);
  }

  /** Aᵀ, sharing gradients with A's values. */
  transpose(): SparseMatrix {
    const { structure, permutation } = this.structure.transpose();
    return new SparseMatrix(structure, gather(this.values, fromHost(permutation, [permutation.length], "int32", this.values), 0));
  }

  /** The dense matrix (differentiable in the values). */
  toDense(): Tensor {
    const { rows, cols, rowIndex, colIndex } = this.structure;
    const flat = new Int32Array(rowIndex.length);
    for (let k = 0; k < flat.length; k++) flat[k] = rowIndex[k] * cols + colIndex[k];
    const dense = scatterAdd(fromHost(new Float32Array(rows * cols), [rows * cols], this.values.dtype, this.values), fromHost(flat, [flat.length], "int32", this.values), this.values, 0);
    return dense.reshape([rows, cols]);
  }
}

/** Sparse × dense: A [rows, cols] · X [cols, n] (or a vector [cols]). */
export function spmm(a: SparseMatrix, x: Tensor): Tensor {
  if (!(a instanceof SparseMatrix)) throw new ArgumentError(`spmm: a must be a SparseMatrix, got ${describeValue(a)}`, "a");
  assertTensor(x, "spmm", "x");
  const { cols } = a.structure;
  const dense = x.rank === 1 ? expandDims(x, 1) : x;
  if (dense.rank !== 2 || dense.shape[0] !== cols) {
    throw new ShapeError(`spmm: sparse ${formatShape(a.shape)} cannot multiply dense ${formatShape(x.shape)}`);
  }
  const dtype = arithmeticType(a.values.dtype, dense.dtype);
  const values = a.values.dtype === dtype ? a.values : cast(a.values, dtype);
  const d = dense.dtype === dtype ? dense : cast(dense, dtype);
  const out = spmmStructure(a.structure, values, d);
  return x.rank === 1 ? squeeze(out, 1) : out;
}

/** spmm on a bare structure and values tensor of the same dtype as `x` (used by gradients). */
export function spmmStructure(structure: CsrStructure, values: Tensor, x: Tensor): Tensor {
  return apply("spmm", [values, x], { structure }, [structure.rows, x.shape[1]], x.dtype);
}

/**
 * Sampled dense-dense product on a sparsity structure: out[k] = Σ_j g[row_k, j] · x[col_k, j]
 * (the gradient of spmm with respect to the sparse values).
 */
export function sddmm(structure: CsrStructure, g: Tensor, x: Tensor): Tensor {
  if (typeof structure !== "object" || structure === null || !Number.isInteger(structure.rows)) {
    throw new ArgumentError(`sddmm: structure must be a CsrStructure (SparseMatrix.structure), got ${describeValue(structure)}`, "structure");
  }
  assertTensor(g, "sddmm", "g");
  assertTensor(x, "sddmm", "x");
  if (g.rank !== 2 || x.rank !== 2 || g.shape[0] !== structure.rows || x.shape[0] !== structure.cols || g.shape[1] !== x.shape[1]) {
    throw new ShapeError(`sddmm: g ${formatShape(g.shape)} and x ${formatShape(x.shape)} do not fit structure [${structure.rows}, ${structure.cols}]`);
  }
  return apply("sddmm", [g, x], { structure }, [structure.colIndex.length], arithmeticType(g.dtype, x.dtype));
}
