// Elementwise binary ops (add, sub, mul, div, maximum, minimum) in f32x4 / f64x2 SIMD, bit-identical
// to the JavaScript kernels in packages/tensor/src/backend/cpu/elementwise.ts:
// * add/sub/mul/div are single IEEE operations; in float32 they equal JS's float64 result rounded
//   to float32 (double rounding is exact for these ops since 53 >= 2*24 + 2).
// * maximum is `v0 > v1 || v0 !== v0 ? v0 : v1` (minimum with <): NaN in either operand gives NaN,
//   and equal operands (+0 vs -0) give the second one. f32x4.max/pmax differ, so this is a
//   compare-and-select, lane by lane the same expression.
// Layouts (the JS driver chunks everything through a scratch buffer):
// * row: out[i*n + j] = f(x[i*n + j], v[j])  (v repeated per row; rows = 1 is same-shape)
// * col: out[i*n + j] = f(x[i*n + j], v[i])  (one v per row; rows = 1 is a scalar operand)
// `swap` puts v first: out = f(v, x).

// The op, the swap flag and the layout are parameters of @inline functions; the entry point calls
// them with constants, so after inlining the optimizer folds every test on them out of the loops.
@inline function v32(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f32x4.add(a, b);
  if (op == 1) return f32x4.sub(a, b);
  if (op == 2) return f32x4.mul(a, b);
  if (op == 3) return f32x4.div(a, b);
  if (op == 4) return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
  return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
}
@inline function s32(op: i32, a: f32, b: f32): f32 {
  if (op == 0) return a + b;
  if (op == 1) return a - b;
  if (op == 2) return a * b;
  if (op == 3) return a / b;
  if (op == 4) return a > b || a != a ? a : b;
  return a < b || a != a ? a : b;
}
@inline function v64(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f64x2.add(a, b);
  if (op == 1) return f64x2.sub(a, b);
  if (op == 2) return f64x2.mul(a, b);
  if (op == 3) return f64x2.div(a, b);
  if (op == 4) return v128.bitselect(a, b, v128.or(f64x2.gt(a, b), f64x2.ne(a, a)));
  return v128.bitselect(a, b, v128.or(f64x2.lt(a, b), f64x2.ne(a, a)));
}
@inline function s64(op: i32, a: f64, b: f64): f64 {
  if (op == 0) return a + b;
  if (op == 1) return a - b;
  if (op == 2) return a * b;
  if (op == 3) return a / b;
  if (op == 4) return a > b || a != a ? a : b;
  return a < b || a != a ? a : b;
}

/** One row: out[j] = f(x[j], v[j]) (or f(v[j], x[j]) when SWAP), n elements, f32. */
@inline function row32(op: i32, SWAP: bool, x: usize, v: usize, out: usize, n: i32): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = (<usize>j) << 2;
    const a0 = v128.load(x + p), a1 = v128.load(x + p, 16);
    const b0 = v128.load(v + p), b1 = v128.load(v + p, 16);
    if (SWAP) {
      v128.store(out + p, v32(op, b0, a0));
      v128.store(out + p, v32(op, b1, a1), 16);
    } else {
      v128.store(out + p, v32(op, a0, b0));
      v128.store(out + p, v32(op, a1, b1), 16);
    }
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    const a = load<f32>(x + p), b = load<f32>(v + p);
    store<f32>(out + p, SWAP ? s32(op, b, a) : s32(op, a, b));
  }
}

/** One row against a scalar: out[j] = f(x[j], s) (or f(s, x[j]) when SWAP), f32. */
@inline function scal32(op: i32, SWAP: bool, x: usize, s: f32, out: usize, n: i32): void {
  const b = f32x4.splat(s);
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const p = (<usize>j) << 2;
    const a0 = v128.load(x + p), a1 = v128.load(x + p, 16);
    if (SWAP) {
      v128.store(out + p, v32(op, b, a0));
      v128.store(out + p, v32(op, b, a1), 16);
    } else {
      v128.store(out + p, v32(op, a0, b));
      v128.store(out + p, v32(op, a1, b), 16);
    }
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 2;
    const a = load<f32>(x + p);
    store<f32>(out + p, SWAP ? s32(op, s, a) : s32(op, a, s));
  }
}

@inline function row64(op: i32, SWAP: bool, x: usize, v: usize, out: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 3;
    const a0 = v128.load(x + p), a1 = v128.load(x + p, 16);
    const b0 = v128.load(v + p), b1 = v128.load(v + p, 16);
    if (SWAP) {
      v128.store(out + p, v64(op, b0, a0));
      v128.store(out + p, v64(op, b1, a1), 16);
    } else {
      v128.store(out + p, v64(op, a0, b0));
      v128.store(out + p, v64(op, a1, b1), 16);
    }
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 3;
    const a = load<f64>(x + p), b = load<f64>(v + p);
    store<f64>(out + p, SWAP ? s64(op, b, a) : s64(op, a, b));
  }
}

@inline function scal64(op: i32, SWAP: bool, x: usize, s: f64, out: usize, n: i32): void {
  const b = f64x2.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const p = (<usize>j) << 3;
    const a0 = v128.load(x + p), a1 = v128.load(x + p, 16);
    if (SWAP) {
      v128.store(out + p, v64(op, b, a0));
      v128.store(out + p, v64(op, b, a1), 16);
    } else {
      v128.store(out + p, v64(op, a0, b));
      v128.store(out + p, v64(op, a1, b), 16);
    }
  }
  for (; j < n; j++) {
    const p = (<usize>j) << 3;
    const a = load<f64>(x + p);
    store<f64>(out + p, SWAP ? s64(op, s, a) : s64(op, a, s));
  }
}

@inline function rows32(op: i32, swap: bool, col: bool, x: usize, v: usize, out: usize, rows: i32, n: i32): void {
  const stride = (<usize>n) << 2;
  for (let i = 0; i < rows; i++) {
    if (col) scal32(op, swap, x, load<f32>(v + ((<usize>i) << 2)), out, n);
    else row32(op, swap, x, v, out, n);
    x += stride;
    out += stride;
  }
}

@inline function rows64(op: i32, swap: bool, col: bool, x: usize, v: usize, out: usize, rows: i32, n: i32): void {
  const stride = (<usize>n) << 3;
  for (let i = 0; i < rows; i++) {
    if (col) scal64(op, swap, x, load<f64>(v + ((<usize>i) << 3)), out, n);
    else row64(op, swap, x, v, out, n);
    x += stride;
    out += stride;
  }
}

// One function per (dtype, op, layout, swap), each with constant arguments so the tests above fold away.
function add32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(0, false, false, x, v, out, rows, n); }
function add32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(0, true, false, x, v, out, rows, n); }
function add32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(0, false, true, x, v, out, rows, n); }
function add32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(0, true, true, x, v, out, rows, n); }
function sub32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(1, false, false, x, v, out, rows, n); }
function sub32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(1, true, false, x, v, out, rows, n); }
function sub32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(1, false, true, x, v, out, rows, n); }
function sub32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(1, true, true, x, v, out, rows, n); }
function mul32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(2, false, false, x, v, out, rows, n); }
function mul32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(2, true, false, x, v, out, rows, n); }
function mul32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(2, false, true, x, v, out, rows, n); }
function mul32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(2, true, true, x, v, out, rows, n); }
function div32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(3, false, false, x, v, out, rows, n); }
function div32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(3, true, false, x, v, out, rows, n); }
function div32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(3, false, true, x, v, out, rows, n); }
function div32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(3, true, true, x, v, out, rows, n); }
function max32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(4, false, false, x, v, out, rows, n); }
function max32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(4, true, false, x, v, out, rows, n); }
function max32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(4, false, true, x, v, out, rows, n); }
function max32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(4, true, true, x, v, out, rows, n); }
function min32r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(5, false, false, x, v, out, rows, n); }
function min32rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(5, true, false, x, v, out, rows, n); }
function min32c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(5, false, true, x, v, out, rows, n); }
function min32cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows32(5, true, true, x, v, out, rows, n); }
function add64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(0, false, false, x, v, out, rows, n); }
function add64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(0, true, false, x, v, out, rows, n); }
function add64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(0, false, true, x, v, out, rows, n); }
function add64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(0, true, true, x, v, out, rows, n); }
function sub64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(1, false, false, x, v, out, rows, n); }
function sub64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(1, true, false, x, v, out, rows, n); }
function sub64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(1, false, true, x, v, out, rows, n); }
function sub64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(1, true, true, x, v, out, rows, n); }
function mul64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(2, false, false, x, v, out, rows, n); }
function mul64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(2, true, false, x, v, out, rows, n); }
function mul64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(2, false, true, x, v, out, rows, n); }
function mul64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(2, true, true, x, v, out, rows, n); }
function div64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(3, false, false, x, v, out, rows, n); }
function div64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(3, true, false, x, v, out, rows, n); }
function div64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(3, false, true, x, v, out, rows, n); }
function div64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(3, true, true, x, v, out, rows, n); }
function max64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(4, false, false, x, v, out, rows, n); }
function max64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(4, true, false, x, v, out, rows, n); }
function max64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(4, false, true, x, v, out, rows, n); }
function max64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(4, true, true, x, v, out, rows, n); }
function min64r(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(5, false, false, x, v, out, rows, n); }
function min64rs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(5, true, false, x, v, out, rows, n); }
function min64c(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(5, false, true, x, v, out, rows, n); }
function min64cs(x: usize, v: usize, out: usize, rows: i32, n: i32): void { rows64(5, true, true, x, v, out, rows, n); }

/**
 * Runs op (0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum) over `rows` rows of `n` elements at
 * byte offsets x, v, out: x is rows×n; v holds n elements repeated per row (col = 0) or one element
 * per row (col = 1); swap = 1 computes f(v, x) instead of f(x, v). f64 = 1: float64, else float32.
 */
export function binary(op: i32, f64: i32, col: i32, swap: i32, x: usize, v: usize, out: usize, rows: i32, n: i32): void {
  switch ((f64 << 5) | (op << 2) | (col << 1) | swap) {
    case 0: add32r(x, v, out, rows, n); break;
    case 1: add32rs(x, v, out, rows, n); break;
    case 2: add32c(x, v, out, rows, n); break;
    case 3: add32cs(x, v, out, rows, n); break;
    case 4: sub32r(x, v, out, rows, n); break;
    case 5: sub32rs(x, v, out, rows, n); break;
    case 6: sub32c(x, v, out, rows, n); break;
    case 7: sub32cs(x, v, out, rows, n); break;
    case 8: mul32r(x, v, out, rows, n); break;
    case 9: mul32rs(x, v, out, rows, n); break;
    case 10: mul32c(x, v, out, rows, n); break;
    case 11: mul32cs(x, v, out, rows, n); break;
    case 12: div32r(x, v, out, rows, n); break;
    case 13: div32rs(x, v, out, rows, n); break;
    case 14: div32c(x, v, out, rows, n); break;
    case 15: div32cs(x, v, out, rows, n); break;
    case 16: max32r(x, v, out, rows, n); break;
    case 17: max32rs(x, v, out, rows, n); break;
    case 18: max32c(x, v, out, rows, n); break;
    case 19: max32cs(x, v, out, rows, n); break;
    case 20: min32r(x, v, out, rows, n); break;
    case 21: min32rs(x, v, out, rows, n); break;
    case 22: min32c(x, v, out, rows, n); break;
    case 23: min32cs(x, v, out, rows, n); break;
    case 32: add64r(x, v, out, rows, n); break;
    case 33: add64rs(x, v, out, rows, n); break;
    case 34: add64c(x, v, out, rows, n); break;
    case 35: add64cs(x, v, out, rows, n); break;
    case 36: sub64r(x, v, out, rows, n); break;
    case 37: sub64rs(x, v, out, rows, n); break;
    case 38: sub64c(x, v, out, rows, n); break;
    case 39: sub64cs(x, v, out, rows, n); break;
    case 40: mul64r(x, v, out, rows, n); break;
    case 41: mul64rs(x, v, out, rows, n); break;
    case 42: mul64c(x, v, out, rows, n); break;
    case 43: mul64cs(x, v, out, rows, n); break;
    case 44: div64r(x, v, out, rows, n); break;
    case 45: div64rs(x, v, out, rows, n); break;
    case 46: div64c(x, v, out, rows, n); break;
    case 47: div64cs(x, v, out, rows, n); break;
    case 48: max64r(x, v, out, rows, n); break;
    case 49: max64rs(x, v, out, rows, n); break;
    case 50: max64c(x, v, out, rows, n); break;
    case 51: max64cs(x, v, out, rows, n); break;
    case 52: min64r(x, v, out, rows, n); break;
    case 53: min64rs(x, v, out, rows, n); break;
    case 54: min64c(x, v, out, rows, n); break;
    case 55: min64cs(x, v, out, rows, n); break;
  }
}
