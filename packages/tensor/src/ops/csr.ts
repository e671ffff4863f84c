/**
 * The index structure of a CSR sparse matrix, shared by a matrix and its values' tensor.
 * `transpose` is built once (lazily) with the permutation that maps this matrix's value
 * order to the transpose's, so gradients through spmm need no sort.
 */
export interface CsrStructure {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into colIndex: row r's values are at rowPointer[r] .. rowPointer[r + 1]. */
  readonly rowPointer: Int32Array;
  /**
   * The same array as `rowPointer` (the name `@fcn/kron`'s `CsrMatrix` uses too).
   * @deprecated Use `rowPointer`; `rowPtr` will be removed in the next minor release.
   */
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  /** Row of each stored value (expanded rowPointer), used by sddmm and scatter-style kernels. */
  readonly rowIndex: Int32Array;
  /** The transpose's structure and, for each of its values, the index of ours. */
  transpose(): { structure: CsrStructure; permutation: Int32Array };
}

/** Builds a structure from sorted-by-row CSR arrays (validated by the caller). */
export function csrStructure(rows: number, cols: number, rowPointer: Int32Array, colIndex: Int32Array): CsrStructure {
  const nnz = colIndex.length;
  const rowIndex = new Int32Array(nnz);
  for (let r = 0; r < rows; r++) for (let k = rowPointer[r]; k < rowPointer[r + 1]; k++) rowIndex[k] = r;
  let cached: { structure: CsrStructure; permutation: Int32Array } | undefined;
  const self: CsrStructure = {
    rows,
    cols,
    rowPointer,
    get rowPtr() {
      return rowPointer;
    },
    colIndex,
    rowIndex,
    transpose() {
      if (cached) return cached;
      // Counting sort by column: stable, so rows stay sorted within each new row.
      const tPtr = new Int32Array(cols + 1);
      for (let k = 0; k < nnz; k++) tPtr[colIndex[k] + 1]++;
      for (let c = 0; c < cols; c++) tPtr[c + 1] += tPtr[c];
      const next = tPtr.slice(0, cols);
      const tCol = new Int32Array(nnz);
      const permutation = new Int32Array(nnz);
      for (let k = 0; k < nnz; k++) {
        const dst = next[colIndex[k]]++;
        tCol[dst] = rowIndex[k];
        permutation[dst] = k;
      }
      const structure = csrStructure(cols, rows, tPtr, tCol);
      cached = { structure, permutation };
      return cached;
    },
  };
  return self;
}
