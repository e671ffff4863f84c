/** Compressed sparse row matrices: the storage of graphs, and the sparse Kronecker product. */
import { ShapeError, formatShape } from "@fcn/tensor";
import { type Matrix, zeros } from "../linalg/matrix.js";
import { asMatrix } from "../linalg/asMatrix.js";

/** CSR matrix: the nonzeros of row i are colIndex[rowPointer[i] .. rowPointer[i+1]), columns ascending. */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly rowPointer: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/** Largest number of stored entries a sparse constructor will allocate (2²⁸). */
export const SPARSE_ENTRY_LIMIT = 2 ** 28;

/**
 * Converts a dense matrix to CSR, keeping entries that are not exactly zero.
 * @example toCsr(fromRows([[0, 1], [1, 0]])).values // [1, 1]
 */
export function toCsr(m: Matrix): CsrMatrix {
  m = asMatrix(m, "toCsr", "m");
  const rowPointer = new Int32Array(m.rows + 1);
  let count = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i] !== 0) count++;
  const colIndex = new Int32Array(count);
  const values = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j];
      if (v !== 0) {
        colIndex[at] = j;
        values[at++] = v;
      }
    }
    rowPointer[i + 1] = at;
  }
  return { rows: m.rows, cols: m.cols, rowPointer, colIndex, values };
}

/**
 * Converts CSR to dense (duplicate entries are summed).
 * @example toDense(toCsr(a)) // equals a
 */
export function csrToDense(s: CsrMatrix): Matrix {
  const m = zeros(s.rows, s.cols);
  for (let i = 0; i < s.rows; i++) {
    for (let p = s.rowPointer[i]; p < s.rowPointer[i + 1]; p++) m.data[i * s.cols + s.colIndex[p]] += s.values[p];
  }
  return m;
}

/**
 * Sparse matrix-vector product y = S·x.
 * @example csrMatvec(toCsr(a), x)
 */
export function csrMatvec(s: CsrMatrix, x: Float64Array): Float64Array {
  if (x.length !== s.cols) throw new ShapeError(`csrMatvec: vector of length ${x.length} does not fit ${formatShape([s.rows, s.cols])}`);
  const y = new Float64Array(s.rows);
  for (let i = 0; i < s.rows; i++) {
    let sum = 0;
    for (let p = s.rowPointer[i]; p < s.rowPointer[i + 1]; p++) sum += s.values[p] * x[s.colIndex[p]];
    y[i] = sum;
  }
  return y;
}

/**
 * Builds CSR from coordinate triplets (row, col, value); duplicates are summed, explicit zeros dropped.
 * @example fromTriplets(2, 2, [0, 1], [1, 0], [1, 1])
 */
export function fromTriplets(
  rows: number, cols: number, rowOf: ArrayLike<number>, colOf: ArrayLike<number>, valueOf: ArrayLike<number> | number = 1,
): CsrMatrix {
  const count = rowOf.length;
  if (colOf.length !== count || (typeof valueOf !== "number" && valueOf.length !== count)) {
    throw new ShapeError(`fromTriplets: rows, cols and values have lengths ${count}, ${colOf.length}, ${typeof valueOf === "number" ? "scalar" : valueOf.length}`);
  }
  const rowPointer = new Int32Array(rows + 1);
  for (let t = 0; t < count; t++) {
    const r = rowOf[t];
    const c = colOf[t];
    if (!(r >= 0 && r < rows && c >= 0 && c < cols)) {
      throw new ShapeError(`fromTriplets: entry (${r}, ${c}) lies outside shape ${formatShape([rows, cols])}`);
    }
    rowPointer[r + 1]++;
  }
  for (let i = 0; i < rows; i++) rowPointer[i + 1] += rowPointer[i];
  const fill = rowPointer.slice(0, rows);
  const cols0 = new Int32Array(count);
  const vals0 = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    const at = fill[rowOf[t]]++;
    cols0[at] = colOf[t];
    vals0[at] = typeof valueOf === "number" ? valueOf : valueOf[t];
  }
  // Sort each row by column and merge duplicates.
  const outPointer = new Int32Array(rows + 1);
  const outCols: number[] = [];
  const outVals: number[] = [];
  for (let i = 0; i < rows; i++) {
    const start = rowPointer[i];
    const order = Array.from({ length: rowPointer[i + 1] - start }, (_, q) => start + q).sort((a, b) => cols0[a] - cols0[b]);
    let last = -1;
    for (const q of order) {
      if (cols0[q] === last) outVals[outVals.length - 1] += vals0[q];
      else {
        outCols.push(cols0[q]);
        outVals.push(vals0[q]);
        last = cols0[q];
      }
    }
    outPointer[i + 1] = outCols.length;
  }
  return dropZeros({ rows, cols, rowPointer: outPointer, colIndex: Int32Array.from(outCols), values: Float64Array.from(outVals) });
}

function dropZeros(s: CsrMatrix): CsrMatrix {
  if (s.values.every((v) => v !== 0)) return s;
  const keep: number[] = [];
  const rowPointer = new Int32Array(s.rows + 1);
  for (let i = 0; i < s.rows; i++) {
    for (let p = s.rowPointer[i]; p < s.rowPointer[i + 1]; p++) if (s.values[p] !== 0) keep.push(p);
    rowPointer[i + 1] = keep.length;
  }
  return {
    rows: s.rows, cols: s.cols, rowPointer,
    colIndex: Int32Array.from(keep, (p) => s.colIndex[p]),
    values: Float64Array.from(keep, (p) => s.values[p]),
  };
}

/**
 * Sparse Kronecker product of sparse factors: nnz(P ⊗ Q) = nnz(P)·nnz(Q), built row by row
 * so columns stay sorted. Throws a ShapeError above SPARSE_ENTRY_LIMIT stored entries.
 * @example kronCsr(toCsr(sierpinski()), toCsr(sierpinski())).values.length // 9
 */
export function kronCsr(...factors: CsrMatrix[]): CsrMatrix {
  if (factors.length === 0) throw new ShapeError("kronCsr: expected at least one factor, got none");
  const nnz = factors.reduce((s, f) => s * f.values.length, 1);
  if (nnz > SPARSE_ENTRY_LIMIT) throw new ShapeError(`kronCsr: product would store ${nnz} entries, over the limit ${SPARSE_ENTRY_LIMIT}`);
  return factors.slice(1).reduce(kronCsrPair, factors[0]);
}

function kronCsrPair(p: CsrMatrix, q: CsrMatrix): CsrMatrix {
  const rows = p.rows * q.rows;
  const rowPointer = new Int32Array(rows + 1);
  const colIndex = new Int32Array(p.values.length * q.values.length);
  const values = new Float64Array(colIndex.length);
  let at = 0;
  for (let i = 0; i < p.rows; i++) {
    for (let k = 0; k < q.rows; k++) {
      for (let a = p.rowPointer[i]; a < p.rowPointer[i + 1]; a++) {
        const base = p.colIndex[a] * q.cols;
        const pv = p.values[a];
        for (let b = q.rowPointer[k]; b < q.rowPointer[k + 1]; b++) {
          colIndex[at] = base + q.colIndex[b];
          values[at++] = pv * q.values[b];
        }
      }
      rowPointer[i * q.rows + k + 1] = at;
    }
  }
  return { rows, cols: p.cols * q.cols, rowPointer, colIndex, values };
}
