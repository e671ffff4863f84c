// Fast float32 sums (opt-in, `setMathMode("fast")`): each row is summed in float32 lanes, 8 vectors
// (32 accumulators) over blocks of 512 elements, so every lane adds 16 elements; the 8 vectors are
// combined pairwise (3 more additions) and the block's 4 lanes promoted exactly into float64
// accumulators. A leftover of < 512 elements is added as whole 32-element steps the same way, then
// up to 7 vectors into one accumulator (≤ 7 additions), then the last < 4 elements in float64.
// Every element therefore passes through at most 19 float32 roundings before reaching float64, so
// with u = 2^-24 the float64 result F satisfies |F − S| ≤ γ₁₉·Σ|x| + (n/256 + 4)·2^-53·Σ|x|
// (S the exact sum, γ₁₉ = 19u/(1 − 19u)): about 1.1e-6·Σ|x| whatever n (the float64 term stays below
// 2^-30·Σ|x| up to n = 2^31); the driver rounds F to float32 (½ ulp more). The JavaScript loop and
// the exact kernels accumulate in float64 instead.

@inline function promoteAdd(acc: v128, v: v128): v128 {
  return f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0))));
}

/** The float64 sum (as described above) of one row of n float32 elements at x. */
@inline function rowSum(x: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  while (j + 32 <= n) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
    const end = min(n, j + 512);
    for (; j + 32 <= end; j += 32) {
      const p = x + ((<usize>j) << 2);
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      a4 = f32x4.add(a4, v128.load(p, 64));
      a5 = f32x4.add(a5, v128.load(p, 80));
      a6 = f32x4.add(a6, v128.load(p, 96));
      a7 = f32x4.add(a7, v128.load(p, 112));
    }
    const b = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
    acc = promoteAdd(acc, b);
  }
  if (j + 4 <= n) {
    let a = f32x4.splat(0);
    for (; j + 4 <= n; j += 4) a = f32x4.add(a, v128.load(x + ((<usize>j) << 2)));
    acc = promoteAdd(acc, a);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < n; j++) s += <f64>load<f32>(x + ((<usize>j) << 2));
  return s;
}

/** out[r] (float64) = the fast sum of row r, for `rows` contiguous rows of n float32 elements at x. */
export function fastSumRows32(x: usize, rows: i32, n: i32, out: usize): void {
  const stride = (<usize>n) << 2;
  for (let r = 0; r < rows; r++) {
    store<f64>(out + ((<usize>r) << 3), rowSum(x, n));
    x += stride;
  }
}
