// exp, log, expm1, tanh and the logistic function in float64, two lanes at a time (f64x2), giving
// exactly what V8's Math.exp / Math.log / Math.tanh give: the algorithms of fdlibm (Sun Microsystems,
// 1993, "Permission to use, copy, modify, and distribute this software is freely granted, provided
// that this notice is preserved"), which V8 implements in src/base/ieee754.cc, with the same argument
// reduction, coefficients and order of operations. Branches of the scalar code become lane selects
// (every candidate formula is evaluated, the lane's own one kept); the rare lanes whose reduced
// exponent leaves the normal range (results near overflow or subnormal) and subnormal inputs of log
// are recomputed by the scalar functions below, which follow the scalar code line by line.
// Comparisons of fdlibm's high word against a constant H are comparisons of |x| against the double
// whose bits are H << 32 (for non-negative doubles, bit order is value order).

@inline function f64c(bits: u64): f64 { return reinterpret<f64>(bits); }
@inline function sel(ifTrue: v128, ifFalse: v128, mask: v128): v128 { return v128.bitselect(ifTrue, ifFalse, mask); }

// exp
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3FE62E42 FEE00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76
const INV_LN2: f64 = 1.44269504088896338700e+00; // 0x3FF71547 652B82FE
const EXP_P1: f64 = 1.66666666666666019037e-01;
const EXP_P2: f64 = -2.77777777770155933842e-03;
const EXP_P3: f64 = 6.61375632143793436117e-05;
const EXP_P4: f64 = -1.65339022054652515390e-06;
const EXP_P5: f64 = 4.13813679705723846039e-08;
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const E: f64 = 2.718281828459045;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const TWO_1023: f64 = 8.988465674311579539e307;
/** 1.5 · 2^52: adding a small integer-valued double puts the integer in the low mantissa bits. */
const MAGIC: f64 = 6755399441055744.0;

/** Scalar exp, fdlibm's e_exp.c as V8 has it. */
export function expScalar(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const xsb = <i32>(bits >> 63);
  const hx = <u32>(bits >> 32) & 0x7FFFFFFF;
  let hi: f64 = 0, lo: f64 = 0;
  let k: i32 = 0;
  if (hx >= 0x40862E42) {
    if (hx >= 0x7FF00000) {
      if (((hx & 0xFFFFF) | <u32>bits) != 0) return x + x;
      return xsb == 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0.0;
  }
  if (hx > 0x3FD62E42) {
    if (hx < 0x3FF0A2B2) {
      if (x == 1.0) return E;
      hi = x - (xsb == 0 ? LN2_HI : -LN2_HI);
      lo = xsb == 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3E300000) {
    return 1.0 + x;
  } else {
    k = 0;
  }
  const t = x * x;
  let twopk: f64;
  if (k >= -1021) twopk = reinterpret<f64>(<u64>(0x3FF + k) << 52);
  else twopk = reinterpret<f64>(<u64>(0x3FF + k + 1000) << 52);
  const c = x - t * (EXP_P1 + t * (EXP_P2 + t * (EXP_P3 + t * (EXP_P4 + t * EXP_P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO_1023;
    return y * twopk;
  }
  return y * twopk * TWO_M1000;
}

/**
 * exp of both lanes, bit for bit expScalar, except on the lanes of expOdd (NaN, and 708 ≤ |x| inside
 * the overflow/underflow thresholds, where 2^k may leave the normal range): callers check expOdd and
 * take expScalar for those.
 */
@inline export function expV(x: v128): v128 {
  const ax = f64x2.abs(x);
  // k = trunc(x/ln2 ± 0.5), which for 0.5·ln2 < |x| < 1.5·ln2 is fdlibm's k = ±1 too; below
  // (hx <= 0x3FD62E42, |x| < 0.3465735912...) fdlibm takes k = 0.
  const half = v128.or(K(S_HALF), v128.and(x, K(S_SIGN)));
  const kf = v128.andnot(f64x2.trunc(f64x2.add(f64x2.mul(K(S_INV_LN2), x), half)), f64x2.lt(ax, K(S_K0_BOUND)));
  // hi = x − k·ln2_hi and lo = k·ln2_lo are exactly fdlibm's hi/lo in all three ranges (for k = 0:
  // x and 0; for k = ±1: x ∓ ln2_hi and ±ln2_lo), so one formula serves.
  const hi = f64x2.sub(x, f64x2.mul(kf, K(S_LN2_HI)));
  const lo = f64x2.mul(kf, K(S_LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(K(S_EXP_P4), f64x2.mul(t, K(S_EXP_P5)));
  p = f64x2.add(K(S_EXP_P3), f64x2.mul(t, p));
  p = f64x2.add(K(S_EXP_P2), f64x2.mul(t, p));
  p = f64x2.add(K(S_EXP_P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  // k ≠ 0: 1 − ((lo − r·c/(2 − c)) − hi). For k = 0 fdlibm writes 1 − (r·c/(c − 2) − r); with lo = +0
  // and hi = r that is the same value: c − 2 = −(2 − c) exactly, so r·c/(c − 2) = −q = 0 − q (q ≠ 0).
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(K(S_TWO), c));
  const y = f64x2.sub(K(S_ONE), f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^k: k as an integer (the bits of k + 1.5·2^52 minus those of 1.5·2^52), moved into the exponent.
  const kInt = i64x2.sub(f64x2.add(kf, K(S_MAGIC)), K(S_MAGIC));
  let res = f64x2.mul(y, i64x2.shl(i64x2.add(kInt, K(S_BIAS)), 52));
  res = sel(f64x2.add(K(S_ONE), x), res, f64x2.lt(ax, K(S_TINY28))); // |x| < 2^-28: 1 + x
  res = sel(K(S_E), res, f64x2.eq(x, K(S_ONE))); // fdlibm returns e itself for x = 1
  res = sel(K(S_INF), res, f64x2.gt(x, K(S_O_THRESHOLD)));
  return v128.andnot(res, f64x2.lt(x, K(S_U_THRESHOLD))); // +0 below the underflow threshold
}

/** The lanes where expV differs from expScalar: NaN, and 708 ≤ |x| within the thresholds. */
@inline export function expOdd(x: v128): v128 {
  const inside = v128.and(f64x2.le(x, K(S_O_THRESHOLD)), f64x2.ge(x, K(S_U_THRESHOLD)));
  return v128.or(v128.and(inside, f64x2.ge(f64x2.abs(x), K(S_EXP_RARE))), f64x2.ne(x, x));
}

/** Replaces the lanes of `mask` by the scalar op (kept out of line: it is rare). */
export function fixLanes(op: i32, x: v128, res: v128, mask: v128): v128 {
  if (i64x2.extract_lane(mask, 0) != 0) res = f64x2.replace_lane(res, 0, scalarOp(op, f64x2.extract_lane(x, 0)));
  if (i64x2.extract_lane(mask, 1) != 0) res = f64x2.replace_lane(res, 1, scalarOp(op, f64x2.extract_lane(x, 1)));
  return res;
}

/** The scalar op behind fixLanes: 0 exp, 1 log, 3 logistic. */
function scalarOp(op: i32, x: f64): f64 {
  if (op == 0) return expScalar(x);
  if (op == 1) return logScalar(x);
  return sigmoidScalar(x);
}

/** The CPU kernel's logistic function, as elementwise.ts writes it. */
export function sigmoidScalar(x: f64): f64 {
  return x >= 0 ? 1 / (1 + expScalar(-x)) : expScalar(x) / (1 + expScalar(x));
}

// log
const TWO54: f64 = 1.80143985094819840000e+16;
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;
/** V8's log of a negative number: std::numeric_limits<double>::signaling_NaN(). */
const LOG_NAN: u64 = 0x7FF4000000000000;

/** Scalar log, fdlibm's e_log.c as V8 has it. */
export function logScalar(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7FFFFFFF) | lx) == 0) return -Infinity;
    if (hx < 0) return reinterpret<f64>(LOG_NAN);
    k -= 54;
    x *= TWO54;
    bits = reinterpret<u64>(x);
    hx = <i32>(bits >> 32);
  }
  if (hx >= 0x7FF00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000FFFFF;
  let i = (hx + 0x95F64) & 0x100000;
  x = reinterpret<f64>((<u64>(hx | (i ^ 0x3FF00000)) << 32) | (bits & 0xFFFFFFFF));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000FFFFF & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147A;
  const w = z * z;
  const j = 0x6B851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** log of both lanes, bit for bit logScalar except on the lanes of logOdd (x ≤ 0, subnormal, ∞, NaN). */
@inline export function logV(x: v128): v128 {
  const bits = x;
  const high = i64x2.shr_u(bits, 32); // x's high word (x > 0 on the lanes that use it)
  const hxm = v128.and(high, K(S_MASK20));
  const i = v128.and(i64x2.add(hxm, K(S_C95F64)), K(S_BIT20));
  const xn = v128.or(v128.and(bits, K(S_LOW32)), i64x2.shl(v128.or(hxm, v128.xor(i, K(S_HI_ONE))), 32));
  const k = i64x2.add(i64x2.sub(i64x2.shr_u(bits, 52), K(S_I1023)), i64x2.shr_u(i, 20));
  const dk = f64x2.sub(i64x2.add(k, K(S_MAGIC)), K(S_MAGIC));
  const k0 = i64x2.eq(k, i64x2.splat(0));
  const f = f64x2.sub(xn, K(S_ONE));
  const kHi = f64x2.mul(dk, K(S_LN2_HI));
  const kLo = f64x2.mul(dk, K(S_LN2_LO));
  // |f| < 2^-20
  const tiny = i64x2.lt_s(v128.and(i64x2.add(hxm, K(S_I2)), K(S_MASK20)), K(S_I3));
  const fZero = sel(f64x2.splat(0), f64x2.add(kHi, kLo), k0);
  const Rt = f64x2.mul(f64x2.mul(f, f), f64x2.sub(K(S_HALF), f64x2.mul(K(S_THIRD), f)));
  const fTiny = sel(f64x2.sub(f, Rt), f64x2.sub(kHi, f64x2.sub(f64x2.sub(Rt, kLo), f)), k0);
  const tinyRes = sel(fZero, fTiny, f64x2.eq(f, f64x2.splat(0)));
  // general
  const s = f64x2.div(f, f64x2.add(K(S_TWO), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(K(S_LG2), f64x2.mul(w, f64x2.add(K(S_LG4), f64x2.mul(w, K(S_LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(K(S_LG1), f64x2.mul(w, f64x2.add(K(S_LG3), f64x2.mul(w, f64x2.add(K(S_LG5), f64x2.mul(w, K(S_LG7))))))));
  const R = f64x2.add(t2, t1);
  const ij = v128.or(i64x2.sub(hxm, K(S_C6147A)), i64x2.sub(K(S_C6B851), hxm));
  const hfsq = f64x2.mul(f64x2.mul(K(S_HALF), f), f);
  const sR = f64x2.mul(s, f64x2.add(hfsq, R));
  const a0 = f64x2.sub(f, f64x2.sub(hfsq, sR));
  const a1 = f64x2.sub(kHi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(sR, kLo)), f));
  const sf = f64x2.mul(s, f64x2.sub(f, R));
  const b0 = f64x2.sub(f, sf);
  const b1 = f64x2.sub(kHi, f64x2.sub(f64x2.sub(sf, kLo), f));
  const gen = sel(sel(a0, a1, k0), sel(b0, b1, k0), i64x2.gt_s(ij, i64x2.splat(0)));
  let res = sel(tinyRes, gen, tiny);
  // Specials: x < 0 (NaN), ±0 (−∞), +∞ and NaN (x + x); subnormals go to the scalar code.
  return sel(tinyRes, gen, tiny);
}

/** The lanes where logV differs from logScalar: all but positive normal finite x. */
@inline export function logOdd(x: v128): v128 {
  return v128.not(v128.and(f64x2.ge(x, K(S_MIN_NORMAL)), f64x2.lt(x, K(S_INF))));
}

// expm1, for tanh's arguments only
const Q1: f64 = -3.33333333333331316428e-02;
const Q2: f64 = 1.58730158725481460165e-03;
const Q3: f64 = -7.93650757867487942473e-05;
const Q4: f64 = 4.00821782732936239552e-06;
const Q5: f64 = -2.01099218183624371326e-07;

/**
 * fdlibm's expm1 (s_expm1.c) of both lanes, bit for bit, for the arguments tanh passes it:
 * 2^-27 ≤ |a| and −2 < a < 44, so the reduced exponent k lies in [−3, 64] and none of the
 * overflow, tiny-argument or a < −56·ln2 branches is reached.
 */
@inline function expm1TanhV(a: v128): v128 {
  const ax = f64x2.abs(a);
  // k as in expV: trunc(a/ln2 ± 0.5), 0 for hx <= 0x3FD62E42.
  const half = v128.or(K(S_HALF), v128.and(a, K(S_SIGN)));
  const kf = v128.andnot(f64x2.trunc(f64x2.add(f64x2.mul(K(S_INV_LN2), a), half)), f64x2.lt(ax, K(S_K0_BOUND)));
  const hi = f64x2.sub(a, f64x2.mul(kf, K(S_LN2_HI)));
  const lo = f64x2.mul(kf, K(S_LN2_LO));
  const x = f64x2.sub(hi, lo);
  const c = f64x2.sub(f64x2.sub(hi, x), lo);
  const hfx = f64x2.mul(K(S_HALF), x);
  const hxs = f64x2.mul(x, hfx);
  let p = f64x2.add(K(S_Q4), f64x2.mul(hxs, K(S_Q5)));
  p = f64x2.add(K(S_Q3), f64x2.mul(hxs, p));
  p = f64x2.add(K(S_Q2), f64x2.mul(hxs, p));
  p = f64x2.add(K(S_Q1), f64x2.mul(hxs, p));
  const r1 = f64x2.add(K(S_ONE), f64x2.mul(hxs, p));
  const t = f64x2.sub(K(S_THREE), f64x2.mul(r1, hfx));
  let e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(K(S_SIX), f64x2.mul(x, t))));
  const res0 = f64x2.sub(x, f64x2.sub(f64x2.mul(x, e), hxs)); // k = 0
  e = f64x2.sub(f64x2.sub(f64x2.mul(x, f64x2.sub(e, c)), c), hxs);
  const xe = f64x2.sub(x, e);
  const resM1 = f64x2.sub(f64x2.mul(K(S_HALF), xe), K(S_HALF)); // k = −1
  const resP1 = sel(
    f64x2.mul(K(S_MINUS_TWO), f64x2.sub(e, f64x2.add(x, K(S_HALF)))),
    f64x2.add(K(S_ONE), f64x2.mul(K(S_TWO), xe)),
    f64x2.lt(x, K(S_MINUS_QUARTER)),
  ); // k = 1
  const kInt = i64x2.sub(f64x2.add(kf, K(S_MAGIC)), K(S_MAGIC));
  const twopk = i64x2.shl(i64x2.add(kInt, K(S_BIAS)), 52);
  const twomk = i64x2.shl(i64x2.sub(K(S_BIAS), kInt), 52); // 2^-k
  const ex = f64x2.sub(e, x);
  const resFar = f64x2.sub(f64x2.mul(f64x2.sub(K(S_ONE), ex), twopk), K(S_ONE)); // k ≤ −2 or k > 56
  const resLt20 = f64x2.mul(f64x2.sub(f64x2.sub(K(S_ONE), twomk), ex), twopk); // 2 ≤ k < 20: (1 − 2^-k) − (e − x)
  const resGe20 = f64x2.mul(f64x2.add(f64x2.sub(x, f64x2.add(e, twomk)), K(S_ONE)), twopk); // 20 ≤ k ≤ 56
  let res = sel(resLt20, resGe20, f64x2.lt(kf, K(S_TWENTY)));
  res = sel(resFar, res, v128.or(f64x2.le(kf, K(S_MINUS_TWO)), f64x2.gt(kf, K(S_FIFTY_SIX))));
  res = sel(resP1, res, f64x2.eq(kf, K(S_ONE)));
  res = sel(resM1, res, f64x2.eq(kf, K(S_MINUS_ONE)));
  return sel(res0, res, f64x2.eq(kf, f64x2.splat(0)));
}

/** tanh of both lanes, bit for bit fdlibm's s_tanh.c. */
@inline export function tanhV(x: v128): v128 {
  const ax = f64x2.abs(x);
  const ge1 = f64x2.ge(ax, K(S_ONE));
  const two = f64x2.add(ax, ax);
  // |x| ≥ 1: 1 − 2/(expm1(2|x|) + 2); else −t/(t + 2) with t = expm1(−2|x|).
  const t = expm1TanhV(sel(two, f64x2.neg(two), ge1));
  const q = f64x2.div(sel(K(S_TWO), f64x2.neg(t), ge1), f64x2.add(t, K(S_TWO)));
  const z = sel(f64x2.sub(K(S_ONE), q), q, ge1);
  const sign = v128.and(x, K(S_SIGN));
  let res = v128.xor(z, sign);
  res = sel(v128.or(K(S_ONE), sign), res, f64x2.ge(ax, K(S_TWENTY_TWO))); // also ±∞
  res = sel(x, res, f64x2.lt(ax, K(S_TINY28))); // |x| < 2^-28
  return sel(f64x2.add(x, x), res, f64x2.ne(x, x));
}

/**
 * The CPU kernel's logistic function, `x >= 0 ? 1 / (1 + e^-x) : e^x / (1 + e^x)`: e = exp(−|x|)
 * either way. Exact except on the lanes of sigmoidOdd (NaN, |x| ≥ 708).
 */
@inline export function sigmoidV(x: v128): v128 {
  const e = expV(f64x2.neg(f64x2.abs(x)));
  return f64x2.div(sel(K(S_ONE), e, f64x2.ge(x, f64x2.splat(0))), f64x2.add(K(S_ONE), e));
}
@inline export function sigmoidOdd(x: v128): v128 { return expOdd(f64x2.neg(f64x2.abs(x))); }

/**
 * a·b + c for expBoundedV's Horner steps: one fused multiply-add in the relaxed-SIMD build (one
 * rounding instead of two: the error bound below only tightens), mul then add in the plain one.
 * Only code whose results are checked against a bound may use it; the exact kernels never do.
 */
@inline function boundedMadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

/**
 * e^d for d ≤ 0 (NaN stays NaN), NOT bit-identical to Math.exp: relative error below EXPB_DELTA
 * for d ≥ −700, and 0 below −700 (where e^d < 1e-304). For callers that check its effect on their
 * float32 results against that bound (softmax.ts). d = k·ln2 + r with k = round(d/ln2), |r| ≤ ln2/2,
 * Cody–Waite as in fdlibm; e^r by its Taylor polynomial of degree 11 in Horner form; 2^k exact
 * (k ≥ −1010: a normal double). Error: truncation |r|^12/12!·e^(2|r|) < 1.29e-14 (relative to
 * e^r ≥ e^−|r|), Horner's 22 roundings (11 with fused multiply-adds) ≤ 22u·e^(2|r|) < 4.9e-15, coefficients ≤ u, the reduction
 * ≤ u·(|hi| + |lo| + |r|) + |k|·|ln2 − ln2_hi − ln2_lo| < 1e-16: together < 1.8e-14 (u = 2^-53).
 */
@inline export function expBoundedV(d: v128): v128 {
  const kf = f64x2.sub(f64x2.add(f64x2.mul(d, K(S_INV_LN2)), K(S_MAGIC)), K(S_MAGIC));
  const hi = f64x2.sub(d, f64x2.mul(kf, K(S_LN2_HI)));
  const r = f64x2.sub(hi, f64x2.mul(kf, K(S_LN2_LO)));
  let p = boundedMadd(r, K(S_INV_FACT + 128), K(S_INV_FACT + 112)); // 1/10! + r/11!
  p = boundedMadd(r, p, K(S_INV_FACT + 96));
  p = boundedMadd(r, p, K(S_INV_FACT + 80));
  p = boundedMadd(r, p, K(S_INV_FACT + 64));
  p = boundedMadd(r, p, K(S_INV_FACT + 48));
  p = boundedMadd(r, p, K(S_INV_FACT + 32));
  p = boundedMadd(r, p, K(S_INV_FACT + 16));
  p = boundedMadd(r, p, K(S_INV_FACT)); // 1/3!
  p = boundedMadd(r, p, K(S_HALF));
  p = boundedMadd(r, p, K(S_ONE));
  p = boundedMadd(r, p, K(S_ONE));
  const kInt = i64x2.sub(f64x2.add(kf, K(S_MAGIC)), K(S_MAGIC));
  const res = f64x2.mul(p, i64x2.shl(i64x2.add(kInt, K(S_BIAS)), 52));
  return v128.andnot(res, f64x2.lt(d, K(S_EXPB_FLOOR))); // also −∞
}
/** The relative error bound of expBoundedV (above the 1.8e-14 shown there). */
export const EXPB_DELTA: f64 = 2e-14;

// Constants live in a table in linear memory, read with one load each: V8 (11.x) rebuilds every
// v128.const inside a loop from immediates with three instructions, which cost more than the math.
export const S_ONE: usize = 0;
const S_HALF: usize = 16;
export const S_TWO: usize = 32;
const S_MAGIC: usize = 48;
const S_LN2_HI: usize = 64;
const S_LN2_LO: usize = 80;
const S_INV_LN2: usize = 96;
const S_EXP_P1: usize = 112;
const S_EXP_P2: usize = 128;
const S_EXP_P3: usize = 144;
const S_EXP_P4: usize = 160;
const S_EXP_P5: usize = 176;
export const S_SIGN: usize = 192;
const S_K0_BOUND: usize = 208;
const S_TINY28: usize = 224;
const S_EXP_RARE: usize = 240;
const S_BIAS: usize = 256;
const S_LG1: usize = 272;
const S_LG2: usize = 288;
const S_LG3: usize = 304;
const S_LG4: usize = 320;
const S_LG5: usize = 336;
const S_LG6: usize = 352;
const S_LG7: usize = 368;
const S_MASK20: usize = 384;
const S_C95F64: usize = 400;
const S_BIT20: usize = 416;
const S_LOW32: usize = 432;
const S_HI_ONE: usize = 448;
const S_I1023: usize = 464;
const S_I2: usize = 480;
const S_I3: usize = 496;
const S_C6147A: usize = 512;
const S_C6B851: usize = 528;
const S_THIRD: usize = 544;
const S_MIN_NORMAL: usize = 560;
const S_Q1: usize = 576;
const S_Q2: usize = 592;
const S_Q3: usize = 608;
const S_Q4: usize = 624;
const S_Q5: usize = 640;
const S_THREE: usize = 656;
const S_SIX: usize = 672;
const S_TWENTY: usize = 688;
const S_FIFTY_SIX: usize = 704;
const S_MINUS_TWO: usize = 720;
const S_MINUS_QUARTER: usize = 736;
const S_MID_BOUND: usize = 752;
export const S_MINUS_ONE: usize = 768;
const S_TWENTY_TWO: usize = 784;
const S_MINUS_HALF: usize = 800;
const S_LOG_NAN: usize = 816;
const S_INF: usize = 832;
const S_NEG_INF: usize = 848;
const S_E: usize = 864;
const S_O_THRESHOLD: usize = 880;
const S_U_THRESHOLD: usize = 896;
// expBoundedV (Taylor coefficients 1/3! … 1/11!, and its floor)
const S_INV_FACT: usize = 912; // nine slots, 1/3! at 912 … 1/11! at 1040
const S_EXPB_FLOOR: usize = 1056;
/** Bytes of the table. */
const TABLE_BYTES: usize = 1072;
/** Where the table is: just above the module's static data. */
@inline function table(): usize { return (__heap_base + 15) & ~15; }
/** Bytes of the float32 fast-math table (fastmath.ts), which sits just above this one. */
const FAST_TABLE_BYTES: usize = 1088;
/** Where the fast-math table is. */
@inline export function fastTable(): usize { return table() + TABLE_BYTES; }
/** Lowest address a caller may use for its own buffers. */
export function scratchBase(): usize { return table() + TABLE_BYTES + FAST_TABLE_BYTES; }
/** Writes the constant table; every kernel entry calls it before its loop (a few stores). */
export function fillConstants(): void {
  const t = table();
  v128.store(t, f64x2.splat(1.0), S_ONE);
  v128.store(t, f64x2.splat(0.5), S_HALF);
  v128.store(t, f64x2.splat(2.0), S_TWO);
  v128.store(t, f64x2.splat(MAGIC), S_MAGIC);
  v128.store(t, f64x2.splat(LN2_HI), S_LN2_HI);
  v128.store(t, f64x2.splat(LN2_LO), S_LN2_LO);
  v128.store(t, f64x2.splat(INV_LN2), S_INV_LN2);
  v128.store(t, f64x2.splat(EXP_P1), S_EXP_P1);
  v128.store(t, f64x2.splat(EXP_P2), S_EXP_P2);
  v128.store(t, f64x2.splat(EXP_P3), S_EXP_P3);
  v128.store(t, f64x2.splat(EXP_P4), S_EXP_P4);
  v128.store(t, f64x2.splat(EXP_P5), S_EXP_P5);
  v128.store(t, i64x2.splat(0x8000000000000000), S_SIGN);
  v128.store(t, f64x2.splat(f64c(0x3FD62E4300000000)), S_K0_BOUND);
  v128.store(t, f64x2.splat(f64c(0x3E30000000000000)), S_TINY28);
  v128.store(t, f64x2.splat(708.0), S_EXP_RARE);
  v128.store(t, i64x2.splat(0x3FF), S_BIAS);
  v128.store(t, f64x2.splat(LG1), S_LG1);
  v128.store(t, f64x2.splat(LG2), S_LG2);
  v128.store(t, f64x2.splat(LG3), S_LG3);
  v128.store(t, f64x2.splat(LG4), S_LG4);
  v128.store(t, f64x2.splat(LG5), S_LG5);
  v128.store(t, f64x2.splat(LG6), S_LG6);
  v128.store(t, f64x2.splat(LG7), S_LG7);
  v128.store(t, i64x2.splat(0xFFFFF), S_MASK20);
  v128.store(t, i64x2.splat(0x95F64), S_C95F64);
  v128.store(t, i64x2.splat(0x100000), S_BIT20);
  v128.store(t, i64x2.splat(0xFFFFFFFF), S_LOW32);
  v128.store(t, i64x2.splat(0x3FF00000), S_HI_ONE);
  v128.store(t, i64x2.splat(1023), S_I1023);
  v128.store(t, i64x2.splat(2), S_I2);
  v128.store(t, i64x2.splat(3), S_I3);
  v128.store(t, i64x2.splat(0x6147A), S_C6147A);
  v128.store(t, i64x2.splat(0x6B851), S_C6B851);
  v128.store(t, f64x2.splat(0.33333333333333333), S_THIRD);
  v128.store(t, f64x2.splat(f64c(0x0010000000000000)), S_MIN_NORMAL);
  v128.store(t, f64x2.splat(Q1), S_Q1);
  v128.store(t, f64x2.splat(Q2), S_Q2);
  v128.store(t, f64x2.splat(Q3), S_Q3);
  v128.store(t, f64x2.splat(Q4), S_Q4);
  v128.store(t, f64x2.splat(Q5), S_Q5);
  v128.store(t, f64x2.splat(3.0), S_THREE);
  v128.store(t, f64x2.splat(6.0), S_SIX);
  v128.store(t, f64x2.splat(20.0), S_TWENTY);
  v128.store(t, f64x2.splat(56.0), S_FIFTY_SIX);
  v128.store(t, f64x2.splat(-2.0), S_MINUS_TWO);
  v128.store(t, f64x2.splat(-0.25), S_MINUS_QUARTER);
  v128.store(t, f64x2.splat(f64c(0x3FF0A2B200000000)), S_MID_BOUND);
  v128.store(t, f64x2.splat(-1.0), S_MINUS_ONE);
  v128.store(t, f64x2.splat(22.0), S_TWENTY_TWO);
  v128.store(t, f64x2.splat(-0.5), S_MINUS_HALF);
  v128.store(t, i64x2.splat(LOG_NAN), S_LOG_NAN);
  v128.store(t, f64x2.splat(Infinity), S_INF);
  v128.store(t, f64x2.splat(-Infinity), S_NEG_INF);
  v128.store(t, f64x2.splat(E), S_E);
  v128.store(t, f64x2.splat(O_THRESHOLD), S_O_THRESHOLD);
  v128.store(t, f64x2.splat(U_THRESHOLD), S_U_THRESHOLD);
  let fact: f64 = 2;
  for (let i = 3; i <= 11; i++) {
    fact *= <f64>i; // exact: 11! < 2^53
    v128.store(t + S_INV_FACT + <usize>(i - 3) * 16, f64x2.splat(1 / fact));
  }
  v128.store(t, f64x2.splat(-700.0), S_EXPB_FLOOR);
}
/** A constant of the table, one load. */
@inline export function K(slot: usize): v128 { return v128.load(table() + slot); }
