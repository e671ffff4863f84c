// Reductions in SIMD, giving exactly what the JavaScript loops in
// packages/tensor/src/backend/cpu/reduce.ts give. Those accumulate in float64, element by element
// in memory order, and round the accumulator to the output type at the end.
//
// * Reductions over leading axes ("columns": out[j] = x[0][j] ⊕ x[1][j] ⊕ …) vectorize across the
//   independent outputs j, so each output sees its elements in the same order with the same float64
//   operation: bit-identical by construction (sum, prod, max, min; float32 and float64).
// * max/min along a row are exact in any order: the value is the same, only which of several equal
//   elements wins can differ (+0 vs -0; the JS keeps the first), which the driver fixes when the
//   result is zero. NaN wins in both.
// * A float32 sum along a row is the one place where order matters. The rows are summed in blocks
//   of 64 (8 float64 lanes), and alongside a rigorous bound T on |F − S| + |seq − S|, where F is this
//   reordered float64 sum, seq the JS loop's sequential float64 sum and S the exact sum. When the
//   interval F ± T holds no rounding boundary of float32, seq rounds to the same float32 as F; the
//   rows for which that cannot be shown (rare: see sumRows32) are redone by the JS loop.
// * A float64 sum along rows keeps each row in one SIMD lane (sumRowsInOrder64), so it is never
//   reordered; a single row (the sum of everything) has no such split and stays in JavaScript.

// u = 2^-53, the unit roundoff of float64.
const U: f64 = 1.1102230246251565e-16;

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * One block of `len` ≤ 64 elements with sum s and magnitude sum A folded into the state (P, T):
 * P += s, and T grows by the block's share of both error bounds:
 * - F: 71 float64 additions in the block, each off by ≤ u·A, and P's own rounding ≤ u·|P'|;
 * - seq: each of ≤ 64 additions off by ≤ u·(|P_b| + A + errors so far) ≤ u·(|P| + A + T).
 * A is an upper bound of Σ|x| up to a relative 2^-17 (float32 partial sums); 1.001 covers it.
 */
@inline function foldBlock(st: usize, P: f64, T: f64, s: f64, A: f64): void {
  const P1 = P + s;
  const a = A * 1.001;
  store<f64>(st, P1);
  store<f64>(st, T * (1 + 64 * U) + U * (136 * a + abs(P1) + 64 * abs(P)), 8);
}

/**
 * Float32 sums of `rows` rows of n elements at x, continuing the per-row state (P: f64, T: f64)
 * at st (16 bytes per row; `init` starts it at zero). A row longer than the scratch buffer is
 * fed in several calls; every piece but the last must be a multiple of 64 elements.
 */
export function sumRows32(x: usize, rows: i32, n: i32, st: usize, init: i32): void {
  for (let r = 0; r < rows; r++) {
    if (init) {
      store<f64>(st, 0);
      store<f64>(st, 0, 8);
    }
    let j = 0;
    for (; j + 64 <= n; j += 64) {
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      let p = x + ((<usize>j) << 2);
      for (let k = 0; k < 8; k++) {
        const v0 = v128.load(p), v1 = v128.load(p, 16);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
        s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
        s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
        a0 = f32x4.add(a0, f32x4.abs(v0));
        a1 = f32x4.add(a1, f32x4.abs(v1));
        p += 32;
      }
      const a = f32x4.add(a0, a1);
      const A = hsum(f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1))));
      foldBlock(st, load<f64>(st), load<f64>(st, 8), hsum(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3))), A);
    }
    if (j < n) {
      let s: f64 = 0, A: f64 = 0;
      for (; j < n; j++) {
        const v = <f64>load<f32>(x + ((<usize>j) << 2));
        s += v;
        A += abs(v);
      }
      foldBlock(st, load<f64>(st), load<f64>(st, 8), s, A);
    }
    x += (<usize>n) << 2;
    st += 16;
  }
}

/**
 * Float64 sums of `rows` rows of n elements at x into out (float64 each), every row summed in order
 * from +0, as the JS loop: rows go into SIMD lanes (two rows per f64x2, four rows at a time), so no
 * sum is reordered. A 2×2 transpose turns two rows' pairs of elements into two column pairs.
 */
export function sumRowsInOrder64(x: usize, rows: i32, n: i32, out: usize): void {
  const stride = (<usize>n) << 3;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    let a = f64x2.splat(0), b = f64x2.splat(0);
    const p0 = x, p1 = x + stride, p2 = x + 2 * stride, p3 = x + 3 * stride;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const u0 = v128.load(p0 + o), u1 = v128.load(p1 + o), w0 = v128.load(p2 + o), w1 = v128.load(p3 + o);
      a = f64x2.add(f64x2.add(a, v128.shuffle<f64>(u0, u1, 0, 2)), v128.shuffle<f64>(u0, u1, 1, 3));
      b = f64x2.add(f64x2.add(b, v128.shuffle<f64>(w0, w1, 0, 2)), v128.shuffle<f64>(w0, w1, 1, 3));
    }
    let s0 = f64x2.extract_lane(a, 0), s1 = f64x2.extract_lane(a, 1);
    let s2 = f64x2.extract_lane(b, 0), s3 = f64x2.extract_lane(b, 1);
    if (j < n) {
      const o = (<usize>j) << 3;
      s0 += load<f64>(p0 + o);
      s1 += load<f64>(p1 + o);
      s2 += load<f64>(p2 + o);
      s3 += load<f64>(p3 + o);
    }
    store<f64>(out, s0);
    store<f64>(out, s1, 8);
    store<f64>(out, s2, 16);
    store<f64>(out, s3, 24);
    x += 4 * stride;
    out += 32;
  }
  for (; r < rows; r++) {
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += load<f64>(x + ((<usize>j) << 3));
    store<f64>(out, s);
    x += stride;
    out += 8;
  }
}

/**
 * Whether every float64 within T of F rounds to the same float32 as F. Non-finite F is exact:
 * partial sums of float32 values cannot overflow float64, so NaN/±∞ come from the inputs alone.
 */
@inline function sameFloat32(F: f64, T: f64): bool {
  if (!isFinite(F)) return true;
  const r = abs(<f32>F);
  if (r == 0) return T == 0; // a tiny negative sum would round to -0
  if (r == Infinity || r == F32.MAX_VALUE) return false;
  const bits = reinterpret<u32>(r);
  const up = <f64>reinterpret<f32>(bits + 1), down = <f64>reinterpret<f32>(bits - 1);
  const hi = (<f64>r + up) * 0.5, lo = (<f64>r + down) * 0.5; // exact in float64
  const t = T * (1 + 1.0 / 1048576);
  const af = abs(F);
  return af - lo > t && hi - af > t;
}

/**
 * Writes each row's float32 sum to out and the indices of the rows whose rounding the bound
 * cannot settle to bad; returns how many those are (the driver redoes them sequentially).
 */
export function finishSums32(st: usize, rows: i32, out: usize, bad: usize): i32 {
  let nb = 0;
  for (let r = 0; r < rows; r++) {
    const F = load<f64>(st + ((<usize>r) << 4));
    const T = load<f64>(st + ((<usize>r) << 4), 8);
    store<f32>(out + ((<usize>r) << 2), <f32>F);
    if (!sameFloat32(F, T)) {
      store<i32>(bad + ((<usize>nb) << 2), r);
      nb++;
    }
  }
  return nb;
}

// max (MIN = false) or min: the JS step `if (v > a || v !== v) a = v`, lane by lane.
@inline function pick32(MIN: bool, a: v128, v: v128): v128 {
  return v128.bitselect(v, a, v128.or(MIN ? f32x4.lt(v, a) : f32x4.gt(v, a), f32x4.ne(v, v)));
}
@inline function pick64(MIN: bool, a: v128, v: v128): v128 {
  return v128.bitselect(v, a, v128.or(MIN ? f64x2.lt(v, a) : f64x2.gt(v, a), f64x2.ne(v, v)));
}
@inline function pickS<T>(MIN: bool, a: T, v: T): T {
  return (MIN ? v < a : v > a) || v != v ? v : a;
}

@inline function extremeRows32(MIN: bool, x: usize, rows: i32, n: i32, st: usize, init: i32): void {
  const start: f32 = MIN ? Infinity : -Infinity;
  for (let r = 0; r < rows; r++) {
    let a = init ? start : load<f32>(st);
    let c0 = f32x4.splat(a), c1 = c0, c2 = c0, c3 = c0;
    let j = 0;
    for (; j + 16 <= n; j += 16) {
      const p = x + ((<usize>j) << 2);
      c0 = pick32(MIN, c0, v128.load(p));
      c1 = pick32(MIN, c1, v128.load(p, 16));
      c2 = pick32(MIN, c2, v128.load(p, 32));
      c3 = pick32(MIN, c3, v128.load(p, 48));
    }
    const c = pick32(MIN, pick32(MIN, c0, c1), pick32(MIN, c2, c3));
    a = pickS<f32>(MIN, a, f32x4.extract_lane(c, 0));
    a = pickS<f32>(MIN, a, f32x4.extract_lane(c, 1));
    a = pickS<f32>(MIN, a, f32x4.extract_lane(c, 2));
    a = pickS<f32>(MIN, a, f32x4.extract_lane(c, 3));
    for (; j < n; j++) a = pickS<f32>(MIN, a, load<f32>(x + ((<usize>j) << 2)));
    store<f32>(st, a);
    x += (<usize>n) << 2;
    st += 4;
  }
}

@inline function extremeRows64(MIN: bool, x: usize, rows: i32, n: i32, st: usize, init: i32): void {
  const start: f64 = MIN ? Infinity : -Infinity;
  for (let r = 0; r < rows; r++) {
    let a = init ? start : load<f64>(st);
    let c0 = f64x2.splat(a), c1 = c0, c2 = c0, c3 = c0;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const p = x + ((<usize>j) << 3);
      c0 = pick64(MIN, c0, v128.load(p));
      c1 = pick64(MIN, c1, v128.load(p, 16));
      c2 = pick64(MIN, c2, v128.load(p, 32));
      c3 = pick64(MIN, c3, v128.load(p, 48));
    }
    const c = pick64(MIN, pick64(MIN, c0, c1), pick64(MIN, c2, c3));
    a = pickS<f64>(MIN, a, f64x2.extract_lane(c, 0));
    a = pickS<f64>(MIN, a, f64x2.extract_lane(c, 1));
    for (; j < n; j++) a = pickS<f64>(MIN, a, load<f64>(x + ((<usize>j) << 3)));
    store<f64>(st, a);
    x += (<usize>n) << 3;
    st += 8;
  }
}

/**
 * max (isMin = 0) or min of each of `rows` rows of n elements at x, continuing the per-row
 * running value at st (element-sized slots; `init` starts from ∓∞). f64 = 1: float64 rows.
 */
export function extremeRows(f64: i32, isMin: i32, x: usize, rows: i32, n: i32, st: usize, init: i32): void {
  if (f64) {
    if (isMin) extremeRows64(true, x, rows, n, st, init);
    else extremeRows64(false, x, rows, n, st, init);
  } else if (isMin) extremeRows32(true, x, rows, n, st, init);
  else extremeRows32(false, x, rows, n, st, init);
}

// Column reductions: acc[j] = acc[j] ⊕ x[i][j] over rows i, acc in float64 as in the JS loop.
@inline function col64(op: i32, a: v128, v: v128): v128 {
  if (op == 0) return f64x2.add(a, v);
  if (op == 1) return f64x2.mul(a, v);
  return pick64(op == 3, a, v);
}
@inline function colS(op: i32, a: f64, v: f64): f64 {
  if (op == 0) return a + v;
  if (op == 1) return a * v;
  return pickS<f64>(op == 3, a, v);
}

// Each block of 8 (float32) or 4 (float64) columns keeps its accumulators in registers down all
// the rows, so the accumulators are loaded and stored once per call rather than once per row.
@inline function colRows32(op: i32, x: usize, rows: i32, n: i32, acc: usize): void {
  const stride = (<usize>n) << 2;
  let j = 0;
  // 16 columns: 8 independent accumulator chains hide the float64 add latency.
  for (; j + 16 <= n; j += 16) {
    const q = acc + ((<usize>j) << 3);
    let c0 = v128.load(q), c1 = v128.load(q, 16), c2 = v128.load(q, 32), c3 = v128.load(q, 48);
    let c4 = v128.load(q, 64), c5 = v128.load(q, 80), c6 = v128.load(q, 96), c7 = v128.load(q, 112);
    let p = x + ((<usize>j) << 2);
    for (let i = 0; i < rows; i++) {
      const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
      c0 = col64(op, c0, f64x2.promote_low_f32x4(v0));
      c1 = col64(op, c1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      c2 = col64(op, c2, f64x2.promote_low_f32x4(v1));
      c3 = col64(op, c3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
      c4 = col64(op, c4, f64x2.promote_low_f32x4(v2));
      c5 = col64(op, c5, f64x2.promote_low_f32x4(v128.shuffle<f32>(v2, v2, 2, 3, 0, 1)));
      c6 = col64(op, c6, f64x2.promote_low_f32x4(v3));
      c7 = col64(op, c7, f64x2.promote_low_f32x4(v128.shuffle<f32>(v3, v3, 2, 3, 0, 1)));
      p += stride;
    }
    v128.store(q, c0);
    v128.store(q, c1, 16);
    v128.store(q, c2, 32);
    v128.store(q, c3, 48);
    v128.store(q, c4, 64);
    v128.store(q, c5, 80);
    v128.store(q, c6, 96);
    v128.store(q, c7, 112);
  }
  for (; j + 4 <= n; j += 4) {
    const q = acc + ((<usize>j) << 3);
    let c0 = v128.load(q), c1 = v128.load(q, 16);
    let p = x + ((<usize>j) << 2);
    for (let i = 0; i < rows; i++) {
      const v0 = v128.load(p);
      c0 = col64(op, c0, f64x2.promote_low_f32x4(v0));
      c1 = col64(op, c1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      p += stride;
    }
    v128.store(q, c0);
    v128.store(q, c1, 16);
  }
  for (; j < n; j++) {
    const q = acc + ((<usize>j) << 3);
    let a = load<f64>(q);
    let p = x + ((<usize>j) << 2);
    for (let i = 0; i < rows; i++) {
      a = colS(op, a, <f64>load<f32>(p));
      p += stride;
    }
    store<f64>(q, a);
  }
}

@inline function colRows64(op: i32, x: usize, rows: i32, n: i32, acc: usize): void {
  const stride = (<usize>n) << 3;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const q = acc + ((<usize>j) << 3);
    let c0 = v128.load(q), c1 = v128.load(q, 16), c2 = v128.load(q, 32), c3 = v128.load(q, 48);
    let p = x + ((<usize>j) << 3);
    for (let i = 0; i < rows; i++) {
      c0 = col64(op, c0, v128.load(p));
      c1 = col64(op, c1, v128.load(p, 16));
      c2 = col64(op, c2, v128.load(p, 32));
      c3 = col64(op, c3, v128.load(p, 48));
      p += stride;
    }
    v128.store(q, c0);
    v128.store(q, c1, 16);
    v128.store(q, c2, 32);
    v128.store(q, c3, 48);
  }
  for (; j < n; j++) {
    const q = acc + ((<usize>j) << 3);
    let a = load<f64>(q);
    let p = x + ((<usize>j) << 3);
    for (let i = 0; i < rows; i++) {
      a = colS(op, a, load<f64>(p));
      p += stride;
    }
    store<f64>(q, a);
  }
}

/**
 * acc[j] = acc[j] ⊕ x[i·n + j] for each of `rows` rows in order, acc float64 (n slots).
 * op: 0 sum, 1 prod, 2 max, 3 min. f64 = 1: x is float64, else float32.
 */
export function reduceColumns(op: i32, f64: i32, x: usize, rows: i32, n: i32, acc: usize): void {
  switch ((f64 << 2) | op) {
    case 0: colRows32(0, x, rows, n, acc); break;
    case 1: colRows32(1, x, rows, n, acc); break;
    case 2: colRows32(2, x, rows, n, acc); break;
    case 3: colRows32(3, x, rows, n, acc); break;
    case 4: colRows64(0, x, rows, n, acc); break;
    case 5: colRows64(1, x, rows, n, acc); break;
    case 6: colRows64(2, x, rows, n, acc); break;
    case 7: colRows64(3, x, rows, n, acc); break;
  }
}
