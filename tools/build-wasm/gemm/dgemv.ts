// Matrix-vector products on row-major sub-matrices (the panel corrections of the blocked
// tridiagonalization): dot products of rows (N) and sums of scaled rows (T), four rows at a time.

import { madd64 } from "./madd";

@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/** y[i] += alpha · Σⱼ A[i, j]·x[j] for the m×n matrix at a (rows lda elements apart). */
export function dgemvN(a: usize, lda: i32, m: i32, n: i32, x: usize, y: usize, alpha: f64): void {
  const ldb = (<usize>lda) << 3;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const p0 = at(a, i * lda), p1 = p0 + ldb, p2 = p1 + ldb, p3 = p2 + ldb;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const xj = v128.load(x + o);
      s0 = madd64(v128.load(p0 + o), xj, s0);
      s1 = madd64(v128.load(p1 + o), xj, s1);
      s2 = madd64(v128.load(p2 + o), xj, s2);
      s3 = madd64(v128.load(p3 + o), xj, s3);
    }
    let d0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let d1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let d2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let d3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    if (j < n) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      d0 += load<f64>(p0 + o) * xj;
      d1 += load<f64>(p1 + o) * xj;
      d2 += load<f64>(p2 + o) * xj;
      d3 += load<f64>(p3 + o) * xj;
    }
    const q = at(y, i);
    store<f64>(q, load<f64>(q) + alpha * d0);
    store<f64>(q, load<f64>(q, 8) + alpha * d1, 8);
    store<f64>(q, load<f64>(q, 16) + alpha * d2, 16);
    store<f64>(q, load<f64>(q, 24) + alpha * d3, 24);
  }
  for (; i < m; i++) {
    const p = at(a, i * lda);
    let s = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) s = madd64(v128.load(p + ((<usize>j) << 3)), v128.load(x + ((<usize>j) << 3)), s);
    let d = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    if (j < n) d += load<f64>(at(p, j)) * load<f64>(at(x, j));
    const q = at(y, i);
    store<f64>(q, load<f64>(q) + alpha * d);
  }
}

/** y[j] += alpha · Σᵢ A[i, j]·x[i] for the m×n matrix at a (rows lda elements apart). */
export function dgemvT(a: usize, lda: i32, m: i32, n: i32, x: usize, y: usize, alpha: f64): void {
  const ldb = (<usize>lda) << 3;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const p0 = at(a, i * lda), p1 = p0 + ldb, p2 = p1 + ldb, p3 = p2 + ldb;
    const q = at(x, i);
    const x0 = alpha * load<f64>(q), x1 = alpha * load<f64>(q, 8), x2 = alpha * load<f64>(q, 16), x3 = alpha * load<f64>(q, 24);
    const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const u = madd64(v128.load(p1 + o), v1, f64x2.mul(v128.load(p0 + o), v0));
      const w = madd64(v128.load(p3 + o), v3, f64x2.mul(v128.load(p2 + o), v2));
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.add(u, w)));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(y + o, load<f64>(y + o) + (load<f64>(p0 + o) * x0 + load<f64>(p1 + o) * x1 + (load<f64>(p2 + o) * x2 + load<f64>(p3 + o) * x3)));
    }
  }
  for (; i < m; i++) {
    const p = at(a, i * lda);
    const xi = alpha * load<f64>(at(x, i));
    const v = f64x2.splat(xi);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(y + o, madd64(v128.load(p + o), v, v128.load(y + o)));
    }
    if (j < n) store<f64>(at(y, j), load<f64>(at(y, j)) + load<f64>(at(p, j)) * xi);
  }
}
