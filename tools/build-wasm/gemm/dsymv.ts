// Symmetric matrix-vector product on the upper triangle (the dsymv inside the blocked
// tridiagonalization, LAPACK dlatrd): each stored entry aᵢⱼ (j ≥ i) is read once and feeds both
// yᵢ (as aᵢⱼ) and yⱼ (as aⱼᵢ). Four rows at a time, two columns per f64x2 step.

import { madd64 } from "./madd";

@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/**
 * y = A·x for the len×len symmetric matrix at a (rows `ld` elements apart) of which only the
 * upper triangle (column ≥ row) is read. x and y hold len float64 each; y is overwritten.
 */
export function dsymvUpper(a: usize, ld: i32, len: i32, x: usize, y: usize): void {
  memory.fill(y, 0, (<usize>len) << 3);
  let i = 0;
  for (; i + 3 < len; i += 4) fourRows(at(a, i * ld + i), ld, len - i, at(x, i), at(y, i));
  for (; i < len; i++) oneRow(at(a, i * ld + i), len - i, at(x, i), at(y, i));
}

/** Rows i … i+3 from their diagonal (p: entry (i, i); x, y from index i), `width` columns. */
function fourRows(p0: usize, ld: i32, width: i32, x: usize, y: usize): void {
  const ldb = (<usize>ld) << 3;
  const p1 = p0 + ldb, p2 = p1 + ldb, p3 = p2 + ldb;
  const x0 = load<f64>(x), x1 = load<f64>(x, 8), x2 = load<f64>(x, 16), x3 = load<f64>(x, 24);
  const a01 = load<f64>(p0, 8), a02 = load<f64>(p0, 16), a03 = load<f64>(p0, 24);
  const a12 = load<f64>(p1, 16), a13 = load<f64>(p1, 24), a23 = load<f64>(p2, 24);
  let d0 = load<f64>(p0) * x0 + a01 * x1 + a02 * x2 + a03 * x3;
  let d1 = a01 * x0 + load<f64>(p1, 8) * x1 + a12 * x2 + a13 * x3;
  let d2 = a02 * x0 + a12 * x1 + load<f64>(p2, 16) * x2 + a23 * x3;
  let d3 = a03 * x0 + a13 * x1 + a23 * x2 + load<f64>(p3, 24) * x3;
  const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1), v2 = f64x2.splat(x2), v3 = f64x2.splat(x3);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let t = 4;
  for (; t + 2 <= width; t += 2) {
    const o = (<usize>t) << 3;
    const b0 = v128.load(p0 + o), b1 = v128.load(p1 + o), b2 = v128.load(p2 + o), b3 = v128.load(p3 + o);
    const xt = v128.load(x + o);
    s0 = madd64(b0, xt, s0);
    s1 = madd64(b1, xt, s1);
    s2 = madd64(b2, xt, s2);
    s3 = madd64(b3, xt, s3);
    const u = madd64(b1, v1, f64x2.mul(b0, v0));
    const w = madd64(b3, v3, f64x2.mul(b2, v2));
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.add(u, w)));
  }
  if (t < width) {
    const o = (<usize>t) << 3;
    const b0 = load<f64>(p0 + o), b1 = load<f64>(p1 + o), b2 = load<f64>(p2 + o), b3 = load<f64>(p3 + o);
    const xt = load<f64>(x + o);
    d0 += b0 * xt;
    d1 += b1 * xt;
    d2 += b2 * xt;
    d3 += b3 * xt;
    store<f64>(y + o, load<f64>(y + o) + (b0 * x0 + b1 * x1 + (b2 * x2 + b3 * x3)));
  }
  store<f64>(y, load<f64>(y) + d0 + f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1));
  store<f64>(y, load<f64>(y, 8) + d1 + f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1), 8);
  store<f64>(y, load<f64>(y, 16) + d2 + f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1), 16);
  store<f64>(y, load<f64>(y, 24) + d3 + f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1), 24);
}

/** Row i alone (p: entry (i, i); x, y from index i). */
function oneRow(p: usize, width: i32, x: usize, y: usize): void {
  const xi = load<f64>(x);
  let s = load<f64>(p) * xi;
  for (let t = 1; t < width; t++) {
    const o = (<usize>t) << 3;
    const b = load<f64>(p + o);
    s += b * load<f64>(x + o);
    store<f64>(y + o, load<f64>(y + o) + b * xi);
  }
  store<f64>(y, load<f64>(y) + s);
}
