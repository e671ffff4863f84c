// Fast float32 math (opt-in, `setMathMode("fast")`): exp, log, tanh, sigmoid and erf four float32 lanes
// at a time (f32x4), after Cephes' expf/logf/tanhf (Stephen L. Moshier, 1984–2000: Cody–Waite range
// reduction, minimax polynomials). Multiply-adds fuse in the relaxed-SIMD build of the module (used
// where the runtime accepts it, as the gemm's), else run as mul + add.
// Unlike math.ts these are NOT the JavaScript results bit for bit; their measured maximum errors
// against Math.fround(Math.<op>(x)) are stated in docs/gemm.md and checked by
// packages/tensor/test/fast-math.test.ts. Special values come out exactly: NaN → NaN, exp(±∞) = ∞/0,
// exp overflow → +∞ (x > 88.7228317, the largest float32 whose exp rounds finite), exp underflow
// through the subnormals to +0; log(±0) = −∞, log(x < 0) = NaN, log(∞) = ∞, subnormal inputs
// scaled; tanh(±0) = ±0, tanh(±∞) = ±1; sigmoid(−∞) = 0, sigmoid(∞) = 1.
import { fastTable } from "./math";

// Slots of the constant table (16 bytes each; see fillFastConstants).
const LOG2E: usize = 0;
const MAGIC: usize = 1; // 1.5 · 2^23: adding it rounds a float32 of magnitude < 2^22 to an integer
const C1: usize = 2; // ln 2 = C1 − C2, C1 with 9 significant bits so k·C1 is exact
const C2: usize = 3;
const EP0: usize = 4; // six exp coefficients, 4…9
const ONE: usize = 10;
const HALF: usize = 11;
const EXP_HI: usize = 12;
const EXP_LO: usize = 13;
const INF: usize = 14;
const I127: usize = 15;
const SQRTHF: usize = 16;
const LP0: usize = 17; // nine log coefficients, 17…25
const MIN_NORMAL: usize = 26;
const TWO23: usize = 27;
const IM23: usize = 28;
const MANT: usize = 29;
const HALF_BITS: usize = 30;
const I126: usize = 31;
const NEG_INF: usize = 32;
const NAN: usize = 33;
const TANH_SMALL: usize = 34;
const TP0: usize = 35; // five tanh coefficients, 35…39
const TWO: usize = 40;
const SIGN: usize = 41;
const ABS: usize = 42;
const ZERO: usize = 43;
const NEG_ZERO_INF: usize = 44;
const KBIAS: usize = 45;
const I64: usize = 46;
const I63: usize = 47;
const FOUR: usize = 48;
const SPLIT: usize = 49; // 4097 = 2^12 + 1: Veltkamp's split of a float32 into two 12-bit halves
const EA0: usize = 50; // seven erf coefficients for |x| < 1, 50…56 (highest degree first)
const EB0: usize = 57; // ten erfc·e^(x²) coefficients in 1/x for 1 ≤ |x| ≤ 4, 57…66 (highest first)
// 67 slots · 16 = 1072 bytes ≤ FAST_TABLE_BYTES (math.ts).

/** A constant of the table, one load (V8 rebuilds a v128.const from immediates on every use). */
@inline function F(slot: usize): v128 { return v128.load(fastTable() + (slot << 4)); }

@inline function put(slot: usize, v: v128): void { v128.store(fastTable() + (slot << 4), v); }

/** Writes the table; every entry point calls it before its loop. */
export function fillFastConstants(): void {
  put(LOG2E, f32x4.splat(1.44269504088896341));
  put(MAGIC, f32x4.splat(12582912.0));
  put(C1, f32x4.splat(0.693359375));
  put(C2, f32x4.splat(-2.12194440e-4));
  put(EP0, f32x4.splat(1.9875691500e-4));
  put(EP0 + 1, f32x4.splat(1.3981999507e-3));
  put(EP0 + 2, f32x4.splat(8.3334519073e-3));
  put(EP0 + 3, f32x4.splat(4.1665795894e-2));
  put(EP0 + 4, f32x4.splat(1.6666665459e-1));
  put(EP0 + 5, f32x4.splat(5.0000001201e-1));
  put(ONE, f32x4.splat(1));
  put(HALF, f32x4.splat(0.5));
  put(EXP_HI, f32x4.splat(89));
  put(EXP_LO, f32x4.splat(-104));
  put(INF, f32x4.splat(Infinity));
  put(I127, i32x4.splat(127));
  put(SQRTHF, f32x4.splat(0.707106781186547524));
  put(LP0, f32x4.splat(7.0376836292e-2));
  put(LP0 + 1, f32x4.splat(-1.1514610310e-1));
  put(LP0 + 2, f32x4.splat(1.1676998740e-1));
  put(LP0 + 3, f32x4.splat(-1.2420140846e-1));
  put(LP0 + 4, f32x4.splat(1.4249322787e-1));
  put(LP0 + 5, f32x4.splat(-1.6668057665e-1));
  put(LP0 + 6, f32x4.splat(2.0000714765e-1));
  put(LP0 + 7, f32x4.splat(-2.4999993993e-1));
  put(LP0 + 8, f32x4.splat(3.3333331174e-1));
  put(MIN_NORMAL, i32x4.splat(0x00800000));
  put(TWO23, f32x4.splat(8388608.0));
  put(IM23, i32x4.splat(-23));
  put(MANT, i32x4.splat(0x007FFFFF));
  put(HALF_BITS, i32x4.splat(0x3F000000));
  put(I126, i32x4.splat(126));
  put(NEG_INF, f32x4.splat(-Infinity));
  put(NAN, i32x4.splat(0x7FC00000));
  put(TANH_SMALL, f32x4.splat(0.625));
  put(TP0, f32x4.splat(-5.70498872745e-3));
  put(TP0 + 1, f32x4.splat(2.06390887954e-2));
  put(TP0 + 2, f32x4.splat(-5.37397155531e-2));
  put(TP0 + 3, f32x4.splat(1.33314422036e-1));
  put(TP0 + 4, f32x4.splat(-3.33332819422e-1));
  put(TWO, f32x4.splat(2));
  put(SIGN, i32x4.splat(0x80000000));
  put(ABS, i32x4.splat(0x7FFFFFFF));
  put(ZERO, i32x4.splat(0));
  put(NEG_ZERO_INF, f32x4.splat(-Infinity));
  put(KBIAS, i32x4.splat(127 - 0x4B400000)); // 0x4B400000: the bits of 1.5 · 2^23
  put(I64, i32x4.splat(64));
  put(I63, i32x4.splat(63));
  put(FOUR, f32x4.splat(4));
  put(SPLIT, f32x4.splat(4097));
  // erf x = x + x·q(x²) on |x| < 1 and erf x = 1 − e^(−x²)·r(1/x) on 1 ≤ |x| ≤ 4: least-squares fits on
  // Chebyshev nodes (relative error 1.4e-9 and 3.1e-8 in float64) of erf(x)/x − 1 in x² and of
  // erfc(x)·e^(x²) in 1/x, coefficients rounded to float32.
  put(EA0, f32x4.splat(7.882500358e-05));
  put(EA0 + 1, f32x4.splat(-8.018859080e-04));
  put(EA0 + 2, f32x4.splat(5.189312622e-03));
  put(EA0 + 3, f32x4.splat(-2.685432881e-02));
  put(EA0 + 4, f32x4.splat(1.128359735e-01));
  put(EA0 + 5, f32x4.splat(-3.761262596e-01));
  put(EA0 + 6, f32x4.splat(1.283791661e-01));
  put(EB0, f32x4.splat(2.602572367e-02));
  put(EB0 + 1, f32x4.splat(-1.535018981e-01));
  put(EB0 + 2, f32x4.splat(3.745980263e-01));
  put(EB0 + 3, f32x4.splat(-4.490048289e-01));
  put(EB0 + 4, f32x4.splat(1.622374803e-01));
  put(EB0 + 5, f32x4.splat(2.730871141e-01));
  put(EB0 + 6, f32x4.splat(-3.913706243e-01));
  put(EB0 + 7, f32x4.splat(2.404867113e-02));
  put(EB0 + 8, f32x4.splat(5.613180399e-01));
  put(EB0 + 9, f32x4.splat(1.458936458e-04));
}

/** a·b + c: one fused multiply-add in the relaxed-SIMD build, mul then add in the plain one. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * e^(x + err) for |err| ≪ 1 (a correction of x's own rounding, 0 for plain exp): x clamped to
 * [−104, 89], k = nearest(x/ln 2) by the 1.5·2^23 trick, r = x − k·ln 2 in two parts plus err,
 * Cephes' degree-7 polynomial, then 2^k applied as two normal factors so that k from −150 to 128
 * needs no special case: the last product rounds once into the subnormals or to 0, or overflows to
 * +∞ (for every x > 88.7228317, the largest float32 whose exp rounds finite). pmin/pmax keep a NaN
 * x (their comparison is false), which then stays NaN through every operation.
 */
@inline export function expF(x0: v128, err: v128): v128 {
  const x = f32x4.pmax(f32x4.pmin(x0, F(EXP_HI)), F(EXP_LO));
  const t = madd(x, F(LOG2E), F(MAGIC));
  const fk = f32x4.sub(t, F(MAGIC));
  let r = f32x4.sub(x, f32x4.mul(fk, F(C1)));
  r = f32x4.add(f32x4.sub(r, f32x4.mul(fk, F(C2))), err);
  const z = f32x4.mul(r, r);
  let y = F(EP0);
  y = madd(y, r, F(EP0 + 1));
  y = madd(y, r, F(EP0 + 2));
  y = madd(y, r, F(EP0 + 3));
  y = madd(y, r, F(EP0 + 4));
  y = madd(y, r, F(EP0 + 5));
  y = f32x4.add(madd(y, z, r), F(ONE));
  // t's bits are MAGIC's plus k, so kb = k + 127 is one integer add; 2^k = 2^(h − 63) · 2^(kb − h − 64).
  const kb = i32x4.add(t, F(KBIAS)); // k + 127
  const h = i32x4.shr_s(kb, 1); // ⌊(k + 127)/2⌋: both factors 2^(h − 63) and 2^(kb − h − 64) are normal
  y = f32x4.mul(y, i32x4.shl(i32x4.add(h, F(I64)), 23));
  return f32x4.mul(y, i32x4.shl(i32x4.add(i32x4.sub(kb, h), F(I63)), 23));
}

/**
 * log x: x = 2^e·m with m in [√½, √2) (subnormals first scaled by 2^23), log(1 + f) for f = m − 1 by
 * Cephes' degree-9 polynomial, e·ln 2 added in two parts. Lanes outside (0, ∞) take −∞ (±0), ∞ or NaN.
 */
@inline export function logF(x: v128): v128 {
  const sub = i32x4.lt_s(x, F(MIN_NORMAL)); // bits below the smallest normal: subnormal (or ≤ 0)
  const xs = v128.bitselect(f32x4.mul(x, F(TWO23)), x, sub);
  let e = i32x4.add(i32x4.sub(i32x4.shr_u(xs, 23), F(I126)), v128.and(sub, F(IM23)));
  let m = v128.or(v128.and(xs, F(MANT)), F(HALF_BITS)); // [0.5, 1)
  const low = f32x4.lt(m, F(SQRTHF));
  e = i32x4.add(e, low); // −1 where m < √½ (then f = 2m − 1, exact)
  m = f32x4.add(f32x4.sub(m, F(ONE)), v128.and(m, low));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let y = F(LP0);
  for (let i: usize = 1; i < 9; i++) y = madd(y, m, F(LP0 + i));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = madd(fe, F(C2), y);
  y = f32x4.sub(y, f32x4.mul(z, F(HALF)));
  let r = f32x4.add(m, y);
  r = madd(fe, F(C1), r);
  const ok = v128.and(f32x4.gt(x, F(ZERO)), f32x4.lt(x, F(INF)));
  const special = v128.bitselect(F(NEG_INF), v128.bitselect(F(INF), F(NAN), f32x4.eq(x, F(INF))), f32x4.eq(x, F(ZERO)));
  return v128.bitselect(r, special, ok);
}

/**
 * tanh x = sign(x)·t(|x|): t(a) = a + a·z·P(z), z = a², for a < 0.625 (Cephes), else
 * 1 − 2/(e^(2a) + 1) (which is 1 once e^(2a) overflows). The sign is put back with an OR, so ±0
 * keep theirs.
 */
@inline export function tanhF(x: v128): v128 {
  const a = v128.and(x, F(ABS));
  const z = f32x4.mul(a, a);
  let p = F(TP0);
  for (let i: usize = 1; i < 5; i++) p = madd(p, z, F(TP0 + i));
  const small = madd(a, f32x4.mul(p, z), a);
  const e = expF(f32x4.add(a, a), F(ZERO));
  const big = f32x4.sub(F(ONE), f32x4.div(F(TWO), f32x4.add(e, F(ONE))));
  return v128.or(v128.bitselect(small, big, f32x4.lt(a, F(TANH_SMALL))), v128.and(x, F(SIGN)));
}

/** sigmoid x = 1/(1 + t) for x ≥ 0, t/(1 + t) below, t = e^−|x| (no overflow, subnormal tails kept). */
@inline export function sigmoidF(x: v128): v128 {
  const t = expF(v128.or(x, F(SIGN)), F(ZERO)); // e^−|x|
  const num = v128.bitselect(F(ONE), t, f32x4.ge(x, F(ZERO)));
  return f32x4.div(num, f32x4.add(F(ONE), t));
}

/**
 * erf x = sign(x)·e(|x|): e(a) = a + a·q(a²) for a < 1; else 1 − e^(−a²)·r(1/a) with a clamped to 4
 * (erf rounds to 1 from 3.92 on), where e^(−a²) takes a² with its rounding error (Veltkamp's split:
 * a·a − fl(a·a) exactly), so the exponent is not off by a half ulp of a². NaN stays NaN (the clamp
 * and every operation keep it), ±0 and ±∞ give ±0 and ±1.
 */
@inline export function erfF(x: v128): v128 {
  const a = v128.and(x, F(ABS));
  const z = f32x4.mul(a, a);
  let q = F(EA0);
  for (let i: usize = 1; i < 7; i++) q = madd(q, z, F(EA0 + i));
  const small = f32x4.add(a, f32x4.mul(a, q));
  const c = f32x4.pmin(a, F(FOUR));
  const cs = f32x4.mul(c, F(SPLIT));
  const hi = f32x4.sub(cs, f32x4.sub(cs, c));
  const lo = f32x4.sub(c, hi);
  const c2 = f32x4.mul(c, c);
  // c·c − c2, exactly: (hi·hi − c2) + 2·hi·lo + lo·lo.
  const c2err = f32x4.add(f32x4.add(f32x4.sub(f32x4.mul(hi, hi), c2), f32x4.mul(f32x4.add(hi, hi), lo)), f32x4.mul(lo, lo));
  const e = expF(v128.xor(c2, F(SIGN)), v128.xor(c2err, F(SIGN)));
  const t = f32x4.div(F(ONE), c);
  let r = F(EB0);
  for (let i: usize = 1; i < 10; i++) r = madd(r, t, F(EB0 + i));
  const big = f32x4.sub(F(ONE), f32x4.mul(e, r));
  return v128.or(v128.bitselect(small, big, f32x4.lt(a, F(ONE))), v128.and(x, F(SIGN)));
}

@inline function op32(op: i32, v: v128): v128 {
  if (op == 0) return expF(v, F(ZERO));
  if (op == 1) return logF(v);
  if (op == 2) return tanhF(v);
  if (op == 8) return erfF(v);
  return sigmoidF(v);
}

@inline function run(op: i32, x: usize, out: usize, n: i32): void {
  let j = 0;
  for (; j + 16 <= n; j += 16) { // four independent vectors per step: the polynomials' chains overlap
    const p = (<usize>j) << 2;
    const a = op32(op, v128.load(x + p));
    const b = op32(op, v128.load(x + p, 16));
    const c = op32(op, v128.load(x + p, 32));
    const d = op32(op, v128.load(x + p, 48));
    v128.store(out + p, a);
    v128.store(out + p, b, 16);
    v128.store(out + p, c, 32);
    v128.store(out + p, d, 48);
  }
  for (; j < n; j += 4) {
    const p = (<usize>j) << 2;
    v128.store(out + p, op32(op, v128.load(x + p)));
  }
}

function exp32(x: usize, out: usize, n: i32): void { run(0, x, out, n); }
function log32(x: usize, out: usize, n: i32): void { run(1, x, out, n); }
function tanh32(x: usize, out: usize, n: i32): void { run(2, x, out, n); }
function sigmoid32(x: usize, out: usize, n: i32): void { run(3, x, out, n); }
function erf32(x: usize, out: usize, n: i32): void { run(8, x, out, n); }

/**
 * out = f(x) for n float32 elements at byte offsets x and out, n rounded up to whole vectors (the
 * buffers must have room). op: 0 exp, 1 log, 2 tanh, 3 sigmoid (the numbering of `unary`), 8 erf
 * (fast mode only: the exact erf stays in JavaScript).
 */
export function fastUnary32(op: i32, x: usize, out: usize, n: i32): void {
  fillFastConstants();
  if (op == 0) exp32(x, out, n);
  else if (op == 1) log32(x, out, n);
  else if (op == 2) tanh32(x, out, n);
  else if (op == 8) erf32(x, out, n);
  else sigmoid32(x, out, n);
}

// ---- softmax ----

/** The exact kernel's running maximum, `v > m || v !== v ? v : m` (NaN wins). */
@inline function maxStep(m: v128, v: v128): v128 { return v128.bitselect(v, m, v128.or(f32x4.gt(v, m), f32x4.ne(v, v))); }
@inline function maxScalar(m: f32, v: f32): f32 { return v > m || v != v ? v : m; }

@inline function rowMax(x: usize, n: i32): f32 {
  let m0 = F(NEG_ZERO_INF), m1 = F(NEG_ZERO_INF);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = x + ((<usize>j) << 2);
    m0 = maxStep(m0, v128.load(p));
    m1 = maxStep(m1, v128.load(p, 16));
  }
  for (; j + 4 <= n; j += 4) m0 = maxStep(m0, v128.load(x + ((<usize>j) << 2)));
  const mv = maxStep(m0, m1);
  let m: f32 = -Infinity;
  m = maxScalar(m, f32x4.extract_lane(mv, 0));
  m = maxScalar(m, f32x4.extract_lane(mv, 1));
  m = maxScalar(m, f32x4.extract_lane(mv, 2));
  m = maxScalar(m, f32x4.extract_lane(mv, 3));
  for (; j < n; j++) m = maxScalar(m, load<f32>(x + ((<usize>j) << 2)));
  return m;
}

/** The ≤ 3 elements from x on as a vector, the other lanes −∞ (e^−∞ = 0 adds nothing to a sum). */
@inline function loadTail(x: usize, count: i32): v128 {
  let v = F(NEG_INF);
  v = f32x4.replace_lane(v, 0, load<f32>(x));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(x, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(x, 8));
  return v;
}

@inline function storeTail(out: usize, v: v128, count: i32): void {
  store<f32>(out, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(out, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(out, f32x4.extract_lane(v, 2), 8);
}

/**
 * d = v − m rounded to float32 and its rounding error (Knuth's TwoSum, exact), the error set to 0
 * where it is not finite (v = −∞, a masked logit: d = −∞ and e^d = 0 regardless).
 */
@inline function diff(v: v128, negM: v128): v128 { return f32x4.add(v, negM); }
@inline function diffErr(v: v128, negM: v128, d: v128): v128 {
  const bb = f32x4.sub(d, v);
  const err = f32x4.add(f32x4.sub(v, f32x4.sub(d, bb)), f32x4.sub(negM, bb));
  return v128.and(err, f32x4.eq(err, err));
}

@inline function addF64(acc: v128, e: v128): v128 {
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(i64x2.shuffle(e, e, 1, 0))));
}

/**
 * One row: s = Σ e^(x − m) with the exponentials from expF (x − m corrected by its rounding
 * error) summed in float64 lanes (so s carries only the exponentials' errors); softmax stores
 * e^(x − m) and scales it by float32(1/s), log-softmax writes ((x − m) − float32(log s)) + err.
 */
@inline function row(LOG: bool, x: usize, out: usize, n: i32): void {
  const m = rowMax(x, n);
  const negM = f32x4.splat(-m);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) { // four independent exponentials per step: their chains overlap
    const p = (<usize>j) << 2;
    const v0 = v128.load(x + p), v1 = v128.load(x + p, 16), v2 = v128.load(x + p, 32), v3 = v128.load(x + p, 48);
    const d0 = diff(v0, negM), d1 = diff(v1, negM), d2 = diff(v2, negM), d3 = diff(v3, negM);
    const e0 = expF(d0, diffErr(v0, negM, d0));
    const e1 = expF(d1, diffErr(v1, negM, d1));
    const e2 = expF(d2, diffErr(v2, negM, d2));
    const e3 = expF(d3, diffErr(v3, negM, d3));
    s0 = addF64(addF64(s0, e0), e2);
    s1 = addF64(addF64(s1, e1), e3);
    if (!LOG) {
      v128.store(out + p, e0);
      v128.store(out + p, e1, 16);
      v128.store(out + p, e2, 32);
      v128.store(out + p, e3, 48);
    }
  }
  for (; j < n; j += 4) {
    const p = (<usize>j) << 2;
    const count = min(4, n - j);
    const v = count == 4 ? v128.load(x + p) : loadTail(x + p, count);
    const d = diff(v, negM);
    const e = expF(d, diffErr(v, negM, d));
    s0 = addF64(s0, e);
    if (!LOG) {
      if (count == 4) v128.store(out + p, e);
      else storeTail(out + p, e, count);
    }
  }
  const s = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s1, 0) + (f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 1));
  if (LOG) {
    const L = f32x4.splat(<f32>Math.log(s));
    for (j = 0; j < n; j += 4) {
      const p = (<usize>j) << 2;
      const count = min(4, n - j);
      const v = count == 4 ? v128.load(x + p) : loadTail(x + p, count);
      const d = diff(v, negM);
      const y = f32x4.add(f32x4.sub(d, L), diffErr(v, negM, d));
      if (count == 4) v128.store(out + p, y);
      else storeTail(out + p, y, count);
    }
  } else {
    const r = f32x4.splat(<f32>(1 / s));
    j = 0;
    for (; j + 4 <= n; j += 4) {
      const p = (<usize>j) << 2;
      v128.store(out + p, f32x4.mul(v128.load(out + p), r));
    }
    const rs = f32x4.extract_lane(r, 0);
    for (; j < n; j++) {
      const p = (<usize>j) << 2;
      store<f32>(out + p, load<f32>(out + p) * rs);
    }
  }
}

/**
 * Softmax (log = 0) or log-softmax (log = 1) of `rows` contiguous float32 rows of n elements at
 * byte offsets x and out (not overlapping), in fast mode. A row holding NaN or +∞, or only −∞,
 * comes out NaN, as in the exact kernel.
 */
export function fastSoftmax32(log: i32, x: usize, out: usize, rows: i32, n: i32): void {
  fillFastConstants();
  const stride = (<usize>n) << 2;
  for (let i = 0; i < rows; i++) {
    if (log) row(true, x, out, n);
    else row(false, x, out, n);
    x += stride;
    out += stride;
  }
}
