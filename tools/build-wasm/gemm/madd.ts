// Multiply-add that becomes one fused instruction when built with relaxed SIMD (`--enable relaxed-simd`)
// and a separate mul + add otherwise; the choice is made at compile time.

/** a·b + c on four f32 lanes. */
@inline
export function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** a·b + c on two f64 lanes. */
@inline
export function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}
