// Comparisons (float → bool bytes) and `where` (bool bytes select between float operands) in SIMD,
// bit-identical to the JavaScript kernels in packages/tensor/src/backend/cpu/elementwise.ts:
// * compare is `+(v0 op v1)`: one IEEE comparison per lane (false with NaN, except notEqual), the
//   lane mask narrowed to a byte and masked to 0/1.
// * where is `v0 !== 0 ? v1 : v2`: a bitselect on the condition byte, so the chosen operand's bits
//   are copied unchanged.
// Kernels run in whole vectors of 16 elements; the driver's buffers have room for the rounded-up
// count and only n results are copied out.

@inline function cmp32(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f32x4.eq(a, b);
  if (op == 1) return f32x4.ne(a, b);
  if (op == 2) return f32x4.lt(a, b);
  if (op == 3) return f32x4.le(a, b);
  if (op == 4) return f32x4.gt(a, b);
  return f32x4.ge(a, b);
}
@inline function cmp64(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f64x2.eq(a, b);
  if (op == 1) return f64x2.ne(a, b);
  if (op == 2) return f64x2.lt(a, b);
  if (op == 3) return f64x2.le(a, b);
  if (op == 4) return f64x2.gt(a, b);
  return f64x2.ge(a, b);
}

/** Four i32x4 masks (16 lanes) → 16 bytes of 0/1. */
@inline function bytes32(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
  return v128.and(b, i8x16.splat(1));
}
/** Two i64x2 masks → one i32x4 mask (their low halves). */
@inline function half64(m0: v128, m1: v128): v128 {
  return v128.shuffle<i32>(m0, m1, 0, 2, 4, 6);
}

// SCALAR: b is one value (splat) instead of an array.
@inline function compare32(op: i32, SCALAR: bool, a: usize, b: usize, out: usize, n: i32): void {
  const s = f32x4.splat(load<f32>(b));
  for (let i = 0; i < n; i += 16) {
    const p = a + ((<usize>i) << 2);
    const q = b + ((<usize>i) << 2);
    const m0 = cmp32(op, v128.load(p), SCALAR ? s : v128.load(q));
    const m1 = cmp32(op, v128.load(p, 16), SCALAR ? s : v128.load(q, 16));
    const m2 = cmp32(op, v128.load(p, 32), SCALAR ? s : v128.load(q, 32));
    const m3 = cmp32(op, v128.load(p, 48), SCALAR ? s : v128.load(q, 48));
    v128.store(out + <usize>i, bytes32(m0, m1, m2, m3));
  }
}

@inline function compare64(op: i32, SCALAR: bool, a: usize, b: usize, out: usize, n: i32): void {
  const s = f64x2.splat(load<f64>(b));
  for (let i = 0; i < n; i += 16) {
    const p = a + ((<usize>i) << 3);
    const q = b + ((<usize>i) << 3);
    const k0 = half64(cmp64(op, v128.load(p), SCALAR ? s : v128.load(q)), cmp64(op, v128.load(p, 16), SCALAR ? s : v128.load(q, 16)));
    const k1 = half64(cmp64(op, v128.load(p, 32), SCALAR ? s : v128.load(q, 32)), cmp64(op, v128.load(p, 48), SCALAR ? s : v128.load(q, 48)));
    const k2 = half64(cmp64(op, v128.load(p, 64), SCALAR ? s : v128.load(q, 64)), cmp64(op, v128.load(p, 80), SCALAR ? s : v128.load(q, 80)));
    const k3 = half64(cmp64(op, v128.load(p, 96), SCALAR ? s : v128.load(q, 96)), cmp64(op, v128.load(p, 112), SCALAR ? s : v128.load(q, 112)));
    v128.store(out + <usize>i, bytes32(k0, k1, k2, k3));
  }
}

/**
 * out[i] = +(a[i] op b[i]) as bytes, or against the single value at b when scalar = 1.
 * op: 0 equal, 1 notEqual, 2 less, 3 lessEqual, 4 greater, 5 greaterEqual. f64 = 1: float64.
 * n is rounded up to 16 here; a and b (unless scalar) need room for that.
 */
export function compare(op: i32, f64: i32, scalar: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch ((f64 << 4) | (scalar << 3) | op) {
    case 0: compare32(0, false, a, b, out, n); break;
    case 1: compare32(1, false, a, b, out, n); break;
    case 2: compare32(2, false, a, b, out, n); break;
    case 3: compare32(3, false, a, b, out, n); break;
    case 4: compare32(4, false, a, b, out, n); break;
    case 5: compare32(5, false, a, b, out, n); break;
    case 8: compare32(0, true, a, b, out, n); break;
    case 9: compare32(1, true, a, b, out, n); break;
    case 10: compare32(2, true, a, b, out, n); break;
    case 11: compare32(3, true, a, b, out, n); break;
    case 12: compare32(4, true, a, b, out, n); break;
    case 13: compare32(5, true, a, b, out, n); break;
    case 16: compare64(0, false, a, b, out, n); break;
    case 17: compare64(1, false, a, b, out, n); break;
    case 18: compare64(2, false, a, b, out, n); break;
    case 19: compare64(3, false, a, b, out, n); break;
    case 20: compare64(4, false, a, b, out, n); break;
    case 21: compare64(5, false, a, b, out, n); break;
    case 24: compare64(0, true, a, b, out, n); break;
    case 25: compare64(1, true, a, b, out, n); break;
    case 26: compare64(2, true, a, b, out, n); break;
    case 27: compare64(3, true, a, b, out, n); break;
    case 28: compare64(4, true, a, b, out, n); break;
    case 29: compare64(5, true, a, b, out, n); break;
  }
}

/** 4 condition bytes at c → an i32x4 mask (all ones where the byte is nonzero). */
@inline function mask4(c: usize): v128 {
  const w = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c)));
  return v128.not(i32x4.eq(w, i32x4.splat(0)));
}

@inline function where32(AS: bool, BS: bool, c: usize, a: usize, b: usize, out: usize, n: i32): void {
  const sa = f32x4.splat(load<f32>(a)), sb = f32x4.splat(load<f32>(b));
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, v128.bitselect(AS ? sa : v128.load(a + o), BS ? sb : v128.load(b + o), mask4(c + <usize>i)));
  }
}

@inline function where64(AS: bool, BS: bool, c: usize, a: usize, b: usize, out: usize, n: i32): void {
  const sa = f64x2.splat(load<f64>(a)), sb = f64x2.splat(load<f64>(b));
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 3;
    const m = mask4(c + <usize>i);
    const m0 = i64x2.extend_low_i32x4_s(m), m1 = i64x2.extend_high_i32x4_s(m);
    v128.store(out + o, v128.bitselect(AS ? sa : v128.load(a + o), BS ? sb : v128.load(b + o), m0));
    v128.store(out + o, v128.bitselect(AS ? sa : v128.load(a + o, 16), BS ? sb : v128.load(b + o, 16), m1), 16);
  }
}

/**
 * out[i] = c[i] !== 0 ? a[i] : b[i] (c bytes; a, b float32 or float64 arrays, or single values
 * when aScalar / bScalar). n is rounded up to 4 here.
 */
export function where(f64: i32, aScalar: i32, bScalar: i32, c: usize, a: usize, b: usize, out: usize, n: i32): void {
  switch ((f64 << 2) | (aScalar << 1) | bScalar) {
    case 0: where32(false, false, c, a, b, out, n); break;
    case 1: where32(false, true, c, a, b, out, n); break;
    case 2: where32(true, false, c, a, b, out, n); break;
    case 3: where32(true, true, c, a, b, out, n); break;
    case 4: where64(false, false, c, a, b, out, n); break;
    case 5: where64(false, true, c, a, b, out, n); break;
    case 6: where64(true, false, c, a, b, out, n); break;
    case 7: where64(true, true, c, a, b, out, n); break;
  }
}
