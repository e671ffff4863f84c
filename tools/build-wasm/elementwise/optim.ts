// Fused optimizer updates (Adam/AdamW, SGD with momentum) in f64x2 SIMD, bit-identical to the
// JavaScript loops in packages/tensor/src/backend/cpu/fused.ts: the same float64 operations in the
// same order (no fused multiply-add; f64x2.sqrt is the correctly rounded square root, as Math.sqrt),
// float32 state promoted exactly on load and rounded to nearest on store, as a Float32Array store.

// Adam's per-call constants, written by the driver as f64x2 splats (byte offsets).
const L2 = 0, BETA1 = 16, ONE_MINUS_BETA1 = 32, BETA2 = 48, ONE_MINUS_BETA2 = 64;
const STEP_SIZE = 80, SQRT_C2 = 96, EPS = 112, DECAY = 128;

/** The Adam update of two lanes: returns p' and writes m', v' (float64, before rounding). */
@inline function adamLanes(k: usize, p: v128, g: v128, m: v128, v: v128, mv: usize): v128 {
  // gi = g + l2·p; mi = β₁m + (1−β₁)gi; vi = β₂v + ((1−β₂)gi)gi; p − (step·mi)/(√vi/√c₂ + ε)
  const gi = f64x2.add(g, f64x2.mul(v128.load(k + L2), p));
  const mi = f64x2.add(f64x2.mul(v128.load(k + BETA1), m), f64x2.mul(v128.load(k + ONE_MINUS_BETA1), gi));
  const vi = f64x2.add(f64x2.mul(v128.load(k + BETA2), v), f64x2.mul(f64x2.mul(v128.load(k + ONE_MINUS_BETA2), gi), gi));
  v128.store(mv, mi);
  v128.store(mv, vi, 16);
  const denom = f64x2.add(f64x2.div(f64x2.sqrt(vi), v128.load(k + SQRT_C2)), v128.load(k + EPS));
  return f64x2.sub(f64x2.mul(p, v128.load(k + DECAY)), f64x2.div(f64x2.mul(v128.load(k + STEP_SIZE), mi), denom));
}

@inline function adamScalar(k: usize, p: f64, g: f64, m: f64, v: f64, mv: usize): f64 {
  const gi = g + load<f64>(k + L2) * p;
  const mi = load<f64>(k + BETA1) * m + load<f64>(k + ONE_MINUS_BETA1) * gi;
  const vi = load<f64>(k + BETA2) * v + load<f64>(k + ONE_MINUS_BETA2) * gi * gi;
  store<f64>(mv, mi);
  store<f64>(mv, vi, 8);
  return p * load<f64>(k + DECAY) - (load<f64>(k + STEP_SIZE) * mi) / (sqrt(vi) / load<f64>(k + SQRT_C2) + load<f64>(k + EPS));
}

@inline function lo32(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function hi32(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}
/** Rounds two f64x2 to float32 and packs them into one f32x4. */
@inline function pack32(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/**
 * Adam over n elements in place: p, g, m, v float32 (f64 = 0) or float64 arrays at byte offsets;
 * k points at the constants (each stored twice, as an f64x2 splat: 9 × 16 bytes); tmp is 64
 * bytes of scratch.
 */
export function adam(f64: i32, p: usize, g: usize, m: usize, v: usize, n: i32, k: usize, tmp: usize): void {
  let i = 0;
  if (f64) {
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      const np = adamLanes(k, v128.load(p + o), v128.load(g + o), v128.load(m + o), v128.load(v + o), tmp);
      v128.store(m + o, v128.load(tmp));
      v128.store(v + o, v128.load(tmp, 16));
      v128.store(p + o, np);
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 3;
      const np = adamScalar(k, load<f64>(p + o), load<f64>(g + o), load<f64>(m + o), load<f64>(v + o), tmp);
      store<f64>(m + o, load<f64>(tmp));
      store<f64>(v + o, load<f64>(tmp, 8));
      store<f64>(p + o, np);
    }
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const P = v128.load(p + o), G = v128.load(g + o), M = v128.load(m + o), V = v128.load(v + o);
    const p0 = adamLanes(k, lo32(P), lo32(G), lo32(M), lo32(V), tmp);
    const p1 = adamLanes(k, hi32(P), hi32(G), hi32(M), hi32(V), tmp + 32);
    v128.store(m + o, pack32(v128.load(tmp), v128.load(tmp, 32)));
    v128.store(v + o, pack32(v128.load(tmp, 16), v128.load(tmp, 48)));
    v128.store(p + o, pack32(p0, p1));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const np = adamScalar(k, <f64>load<f32>(p + o), <f64>load<f32>(g + o), <f64>load<f32>(m + o), <f64>load<f32>(v + o), tmp);
    store<f32>(m + o, <f32>load<f64>(tmp));
    store<f32>(v + o, <f32>load<f64>(tmp, 8));
    store<f32>(p + o, <f32>np);
  }
}

// SGD's constants (f64x2 splats, byte offsets).
const LR = 0, WD = 16, MU = 32, ONE_MINUS_DAMPENING = 48;

/** d = g + wd·p; with momentum b' = first ? d : μb + (1−τ)d, d = nesterov ? d + μb' : b'; p − lr·d. */
@inline function sgdLanes(MOM: bool, NEST: bool, FIRST: bool, k: usize, p: v128, g: v128, b: v128, bout: usize): v128 {
  let d = f64x2.add(g, f64x2.mul(v128.load(k + WD), p));
  if (MOM) {
    const bi = FIRST ? d : f64x2.add(f64x2.mul(v128.load(k + MU), b), f64x2.mul(v128.load(k + ONE_MINUS_DAMPENING), d));
    v128.store(bout, bi);
    d = NEST ? f64x2.add(d, f64x2.mul(v128.load(k + MU), bi)) : bi;
  }
  return f64x2.sub(p, f64x2.mul(v128.load(k + LR), d));
}

@inline function sgdBody(MOM: bool, NEST: bool, FIRST: bool, f64: i32, p: usize, g: usize, b: usize, n: i32, k: usize, tmp: usize): void {
  let i = 0;
  if (f64) {
    // Pairs; an odd last element is handled by the driver's JS loop.
    for (; i + 2 <= n; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(p + o, sgdLanes(MOM, NEST, FIRST, k, v128.load(p + o), v128.load(g + o), MOM ? v128.load(b + o) : v128.splat<f64>(0), b + o));
    }
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const P = v128.load(p + o), G = v128.load(g + o);
    const B = MOM ? v128.load(b + o) : v128.splat<f32>(0);
    const p0 = sgdLanes(MOM, NEST, FIRST, k, lo32(P), lo32(G), lo32(B), tmp);
    const p1 = sgdLanes(MOM, NEST, FIRST, k, hi32(P), hi32(G), hi32(B), tmp + 16);
    if (MOM) v128.store(b + o, pack32(v128.load(tmp), v128.load(tmp, 16)));
    v128.store(p + o, pack32(p0, p1));
  }
}

/**
 * SGD over the first n elements (rounded down to a multiple of 4 in float32, of 2 in float64; the
 * driver runs the remainder in JS) in place. flags: 1 momentum, 2 nesterov, 4 first step.
 * k: the constants (4 × 16 bytes); tmp: 32 bytes of scratch.
 */
export function sgd(f64: i32, flags: i32, p: usize, g: usize, b: usize, n: i32, k: usize, tmp: usize): void {
  switch (flags & 7) {
    case 0: case 2: case 4: case 6: sgdBody(false, false, false, f64, p, g, b, n, k, tmp); break;
    case 1: sgdBody(true, false, false, f64, p, g, b, n, k, tmp); break;
    case 3: sgdBody(true, true, false, f64, p, g, b, n, k, tmp); break;
    case 5: sgdBody(true, false, true, f64, p, g, b, n, k, tmp); break;
    case 7: sgdBody(true, true, true, f64, p, g, b, n, k, tmp); break;
  }
}
