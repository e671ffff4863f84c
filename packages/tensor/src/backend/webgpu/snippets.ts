import type { DType } from "../../dtype.js";
import type { BinaryPrimitive, ComparePrimitive, ReducePrimitive, UnaryPrimitive } from "../../ops/primitives.js";
import { wgslType } from "./elements.js";

/**
 * WGSL shared by every program. Infinities and NaN come from private variables: a WGSL
 * constant expression may not evaluate to a non-finite value. NaN is tested on the bits,
 * because compilers may fold `x != x` away.
 */
export const PRELUDE = `
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn inf_f32() -> f32 { return bitcast<f32>(INF_BITS); }
fn nan_f32() -> f32 { return bitcast<f32>(NAN_BITS); }
fn isnan_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isnan_i32(x: i32) -> bool { return false; }
fn isnan_u32(x: u32) -> bool { return false; }
fn lowest_f32() -> f32 { return -inf_f32(); }
fn highest_f32() -> f32 { return inf_f32(); }
fn lowest_i32() -> i32 { return bitcast<i32>(0x80000000u); }
fn highest_i32() -> i32 { return 0x7fffffff; }
fn sigmoid_f32(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// Series below 0.5, Abramowitz-Stegun 7.1.26 above (absolute error < 1.5e-7).
fn erf_f32(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let x2 = x * x;
    return x * 1.1283791671 * (1.0 - x2 * (1.0 / 3.0 - x2 * (0.1 - x2 * (1.0 / 42.0 - x2 / 216.0))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(y, -y, x < 0.0);
}
// Math.pow semantics: negative bases with integer exponents, 0^negative = inf.
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isnan_f32(a) || isnan_f32(b)) { return nan_f32(); }
  if (a == 0.0) { return select(0.0, inf_f32(), b < 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (floor(b) != b) { return nan_f32(); }
  let odd = abs(b) < 16777216.0 && (i32(b) & 1) != 0;
  return select(r, -r, odd);
}
`;

/** Replaces the type placeholder `$T` in a snippet. */
export const typed = (snippet: string, dtype: DType): string => snippet.replace(/\$T/g, wgslType(dtype));

/** Unary snippets over `v0` (type $T). Float-only ones are only instantiated for f32. */
export const UNARY_WGSL: Record<UnaryPrimitive, string> = {
  neg: "-v0",
  exp: "exp(v0)",
  log: "log(v0)",
  sqrt: "sqrt(v0)",
  abs: "abs(v0)",
  sign: "select(select(v0, $T(-1), v0 < $T(0)), $T(1), v0 > $T(0))",
  sin: "sin(v0)",
  cos: "cos(v0)",
  // tanh(±15) is ±1 in f32; clamping keeps exp-based implementations from overflowing.
  tanh: "tanh(clamp(v0, -15.0, 15.0))",
  sigmoid: "sigmoid_f32(v0)",
  relu: "select(v0, $T(0), v0 < $T(0))",
  erf: "erf_f32(v0)",
};

export const BINARY_WGSL: Record<BinaryPrimitive, string> = {
  add: "v0 + v1",
  sub: "v0 - v1",
  mul: "v0 * v1",
  div: "v0 / v1",
  pow: "pow_f32(v0, v1)",
  // NaN propagates, as in PyTorch.
  maximum: "select(v1, v0, v0 > v1 || isnan_$T(v0))",
  minimum: "select(v1, v0, v0 < v1 || isnan_$T(v0))",
};

export const COMPARE_WGSL: Record<ComparePrimitive, string> = {
  equal: "select(0u, 1u, v0 == v1)",
  notEqual: "select(0u, 1u, v0 != v1)",
  less: "select(0u, 1u, v0 < v1)",
  lessEqual: "select(0u, 1u, v0 <= v1)",
  greater: "select(0u, 1u, v0 > v1)",
  greaterEqual: "select(0u, 1u, v0 >= v1)",
};

export const WHERE_WGSL = "select(v2, v1, v0 != 0u)";
export const COPY_WGSL = "v0";

/** Conversion of `v0` from one dtype to another (float → int truncates; → bool is ≠ 0). */
export function castWgsl(from: DType, to: DType): string {
  if (to === "bool") return `select(0u, 1u, v0 != ${wgslType(from)}(0))`;
  return `${wgslType(to)}(v0)`;
}

/** Reductions: identity and combine(a, b) (NaN wins for max/min, as on the CPU). */
export const REDUCE_WGSL: Record<ReducePrimitive, { init: string; combine: string }> = {
  sum: { init: "$T(0)", combine: "a + b" },
  prod: { init: "$T(1)", combine: "a * b" },
  max: { init: "lowest_$T()", combine: "select(a, b, b > a || isnan_$T(b))" },
  min: { init: "highest_$T()", combine: "select(a, b, b < a || isnan_$T(b))" },
};
