// Softmax and log-softmax along the last axis, bit-identical to the JavaScript kernel in
// packages/tensor/src/backend/cpu/softmax.ts, which for each row computes in float64:
//   m = max (NaN if any element is NaN), s = Σ e^(x − m) summed left to right, then
//   softmax: out = e^(x − m) stored (rounded to the array's type), then out · (1/s);
//   log-softmax: out = x − (m + log s).
// The exponentials run two float64 lanes at a time (math.ts, bit for bit Math.exp); the sum stays a
// sequential float64 sum in element order, since any other order would change its rounding.
// Which of +0/−0 the maximum is does not matter: e^(±0) = 1 and m + log s is the same for both.
import { EXPB_DELTA, expBoundedV, expOdd, expScalar, expV, fillConstants, fixLanes, logScalar } from "./math";

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

// float32 rows take a faster path that still gives exactly the JS loop's results (fastRow32):
// e^(x − m) from expBoundedV (relative error < δ = EXPB_DELTA, no division) summed in four float64
// lanes. With u = 2^-53, S = Σ e_k the exact sum of the JS loop's exponentials e_k, F this sum and
// seq the JS loop's sequential sum (all terms ≥ 0, so every partial sum is ≤ the total):
//   |seq − S| ≤ γ(n − 1)·S,   |F − S| ≤ δ·S + γ(n/4 + 6)·(1 + δ)·S + n·1e-304,   γ(k) = k·u/(1 − k·u),
// so seq lies in [F − T, F + T] with T = F·((1.25n + 16)·u + δ)·1.01 + n·1e-304 (S ≤ F·1.0001).
// seq ≥ 1 also holds: the maximum's term is e^0 = 1 exactly and adding terms ≥ 0 never rounds
// below it. Rounding is monotone, so 1/seq lies between r₋ = 1/(F + T) and r₊ = 1/max(F − T, 1),
// and log(seq) between log(max(F − T, 1)) and log(F + T) widened by 4 ulps each (fdlibm's log is
// within 1 ulp). The stored float32 e^(x − m) is round(e'), checked equal to the rounding of
// e'·(1 ± 2δ); the outputs round(e·r) (softmax) or round(x − (m + log s)) (log) are computed at
// both ends of the interval and must agree. Where any check fails (a float32 rounding boundary
// inside the interval: about 1 row in 300 at n = 1024), or the row holds NaN or ±∞ (F not
// finite), the row is recomputed by the exact path above, sequential sum and all.

/** Rounds each lane's float64 product a·r to float32 for the four float32 lanes of v. */
@inline function mul32(v: v128, r: v128): v128 {
  return pack32(f64x2.mul(f64x2.promote_low_f32x4(v), r), f64x2.mul(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), r));
}
@inline function sub32(v: v128, s: v128): v128 {
  return pack32(f64x2.sub(f64x2.promote_low_f32x4(v), s), f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), s));
}

/** x stepped k representable doubles towards +∞ (k > 0) or −∞ (k < 0); x finite and > 0. */
@inline function stepUlps(x: f64, k: i64): f64 { return reinterpret<f64>(reinterpret<i64>(x) + k); }

const U: f64 = 1.1102230246251565e-16;

/**
 * One float32 row by the bounded path; false when it cannot show the result equals the JS loop's
 * (out then holds garbage and the caller recomputes the row exactly). n ≥ 4.
 */
function fastRow32(log: i32, x: usize, out: usize, n: i32, m: f64): bool {
  const mv = f64x2.splat(m);
  const lo = f64x2.splat(1 - 2 * EXPB_DELTA);
  const hi = f64x2.splat(1 + 2 * EXPB_DELTA);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let bad = i64x2.splat(0);
  let j = 0;
  // Two vectors per step: their exponentials' chains overlap. Each of the four lane sums still adds
  // n/4 terms, so the bound above holds (it does not depend on the order of the terms).
  for (; j + 8 <= n; j += 8) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const w = v128.load(x + p, 16);
    const e0 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(v), mv));
    const e1 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), mv));
    const e2 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(w), mv));
    const e3 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(w, w, 1, 0)), mv));
    s0 = f64x2.add(f64x2.add(s0, e0), e2);
    s1 = f64x2.add(f64x2.add(s1, e1), e3);
    if (!log) {
      v128.store(out + p, pack32(e0, e1));
      v128.store(out + p, pack32(e2, e3), 16);
      const below = pack32(f64x2.mul(e0, lo), f64x2.mul(e1, lo));
      const above = pack32(f64x2.mul(e0, hi), f64x2.mul(e1, hi));
      const below2 = pack32(f64x2.mul(e2, lo), f64x2.mul(e3, lo));
      const above2 = pack32(f64x2.mul(e2, hi), f64x2.mul(e3, hi));
      bad = v128.or(bad, v128.or(i32x4.ne(below, above), i32x4.ne(below2, above2)));
    }
  }
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const e0 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(v), mv));
    const e1 = expBoundedV(f64x2.sub(f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), mv));
    s0 = f64x2.add(s0, e0);
    s1 = f64x2.add(s1, e1);
    if (!log) {
      v128.store(out + p, pack32(e0, e1));
      const below = pack32(f64x2.mul(e0, lo), f64x2.mul(e1, lo));
      const above = pack32(f64x2.mul(e0, hi), f64x2.mul(e1, hi));
      bad = v128.or(bad, i32x4.ne(below, above));
    }
  }
  let F = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1));
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    const e = expScalar(<f64>load<f32>(x + p) - m); // exact, so the bound covers it
    F += e;
    if (!log) store<f32>(out + p, <f32>e);
  }
  if (v128.any_true(bad) || !(F < Infinity)) return false; // also NaN
  const T = F * ((1.25 * <f64>n + 16) * U + EXPB_DELTA) * 1.01 + <f64>n * 1e-304;
  const sLo = max(F - T, 1.0);
  const sHi = F + T;
  if (log) {
    const shLo = f64x2.splat(m + stepUlps(logScalar(sLo), -4)); // logScalar(sLo) ≥ 0
    const shHi = f64x2.splat(m + stepUlps(logScalar(sHi), 4));
    for (j = 0; j + 4 <= n; j += 4) {
      const p = (<usize>j) << 2;
      const v = v128.load(x + p);
      const a = sub32(v, shLo);
      bad = v128.or(bad, i32x4.ne(a, sub32(v, shHi)));
      v128.store(out + p, a);
    }
    const sl = m + stepUlps(logScalar(sLo), -4);
    const sh = m + stepUlps(logScalar(sHi), 4);
    for (; j < n; j++) {
      const p = (<usize>j) << 2;
      const v = <f64>load<f32>(x + p);
      const a = <f32>(v - sl);
      if (a != <f32>(v - sh)) return false;
      store<f32>(out + p, a);
    }
  } else {
    const rLo = f64x2.splat(1 / sHi);
    const rHi = f64x2.splat(1 / sLo);
    for (j = 0; j + 4 <= n; j += 4) {
      const p = (<usize>j) << 2;
      const v = v128.load(out + p);
      const a = mul32(v, rLo);
      bad = v128.or(bad, i32x4.ne(a, mul32(v, rHi)));
      v128.store(out + p, a);
    }
    const rl = 1 / sHi;
    const rh = 1 / sLo;
    for (; j < n; j++) {
      const p = (<usize>j) << 2;
      const v = <f64>load<f32>(out + p);
      const a = <f32>(v * rl);
      if (a != <f32>(v * rh)) return false;
      store<f32>(out + p, a);
    }
  }
  return !v128.any_true(bad);
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
      if (n >= 4 && fastRow32(log, x, out, n, m)) {
        // done: equal to the JS loop's row (see fastRow32)
      } else if (log) shift32(x, out, n, m + logScalar(sum32NoStore(x, out, n, m)));
      else scale32(out, n, 1 / sum32Store(x, out, n, m));
    }
    x += stride;
    out += stride;
  }
}
