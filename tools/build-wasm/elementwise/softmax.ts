// Softmax and log-softmax along the last axis, bit-identical to the JavaScript kernel in
// packages/tensor/src/backend/cpu/softmax.ts, which for each row computes in float64:
//   m = max (NaN if any element is NaN), s = Σ e^(x − m) summed left to right, then
//   softmax: out = e^(x − m) stored (rounded to the array's type), then out · (1/s);
//   log-softmax: out = x − (m + log s).
// The exponentials run two float64 lanes at a time (math.ts, bit for bit Math.exp); the sum stays a
// sequential float64 sum in element order, since any other order would change its rounding.
// Which of +0/−0 the maximum is does not matter: e^(±0) = 1 and m + log s is the same for both.
import { expOdd, expScalar, expV, fillConstants, fixLanes, logScalar } from "./math";

/** Lanes of expV that need the scalar code, and expV with them fixed. */
@inline function expExact(x: v128): v128 {
  const res = expV(x);
  const m = expOdd(x);
  return v128.any_true(m) ? fixLanes(0, x, res, m) : res;
}

/** The JS kernel's running maximum, `v > m || v !== v ? v : m`, lane by lane. */
@inline function maxStep32(m: v128, v: v128): v128 { return v128.bitselect(v, m, v128.or(f32x4.gt(v, m), f32x4.ne(v, v))); }
@inline function maxStep64(m: v128, v: v128): v128 { return v128.bitselect(v, m, v128.or(f64x2.gt(v, m), f64x2.ne(v, v))); }
@inline function maxScalar(m: f64, v: f64): f64 { return v > m || v != v ? v : m; }

@inline function rowMax32(x: usize, n: i32): f64 {
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) mv = maxStep32(mv, v128.load(x + ((<usize>j) << 2)));
  let m: f64 = -Infinity;
  m = maxScalar(m, <f64>f32x4.extract_lane(mv, 0));
  m = maxScalar(m, <f64>f32x4.extract_lane(mv, 1));
  m = maxScalar(m, <f64>f32x4.extract_lane(mv, 2));
  m = maxScalar(m, <f64>f32x4.extract_lane(mv, 3));
  for (; j < n; j++) m = maxScalar(m, <f64>load<f32>(x + ((<usize>j) << 2)));
  return m;
}

@inline function rowMax64(x: usize, n: i32): f64 {
  let mv = f64x2.splat(-Infinity);
  let j = 0;
  for (; j + 2 <= n; j += 2) mv = maxStep64(mv, v128.load(x + ((<usize>j) << 3)));
  let m: f64 = -Infinity;
  m = maxScalar(m, f64x2.extract_lane(mv, 0));
  m = maxScalar(m, f64x2.extract_lane(mv, 1));
  for (; j < n; j++) m = maxScalar(m, load<f64>(x + ((<usize>j) << 3)));
  return m;
}

@inline function pack32(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/**
 * s = Σ e^(x − m) in element order; when STORE, e^(x − m) goes to out (rounded to float32).
 * EXACT takes the scalar code for the lanes expV leaves to it; the fast pass (EXACT false) has no
 * calls in its loop and returns NaN when some lane needed the scalar code.
 */
@inline function expSum32(EXACT: bool, STORE: bool, x: usize, out: usize, n: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let s: f64 = 0;
  let bad = i64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const lo = f64x2.sub(f64x2.promote_low_f32x4(v), mv);
    const hi = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), mv);
    let elo: v128, ehi: v128;
    if (EXACT) {
      elo = expExact(lo);
      ehi = expExact(hi);
    } else {
      bad = v128.or(bad, v128.or(expOdd(lo), expOdd(hi)));
      elo = expV(lo);
      ehi = expV(hi);
    }
    s += f64x2.extract_lane(elo, 0);
    s += f64x2.extract_lane(elo, 1);
    s += f64x2.extract_lane(ehi, 0);
    s += f64x2.extract_lane(ehi, 1);
    if (STORE) v128.store(out + p, pack32(elo, ehi));
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    const e = expScalar(<f64>load<f32>(x + p) - m);
    s += e;
    if (STORE) store<f32>(out + p, <f32>e);
  }
  return v128.any_true(bad) ? NaN : s;
}

@inline function expSum64(EXACT: bool, STORE: bool, x: usize, out: usize, n: i32, m: f64): f64 {
  const mv = f64x2.splat(m);
  let s: f64 = 0;
  let bad = i64x2.splat(0);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const p = (<usize>j) << 3;
    const d = f64x2.sub(v128.load(x + p), mv);
    let e: v128;
    if (EXACT) {
      e = expExact(d);
    } else {
      bad = v128.or(bad, expOdd(d));
      e = expV(d);
    }
    s += f64x2.extract_lane(e, 0);
    s += f64x2.extract_lane(e, 1);
    if (STORE) v128.store(out + p, e);
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 3;
    const e = expScalar(load<f64>(x + p) - m);
    s += e;
    if (STORE) store<f64>(out + p, e);
  }
  return v128.any_true(bad) ? NaN : s;
}

// A NaN sum from the fast pass is ambiguous (a NaN input gives one too), so rows with a NaN sum are
// simply recomputed by the exact pass, which is right either way.
function sum32Store(x: usize, out: usize, n: i32, m: f64): f64 {
  const s = expSum32(false, true, x, out, n, m);
  return s == s ? s : expSum32(true, true, x, out, n, m);
}
function sum32NoStore(x: usize, out: usize, n: i32, m: f64): f64 {
  const s = expSum32(false, false, x, out, n, m);
  return s == s ? s : expSum32(true, false, x, out, n, m);
}
function sum64Store(x: usize, out: usize, n: i32, m: f64): f64 {
  const s = expSum64(false, true, x, out, n, m);
  return s == s ? s : expSum64(true, true, x, out, n, m);
}
function sum64NoStore(x: usize, out: usize, n: i32, m: f64): f64 {
  const s = expSum64(false, false, x, out, n, m);
  return s == s ? s : expSum64(true, false, x, out, n, m);
}

/** out = out · r, rounding each product to float32 (the JS `out[k] *= r` on a Float32Array). */
@inline function scale32(out: usize, n: i32, r: f64): void {
  const rv = f64x2.splat(r);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(out + p);
    const lo = f64x2.mul(f64x2.promote_low_f32x4(v), rv);
    const hi = f64x2.mul(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), rv);
    v128.store(out + p, pack32(lo, hi));
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    store<f32>(out + p, <f32>(<f64>load<f32>(out + p) * r));
  }
}

@inline function scale64(out: usize, n: i32, r: f64): void {
  const rv = f64x2.splat(r);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const p = (<usize>j) << 3;
    v128.store(out + p, f64x2.mul(v128.load(out + p), rv));
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 3;
    store<f64>(out + p, load<f64>(out + p) * r);
  }
}

/** out = x − shift in float64, rounded to float32. */
@inline function shift32(x: usize, out: usize, n: i32, shift: f64): void {
  const sv = f64x2.splat(shift);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const lo = f64x2.sub(f64x2.promote_low_f32x4(v), sv);
    const hi = f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), sv);
    v128.store(out + p, pack32(lo, hi));
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    store<f32>(out + p, <f32>(<f64>load<f32>(x + p) - shift));
  }
}

@inline function shift64(x: usize, out: usize, n: i32, shift: f64): void {
  const sv = f64x2.splat(shift);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const p = (<usize>j) << 3;
    v128.store(out + p, f64x2.sub(v128.load(x + p), sv));
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 3;
    store<f64>(out + p, load<f64>(x + p) - shift);
  }
}

/**
 * Softmax (log = 0) or log-softmax (log = 1) of `rows` contiguous rows of n elements at byte
 * offsets x and out (which may not overlap). f64 = 1: float64, else float32.
 */
export function softmax(f64: i32, log: i32, x: usize, out: usize, rows: i32, n: i32): void {
  fillConstants();
  const esize: usize = f64 ? 8 : 4;
  const stride = (<usize>n) * esize;
  for (let i = 0; i < rows; i++) {
    if (f64) {
      const m = rowMax64(x, n);
      if (log) shift64(x, out, n, m + logScalar(sum64NoStore(x, out, n, m)));
      else scale64(out, n, 1 / sum64Store(x, out, n, m));
    } else {
      const m = rowMax32(x, n);
      if (log) shift32(x, out, n, m + logScalar(sum32NoStore(x, out, n, m)));
      else scale32(out, n, 1 / sum32Store(x, out, n, m));
    }
    x += stride;
    out += stride;
  }
}
