// Elementwise unary ops in wasm SIMD, bit-identical to the JavaScript kernels of
// packages/tensor/src/backend/cpu/elementwise.ts (which compute in float64 with Math.* and round
// to the array's type on the store):
// * exp, log, tanh, sigmoid: float64 lanes (f64x2) through math.ts, which reproduces V8's Math.exp,
//   Math.log and Math.tanh bit for bit; float32 inputs are widened exactly and the results rounded
//   once, as the JS store does.
// * sqrt, abs, neg, relu: one IEEE operation or a sign/select, so float32 uses f32x4 directly
//   (sqrt: float64 sqrt rounded to float32 equals the float32 sqrt, since 53 ≥ 2·24 + 2).
// Kernels process whole vectors: n is rounded up to 4 (float32) or 2 (float64) elements, so the
// buffers must have room for that; the extra lanes are scratch.
import { EXPB_DELTA, expBoundedV, expOdd, expV, fillConstants, fixLanes, logOdd, logV, sigmoidOdd, sigmoidV, tanhV } from "./math";

@inline function f64op(op: i32, x: v128): v128 {
  if (op == 0) return expV(x);
  if (op == 1) return logV(x);
  if (op == 2) return tanhV(x);
  if (op == 3) return sigmoidV(x);
  if (op == 4) return f64x2.sqrt(x);
  if (op == 5) return f64x2.abs(x);
  if (op == 6) return f64x2.neg(x);
  return v128.bitselect(f64x2.splat(0), x, f64x2.lt(x, f64x2.splat(0))); // relu: v < 0 ? 0 : v
}

/** Lanes where f64op is not exact and the scalar function must be used (none for most ops). */
@inline function odd(op: i32, x: v128): v128 {
  if (op == 0) return expOdd(x);
  if (op == 1) return logOdd(x);
  if (op == 3) return sigmoidOdd(x);
  return i64x2.splat(0);
}

/** The scalar op fixLanes applies for op (exp, log, logistic). */
@inline function scalarId(op: i32): i32 { return op == 0 ? 0 : op == 1 ? 1 : 3; }

/** f64op with the odd lanes recomputed by the scalar function. */
@inline function f64exact(op: i32, x: v128): v128 {
  const res = f64op(op, x);
  const m = odd(op, x);
  return v128.any_true(m) ? fixLanes(scalarId(op), x, res, m) : res;
}

/** True where the float32 op is one f32x4 operation with the float64 op's rounded result. */
@inline function native32(op: i32): bool { return op >= 4 && op <= 7; }

@inline function f32op(op: i32, x: v128): v128 {
  if (op == 4) return f32x4.sqrt(x);
  if (op == 5) return f32x4.abs(x);
  if (op == 6) return f32x4.neg(x);
  return v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0)));
}

@inline function pack32(lo: v128, hi: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

// The fast loop has no calls or branches (a call inside it makes V8 spill every register on each
// iteration): it only collects the lanes that need the scalar code, and if there were any, a
// second pass recomputes the whole buffer with them fixed.
@inline function run32(op: i32, x: usize, out: usize, n: i32): void {
  if (native32(op)) {
    for (let j = 0; j < n; j += 4) {
      const p = (<usize>j) << 2;
      v128.store(out + p, f32op(op, v128.load(x + p)));
    }
    return;
  }
  let bad = i64x2.splat(0);
  for (let j = 0; j < n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
    bad = v128.or(bad, v128.or(odd(op, lo), odd(op, hi)));
    v128.store(out + p, pack32(f64op(op, lo), f64op(op, hi)));
  }
  if (!v128.any_true(bad)) return;
  for (let j = 0; j < n; j += 4) {
    const p = (<usize>j) << 2;
    const v = v128.load(x + p);
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
    v128.store(out + p, pack32(f64exact(op, lo), f64exact(op, hi)));
  }
}

@inline function run64(op: i32, x: usize, out: usize, n: i32): void {
  let bad = i64x2.splat(0);
  for (let j = 0; j < n; j += 2) {
    const p = (<usize>j) << 3;
    const v = v128.load(x + p);
    bad = v128.or(bad, odd(op, v));
    v128.store(out + p, f64op(op, v));
  }
  if (!v128.any_true(bad)) return;
  for (let j = 0; j < n; j += 2) {
    const p = (<usize>j) << 3;
    v128.store(out + p, f64exact(op, v128.load(x + p)));
  }
}

/**
 * float32 exp and sigmoid without fdlibm's division, with the same bits. e' = expBoundedV(x) has
 * relative error below δ = EXPB_DELTA and Math.exp is within an ulp of e^x, so the JS loop's exp lies
 * in e'·[1 − w, 1 + w] with w = 2δ; its sigmoid, 1/(1 + E) (x ≥ 0) or E/(1 + E) (x < 0) with
 * E = e^(−|x|), moves relatively by at most as much as E does (|d log s / d log E| ≤ 1) plus its own
 * two roundings, so w = 2δ + 1e-15 around the formula at e'. Where both ends round to the same
 * float32, that is the JS result (rounding is monotone). A block of 64 elements with a lane where
 * they do not (about one element in 10⁶), or outside the range the bound covers (NaN, ±∞,
 * underflow, overflow), is redone by the exact path.
 */
@inline function boundedValue(op: i32, x: v128, one: v128, zero: v128): v128 {
  if (op == 0) return expBoundedV(x);
  const e = expBoundedV(f64x2.neg(f64x2.abs(x)));
  return f64x2.div(v128.bitselect(one, e, f64x2.ge(x, zero)), f64x2.add(one, e));
}

/** Lanes inside the range the bound covers: [−100, 88] for exp (no overflow), |x| ≤ 100 for sigmoid. */
@inline function boundedRange(op: i32, v: v128): v128 {
  if (op == 0) return v128.and(f32x4.ge(v, f32x4.splat(-100)), f32x4.le(v, f32x4.splat(88)));
  return f32x4.le(f32x4.abs(v), f32x4.splat(100));
}

@inline function bounded32(op: i32, x: usize, out: usize, n: i32): void {
  const w = op == 0 ? 2 * EXPB_DELTA : 2 * EXPB_DELTA + 1e-15;
  const down = f64x2.splat(1 - w);
  const up = f64x2.splat(1 + w);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  for (let b = 0; b < n; b += 64) {
    const end = b + 64 < n ? b + 64 : n;
    let bad = i32x4.splat(0);
    for (let j = b; j < end; j += 4) {
      const p = (<usize>j) << 2;
      const v = v128.load(x + p);
      const y0 = boundedValue(op, f64x2.promote_low_f32x4(v), one, zero);
      const y1 = boundedValue(op, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)), one, zero);
      const below = pack32(f64x2.mul(y0, down), f64x2.mul(y1, down));
      const above = pack32(f64x2.mul(y0, up), f64x2.mul(y1, up));
      bad = v128.or(bad, v128.or(i32x4.ne(below, above), v128.not(boundedRange(op, v))));
      v128.store(out + p, below);
    }
    if (v128.any_true(bad)) {
      for (let j = b; j < end; j += 4) {
        const p = (<usize>j) << 2;
        const v = v128.load(x + p);
        v128.store(out + p, pack32(f64exact(op, f64x2.promote_low_f32x4(v)), f64exact(op, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)))));
      }
    }
  }
}

function exp32(x: usize, out: usize, n: i32): void { bounded32(0, x, out, n); }
function log32(x: usize, out: usize, n: i32): void { run32(1, x, out, n); }
function tanh32(x: usize, out: usize, n: i32): void { run32(2, x, out, n); }
function sigmoid32(x: usize, out: usize, n: i32): void { bounded32(3, x, out, n); }
function sqrt32(x: usize, out: usize, n: i32): void { run32(4, x, out, n); }
function abs32(x: usize, out: usize, n: i32): void { run32(5, x, out, n); }
function neg32(x: usize, out: usize, n: i32): void { run32(6, x, out, n); }
function relu32(x: usize, out: usize, n: i32): void { run32(7, x, out, n); }
function exp64(x: usize, out: usize, n: i32): void { run64(0, x, out, n); }
function log64(x: usize, out: usize, n: i32): void { run64(1, x, out, n); }
function tanh64(x: usize, out: usize, n: i32): void { run64(2, x, out, n); }
function sigmoid64(x: usize, out: usize, n: i32): void { run64(3, x, out, n); }
function sqrt64(x: usize, out: usize, n: i32): void { run64(4, x, out, n); }
function abs64(x: usize, out: usize, n: i32): void { run64(5, x, out, n); }
function neg64(x: usize, out: usize, n: i32): void { run64(6, x, out, n); }
function relu64(x: usize, out: usize, n: i32): void { run64(7, x, out, n); }

/**
 * out = f(x) for n elements at byte offsets x and out (n rounded up to whole vectors).
 * op: 0 exp, 1 log, 2 tanh, 3 sigmoid, 4 sqrt, 5 abs, 6 neg, 7 relu. f64 = 1: float64, else float32.
 */
export function unary(op: i32, f64: i32, x: usize, out: usize, n: i32): void {
  fillConstants();
  switch ((f64 << 4) | op) {
    case 0: exp32(x, out, n); break;
    case 1: log32(x, out, n); break;
    case 2: tanh32(x, out, n); break;
    case 3: sigmoid32(x, out, n); break;
    case 4: sqrt32(x, out, n); break;
    case 5: abs32(x, out, n); break;
    case 6: neg32(x, out, n); break;
    case 7: relu32(x, out, n); break;
    case 16: exp64(x, out, n); break;
    case 17: log64(x, out, n); break;
    case 18: tanh64(x, out, n); break;
    case 19: sigmoid64(x, out, n); break;
    case 20: sqrt64(x, out, n); break;
    case 21: abs64(x, out, n); break;
    case 22: neg64(x, out, n); break;
    case 23: relu64(x, out, n); break;
  }
}
