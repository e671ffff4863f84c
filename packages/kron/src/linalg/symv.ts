/**
 * Symmetric matrix-vector product for the tridiagonal reduction (the dsymv inside LAPACK's
 * dlatrd). The matrix is stored row-major with only the upper triangle (j ≥ i) read: row i from
 * its diagonal rightwards is column i of the lower triangle, contiguous — LAPACK's 'L' layout
 * transposed. Each stored entry is read once and feeds both y[i] (as aᵢⱼ) and y[j] (as aⱼᵢ).
 */

/**
 * y = A·v for the len×len symmetric block whose (0, 0) entry is a[off], rows `ld` apart;
 * reads a[off + i·ld + j] for j ≥ i only. Overwrites y[0 … len−1].
 */
export function symvUpper(a: Float64Array, off: number, ld: number, len: number, v: Float64Array, y: Float64Array): void {
  y.fill(0, 0, len);
  let i = 0;
  // Four rows at a time: each v[j], y[j] load serves eight multiply-adds.
  for (; i + 3 < len; i += 4) symvFourRows(a, off + i * ld + i, ld, len - i, v, y, i);
  for (; i < len; i++) symvOneRow(a, off + i * ld + i, len - i, v, y, i);
}

/** Rows i … i+3 (p: offset of entry (i, i)), their 4×4 diagonal triangle and the part to its right. */
function symvFourRows(a: Float64Array, p: number, ld: number, width: number, v: Float64Array, y: Float64Array, i: number): void {
  const p1 = p + ld;
  const p2 = p1 + ld;
  const p3 = p2 + ld;
  const v0 = v[i];
  const v1 = v[i + 1];
  const v2 = v[i + 2];
  const v3 = v[i + 3];
  const a01 = a[p + 1];
  const a02 = a[p + 2];
  const a03 = a[p + 3];
  const a12 = a[p1 + 2];
  const a13 = a[p1 + 3];
  const a23 = a[p2 + 3];
  let s0 = a[p] * v0 + a01 * v1 + a02 * v2 + a03 * v3;
  let s1 = a01 * v0 + a[p1 + 1] * v1 + a12 * v2 + a13 * v3;
  let s2 = a02 * v0 + a12 * v1 + a[p2 + 2] * v2 + a23 * v3;
  let s3 = a03 * v0 + a13 * v1 + a23 * v2 + a[p3 + 3] * v3;
  for (let t = 4; t < width; t++) {
    const b0 = a[p + t];
    const b1 = a[p1 + t];
    const b2 = a[p2 + t];
    const b3 = a[p3 + t];
    const vt = v[i + t];
    s0 += b0 * vt;
    s1 += b1 * vt;
    s2 += b2 * vt;
    s3 += b3 * vt;
    y[i + t] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
  }
  y[i] += s0;
  y[i + 1] += s1;
  y[i + 2] += s2;
  y[i + 3] += s3;
}

/** Row i alone (p: offset of entry (i, i)). */
function symvOneRow(a: Float64Array, p: number, width: number, v: Float64Array, y: Float64Array, i: number): void {
  const vi = v[i];
  let s = a[p] * vi;
  for (let t = 1; t < width; t++) {
    const b = a[p + t];
    s += b * v[i + t];
    y[i + t] += b * vi;
  }
  y[i] += s;
}
